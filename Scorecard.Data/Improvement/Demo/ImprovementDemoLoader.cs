using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement.Demo;

/// <summary>
/// The loop's deterministic demo (issue 13, Demo data), written inside <c>DemoLoader</c>'s transaction after the
/// assurance demo (whose findings and standards it links to): two learning reviews with recommendations, 14 risks across
/// the subgroups with review histories (two at 12 or above, one newly escalated; one review overdue), about 60 actions
/// across the sources (some overdue, some awaiting moderation, one returned at moderation, a complete plan awaiting
/// sign-off), and 20 challenges (a few unanswered). Dated around <see cref="Today"/>, the demo data's "now" (the tests'
/// <c>FixedClock.DemoToday</c>). Rows go in as set-based statements; no randomness beyond a fixed seed.
/// </summary>
public static class ImprovementDemoLoader
{
    /// <summary>The demo's "today": after the due date of its last quarter (2025/26 Q2).</summary>
    public static readonly DateOnly Today = new(2025, 12, 15);

    /// <summary>QA subgroup meetings, every two months (the arrangements: "meet on a bi-monthly basis").</summary>
    public static readonly DateOnly[] Meetings =
        [new(2025, 1, 15), new(2025, 3, 12), new(2025, 5, 14), new(2025, 7, 9), new(2025, 9, 10), new(2025, 11, 12)];

    private static CommandDefinition Sql(string sql, object args, NpgsqlTransaction tx, CancellationToken ct) => new(sql, args, tx, cancellationToken: ct);

    public static async Task LoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int p, IReadOnlyDictionary<string, int> agencyIds, CancellationToken ct)
    {
        var agencies = new[] { "police", "council", "icb-cm", "mid-cheshire-hospitals", "east-cheshire-trust", "cwp", "youth-justice", "gp-practices", "vcs", "probation" }
            .Where(agencyIds.ContainsKey).Select(k => (Key: k, Id: agencyIds[k])).ToArray();
        if (agencies.Length < 3)
            return;
        int A(string key) => agencyIds.TryGetValue(key, out var id) ? id : agencies[key.Sum(c => c) % agencies.Length].Id;
        var random = new Random(1313);

        // Learning reviews and their recommendations.
        var reviews = new[]
        {
            (Title: "Child F: local child safeguarding practice review", Type: LearningReviewType.Lcspr, Start: new DateOnly(2024, 6, 3), Done: (DateOnly?)new DateOnly(2025, 4, 30),
             Status: LearningReviewStatus.Completed, Published: (DateOnly?)new DateOnly(2025, 6, 20), Summary: "Cumulative neglect of a 7-year-old over four years; missed opportunities to share concerns across agencies.",
             Recs: new[]
             {
                 "Agencies share concerns about cumulative neglect at the first strategy discussion, using the neglect screening tool.",
                 "Health visitors and school nurses record the child's lived experience and words at every contact.",
                 "Police domestic abuse notifications reach the school's designated safeguarding lead before the next school day.",
                 "Partners attend initial child protection conferences or send a written report when they cannot.",
                 "The partnership audits the quality of child in need plans for neglect within twelve months.",
             }),
            (Title: "Rapid review: serious injury to an infant (Baby M)", Type: LearningReviewType.RapidReview, Start: new DateOnly(2025, 8, 11), Done: (DateOnly?)new DateOnly(2025, 9, 5),
             Status: LearningReviewStatus.Completed, Published: (DateOnly?)null, Summary: "Non-accidental injury to a 10-week-old; the father's history was not known to maternity services.",
             Recs: new[]
             {
                 "Maternity services ask about and record fathers and male carers at booking.",
                 "The ICON programme (coping with crying) is delivered to both parents before discharge.",
                 "Bruising in non-mobile infants protocol refreshed and briefed to GP practices.",
             }),
        };
        var recIds = new List<int>();
        foreach (var r in reviews)
        {
            var reviewId = await conn.ExecuteScalarAsync<int>(Sql("""
                insert into learning_review (partnership_id, title, review_type, started_on, completed_on, status, published, published_on, summary)
                values (@p, @Title, @Type, @Start, @Done, @Status, @IsPublished, @Published, @Summary) returning id
                """, new { p, r.Title, Type = r.Type.ToDb(), r.Start, r.Done, Status = r.Status.ToDb(), IsPublished = r.Published is not null, r.Published, r.Summary }, tx, ct));
            recIds.AddRange(await conn.QueryAsync<int>(Sql("""
                insert into learning_review_recommendation (partnership_id, review_id, position, text)
                select @p, @reviewId, ord, t from unnest(@Recs) with ordinality as x(t, ord) returning id
                """, new { p, reviewId, r.Recs }, tx, ct)));
        }
        recIds.Sort();

        // Risks with their review histories; escalations follow the scores (RiskRules.Crossings).
        var riskIds = await RisksAsync(conn, tx, p, ct);

        var findings = (await conn.QueryAsync<int>(Sql("select id from audit_finding where partnership_id = @p order by id limit 12", new { p }, tx, ct))).ToList();
        var standards = (await conn.QueryAsync<int>(Sql("select id from framework_standard where partnership_id = @p order by id limit 6", new { p }, tx, ct))).ToList();

        // Challenges first: some actions come from them.
        var challengeIds = await ChallengesAsync(conn, tx, p, A, findings, standards, ct);

        // About 60 actions: (source, owner agency, what, start, due, status), then progress, moderation and sign-off.
        string[] measures = ["CSC-REREF", "POL-STRAT-ATTEND", "HLT-ICPC-REPORT", "CSC-CP-REPEAT", "EDU-CP-ATTEND"];
        var measureIds = (await conn.QueryAsync<(string Code, int Id)>(Sql("select code, id from measure where partnership_id = @p and code = any(@measures)", new { p, measures }, tx, ct)))
            .ToDictionary(m => m.Code, m => m.Id);
        var sources = new List<(SourceKind Kind, string Key)>();
        foreach (var code in measures.Take(2).Where(measureIds.ContainsKey)) sources.Add((SourceKind.Measure, code));
        foreach (var f in findings.Take(10)) sources.Add((SourceKind.AuditFinding, f.ToString()));
        foreach (var s in standards.Take(4)) sources.Add((SourceKind.SelfAssessmentStandard, s.ToString()));
        foreach (var rec in recIds) sources.Add((SourceKind.LearningReviewRecommendation, rec.ToString()));
        foreach (var r in riskIds.Take(6)) sources.Add((SourceKind.Risk, r.ToString()));
        foreach (var c in challengeIds.Take(3)) sources.Add((SourceKind.Challenge, c.ToString()));
        // "You said, we did": two voice messages that carry one; and two lines of enquiry (the voice and triangulation demo
        // is loaded before this one).
        var messages = await conn.QueryAsync<int>(Sql("select id from voice_message where partnership_id = @p and you_said_we_did <> '' order by id limit 2", new { p }, tx, ct));
        var themes = await conn.QueryAsync<int>(Sql("select id from triangulation_theme where partnership_id = @p order by sort_order, id limit 2", new { p }, tx, ct));
        foreach (var m in messages) sources.Add((SourceKind.VoiceMessage, m.ToString()));
        foreach (var t in themes) sources.Add((SourceKind.TriangulationTheme, t.ToString()));

        string[] verbs = ["Deliver refresher training on", "Audit a sample of cases for", "Update the practice guidance on", "Brief frontline staff on", "Add a quality check of", "Report quarterly to the subgroup on"];
        string[] topics = ["cumulative neglect", "the child's lived experience", "information sharing at strategy discussions", "attendance at child protection conferences",
            "domestic abuse notifications to schools", "fathers and male carers", "return home interviews", "contextual safeguarding plans", "bruising in non-mobile infants", "transition to adult services"];
        string[] people = ["Head of Safeguarding", "Named Nurse", "Detective Inspector, PPU", "Designated Doctor", "Service Manager", "Safeguarding Lead", "Team Manager", "Head of Service"];

        // Status plan for 60 actions, fixed: index → status and due offset (negative = past).
        var plan = new List<(ActionStatus Status, int DueOffset, bool Returned)>();
        for (var i = 0; i < 60; i++)
        {
            plan.Add(i switch
            {
                < 14 => (ActionStatus.Closed, -30 - 12 * i, false),
                < 19 => (ActionStatus.Completed, 20 + 5 * i, false),
                19 => (ActionStatus.OnTrack, 45, true),
                < 28 => (i % 2 == 0 ? ActionStatus.OnTrack : ActionStatus.AtRisk, -7 - 9 * (i - 19), false),   // overdue
                < 33 => (ActionStatus.AtRisk, 30 + 10 * i, false),
                < 37 => (ActionStatus.OffTrack, 20 + 8 * i, false),
                < 48 => (ActionStatus.OnTrack, 40 + 11 * i, false),
                _ => (ActionStatus.NotStarted, 90 + 12 * i, false),
            });
        }
        var rows = new List<(string Title, SourceKind Kind, string Key, int Agency, string Person, DateOnly Start, DateOnly Due, int? Measure, ActionStatus Status, bool Returned)>();
        for (var i = 0; i < plan.Count; i++)
        {
            var (kind, key) = sources[i % sources.Count];
            // Police own every fifth action and a few more, so the police user has a list of their own.
            var agency = i % 5 == 0 || i is 19 or 21 ? A("police") : agencies[(i * 7 + 3) % agencies.Length].Id;
            var (status, offset, returned) = plan[i];
            var due = Today.AddDays(offset);
            var start = due.AddDays(-(90 + random.Next(0, 120)));
            var title = $"{verbs[i % verbs.Length]} {topics[(i * 3) % topics.Length]}";
            int? measure = i % 6 == 1 && measureIds.Count > 0 ? measureIds.Values.ElementAt(i / 6 % measureIds.Count) : null;
            rows.Add((title, kind, key, agency, people[(i * 5) % people.Length], start, due, measure, status, returned));
        }
        // A complete plan awaiting the Executive's sign-off: every action of the rapid review's first recommendation closed.
        var rrPlanKey = recIds.Count >= 6 ? recIds[5].ToString() : null;
        if (rrPlanKey is not null)
        {
            rows.Add(("Ask about and record fathers and male carers at every booking appointment", SourceKind.LearningReviewRecommendation, rrPlanKey, A("mid-cheshire-hospitals"), "Head of Midwifery",
                new DateOnly(2025, 9, 15), new DateOnly(2025, 11, 30), null, ActionStatus.Closed, false));
            rows.Add(("Add fathers' details to the maternity booking template", SourceKind.LearningReviewRecommendation, rrPlanKey, A("east-cheshire-trust"), "Named Midwife",
                new DateOnly(2025, 9, 15), new DateOnly(2025, 11, 30), null, ActionStatus.Closed, false));
            // Remove other actions of that source so the plan is complete.
            rows = rows.Where(r => !(r.Kind == SourceKind.LearningReviewRecommendation && r.Key == rrPlanKey && r.Status != ActionStatus.Closed)).ToList();
        }

        var actionIds = (await conn.QueryAsync<int>(Sql("""
            insert into improvement_action (partnership_id, title, source_kind, source_key, owner_agency_id, owner_person, start_date, due_date, success_measure_id, status,
                completion_evidence, completed_on, closed_at, close_reason, created_at, updated_at)
            select @p, t, k, key, ag, person, s, d, m, st, ev, con, cat, cr, ca, ca
            from unnest(@Titles, @Kinds, @Keys, @Agencies, @People, @Starts, @Dues, @Measures, @Statuses, @Evidence, @CompletedOn, @ClosedAt, @CloseReasons, @CreatedAt)
                 with ordinality as x(t, k, key, ag, person, s, d, m, st, ev, con, cat, cr, ca, ord)
            order by ord
            returning id
            """, new
        {
            p,
            Titles = rows.Select(r => r.Title).ToArray(),
            Kinds = rows.Select(r => r.Kind.ToDb()).ToArray(),
            Keys = rows.Select(r => r.Key).ToArray(),
            Agencies = rows.Select(r => r.Agency).ToArray(),
            People = rows.Select(r => r.Person).ToArray(),
            Starts = rows.Select(r => r.Start).ToArray(),
            Dues = rows.Select(r => r.Due).ToArray(),
            Measures = rows.Select(r => r.Measure).ToArray(),
            Statuses = rows.Select(r => r.Status.ToDb()).ToArray(),
            Evidence = rows.Select(r => r.Status is ActionStatus.Completed or ActionStatus.Closed ? "Briefing delivered to all teams; attendance register and audit of 20 cases held by the safeguarding lead." : "").ToArray(),
            CompletedOn = rows.Select(r => r.Status is ActionStatus.Completed or ActionStatus.Closed ? (DateOnly?)Min(r.Due, Today.AddDays(-3)) : null).ToArray(),
            ClosedAt = rows.Select(r => r.Status == ActionStatus.Closed ? (DateTime?)Min(r.Due, Today.AddDays(-3)).AddDays(10).ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc) : null).ToArray(),
            CloseReasons = rows.Select(r => r.Status == ActionStatus.Closed ? "Accepted at moderation" : null).ToArray(),
            CreatedAt = rows.Select(r => r.Start.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc)).ToArray(),
        }, tx, ct))).ToList();

        // Progress updates: one at the start, one mid-way for open ones, the completion for completed and closed ones.
        var progress = new List<(int Action, DateOnly On, string Note, ActionStatus After)>();
        var moderations = new List<(int Action, ModerationDecision Outcome, string Reason, DateTime At)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var id = actionIds[i];
            progress.Add((id, r.Start.AddDays(14), "Lead identified and plan agreed with the team managers.", ActionStatus.OnTrack));
            if (r.Status is ActionStatus.AtRisk or ActionStatus.OffTrack)
                progress.Add((id, Min(Today.AddDays(-20), r.Due.AddDays(-10)), r.Status == ActionStatus.AtRisk ? "Fewer staff released for training than planned; extra dates requested." : "Project lead on long-term leave; no cover agreed yet.", r.Status));
            if (r.Status is ActionStatus.Completed or ActionStatus.Closed || r.Returned)
            {
                var done = r.Returned ? Meetings[^1].AddDays(-10) : Min(r.Due, Today.AddDays(-3));
                progress.Add((id, done, "Marked completed: briefing delivered and audit completed.", ActionStatus.Completed));
                if (r.Status == ActionStatus.Closed)
                {
                    moderations.Add((id, ModerationDecision.Accepted, "", done.AddDays(10).ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc)));
                    progress.Add((id, done.AddDays(10), "Accepted at moderation", ActionStatus.Closed));
                }
                if (r.Returned)
                {
                    moderations.Add((id, ModerationDecision.Returned, "The audit covered day teams only: show that out-of-hours staff were briefed too.", Meetings[^1].ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc)));
                    progress.Add((id, Meetings[^1], "Returned at moderation: The audit covered day teams only: show that out-of-hours staff were briefed too.", ActionStatus.OnTrack));
                }
            }
        }
        progress = progress.Select(x => x with { On = Min(x.On, Today) }).OrderBy(x => x.On).ToList();
        await conn.ExecuteAsync(Sql("""
            insert into action_progress (partnership_id, action_id, noted_on, note, status_after, recorded_by_name, recorded_at)
            select @p, a, o, n, s, 'Demo data', o::timestamptz + interval '10 hours' from unnest(@Actions, @On, @Notes, @After) as x(a, o, n, s)
            """, new
        {
            p, Actions = progress.Select(x => x.Action).ToArray(), On = progress.Select(x => x.On).ToArray(), Notes = progress.Select(x => x.Note).ToArray(),
            After = progress.Select(x => x.After.ToDb()).ToArray(),
        }, tx, ct));
        await conn.ExecuteAsync(Sql("""
            insert into action_moderation (partnership_id, action_id, outcome, reason, moderated_by_name, moderated_at)
            select @p, a, o, r, 'Quinn QA', t from unnest(@Actions, @Outcomes, @Reasons, @At) as x(a, o, r, t)
            """, new
        {
            p, Actions = moderations.Select(x => x.Action).ToArray(), Outcomes = moderations.Select(x => x.Outcome.ToDb()).ToArray(),
            Reasons = moderations.Select(x => x.Reason).ToArray(), At = moderations.Select(x => x.At).ToArray(),
        }, tx, ct));

        // One complete plan already signed off (the first finding's, if all its actions closed), to show both states.
        var signedOff = await conn.QueryAsync<(string Kind, string Key, DateTime Last)>(Sql("""
            select source_kind, source_key, max(closed_at) from improvement_action where partnership_id = @p and source_kind = 'audit_finding'
            group by source_kind, source_key having bool_and(status = 'closed') order by source_key limit 1
            """, new { p }, tx, ct));
        foreach (var s in signedOff)
        {
            await conn.ExecuteAsync(Sql("""
                insert into action_plan_sign_off (partnership_id, source_kind, source_key, note, signed_off_by_name, signed_off_at)
                values (@p, @Kind, @Key, 'Reported to the Executive as complete', 'Evelyn Executive', @At)
                """, new { p, s.Kind, s.Key, At = s.Last.AddDays(14) }, tx, ct));
        }

        var system = new Actor(p, 0, "Demo loader", Role.Admin, null);
        await ChangeLog.WriteAsync(conn, tx, system, "improvement", p, "import",
            $"Loaded the loop's demo: {reviews.Length} learning reviews, {riskIds.Count} risks, {rows.Count} actions, {challengeIds.Count} challenges",
            null, new { Reviews = reviews.Length, Risks = riskIds.Count, Actions = rows.Count, Challenges = challengeIds.Count }, ct);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static async Task<List<int>> RisksAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int p, CancellationToken ct)
    {
        // (title, cause, effect, subgroup, owner, controls, target, history of (likelihood, impact) every ~3 months ending near today, next review offset)
        var risks = new (string Title, string Cause, string Effect, Subgroup Subgroup, string Owner, string Controls, int Target, (int L, int I)[] History, int NextReview)[]
        {
            ("Health partners' attendance at initial child protection conferences", "Named nurse vacancies and clashing clinic commitments", "Conferences decide without health information; plans miss health needs",
                Subgroup.QualityAssurance, "Designated Nurse", "Written reports accepted when attendance is impossible; monthly attendance report", 6, [(3, 3), (3, 4), (4, 4), (4, 4)], 45),
            ("Rising re-referrals to children's social care", "Cases closed before change is sustained; early help capacity", "Children return to services with greater need",
                Subgroup.QualityAssurance, "Head of Service, Children's Social Care", "Step-down panel; re-referral audit", 6, [(2, 3), (3, 3), (3, 3), (3, 5)], 60),
            ("Multi-agency audit capacity", "Agencies unable to release auditors", "Audit programme slips; assurance gaps", Subgroup.QualityAssurance, "QA subgroup chair",
                "Named audit pool; audits planned a year ahead", 4, [(3, 3), (4, 3), (2, 4), (2, 4)], 70),
            ("Quality of data returns from health providers", "Different recording systems; manual extraction", "Scorecard figures incomplete or late", Subgroup.QualityAssurance, "ICB Head of Safeguarding",
                "Data definitions agreed; quarterly data quality report", 4, [(3, 2), (3, 2), (2, 2)], -25),
            ("Section 11 actions not followed through", "Actions agreed without owners or dates", "Repeated findings in the next cycle", Subgroup.QualityAssurance, "Partnership Business Manager",
                "Action plans with owners and dates; moderation of completed actions", 4, [(3, 3), (2, 3)], 80),
            ("Learning from reviews not embedded in practice", "Briefings not reaching frontline staff", "The same practice issues recur in later reviews", Subgroup.LearningAndImprovement, "L&I subgroup chair",
                "7-minute briefings; learning events; audit of impact", 6, [(4, 3), (3, 3), (3, 3)], 50),
            ("Multi-agency training attendance falling", "Workforce pressures; travel to venues", "Staff unaware of current procedures", Subgroup.LearningAndImprovement, "Training Manager",
                "Online sessions; targeted reminders to low-attending agencies", 6, [(3, 3), (3, 3), (3, 2)], 90),
            ("Local practice review timescales", "Author capacity; delays to agency reports", "Learning delayed; national panel scrutiny", Subgroup.LearningAndImprovement, "Partnership Business Manager",
                "Pool of independent reviewers; timeline tracking", 4, [(3, 4), (2, 4), (2, 4), (2, 4)], 30),
            ("Rapid reviews not completed in 15 working days", "Late agency chronologies", "Notification to the national panel late", Subgroup.RapidReviewPanel, "Rapid Review Panel chair",
                "Chronology template; escalation to agency leads at day 5", 4, [(3, 3), (2, 3), (2, 3)], 60),
            ("Information from adult services not shared at strategy discussions", "Adult mental health and substance misuse services not invited", "Risk from parents' needs not considered",
                Subgroup.RapidReviewPanel, "Head of Adult Safeguarding", "Invitation list updated; audit of strategy discussions", 4, [(3, 3), (3, 3)], 75),
            ("Child exploitation screening inconsistent", "Different tools in use across agencies", "Exploited children not identified early", Subgroup.TaskAndFinish, "Exploitation T&F lead",
                "Single screening tool; MACE panel", 4, [(4, 3), (3, 3), (2, 3)], 40),
            ("Neglect strategy refresh delayed", "Competing priorities in the partnership business unit", "Agencies use an outdated neglect toolkit", Subgroup.TaskAndFinish, "Neglect T&F lead",
                "Project plan; monthly highlight report", 3, [(3, 2), (3, 2)], 100),
            ("Education settings' Section 175 returns incomplete", "Academies outside local authority reporting", "No assurance of safeguarding in some schools", Subgroup.QualityAssurance, "Head of Education Safeguarding",
                "Reminders through the schools forum; DSL network", 4, [(3, 3), (3, 2), (2, 2)], 110),
            ("Voice of the child not captured in audits", "Audit tools lacked a voice question", "Practice judged without the child's experience", Subgroup.QualityAssurance, "QA subgroup chair",
                "Voice question added to all audit tools", 2, [(3, 3), (2, 3), (1, 3)], 120),
        };
        var ids = new List<int>();
        foreach (var r in risks)
        {
            var n = r.History.Length;
            // An overdue risk's last review was long enough ago for its review date to have passed.
            var lastAgo = r.NextReview < 0 ? 120 : 20;
            var dates = Enumerable.Range(0, n).Select(i => Today.AddDays(-91 * (n - 1 - i) - lastAgo)).ToArray();
            // The newly escalated risk was re-scored at the last meeting... the one before today's.
            if (r.Title.StartsWith("Rising re-referrals", StringComparison.Ordinal))
                dates[^1] = new DateOnly(2025, 12, 1);
            var (l, i2) = r.History[^1];
            var crossings = RiskRules.Crossings(r.History.Select(h => h.L * h.I));
            var escalated = crossings.Count > 0 && crossings[^1].Direction == EscalationDirection.Escalated;
            var reviewDate = r.NextReview < 0 ? Today.AddDays(r.NextReview) : Today.AddDays(r.NextReview);
            var id = await conn.ExecuteScalarAsync<int>(Sql("""
                insert into risk (partnership_id, title, cause, effect, subgroup, owner, likelihood, impact, controls, target_score, review_date, escalated, created_at)
                values (@p, @Title, @Cause, @Effect, @Subgroup, @Owner, @L, @I, @Controls, @Target, @reviewDate, @escalated, @Created)
                returning id
                """, new
            {
                p, r.Title, r.Cause, r.Effect, Subgroup = r.Subgroup.ToDb(), r.Owner, L = (short)l, I = (short)i2, r.Controls, Target = (short)r.Target, reviewDate, escalated,
                Created = dates[0].ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
            }, tx, ct));
            var next = dates.Skip(1).Append(reviewDate).ToArray();
            var reviewIds = (await conn.QueryAsync<int>(Sql("""
                insert into risk_review (partnership_id, risk_id, reviewed_on, likelihood, impact, note, next_review_date, reviewed_by_name, recorded_at)
                select @p, @id, d, l, i, n, nx, 'Quinn QA', d::timestamptz + interval '11 hours'
                from unnest(@Dates, @Ls, @Is, @Notes, @Next) with ordinality as x(d, l, i, n, nx, ord) order by ord
                returning id
                """, new
            {
                p, id, Dates = dates, Ls = r.History.Select(h => (short)h.L).ToArray(), Is = r.History.Select(h => (short)h.I).ToArray(),
                Notes = r.History.Select((h, k) => k == 0 ? "First assessment" : h.L * h.I > r.History[k - 1].L * r.History[k - 1].I ? "Score raised: controls not yet effective" : h.L * h.I < r.History[k - 1].L * r.History[k - 1].I ? "Score lowered: controls working" : "No change").ToArray(),
                Next = next,
            }, tx, ct))).ToList();
            foreach (var (index, direction) in crossings)
            {
                await conn.ExecuteAsync(Sql("""
                    insert into risk_escalation (partnership_id, risk_id, direction, score, occurred_on, review_id, recorded_at)
                    values (@p, @id, @Direction, @Score, @On, @ReviewId, @On::timestamptz + interval '11 hours')
                    """, new { p, id, Direction = direction.ToDb(), Score = (short)(r.History[index].L * r.History[index].I), On = dates[index], ReviewId = reviewIds[index] }, tx, ct));
            }
            ids.Add(id);
        }
        return ids;
    }

    private static async Task<List<int>> ChallengesAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, int p, Func<string, int> agency, List<int> findings, List<int> standards, CancellationToken ct)
    {
        var subjects = new List<(SourceKind Kind, string Key, string Agency, string Question)>
        {
            (SourceKind.Measure, "CSC-REREF", "council", "Re-referrals have risen for three quarters running: what is driving the increase?"),
            (SourceKind.Measure, "POL-STRAT-ATTEND", "police", "Police attendance at strategy discussions dipped in Q2: was this a staffing issue, and is it resolved?"),
            (SourceKind.Measure, "HLT-ICPC-REPORT", "icb-cm", "Health reports to initial conferences are below target: which providers are missing and why?"),
            (SourceKind.Measure, "CSC-CP-REPEAT", "council", "Repeat child protection plans are above the England average: what did the dip sample show?"),
            (SourceKind.Measure, "POL-DA-CHILDREN", "police", "Domestic abuse incidents with children present rose sharply: is this recording or real change?"),
            (SourceKind.Measure, "YJ-FTE", "youth-justice", "First-time entrants fell: which diversion schemes contributed?"),
            (SourceKind.Measure, "HLT-CAMHS-WAIT", "cwp", "CAMHS waiting times exceed 18 weeks for a third of children: what is the recovery plan?"),
            (SourceKind.Measure, "EDU-CP-ATTEND", "council", "School attendance of children on plans is low: how are DSLs followed up?"),
            (SourceKind.Measure, "CS-MISSING-RHI", "council", "Return home interviews offered within 72 hours fell: why?"),
            (SourceKind.Measure, "POL-ENCOMPASS", "police", "Operation Encompass notifications are late for weekend incidents: what will change?"),
            (SourceKind.Measure, "HLT-IHA20", "icb-cm", "Initial health assessments within 20 days remain off target: what is the trajectory?"),
            (SourceKind.Measure, "CSC-CFA45", "council", "Assessments within 45 days: is the improvement sustained across all teams?"),
        };
        foreach (var f in findings.Take(4))
            subjects.Add((SourceKind.AuditFinding, f.ToString(), subjects.Count % 2 == 0 ? "police" : "mid-cheshire-hospitals", "The audit found the child's voice missing from records: what has your agency done since?"));
        foreach (var s in standards.Take(4))
            subjects.Add((SourceKind.SelfAssessmentStandard, s.ToString(), subjects.Count % 2 == 0 ? "east-cheshire-trust" : "probation", "Your self-assessment rated this standard met: what evidence supports the rating?"));
        var measureCodes = (await conn.QueryAsync<string>(Sql("select code from measure where partnership_id = @p", new { p }, tx, ct))).ToHashSet();
        subjects = subjects.Where(s => s.Kind != SourceKind.Measure || measureCodes.Contains(s.Key)).Take(20).ToList();

        var ids = new List<int>();
        for (var i = 0; i < subjects.Count; i++)
        {
            var s = subjects[i];
            var meeting = ImprovementDemoLoader.Meetings[i % ImprovementDemoLoader.Meetings.Length];
            // The last four are the most recent: unanswered (two overdue from September, two due in January).
            var unanswered = i >= subjects.Count - 4;
            if (unanswered)
                meeting = i % 2 == 0 ? new DateOnly(2025, 9, 10) : new DateOnly(2025, 11, 12);
            var due = meeting.AddDays(unanswered && meeting.Month == 11 ? 56 : 42);
            // The newest challenge is put to the police, awaiting their answer.
            if (i == subjects.Count - 1)
                s = s with { Agency = "police" };
            var outcome = unanswered ? ChallengeStatus.AwaitingResponse : (i % 9) switch
            {
                4 => ChallengeStatus.Responded,
                5 => ChallengeStatus.Escalated,
                7 => ChallengeStatus.FurtherInformation,
                _ => ChallengeStatus.Closed,
            };
            var view = outcome switch
            {
                ChallengeStatus.Closed => "satisfactory",
                ChallengeStatus.Escalated => "escalate",
                ChallengeStatus.FurtherInformation => "further_information",
                _ => null,
            };
            var id = await conn.ExecuteScalarAsync<int>(Sql("""
                insert into challenge (partnership_id, question, subject_kind, subject_key, to_agency_id, raised_by_name, raised_on, meeting_date, due_date, status, view, closed_at, close_reason, updated_at)
                values (@p, @Question, @Kind, @Key, @Agency, 'Quinn QA', @meeting, @meeting, @due, @Status, @view, @ClosedAt, @CloseReason, @meeting::timestamptz)
                returning id
                """, new
            {
                p, s.Question, Kind = s.Kind.ToDb(), s.Key, Agency = agency(s.Agency), meeting, due, Status = outcome.ToDb(), view,
                ClosedAt = outcome == ChallengeStatus.Closed ? (DateTime?)due.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc) : null,
                CloseReason = outcome == ChallengeStatus.Closed ? "The subgroup judged the response satisfactory" : null,
            }, tx, ct));
            if (!unanswered)
            {
                var answered = meeting.AddDays(21);
                await conn.ExecuteAsync(Sql("""
                    insert into challenge_entry (partnership_id, challenge_id, kind, view, text, written_by_name, written_at)
                    values (@p, @id, 'response', null, @Text, 'Agency safeguarding lead', @At)
                    """, new { p, id, Text = "We have reviewed the cases behind the figure; a recording change explains part of it and a practice briefing covers the rest. Audit report attached to the action.", At = answered.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc) }, tx, ct));
                if (view is not null)
                {
                    await conn.ExecuteAsync(Sql("""
                        insert into challenge_entry (partnership_id, challenge_id, kind, view, text, written_by_name, written_at)
                        values (@p, @id, 'view', @view, @Text, 'Quinn QA', @At)
                        """, new
                    {
                        p, id, view, At = due.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
                        Text = view switch { "escalate" => "The response does not address the missing reports; escalated under the Pan-Cheshire policy.", "further_information" => "Send the dip sample's findings by agency.", _ => "" },
                    }, tx, ct));
                }
                if (outcome == ChallengeStatus.Escalated)
                {
                    await conn.ExecuteAsync(Sql("""
                        insert into challenge_escalation (partnership_id, challenge_id, stage, escalated_to, escalated_on, note, recorded_by_name)
                        values (@p, @id, 'agency_to_agency', 'QA chair and the agency''s Head of Safeguarding', @On1, 'Meeting held; no agreement', 'Quinn QA'),
                               (@p, @id, 'full_partnership', 'CESCP Executive', @On2, 'Referred to the Executive', 'Quinn QA')
                        """, new { p, id, On1 = due.AddDays(7), On2 = due.AddDays(35) }, tx, ct));
                }
            }
            ids.Add(id);
        }
        return ids;
    }
}
