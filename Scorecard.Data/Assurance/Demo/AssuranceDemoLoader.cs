using Dapper;
using Npgsql;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;

namespace Scorecard.Data.Assurance.Demo;

/// <summary>
/// Writes the assurance demo into the demo partnership inside <see cref="DemoLoader"/>'s transaction. Rows go in as a
/// few set-based statements per table (<c>unnest</c> of arrays, ids returned), so the 4,000-odd Section 175 ratings
/// cost one round trip rather than one each.
/// </summary>
public static class AssuranceDemoLoader
{
    public static async Task LoadAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, DemoPartnership partnership,
        IReadOnlyDictionary<string, int> agencyIds, IReadOnlyDictionary<string, int> priorityIds, IReadOnlyDictionary<(int, int), int> periodIds,
        CancellationToken ct)
    {
        var demo = AssuranceDemoGenerator.Generate(partnership);
        await EducationPhasesAsync(conn, tx, partnershipId, ct);
        foreach (var audit in demo.Audits)
            await AuditAsync(conn, tx, partnershipId, audit, agencyIds, priorityIds, ct);
        await SummariesAsync(conn, tx, partnershipId, demo.Summaries, agencyIds, periodIds, ct);

        var frameworkIds = new Dictionary<string, int>();
        foreach (var f in BuiltInFrameworks.All)
            frameworkIds[f.Code] = await BuiltInFrameworks.InsertAsync(conn, tx, partnershipId, f, ct);
        foreach (var cycle in demo.Cycles)
            await CycleAsync(conn, tx, partnershipId, cycle, frameworkIds[cycle.FrameworkCode], agencyIds, ct);
    }

    /// <summary>Records each school's and college's phase from the embedded Appendix 1 list (Phase TAB Name lines).</summary>
    private static async Task EducationPhasesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int p, CancellationToken ct)
    {
        using var stream = typeof(DemoGenerator).Assembly.GetManifestResourceStream(DemoGenerator.EducationResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {DemoGenerator.EducationResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var names = new List<string>();
        var phases = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length != 2)
                continue;
            names.Add(parts[1].Trim());
            phases.Add((parts[0].Trim() switch
            {
                "Primary" => EducationPhase.Primary,
                "Secondary" => EducationPhase.Secondary,
                "16+" => EducationPhase.SixteenPlus,
                "Independent" => EducationPhase.Independent,
                _ => EducationPhase.Other,
            }).ToDb());
        }
        await conn.ExecuteAsync(Sql("""
            update agency a set education_phase = t.phase
            from unnest(@names, @phases) as t(name, phase)
            where a.partnership_id = @p and a.sector = 'education' and lower(a.name) = lower(t.name)
            """, new { p, names = names.ToArray(), phases = phases.ToArray() }, tx, ct));
    }

    private static CommandDefinition Sql(string sql, object args, NpgsqlTransaction tx, CancellationToken ct) => new(sql, args, tx, cancellationToken: ct);

    private static async Task AuditAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, int p, DemoAudit a, IReadOnlyDictionary<string, int> agencyIds, IReadOnlyDictionary<string, int> priorityIds, CancellationToken ct)
    {
        var auditId = await conn.ExecuteScalarAsync<int>(Sql("""
            insert into audit (partnership_id, title, audit_type, theme, priority_id, lead_agency_id, lead_person, planned_fiscal_year, planned_quarter,
                fieldwork_start, fieldwork_end, report_date, status)
            values (@p, @Title, @Type, @Theme, @PriorityId, @LeadId, @LeadPerson, @PlannedFiscalYear, @PlannedQuarter, @FieldworkStart, @FieldworkEnd, @ReportDate, @Status)
            returning id
            """, new
        {
            p, a.Title, Type = a.Type.ToDb(), a.Theme, PriorityId = priorityIds[a.PriorityCode], LeadId = agencyIds[a.LeadAgencyKey], a.LeadPerson,
            a.PlannedFiscalYear, PlannedQuarter = (short)a.PlannedQuarter, a.FieldworkStart, a.FieldworkEnd, a.ReportDate, Status = a.Status.ToDb(),
        }, tx, ct));
        var questionIds = (await conn.QueryAsync<(int Id, int Position)>(Sql("""
            insert into audit_question (partnership_id, audit_id, position, text)
            select @p, @auditId, ord, q from unnest(@Questions) with ordinality as t(q, ord) returning id, position::int
            """, new { p, auditId, Questions = a.Questions.ToArray() }, tx, ct))).OrderBy(q => q.Position).Select(q => q.Id).ToList();
        if (a.Cases.Count > 0)
        {
            var caseIds = (await conn.QueryAsync<(int Id, string Reference)>(Sql("""
                insert into audit_case (partnership_id, audit_id, case_reference) select @p, @auditId, unnest(@Refs) returning id, case_reference
                """, new { p, auditId, Refs = a.Cases.Select(c => c.Reference).ToArray() }, tx, ct))).ToDictionary(r => r.Reference, r => r.Id);
            var gradings = a.Cases.SelectMany(c => c.Gradings.Select(g => (CaseId: caseIds[c.Reference], AgencyId: agencyIds[g.AgencyKey], G: g))).ToList();
            await conn.ExecuteAsync(Sql("""
                insert into audit_case_agency (partnership_id, audit_id, case_id, agency_id) select @p, @auditId, c, ag from unnest(@Cases, @Agencies) as t(c, ag);
                insert into audit_grading (partnership_id, audit_id, case_id, agency_id, overall_grade, voice_evident, strengths, areas_for_development, status, submitted_at)
                select @p, @auditId, c, ag, o, v, s, d, 'submitted', @Submitted from unnest(@Cases, @Agencies, @Overall, @Voice, @Strengths, @Areas) as t(c, ag, o, v, s, d);
                """, new
            {
                p, auditId, Submitted = (a.FieldworkEnd ?? new DateOnly(2025, 1, 1)).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
                Cases = gradings.Select(g => g.CaseId).ToArray(), Agencies = gradings.Select(g => g.AgencyId).ToArray(),
                Overall = gradings.Select(g => g.G.Overall.ToDb()).ToArray(), Voice = gradings.Select(g => g.G.Voice.ToDb()).ToArray(),
                Strengths = gradings.Select(g => g.G.Strengths).ToArray(), Areas = gradings.Select(g => g.G.AreasForDevelopment).ToArray(),
            }, tx, ct));
            var questionGrades = gradings.SelectMany(g => g.G.QuestionGrades.Select((grade, i) => (g.CaseId, g.AgencyId, QuestionId: questionIds[i], Grade: grade))).ToList();
            await conn.ExecuteAsync(Sql("""
                insert into audit_question_grade (partnership_id, audit_id, case_id, agency_id, question_id, grade)
                select @p, @auditId, c, ag, q, g from unnest(@Cases, @Agencies, @Questions, @Grades) as t(c, ag, q, g)
                """, new
            {
                p, auditId, Cases = questionGrades.Select(x => x.CaseId).ToArray(), Agencies = questionGrades.Select(x => x.AgencyId).ToArray(),
                Questions = questionGrades.Select(x => x.QuestionId).ToArray(), Grades = questionGrades.Select(x => x.Grade.ToDb()).ToArray(),
            }, tx, ct));
            var moderated = a.Cases.Where(c => c.ModeratedGrade is not null).ToList();
            await conn.ExecuteAsync(Sql("""
                insert into audit_moderation (partnership_id, audit_id, case_id, grade, voice_evident, note)
                select @p, @auditId, c, g, v, n from unnest(@Cases, @Grades, @Voices, @Notes) as t(c, g, v, n)
                """, new
            {
                p, auditId, Cases = moderated.Select(c => caseIds[c.Reference]).ToArray(), Grades = moderated.Select(c => c.ModeratedGrade!.Value.ToDb()).ToArray(),
                Voices = moderated.Select(c => c.ModeratedVoice!.Value.ToDb()).ToArray(), Notes = moderated.Select(c => c.ModerationNote).ToArray(),
            }, tx, ct));
        }
        foreach (var (f, i) in a.Findings.Select((f, i) => (f, i)))
        {
            await conn.ExecuteAsync(Sql("""
                with f as (
                    insert into audit_finding (partnership_id, audit_id, finding_type, statement, position)
                    values (@p, @auditId, @Type, @Statement, @Position) returning id),
                fa as (insert into audit_finding_agency (partnership_id, finding_id, agency_id) select @p, f.id, unnest(@Agencies) from f)
                insert into audit_finding_question (partnership_id, audit_id, finding_id, question_id) select @p, @auditId, f.id, unnest(@Questions) from f
                """, new
            {
                p, auditId, Type = f.Type.ToDb(), f.Statement, Position = (short)(i + 1),
                Agencies = f.AgencyKeys.Select(k => agencyIds[k]).ToArray(), Questions = f.QuestionPositions.Select(q => questionIds[q - 1]).ToArray(),
            }, tx, ct));
        }
    }

    private static Task SummariesAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, int p, IReadOnlyList<DemoAuditSummary> s, IReadOnlyDictionary<string, int> agencyIds,
        IReadOnlyDictionary<(int, int), int> periodIds, CancellationToken ct) =>
        conn.ExecuteAsync(Sql("""
            insert into audit_summary_return (partnership_id, agency_id, period_id, version, status, source, topic, cases_audited,
                graded_outstanding, graded_good, graded_requires_improvement, graded_inadequate, voice_yes, voice_partly, voice_no, key_findings, submitted_at)
            select @p, ag, pe, 1, @Accepted, @Demo, topic, o + g + ri + i, o, g, ri, i, y, pa, n, array[f1, f2], at
            from unnest(@Agencies, @Periods, @Topics, @O, @G, @RI, @I, @Y, @Pa, @N, @F1, @F2, @At) as t(ag, pe, topic, o, g, ri, i, y, pa, n, f1, f2, at)
            """, new
        {
            p, Accepted = AuditSummaryStatus.Accepted.ToDb(), Demo = AuditSummarySource.Demo.ToDb(),
            Agencies = s.Select(x => agencyIds[x.AgencyKey]).ToArray(), Periods = s.Select(x => periodIds[(x.FiscalYear, x.Quarter)]).ToArray(),
            Topics = s.Select(x => x.Topic).ToArray(), O = s.Select(x => x.Outstanding).ToArray(), G = s.Select(x => x.Good).ToArray(),
            RI = s.Select(x => x.RequiresImprovement).ToArray(), I = s.Select(x => x.Inadequate).ToArray(),
            Y = s.Select(x => x.VoiceYes).ToArray(), Pa = s.Select(x => x.VoicePartly).ToArray(), N = s.Select(x => x.VoiceNo).ToArray(),
            F1 = s.Select(x => x.KeyFindings[0]).ToArray(), F2 = s.Select(x => x.KeyFindings[1]).ToArray(), At = s.Select(x => x.SubmittedAt.UtcDateTime).ToArray(),
        }, tx, ct));

    private static async Task CycleAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, int p, DemoCycle cycle, int frameworkId, IReadOnlyDictionary<string, int> agencyIds, CancellationToken ct)
    {
        var cycleId = await conn.ExecuteScalarAsync<int>(Sql("""
            insert into assessment_cycle (partnership_id, framework_id, name, opens_on, deadline) values (@p, @frameworkId, @Name, @OpensOn, @Deadline) returning id
            """, new { p, frameworkId, cycle.Name, cycle.OpensOn, cycle.Deadline }, tx, ct));
        var standardIds = (await conn.QueryAsync<(string Code, int Id)>(Sql(
            "select code, id from framework_standard where partnership_id = @p and framework_id = @frameworkId", new { p, frameworkId }, tx, ct))).ToDictionary(r => r.Code, r => r.Id);
        var subs = cycle.Submissions;
        var submissionIds = (await conn.QueryAsync<(long Id, int AgencyId)>(Sql("""
            insert into cycle_agency (partnership_id, cycle_id, agency_id) select @p, @cycleId, unnest(@Agencies);
            insert into self_assessment (partnership_id, cycle_id, framework_id, agency_id, version, status, source, sign_off_name, sign_off_role, signed_off_on, submitted_at, updated_at)
            select @p, @cycleId, @frameworkId, ag, 1, case when at is null then 'draft' else 'submitted' end, 'demo',
                   case when at is null then null else n end, case when at is null then null else r end, at::date, at, coalesce(at, @Opens)
            from unnest(@Agencies, @Names, @Roles, @At) as t(ag, n, r, at)
            returning id, agency_id;
            """, new
        {
            p, cycleId, frameworkId, Opens = cycle.OpensOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            Agencies = subs.Select(s => agencyIds[s.AgencyKey]).ToArray(), Names = subs.Select(s => s.SignOffName).ToArray(),
            Roles = subs.Select(s => s.SignOffRole).ToArray(), At = subs.Select(s => s.SubmittedAt?.UtcDateTime).ToArray(),
        }, tx, ct))).ToDictionary(r => r.AgencyId, r => r.Id);
        var ratings = subs.SelectMany(s => s.Ratings.Select(r => (Submission: submissionIds[agencyIds[s.AgencyKey]], Standard: standardIds[r.StandardCode], R: r, Submitted: s.SubmittedAt is not null))).ToList();
        var moderations = ratings.Where(r => r.Submitted && r.R.Moderated is not null).ToList();
        await conn.ExecuteAsync(Sql("""
            insert into self_assessment_rating (partnership_id, submission_id, framework_id, standard_id, rating, evidence, actions)
            select @p, s, @frameworkId, st, r, e, a from unnest(@Subs, @Standards, @Ratings, @Evidence, @Actions) as t(s, st, r, e, a);
            insert into self_assessment_moderation (partnership_id, submission_id, standard_id, outcome, moderated_rating, reason, moderated_at)
            select @p, s, st, case when m is null then 'agree' else 'moderated' end, m, reason, @ModeratedAt
            from unnest(@ModSubs, @ModStandards, @ModRatings, @Reasons) as t(s, st, m, reason);
            """, new
        {
            p, frameworkId, ModeratedAt = cycle.Deadline.AddDays(30).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
            Subs = ratings.Select(r => r.Submission).ToArray(), Standards = ratings.Select(r => r.Standard).ToArray(),
            Ratings = ratings.Select(r => r.R.Self.ToDb()).ToArray(), Evidence = ratings.Select(r => r.R.Evidence).ToArray(), Actions = ratings.Select(r => r.R.Actions).ToArray(),
            ModSubs = moderations.Select(r => r.Submission).ToArray(), ModStandards = moderations.Select(r => r.Standard).ToArray(),
            ModRatings = moderations.Select(r => r.R.Moderated == r.R.Self ? null : r.R.Moderated!.Value.ToDb()).ToArray(),
            Reasons = moderations.Select(r => r.R.Moderated == r.R.Self ? "" : r.R.ModerationReason).ToArray(),
        }, tx, ct));
    }
}
