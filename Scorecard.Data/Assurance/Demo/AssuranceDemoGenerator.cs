using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Demo;

namespace Scorecard.Data.Assurance.Demo;

/// <summary>
/// Deterministic demo audits and self-assessments for the demo partnership (issue 11, Demo data): six multi-agency case
/// audits 2023–2025 and two planned ones, single-agency audit summaries from the statutory partners for the last eight
/// quarters, Section 11 cycles 2023 and 2025, Section 175/157 cycles 2024/25 and 2025/26 for every school and college,
/// and one "true for us" exercise. Randomness comes only from <see cref="Random"/> seeded with the given seed.
/// The plants are in <see cref="AssurancePlants"/>.
/// </summary>
public static class AssuranceDemoGenerator
{
    public const string OptimisticAgency = "east-cheshire-trust";
    public const string ListeningStandard = "S11-3";
    public const string WorseningStandard = "S11-9";

    // The three statutory safeguarding partners: the council, the police and the integrated care board (which replaced
    // the two clinical commissioning groups in July 2022).
    private static readonly string[] StatutoryPartners = ["council", "police", "icb-cm"];
    private static readonly string[] CaseAgencies =
        ["council", "police", "icb-cm", "mid-cheshire-hospitals", "east-cheshire-trust", "cwp", "wirral-community", "gp-practices", "youth-justice", "vcs"];

    private static readonly string[] CommonQuestions =
    [
        "Was the child seen, and were their wishes and feelings recorded?",
        "Was information shared between agencies in time to make a difference?",
        "Was the assessment of risk and need analytical, and did it lead to a plan?",
        "Did the plan make a difference to the child's daily life?",
    ];

    private sealed record Theme(string Title, AuditType Type, string Text, string Priority, string Lead, string Person, string Prefix, int Year, int Quarter, string Question);

    private static readonly Theme[] Themes =
    [
        new("Neglect: recognising cumulative harm", AuditType.MultiAgencyCase, "Children living with long-term neglect and whether agencies recognised cumulative harm.", "P2", "council", "Head of Safeguarding", "NEG", 2023, 2,
            "Did practitioners use the neglect screening tool and act on what it showed?"),
        new("Child exploitation: risk outside the home", AuditType.MultiAgencyCase, "Children at risk of criminal and sexual exploitation, missing episodes and return home interviews.", "P1", "police", "Detective Inspector, Public Protection", "CE", 2023, 4,
            "Were return home interviews completed and the learning used in the plan?"),
        new("Domestic abuse: the child's experience", AuditType.ThematicDeepDive, "Children living with domestic abuse and whether their experience shaped the response.", "P3", "icb-cm", "Designated Nurse", "DA", 2024, 1,
            "Was the impact of domestic abuse on the child assessed, not only the risk to the adult?"),
        new("The child's voice in plans", AuditType.MultiAgencyCase, "Whether children's plans are written with them and reflect what they said.", "P2", "council", "Principal Social Worker", "VOI", 2024, 3,
            "Does the plan say, in the child's words, what they want to change?"),
        new("Early help: the right help at the right time", AuditType.MultiAgencyCase, "Families supported through early help and whether step-up and step-down decisions were timely.", "P2", "icb-cm", "Early Help Lead", "EH", 2025, 1,
            "Was the early help assessment completed with the family and reviewed?"),
        new("Children with a child protection plan", AuditType.MultiAgencyCase, "Children subject to a child protection plan: core group working and progress against the plan.", "P4", "council", "Safeguarding Partnership Business Manager", "CP", 2025, 2,
            "Did core groups meet as planned and hold each agency to its actions?"),
    ];

    /// <summary>Generates the assurance demo for <paramref name="demo"/>'s agencies.</summary>
    public static AssuranceDemo Generate(DemoPartnership demo, int seed = DemoGenerator.DefaultSeed)
    {
        var random = new Random(seed ^ 0x11A5);
        var audits = Themes.Select((t, i) => Audit(t, i, new Random(random.Next()))).ToList();
        audits.Add(Planned("Harmful sexual behaviour in schools", "P1", 2025, 4));
        audits.Add(Planned("Babies under one: bruising and safe sleep", "P3", 2026, 1));

        var summaries = Summaries(demo, new Random(random.Next()));
        var nonSchools = demo.Agencies.Where(a => a.Sector != "education").Select(a => a.Key).ToList();
        var schools = demo.Agencies.Where(a => a.Sector == "education").Select(a => a.Key).ToList();
        var cycles = new List<DemoCycle>
        {
            Section11("Section 11 2023", new DateOnly(2023, 9, 1), new DateOnly(2023, 11, 30), nonSchools, later: false, new Random(random.Next())),
            Section11("Section 11 2025", new DateOnly(2025, 9, 1), new DateOnly(2025, 11, 28), nonSchools, later: true, new Random(random.Next())),
            Section175("Section 175/157 2024/25", new DateOnly(2024, 9, 2), new DateOnly(2024, 12, 13), schools, 0.06, 0.02, moderate: false, new Random(random.Next())),
            Section175("Section 175/157 2025/26", new DateOnly(2025, 9, 1), new DateOnly(2025, 12, 12), schools, 0.09, 0.03, moderate: true, new Random(random.Next())),
            TrueForUs(new Random(random.Next())),
        };
        return new AssuranceDemo(audits, summaries, cycles, new AssurancePlants(
            ListeningStandard, OptimisticAgency, WorseningStandard,
            cycles[0].Name, cycles[1].Name, cycles[2].Name, cycles[3].Name, cycles[4].Name));
    }

    // ------------------------------------------------------------------ multi-agency audits

    private static DemoAudit Audit(Theme t, int index, Random random)
    {
        var questions = CommonQuestions.Append(t.Question).ToList();
        var fieldworkStart = new DateOnly(t.Year, 4, 1).AddMonths(3 * (t.Quarter - 1) + 1);
        var status = index switch { < 3 => AuditStatus.Closed, < 5 => AuditStatus.Reported, _ => AuditStatus.Moderation };
        // 4 to 8 agencies grade in each audit; the optimistic agency is always one of them.
        var agencies = CaseAgencies.Where(a => a != OptimisticAgency).OrderBy(_ => random.Next()).Take(3 + random.Next(5)).Append(OptimisticAgency).ToList();
        var caseCount = 8 + random.Next(5);
        var cases = Enumerable.Range(1, caseCount).Select(n => Case($"{t.Prefix}{t.Year % 100:00}-{n:00}", agencies, questions.Count, random)).ToList();
        var findings = new List<DemoFinding>
        {
            new(FindingType.Strength, "Practitioners knew the children well and relationships with families were warm and persistent.", agencies.Take(2).ToList(), [1]),
            new(FindingType.AreaForDevelopment, "The child's lived experience was described in fewer than half of the cases; records spoke about children rather than with them.", agencies.ToList(), [1, 4]),
            new(FindingType.Recommendation, $"Each agency to review how its recording templates capture the child's own words, and report back to the QA subgroup within two quarters.", agencies.ToList(), [1]),
            new(FindingType.AreaForDevelopment, "Information held by one agency was not always shared in time for the strategy discussion or core group.", agencies.Skip(1).Take(3).ToList(), [2, 3]),
        };
        return new DemoAudit(t.Title, t.Type, t.Text, t.Priority, t.Lead, t.Person, t.Year, t.Quarter,
            fieldworkStart, fieldworkStart.AddDays(27), fieldworkStart.AddMonths(2), status, questions, cases, findings);
    }

    private static DemoAuditCase Case(string reference, IReadOnlyList<string> auditAgencies, int questions, Random random)
    {
        // Each case involves the optimistic agency and two to all of the others.
        var involved = auditAgencies.Where(a => a != OptimisticAgency).OrderBy(_ => random.Next())
            .Take(2 + random.Next(Math.Max(1, auditAgencies.Count - 2))).Append(OptimisticAgency).ToList();
        // The panel's view of the case; never outstanding, so the optimistic agency can always be one above it.
        var moderated = Pick(random, (Grade.Good, 35), (Grade.RequiresImprovement, 45), (Grade.Inadequate, 20));
        // The panel finds the child's voice evident in well under half of cases.
        var voice = Pick(random, (YesPartlyNo.Yes, 38), (YesPartlyNo.Partly, 37), (YesPartlyNo.No, 25));
        var gradings = involved.Select(agency =>
        {
            var overall = agency == OptimisticAgency
                ? Step(moderated, -1)
                : random.NextDouble() switch { < 0.70 => moderated, < 0.85 => Step(moderated, -1), _ => Step(moderated, 1) };
            var agencyVoice = voice == YesPartlyNo.Yes || random.NextDouble() < 0.4 ? YesPartlyNo.Yes : voice;
            var perQuestion = Enumerable.Range(0, questions).Select(_ => random.NextDouble() < 0.75 ? overall : Step(overall, random.Next(2) == 0 ? -1 : 1)).ToList();
            return new DemoGrading(agency, overall, agencyVoice, perQuestion,
                "Good engagement with the family; the practitioner persisted when the family was hard to reach.",
                "Record the child's own words and how they shaped the plan.");
        }).ToList();
        return new DemoAuditCase(reference, gradings, moderated, voice, "Panel moderation meeting");
    }

    private static DemoAudit Planned(string title, string priority, int year, int quarter) =>
        new(title, AuditType.MultiAgencyCase, title, priority, "council", "Safeguarding Partnership Business Manager", year, quarter, null, null, null, AuditStatus.Planned,
            [.. CommonQuestions], [], []);

    /// <summary>One step better (negative) or worse (positive) on the four-point scale, held within it.</summary>
    private static Grade Step(Grade grade, int by) => (Grade)Math.Clamp((int)grade + by, (int)Grade.Outstanding, (int)Grade.Inadequate);

    private static T Pick<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
                return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }

    // ------------------------------------------------------------------ single-agency audit summaries

    private static readonly string[] SummaryTopics =
        ["Quality of supervision records", "Child protection medicals", "Domestic abuse referrals", "Missing from home episodes", "Strategy discussions", "Safeguarding in maternity", "Voice of the child in assessments", "Early help step-down"];

    private static IReadOnlyList<DemoAuditSummary> Summaries(DemoPartnership demo, Random random)
    {
        var last = demo.Periods.TakeLast(8).ToList();
        var list = new List<DemoAuditSummary>();
        foreach (var agency in StatutoryPartners)
        {
            foreach (var (period, i) in last.Select((p, i) => (p, i)))
            {
                var cases = 10 + random.Next(21);
                var o = random.Next(cases / 8 + 1);
                var g = random.Next((cases - o) / 2 + 1);
                var ri = random.Next(cases - o - g + 1);
                var yes = random.Next(cases / 2 + 1);
                var partly = random.Next(cases - yes + 1);
                list.Add(new DemoAuditSummary(agency, period.FiscalYear, period.Quarter, SummaryTopics[(i + Array.IndexOf(StatutoryPartners, agency)) % SummaryTopics.Length],
                    o, g, ri, cases - o - g - ri, yes, partly, cases - yes - partly,
                    ["Managers' oversight was recorded in most cases.", "Chronologies were out of date in a minority of cases."],
                    new DateTimeOffset(period.Due.ToDateTime(TimeOnly.MinValue).AddDays(-random.Next(10)), TimeSpan.Zero)));
            }
        }
        return list;
    }

    // ------------------------------------------------------------------ self-assessment cycles

    private static readonly string[] LeadNames = ["J. Okafor", "R. Hughes", "S. Patel", "L. Davies", "M. Byrne", "A. Nowak", "K. Evans", "T. Ahmed"];

    private static DemoCycle Section11(string name, DateOnly opens, DateOnly deadline, IReadOnlyList<string> agencies, bool later, Random random)
    {
        var framework = BuiltInFrameworks.Get(BuiltInFrameworks.Section11);
        var submissions = new List<DemoSubmission>();
        foreach (var agency in agencies)
        {
            var late = random.NextDouble() < 0.15;
            var missing = later && agency is "hmpyoi-styal";
            var ratings = framework.Standards.Select(s =>
            {
                var self = s.Code switch
                {
                    // Plant: a culture of listening to children, rated met by most agencies in both cycles.
                    ListeningStandard => random.NextDouble() < 0.9 ? Rating.Met : Rating.PartlyMet,
                    // Plant: supervision, support and training, mostly met in 2023, mostly not in 2025.
                    WorseningStandard when later => random.NextDouble() < 0.15 ? Rating.Met : random.NextDouble() < 0.6 ? Rating.PartlyMet : Rating.NotMet,
                    WorseningStandard => random.NextDouble() < 0.8 ? Rating.Met : Rating.PartlyMet,
                    _ => Pick(random, (Rating.Met, 60), (Rating.PartlyMet, 32), (Rating.NotMet, 8)),
                };
                // The optimistic agency rates itself a step above what the moderator finds; others are mostly agreed.
                Rating? moderated = agency == OptimisticAgency
                    ? (self == Rating.NotMet ? Rating.NotMet : (Rating)((int)self + 1))
                    : random.NextDouble() < 0.5 ? (random.NextDouble() < 0.8 ? self : (Rating)Math.Min((int)self + 1, (int)Rating.NotMet)) : null;
                var reason = moderated is { } m && m != self ? "The evidence supplied does not show this is in place across the whole organisation." : "";
                return new DemoRating(s.Code, self, $"{s.EvidenceExpected.Split(';')[0]}: in place and reviewed.", self == Rating.Met ? "" : "Action plan agreed at the safeguarding committee.", moderated, reason);
            }).ToList();
            submissions.Add(new DemoSubmission(agency,
                missing ? null : new DateTimeOffset(deadline.ToDateTime(new TimeOnly(12, 0)).AddDays(late ? 3 + random.Next(20) : -random.Next(40)), TimeSpan.Zero),
                LeadNames[random.Next(LeadNames.Length)], "Executive lead for safeguarding", ratings));
        }
        return new DemoCycle(BuiltInFrameworks.Section11, name, opens, deadline, submissions);
    }

    private static DemoCycle Section175(string name, DateOnly opens, DateOnly deadline, IReadOnlyList<string> schools, double lateShare, double missingShare, bool moderate, Random random)
    {
        var framework = BuiltInFrameworks.Get(BuiltInFrameworks.Section175157);
        var submissions = new List<DemoSubmission>();
        foreach (var school in schools)
        {
            var roll = random.NextDouble();
            var missing = roll < missingShare;
            var late = !missing && roll < missingShare + lateShare;
            var moderated = moderate && random.NextDouble() < 0.12;
            var ratings = framework.Standards.Select(s =>
            {
                var self = Pick(random, (Rating.Met, s.Code is "E5" or "E9" ? 55 : 80), (Rating.PartlyMet, 17), (Rating.NotMet, 3));
                Rating? mod = moderated ? (random.NextDouble() < 0.8 ? self : (Rating)Math.Min((int)self + 1, (int)Rating.NotMet)) : null;
                return new DemoRating(s.Code, self, "See the school's safeguarding file.", self == Rating.Met ? "" : "On the school improvement plan.", mod,
                    mod is { } m && m != self ? "Not evidenced at the moderation visit." : "");
            }).ToList();
            submissions.Add(new DemoSubmission(school,
                missing ? null : new DateTimeOffset(deadline.ToDateTime(new TimeOnly(15, 0)).AddDays(late ? 1 + random.Next(30) : -random.Next(60)), TimeSpan.Zero),
                LeadNames[random.Next(LeadNames.Length)], "Designated Safeguarding Lead", ratings));
        }
        return new DemoCycle(BuiltInFrameworks.Section175157, name, opens, deadline, submissions);
    }

    private static DemoCycle TrueForUs(Random random)
    {
        var framework = BuiltInFrameworks.Get(BuiltInFrameworks.TrueForUs);
        string[] agencies = ["council", "police", "icb-cm", "mid-cheshire-hospitals", "east-cheshire-trust", "cwp", "nwas"];
        var deadline = new DateOnly(2025, 3, 31);
        var submissions = agencies.Select(agency => new DemoSubmission(agency,
            new DateTimeOffset(deadline.ToDateTime(new TimeOnly(10, 0)).AddDays(-random.Next(30)), TimeSpan.Zero),
            LeadNames[random.Next(LeadNames.Length)], "Named safeguarding lead",
            framework.Standards.Select(s =>
            {
                var self = Pick(random, (Rating.Met, 45), (Rating.PartlyMet, 45), (Rating.NotMet, 10));
                return new DemoRating(s.Code, self, "Discussed at the agency's safeguarding committee.", self == Rating.Met ? "" : "Briefing to all staff this quarter.",
                    random.NextDouble() < 0.5 ? self : null, "");
            }).ToList())).ToList();
        return new DemoCycle(BuiltInFrameworks.TrueForUs, "True for us 2024/25: national review themes", new DateOnly(2025, 2, 1), deadline, submissions);
    }
}
