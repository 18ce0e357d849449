using System.Text;

namespace Scorecard.Data.Demo;

/// <summary>
/// Builds the demo data of the Cheshire East Safeguarding Children Partnership (CESCP): its agencies (the
/// statutory partners, the relevant agencies and every school and college of Appendix 1 of the published
/// arrangements), its four priorities, a catalogue of scorecard measures, 22 quarters of returns from
/// 2020/21 Q1 to 2025/26 Q2, demo sign-ins, and a handful of deliberately planted signals (see
/// <see cref="DemoSignals"/>) for the statistical process control charts to find.
/// </summary>
/// <remarks>
/// The generator is pure: it touches no database, clock or file, and the same seed always gives the same
/// records. Randomness comes only from <see cref="Random"/> seeded with the given seed; every
/// measure draws from its own generator, seeded in catalogue order from the master one.
/// Values are invented for demonstration. Benchmarks are rounded approximations of the published
/// national figures and must not be quoted as official statistics.
/// </remarks>
public static class DemoGenerator
{
    /// <summary>The seed used when none is given: 29 June 2019, when the new arrangements began.</summary>
    public const int DefaultSeed = 20190629;

    /// <summary>The logical name of the embedded list of Appendix 1 schools and colleges (<c>Phase&lt;TAB&gt;Name</c> lines).</summary>
    public const string EducationResourceName = "Scorecard.Data.Demo.education-agencies.txt";

    private const int FirstFiscalYear = 2020;
    private const int QuarterCount = 22;

    // The planted signals. Indexes are positions in the 22-quarter list: 13 = 2023/24 Q2, 17 = 2024/25 Q2,
    // 18 = 2024/25 Q3, 21 = 2025/26 Q2.
    private const string ShiftCode = "CSC-REREF";
    private const int ShiftStart = 13;
    private const string TrendCode = "CSC-CFA45";
    private const int TrendStart = 14;
    private const string OutlierCode = "CSC-CP-VISITS";
    private const int OutlierIndex = 17;
    private const string NeverMetCode = "HLT-IHA20";
    private const string LateAgency = "mid-cheshire-hospitals";
    private const int LateFrom = 18;
    private const int MissingFrom = 21;

    private const double SchoolMissingShare = 0.03;
    private const double LateShare = 0.05;
    private const int MaxAttempts = 1000;

    // Units, polarities and sectors as spelt in the schema.
    private const string Percent = "percent";
    private const string RatePer10k = "rate_per_10k";
    private const string Count = "count";
    private const string Days = "days";
    private const string Score = "score";
    private const string Higher = "higher_is_better";
    private const string Lower = "lower_is_better";
    private const string Neutral = "neutral";

    /// <summary>Generates the whole demo partnership.</summary>
    /// <param name="seed">Seeds every random choice; the same seed always gives identical records.</param>
    /// <returns>The partnership with its agencies, priorities, measures, periods, returns, values, users and planted signals.</returns>
    public static DemoPartnership Generate(int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var schools = AppendixSchools();
        var agencies = Agencies(schools);
        var periods = Periods();
        var specs = Catalogue(schools);
        var missing = MissingReturns(schools, random);

        var values = new List<DemoValue>();
        foreach (var spec in specs)
        {
            values.AddRange(MeasureValues(spec, periods, missing, new Random(random.Next())));
        }

        var returns = Returns(agencies, periods, values, new Random(random.Next()));
        var measures = specs.Select((spec, i) => spec.ToMeasure(sortOrder: (i + 1) * 10)).ToList();

        return new DemoPartnership(
            Code: "cescp",
            Name: "Cheshire East Safeguarding Children Partnership",
            ShortName: "CESCP",
            Agencies: agencies,
            Priorities: Priorities(),
            Measures: measures,
            Periods: periods,
            Returns: returns,
            Values: values,
            Users: Users(),
            Signals: new DemoSignals(
                ShiftMeasureCode: ShiftCode, ShiftStartsAtIndex: ShiftStart,
                TrendMeasureCode: TrendCode, TrendStartsAtIndex: TrendStart,
                OutlierMeasureCode: OutlierCode, OutlierIndex: OutlierIndex,
                NeverMetMeasureCode: NeverMetCode,
                LateAgencyKey: LateAgency, LateFromIndex: LateFrom, MissingFromIndex: MissingFrom));
    }

    // ------------------------------------------------------------------ agencies

    private sealed record School(string Key, string Phase, string Name);

    private static IReadOnlyList<DemoAgency> Agencies(IReadOnlyList<School> schools)
    {
        const string Statutory = "statutory", Relevant = "relevant";
        List<DemoAgency> agencies =
        [
            new("council", "Cheshire East Council", "CEC", "council", Statutory),
            new("police", "Cheshire Constabulary", "Cheshire Police", "police", Statutory),
            new("ccg-eastern", "NHS Eastern Cheshire Clinical Commissioning Group", "Eastern Cheshire CCG", "health", Statutory),
            new("ccg-south", "NHS South Cheshire Clinical Commissioning Group", "South Cheshire CCG", "health", Statutory),

            new("nhs-england-cm", "NHS England Cheshire and Merseyside", "NHSE C&M", "health", Relevant),
            new("nwas", "North West Ambulance Service NHS Trust", "NWAS", "health", Relevant),
            new("mid-cheshire-hospitals", "Mid Cheshire Hospitals NHS Foundation Trust", "Mid Cheshire Hospitals", "health", Relevant),
            new("east-cheshire-trust", "East Cheshire NHS Trust", "East Cheshire Trust", "health", Relevant),
            new("cwp", "Cheshire and Wirral Partnership NHS Foundation Trust", "CWP", "health", Relevant),
            new("wirral-community", "Wirral Community NHS Trust", "Wirral Community 0-19", "health", Relevant),
            new("gp-practices", "Primary Care – GP Practices", "GP Practices", "health", Relevant),

            new("cafcass", "CAFCASS Cheshire", "Cafcass", "justice", Relevant),
            new("probation", "National Probation Service (Cheshire)", "Probation", "justice", Relevant),
            new("crc", "Community Rehabilitation Company (Cheshire)", "CRC", "justice", Relevant),
            new("youth-justice", "Youth Justice Service", "YJS", "justice", Relevant),
            new("btp", "British Transport Police", "BTP", "police", Relevant),
            new("hmpyoi-styal", "HMPYOI Styal", "HMP/YOI Styal", "justice", Relevant),

            new("fire", "Cheshire Fire and Rescue Service", "Cheshire Fire", "other", Relevant),
            new("vcs", "Cheshire East Voluntary and Community Sector", "VCS", "voluntary", Relevant),
            new("young-addaction", "Young Addaction Cheshire East", "Young Addaction", "voluntary", Relevant),
            new("housing-providers", "Cheshire East Housing Providers", "Housing Providers", "other", Relevant),
        ];

        agencies.AddRange(schools.Select(s => new DemoAgency(s.Key, s.Name, SchoolShortName(s.Name), "education", Relevant)));
        return agencies;
    }

    /// <summary>Reads Appendix 1, dropping repeated names (case-insensitively) and refusing clashing keys.</summary>
    private static IReadOnlyList<School> AppendixSchools()
    {
        using var stream = typeof(DemoGenerator).Assembly.GetManifestResourceStream(EducationResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {EducationResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var schools = new List<School>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != 2)
            {
                throw new InvalidOperationException($"{EducationResourceName}: expected Phase<TAB>Name but read '{line}'.");
            }

            var name = parts[1].Trim();
            if (!names.Add(name))
            {
                continue;
            }

            var key = Slug(name);
            if (!keys.Add(key))
            {
                throw new InvalidOperationException($"{EducationResourceName}: '{name}' gives the key '{key}' of another school.");
            }

            schools.Add(new School(key, parts[0].Trim(), name));
        }

        return schools;
    }

    /// <summary>A lowercase slug: "St Mary's Catholic Primary School, Crewe" → "st-marys-catholic-primary-school-crewe".</summary>
    private static string Slug(string name)
    {
        var text = name.ToLowerInvariant().Replace("&", " and ").Replace("'", "").Replace("’", "");
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }

    private static readonly (string From, string To)[] ShortNameRules =
    [
        ("Church of England", "CofE"),
        ("C of E", "CofE"),
        ("Catholic and CofE", "RC & CofE"),
        (", A Voluntary Academy", ""),
        (" and Nursery", ""),
        (" and Sixth Form College", ""),
        ("Primary School", "Primary"),
        ("High School", "High"),
        ("Comprehensive School", "Comprehensive"),
    ];

    /// <summary>Shortens a school's name for tables: common words abbreviated, then cut at a word boundary within 40 characters.</summary>
    private static string SchoolShortName(string name)
    {
        var shortName = ShortNameRules.Aggregate(name, (text, rule) => text.Replace(rule.From, rule.To, StringComparison.Ordinal));
        while (shortName.Length > 40)
        {
            shortName = shortName[..shortName.LastIndexOf(' ')].TrimEnd(',', ' ');
        }

        return shortName;
    }

    // ------------------------------------------------------------------ priorities and users

    private static IReadOnlyList<DemoPriority> Priorities() =>
    [
        new("P1", "Contextual safeguarding",
            "Our approach to Contextual Safeguarding: responding to the risks children meet outside the family home, "
            + "including child exploitation, going missing and harmful practice, aligned with the Pan-Cheshire work on "
            + "child exploitation and taking an all age approach where feasible.", 10),
        new("P2", "Child in need planning",
            "Improving the quality and effectiveness of child in need planning for children: finding solutions at the "
            + "earliest point, at the right level of the continuum of need, with timely assessment and planning.", 20),
        new("P3", "Emotional health and wellbeing",
            "Emotional Health and Wellbeing of our vulnerable children: so that every child enjoys a healthy and happy "
            + "childhood and grows up feeling safe from abuse or neglect.", 30),
        new("P4", "Embedding the new arrangements",
            "Embedding the New Arrangements: the three safeguarding partners working together with the relevant agencies "
            + "as required by Working Together 2018, holding each other to account through the scorecard, multi-agency "
            + "audit, Section 11 and Section 175/157 returns and multi-agency training.", 40),
    ];

    private static IReadOnlyList<DemoUser> Users() =>
    [
        new("admin@cescp.example", "Alex Admin", "admin", null, "Demo-admin-2026!"),
        new("qa@cescp.example", "Quinn QA", "qa_member", null, "Demo-qa-2026!"),
        new("exec@cescp.example", "Evelyn Executive", "executive", null, "Demo-exec-2026!"),
        new("police@cescp.example", "Pat Police", "agency_user", "police", "Demo-police-2026!"),
        new("school@cescp.example", "Sam School", "agency_user", "sandbach-high-school-and-sixth-form-college", "Demo-school-2026!"),
    ];

    // ------------------------------------------------------------------ periods

    /// <summary>2020/21 Q1 to 2025/26 Q2; a return is due on the 20th working day after the quarter ends.</summary>
    private static IReadOnlyList<DemoPeriod> Periods() =>
        Enumerable.Range(0, QuarterCount).Select(index =>
        {
            var (fiscalYear, quarter) = (FirstFiscalYear + index / 4, index % 4 + 1);
            var start = new DateOnly(fiscalYear, 4, 1).AddMonths(3 * (quarter - 1));
            var end = start.AddMonths(3).AddDays(-1);
            return new DemoPeriod(fiscalYear, quarter, start, end, AddWorkingDays(end, 20));
        }).ToList();

    private static int IndexOf(int fiscalYear, int quarter) => (fiscalYear - FirstFiscalYear) * 4 + quarter - 1;

    /// <summary>England and Wales bank holidays (gov.uk) for the years the due dates fall in.</summary>
    private static readonly HashSet<DateOnly> BankHolidays =
    [
        new(2020, 1, 1), new(2020, 4, 10), new(2020, 4, 13), new(2020, 5, 8), new(2020, 5, 25), new(2020, 8, 31), new(2020, 12, 25), new(2020, 12, 28),
        new(2021, 1, 1), new(2021, 4, 2), new(2021, 4, 5), new(2021, 5, 3), new(2021, 5, 31), new(2021, 8, 30), new(2021, 12, 27), new(2021, 12, 28),
        new(2022, 1, 3), new(2022, 4, 15), new(2022, 4, 18), new(2022, 5, 2), new(2022, 6, 2), new(2022, 6, 3), new(2022, 8, 29), new(2022, 9, 19), new(2022, 12, 26), new(2022, 12, 27),
        new(2023, 1, 2), new(2023, 4, 7), new(2023, 4, 10), new(2023, 5, 1), new(2023, 5, 8), new(2023, 5, 29), new(2023, 8, 28), new(2023, 12, 25), new(2023, 12, 26),
        new(2024, 1, 1), new(2024, 3, 29), new(2024, 4, 1), new(2024, 5, 6), new(2024, 5, 27), new(2024, 8, 26), new(2024, 12, 25), new(2024, 12, 26),
        new(2025, 1, 1), new(2025, 4, 18), new(2025, 4, 21), new(2025, 5, 5), new(2025, 5, 26), new(2025, 8, 25), new(2025, 12, 25), new(2025, 12, 26),
    ];

    private static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !BankHolidays.Contains(day);

    /// <summary>Moves <paramref name="days"/> working days forward (or back, when negative) from <paramref name="from"/>.</summary>
    private static DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var step = Math.Sign(days);
        var day = from;
        for (var left = Math.Abs(days); left > 0;)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
            {
                left--;
            }
        }

        return day;
    }

    // ------------------------------------------------------------------ returns

    /// <summary>The (agency, quarter index) pairs with no return: about 3% of school quarters, and the late agency's latest quarters.</summary>
    private static HashSet<(string Agency, int Index)> MissingReturns(IReadOnlyList<School> schools, Random random)
    {
        var missing = new HashSet<(string, int)>();
        foreach (var school in schools)
        {
            for (var index = 0; index < QuarterCount; index++)
            {
                if (random.NextDouble() < SchoolMissingShare)
                {
                    missing.Add((school.Key, index));
                }
            }
        }

        for (var index = MissingFrom; index < QuarterCount; index++)
        {
            missing.Add((LateAgency, index));
        }

        return missing;
    }

    /// <summary>One return per agency per quarter in which it sent values, in quarter then agency order.</summary>
    private static IReadOnlyList<DemoReturn> Returns(
        IReadOnlyList<DemoAgency> agencies, IReadOnlyList<DemoPeriod> periods, IReadOnlyList<DemoValue> values, Random random)
    {
        var sent = values.Select(v => (v.AgencyKey, IndexOf(v.FiscalYear, v.Quarter))).ToHashSet();
        var returns = new List<DemoReturn>();
        for (var index = 0; index < periods.Count; index++)
        {
            var period = periods[index];
            foreach (var agency in agencies.Where(a => sent.Contains((a.Key, index))))
            {
                returns.Add(new DemoReturn(agency.Key, period.FiscalYear, period.Quarter, SubmittedAt(agency.Key, index, period.Due, random)));
            }
        }

        return returns;
    }

    /// <summary>Mostly a few working days before the due date, about 5% a day or two late, and the late agency well after it.</summary>
    private static DateTimeOffset SubmittedAt(string agencyKey, int index, DateOnly due, Random random)
    {
        DateOnly day;
        if (agencyKey == LateAgency && index >= LateFrom)
        {
            day = AddWorkingDays(due, random.Next(3, 11));
        }
        else if (agencyKey != LateAgency && random.NextDouble() < LateShare)
        {
            day = AddWorkingDays(due, random.Next(1, 3));
        }
        else
        {
            day = AddWorkingDays(due, -random.Next(1, 8));
        }

        var minuteOfDay = random.Next(8 * 60 + 30, 17 * 60 + 30);
        return UkTime(day, new TimeOnly(minuteOfDay / 60, minuteOfDay % 60));
    }

    /// <summary>UK civil time: British Summer Time (+01:00) from the last Sunday in March to the last Sunday in October.</summary>
    private static DateTimeOffset UkTime(DateOnly day, TimeOnly time)
    {
        static DateOnly LastSunday(int year, int month)
        {
            var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            return last.AddDays(-(int)last.DayOfWeek);
        }

        var summer = day > LastSunday(day.Year, 3) && day < LastSunday(day.Year, 10);
        return new DateTimeOffset(day.ToDateTime(time), summer ? TimeSpan.FromHours(1) : TimeSpan.Zero);
    }

    // ------------------------------------------------------------------ the measure catalogue

    /// <summary>How a measure's demo values move over the 22 quarters.</summary>
    private enum Signal { CommonCause, Shift, Trend, Outlier, NeverMet }

    /// <summary>How a ratio measure's denominator varies from quarter to quarter.</summary>
    private enum Sizing
    {
        /// <summary>Activity in the quarter (referrals, assessments): about ±6%.</summary>
        Flow,
        /// <summary>A population estimate: fixed within a financial year, growing slowly.</summary>
        Population,
        /// <summary>Staff in post: about ±2%.</summary>
        Workforce,
        /// <summary>A fixed number, such as the schools and colleges of Appendix 1.</summary>
        Fixed,
        /// <summary>A school's designated safeguarding lead and deputies: a handful, sometimes one more.</summary>
        SchoolDsl,
        /// <summary>Possible sessions (half days) for a school's pupils on a plan: pupils × sessions in the quarter's term time.</summary>
        SchoolSessions,
    }

    /// <summary>An agency that reports a measure: its typical denominator per quarter (ratio measures) and its usual level.</summary>
    private sealed record Reporter(string Key, double Size, double Level);

    /// <summary>A commentary sentence one agency attached to one quarter's value.</summary>
    private sealed record QuarterNote(string Agency, int Index, string Text);

    /// <summary>A measure's definition plus the recipe for its demo values.</summary>
    private sealed class Spec
    {
        public required string Code { get; init; }
        public required string Title { get; init; }
        public required string Definition { get; init; }
        public required string Unit { get; init; }
        public string? Numerator { get; init; }
        public string? Denominator { get; init; }
        public required string Polarity { get; init; }
        public required string Priority { get; init; }
        public required string Owner { get; init; }
        public decimal? Target { get; init; }
        public decimal? Amber { get; init; }
        public decimal? England { get; init; }
        public decimal? Neighbour { get; init; }
        public string BenchmarkNote { get; init; } = "";

        /// <summary>False for measures that count staff, settings or audits rather than children (nobody to identify).</summary>
        public bool CountsPeople { get; init; } = true;

        /// <summary>Who reports it, with each reporter's size and level.</summary>
        public required IReadOnlyList<Reporter> Reporters { get; init; }

        /// <summary>Standard deviation of the quarter-to-quarter variation, in the measure's units.</summary>
        public required double Noise { get; init; }

        public Sizing Sizing { get; init; } = Sizing.Flow;
        public Signal Signal { get; init; } = Signal.CommonCause;

        /// <summary>Shift: the step; trend: the rise per quarter; outlier: the one-off jump (in the measure's units).</summary>
        public double SignalSize { get; init; }

        /// <summary>Every agency value is kept within these bounds (used for the measure whose target is never met).</summary>
        public (double Low, double High)? Bounds { get; init; }

        public IReadOnlyList<QuarterNote> Notes { get; init; } = [];

        /// <summary>Commentary an agency may give when its value falls below the threshold (about half the time).</summary>
        public (double Below, string[] Texts)? LowValueNotes { get; init; }

        public bool IsRatio => Unit is Percent or RatePer10k;
        public double Scale => Unit == Percent ? 100 : 10_000;
        public int DecimalPlaces => Unit is Count or Days ? 0 : 1;

        public DemoMeasure ToMeasure(int sortOrder) => new(
            Code, Title, Definition, Unit, Numerator, Denominator, Polarity, Priority, Owner,
            Target, Amber, DecimalPlaces, England, Neighbour, BenchmarkNote,
            Reporters.Select(r => r.Key).ToList(), sortOrder, CountsPeople);
    }

    private static Reporter[] Only(string key, double size, double level) => [new(key, size, level)];

    private static IReadOnlyList<Spec> Catalogue(IReadOnlyList<School> schools) =>
    [
        // ---- P1 Contextual safeguarding
        new()
        {
            Code = "CS-MISSING-RHI", Title = "Return home interviews offered within 72 hours",
            Definition = "Missing episodes of children that ended in the quarter where an independent return home interview was offered "
                + "within 72 hours of the child's return, as a percentage of all missing episodes that ended (DfE statutory guidance on "
                + "children who run away or go missing from home or care, 2014).",
            Unit = Percent, Numerator = "Episodes with a return home interview offered within 72 hours", Denominator = "Missing episodes ended",
            Polarity = Higher, Priority = "P1", Owner = "council", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", 230, 87.5), Noise = 1.8,
        },
        new()
        {
            Code = "CS-CE-SCREEN", Title = "Children at risk of exploitation screened within 10 working days",
            Definition = "Children referred in the quarter with concerns of child exploitation (criminal or sexual) for whom the Pan-Cheshire "
                + "child exploitation screening tool was completed within 10 working days, as a percentage of all such referrals.",
            Unit = Percent, Numerator = "Referrals screened within 10 working days", Denominator = "Referrals with child exploitation concerns",
            Polarity = Higher, Priority = "P1", Owner = "council", Target = 90m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", 64, 86), Noise = 2.5,
        },
        new()
        {
            Code = "CS-MACE-OPEN", Title = "Children open to the MACE panel",
            Definition = "Children open to the multi-agency child exploitation (MACE) panel at the end of the quarter. Context only: a rise can "
                + "mean better identification as well as more harm.",
            Unit = Count, Polarity = Neutral, Priority = "P1", Owner = "police",
            BenchmarkNote = "No benchmark: panel arrangements differ between areas.",
            Reporters = Only("police", 0, 44), Noise = 4.5,
        },
        new()
        {
            Code = "CS-NRM", Title = "National Referral Mechanism referrals for children",
            Definition = "Referrals of children to the National Referral Mechanism as potential victims of modern slavery or human trafficking "
                + "made in the quarter (Home Office NRM statistics definition). Each first responder reports its own referrals and the "
                + "partnership figure is their sum. Context only.",
            Unit = Count, Polarity = Neutral, Priority = "P1", Owner = "police",
            BenchmarkNote = "No local benchmark: Home Office statistics are published by police force area.",
            Reporters = [new("police", 0, 8), new("council", 0, 5), new("btp", 0, 1.5)], Noise = 2.2,
        },
        new()
        {
            Code = "YJ-FTE", Title = "First-time entrants to the youth justice system",
            Definition = "Children aged 10 to 17 resident in Cheshire East who received their first youth caution or court conviction in the 12 "
                + "months to the end of the quarter, per 10,000 children aged 10 to 17 (ONS mid-year estimate). The national measure is "
                + "published per 100,000: divide it by 10 to compare.",
            Unit = RatePer10k, Numerator = "First-time entrants aged 10-17 (rolling 12 months)", Denominator = "Population aged 10-17",
            Polarity = Lower, Priority = "P1", Owner = "youth-justice", Target = 12.0m, Amber = 1.5m, England = 14.6m, Neighbour = 12.8m,
            BenchmarkNote = "England year ending December 2023 (about 146 per 100,000), MoJ/YJB Youth Justice Statistics.",
            Reporters = Only("youth-justice", 36_900, 11.2), Noise = 0.9, Sizing = Sizing.Population,
        },
        new()
        {
            Code = "YJ-REOFF", Title = "Proven reoffending by children",
            Definition = "Children in the quarterly youth justice cohort (released from custody, or given a caution or a non-custodial sentence) "
                + "who committed a proven reoffence within 12 months, as a percentage of the cohort (MoJ proven reoffending definition).",
            Unit = Percent, Numerator = "Children who reoffended within 12 months", Denominator = "Children in the cohort",
            Polarity = Lower, Priority = "P1", Owner = "youth-justice", Target = 30m, Amber = 3m, England = 32.2m, Neighbour = 30.5m,
            BenchmarkNote = "England cohort April 2022 to March 2023, MoJ Proven reoffending statistics.",
            Reporters = Only("youth-justice", 26, 28), Noise = 2,
        },

        // ---- P2 Child in need planning
        new()
        {
            Code = "CSC-REFERRALS", Title = "Referrals to children's social care",
            Definition = "Referrals accepted by children's social care in the quarter (DfE children in need census: a request for services "
                + "to be provided by children's social care for a child not already in need). Context only.",
            Unit = Count, Polarity = Neutral, Priority = "P2", Owner = "council",
            BenchmarkNote = "England publishes a rate per 10,000 for the year, not a quarterly count.",
            Reporters = Only("council", 0, 1150), Noise = 55,
        },
        new()
        {
            Code = ShiftCode, Title = "Re-referrals within 12 months",
            Definition = "Referrals in the quarter that were within 12 months of a previous referral for the same child, as a percentage of "
                + "all referrals in the quarter (DfE children in need census definition).",
            Unit = Percent, Numerator = "Referrals within 12 months of a previous referral", Denominator = "Referrals in the quarter",
            Polarity = Lower, Priority = "P2", Owner = "council", Target = 20m, Amber = 3m, England = 22.4m, Neighbour = 20.9m,
            BenchmarkNote = "England 2023-24, DfE Children in need census; neighbours are the Cheshire East LAIT statistical neighbours.",
            Reporters = Only("council", 1150, 20.5), Noise = 0.7, Signal = Signal.Shift, SignalSize = 5.5,
            Notes =
            [
                new QuarterNote("council", ShiftStart, "Re-referrals rose after the front door moved to the new contact and referral model in July 2023; "
                    + "a multi-agency audit of repeat referrals has been commissioned."),
                new QuarterNote("council", ShiftStart + 2, "Audit found early help step-downs closing before plans were embedded; action plan agreed by the QA subgroup."),
            ],
        },
        new()
        {
            Code = TrendCode, Title = "Child and family assessments within 45 working days",
            Definition = "Child and family assessments completed in the quarter that were authorised within 45 working days of the referral "
                + "(Working Together 2018), as a percentage of all assessments completed.",
            Unit = Percent, Numerator = "Assessments completed within 45 working days", Denominator = "Assessments completed",
            Polarity = Higher, Priority = "P2", Owner = "council", Target = 90m, Amber = 5m, England = 86.0m, Neighbour = 88.7m,
            BenchmarkNote = "England 2023-24, DfE Children in need census.",
            Reporters = Only("council", 720, 79), Noise = 0.9, Signal = Signal.Trend, SignalSize = 1.7,
            Notes =
            [
                new QuarterNote("council", TrendStart, "Assessment recovery plan from October 2023: an additional assessment team and weekly performance clinics."),
                new QuarterNote("council", TrendStart + 6, "Above the 90% target for the first time since the partnership began."),
            ],
        },
        new()
        {
            Code = "CSC-S47-ICPC", Title = "Section 47 enquiries leading to an initial conference",
            Definition = "Section 47 enquiries ending in the quarter that led to an initial child protection conference, as a percentage of all "
                + "section 47 enquiries ending. Context only: a low rate can mean enquiries start too readily, a high one that they start late.",
            Unit = Percent, Numerator = "Section 47 enquiries leading to an ICPC", Denominator = "Section 47 enquiries ended",
            Polarity = Neutral, Priority = "P2", Owner = "council", England = 37.9m, Neighbour = 36.2m,
            BenchmarkNote = "England 2023-24, DfE Children in need census.",
            Reporters = Only("council", 310, 38), Noise = 2,
        },
        new()
        {
            Code = "CSC-ICPC15", Title = "Initial child protection conferences within 15 working days",
            Definition = "Initial child protection conferences held in the quarter within 15 working days of the strategy discussion at which "
                + "the section 47 enquiry was started (Working Together 2018), as a percentage of all initial conferences held.",
            Unit = Percent, Numerator = "ICPCs within 15 working days", Denominator = "ICPCs held",
            Polarity = Higher, Priority = "P2", Owner = "council", Target = 85m, Amber = 5m, England = 78.0m, Neighbour = 81.5m,
            BenchmarkNote = "England 2023-24, DfE Characteristics of children in need.",
            Reporters = Only("council", 105, 83), Noise = 2.5,
        },
        new()
        {
            Code = "POL-STRAT-ATTEND", Title = "Police attendance at strategy meetings",
            Definition = "Multi-agency strategy meetings and discussions held in the quarter (Working Together 2018) at which Cheshire Police "
                + "took part, as a percentage of all strategy meetings and discussions about Cheshire East children.",
            Unit = Percent, Numerator = "Strategy meetings with police present", Denominator = "Strategy meetings held",
            Polarity = Higher, Priority = "P2", Owner = "police", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("police", 430, 92), Noise = 1.3,
        },
        new()
        {
            Code = "HLT-ICPC-REPORT", Title = "Health reports provided to initial conferences",
            Definition = "Initial child protection conferences in the quarter to which the health agency was invited and provided a written "
                + "report at least three working days before the conference (Pan-Cheshire child protection procedures), as a percentage of "
                + "the conferences to which it was invited.",
            Unit = Percent, Numerator = "Conferences with a health report provided", Denominator = "Conferences the agency was invited to",
            Polarity = Higher, Priority = "P2", Owner = "ccg-south", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters =
            [
                new("wirral-community", 72, 95), new("east-cheshire-trust", 20, 90), new("mid-cheshire-hospitals", 24, 90),
                new("cwp", 26, 88), new("gp-practices", 84, 74),
            ],
            Noise = 2.5,
        },
        new()
        {
            Code = "CSC-CP-RATE", Title = "Children on a child protection plan",
            Definition = "Children subject to a child protection plan at the end of the quarter per 10,000 children aged 0 to 17 "
                + "(ONS mid-year population estimate). Context only: neither a high nor a low rate is good in itself.",
            Unit = RatePer10k, Numerator = "Children on a child protection plan at quarter end", Denominator = "Child population aged 0-17",
            Polarity = Neutral, Priority = "P2", Owner = "council", England = 41.6m, Neighbour = 37.8m,
            BenchmarkNote = "England at 31 March 2024, DfE Characteristics of children in need.",
            Reporters = Only("council", 82_600, 39.5), Noise = 1.4, Sizing = Sizing.Population,
        },
        new()
        {
            Code = OutlierCode, Title = "Child protection visits within timescale",
            Definition = "Children on a child protection plan at quarter end who were last seen by their social worker within 10 working days "
                + "of the previous visit (Cheshire East child protection procedures), as a percentage of all children on a plan.",
            Unit = Percent, Numerator = "Children visited within 10 working days", Denominator = "Children on a child protection plan",
            Polarity = Higher, Priority = "P2", Owner = "council", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", 330, 93.5), Noise = 1.0, Signal = Signal.Outlier, SignalSize = -22,
            Notes =
            [
                new QuarterNote("council", OutlierIndex, "Cyber incident took the case management system offline for three weeks in August; "
                    + "visits were recorded retrospectively only where evidence allowed."),
            ],
        },
        new()
        {
            Code = "CSC-CP-2YRS", Title = "Child protection plans lasting two years or more",
            Definition = "Child protection plans ending in the quarter that had lasted two years or more, as a percentage of all plans ending "
                + "(DfE children in need census).",
            Unit = Percent, Numerator = "Plans ended that lasted two years or more", Denominator = "Plans ended",
            Polarity = Lower, Priority = "P2", Owner = "council", Target = 3m, Amber = 2m, England = 4.4m, Neighbour = 3.9m,
            BenchmarkNote = "England 2023-24, DfE Characteristics of children in need.",
            Reporters = Only("council", 95, 3.3), Noise = 1.1,
        },
        new()
        {
            Code = "CSC-CP-REPEAT", Title = "Second or subsequent child protection plans",
            Definition = "Children who became subject to a child protection plan in the quarter who had been the subject of a plan before, at "
                + "any time, as a percentage of all children starting a plan (DfE children in need census).",
            Unit = Percent, Numerator = "Plans started that were a second or subsequent plan", Denominator = "Plans started",
            Polarity = Lower, Priority = "P2", Owner = "council", Target = 20m, Amber = 3m, England = 23.0m, Neighbour = 21.4m,
            BenchmarkNote = "England 2023-24, DfE Characteristics of children in need.",
            Reporters = Only("council", 100, 21), Noise = 2,
        },
        new()
        {
            Code = "CSC-CIN-REVIEW", Title = "Child in need plans reviewed within timescale",
            Definition = "Children in need at quarter end (excluding children on a child protection plan and children looked after) whose "
                + "child in need plan was reviewed in the last three months, as a percentage of those children (local measure).",
            Unit = Percent, Numerator = "Children whose plan was reviewed within 3 months", Denominator = "Children on a child in need plan",
            Polarity = Higher, Priority = "P2", Owner = "council", Target = 90m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", 860, 84), Noise = 1.5,
        },
        new()
        {
            Code = "EH-OUTCOMES", Title = "Early help episodes closed with outcomes achieved",
            Definition = "Early help episodes closed in the quarter where the family's goals in the early help plan were recorded as achieved "
                + "(Cheshire East Early Help Model, Signs of Wellbeing), as a percentage of all early help episodes closed.",
            Unit = Percent, Numerator = "Episodes closed with goals achieved", Denominator = "Early help episodes closed",
            Polarity = Higher, Priority = "P2", Owner = "council", Target = 75m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", 420, 74), Noise = 1.8,
        },

        // ---- P3 Emotional health and wellbeing
        new()
        {
            Code = "POL-DA-CHILDREN", Title = "Domestic abuse incidents with children in the household",
            Definition = "Domestic abuse incidents and crimes recorded in Cheshire East in the quarter where a child under 18 was present or "
                + "normally lived in the household. Context only.",
            Unit = Count, Polarity = Neutral, Priority = "P3", Owner = "police",
            BenchmarkNote = "No quarterly benchmark is published.",
            Reporters = Only("police", 0, 760), Noise = 35,
        },
        new()
        {
            Code = "POL-ENCOMPASS", Title = "Operation Encompass notifications on time",
            Definition = "Domestic abuse incidents attended in the quarter where a child of school age was present or normally resident, for "
                + "which the Operation Encompass notification reached the child's school before the start of the next school day, as a "
                + "percentage of all such incidents.",
            Unit = Percent, Numerator = "Notifications before the next school day", Denominator = "Incidents involving school-age children",
            Polarity = Higher, Priority = "P3", Owner = "police", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("police", 520, 93), Noise = 1.3,
        },
        new()
        {
            Code = NeverMetCode, Title = "Initial health assessments within 20 working days",
            Definition = "Children who became looked after in the quarter whose initial health assessment was completed by a paediatrician "
                + "within 20 working days of entering care (Promoting the health and well-being of looked-after children, 2015), as a "
                + "percentage of children due an assessment.",
            Unit = Percent, Numerator = "IHAs completed within 20 working days", Denominator = "Children due an IHA",
            Polarity = Higher, Priority = "P3", Owner = "ccg-eastern", Target = 90m, Amber = 5m,
            BenchmarkNote = "No national benchmark is published.",
            Reporters = [new("east-cheshire-trust", 24, 58), new("mid-cheshire-hospitals", 28, 56)], Noise = 4,
            Signal = Signal.NeverMet, Bounds = (45, 70),
            Notes =
            [
                new QuarterNote("east-cheshire-trust", 4, "Notifications and consent from social care often arrive after day 10; escalated to the Designated Doctor."),
                new QuarterNote("mid-cheshire-hospitals", 9, "Paediatric clinic capacity reduced by long-term sickness; extra clinics booked for next quarter."),
            ],
        },
        new()
        {
            Code = "HLT-SELF-HARM", Title = "Hospital admissions for self-harm, aged 10-17",
            Definition = "Emergency hospital admissions for intentional self-harm of Cheshire East residents aged 10 to 17 in the 12 months to "
                + "the end of the quarter (annualised: a rolling year), per 10,000 residents aged 10 to 17 in the trust's catchment.",
            Unit = RatePer10k, Numerator = "Admissions for self-harm aged 10-17 (rolling 12 months)", Denominator = "Catchment population aged 10-17",
            Polarity = Lower, Priority = "P3", Owner = "ccg-south", England = 30.0m, Neighbour = 28.5m,
            BenchmarkNote = "England 2022-23, OHID Fingertips (admissions as a result of self-harm, 10-24 years): the nearest published comparator.",
            Reporters = [new("east-cheshire-trust", 17_100, 31), new("mid-cheshire-hospitals", 19_800, 31)], Noise = 1.6,
            Sizing = Sizing.Population,
        },
        new()
        {
            Code = "HLT-CAMHS-WAIT", Title = "Average wait for CAMHS treatment",
            Definition = "Mean number of days from referral to second contact (the start of treatment) for children and young people whose "
                + "treatment started in the quarter in Cheshire East CAMHS (NHS Mental Health Services Data Set definition).",
            Unit = Days, Polarity = Lower, Priority = "P3", Owner = "ccg-eastern", Target = 84m, Amber = 14m,
            BenchmarkNote = "No national average is published; NHS England's four-week waiting time standard is being tested in trailblazer areas.",
            Reporters = Only("cwp", 0, 101), Noise = 7,
        },
        new()
        {
            Code = "HLT-NBV14", Title = "New birth visits within 14 days",
            Definition = "Births in the quarter where the health visitor's new birth visit took place within 14 days of birth (Healthy Child "
                + "Programme; OHID health visitor service delivery metric), as a percentage of births notified.",
            Unit = Percent, Numerator = "New birth visits within 14 days", Denominator = "Births notified",
            Polarity = Higher, Priority = "P3", Owner = "ccg-south", Target = 90m, Amber = 5m, England = 80.0m, Neighbour = 86.5m,
            BenchmarkNote = "England 2023-24, OHID Health visitor service delivery metrics.",
            Reporters = Only("wirral-community", 880, 89), Noise = 1.4,
        },
        new()
        {
            Code = "EDU-CP-ATTEND", Title = "Attendance of pupils on a child protection plan",
            Definition = "Sessions (half days) attended in the quarter by pupils on a child protection plan, as a percentage of their possible "
                + "sessions (DfE school attendance definitions). Each school reports its own pupils.",
            Unit = Percent, Numerator = "Sessions attended by pupils on a CP plan", Denominator = "Possible sessions for pupils on a CP plan",
            Polarity = Higher, Priority = "P3", Owner = "council", Target = 90m, Amber = 3m,
            BenchmarkNote = "No termly benchmark: DfE publishes the absence of children in need once a year.",
            Reporters = schools.Select((s, i) => new Reporter(s.Key, PupilsOnAPlan(s.Phase, i), AttendanceLevel(s.Phase, i))).ToList(),
            Noise = 4, Sizing = Sizing.SchoolSessions,
            LowValueNotes = (72, [
                "One pupil on a reduced timetable agreed at the core group; attendance is reviewed weekly.",
                "Pupil admitted to hospital for part of the term; the hospital school recorded the sessions.",
                "Family moved within the county and the pupil waited for transport to be arranged.",
            ]),
        },
        new()
        {
            Code = "EDU-CP-PA", Title = "Persistent absence of pupils on a child protection plan",
            Definition = "Pupils on a child protection plan at quarter end who have missed 10% or more of their possible sessions in the "
                + "academic year to date (DfE persistent absence definition), as a percentage of pupils on a plan.",
            Unit = Percent, Numerator = "Persistently absent pupils on a CP plan", Denominator = "Pupils on a CP plan",
            Polarity = Lower, Priority = "P3", Owner = "council", Target = 35m, Amber = 5m, England = 42.0m, Neighbour = 39.0m,
            BenchmarkNote = "England 2022-23, DfE Outcomes for children in need, including children looked after (approximate).",
            Reporters = Only("council", 250, 38), Noise = 2.2,
        },
        new()
        {
            Code = "YA-SCREEN", Title = "Young people in treatment with a safeguarding screen",
            Definition = "Young people in specialist substance misuse treatment at quarter end with a safeguarding screen completed in the "
                + "last six months, as a percentage of all young people in treatment.",
            Unit = Percent, Numerator = "Young people with a current safeguarding screen", Denominator = "Young people in treatment",
            Polarity = Higher, Priority = "P3", Owner = "council", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("young-addaction", 75, 93), Noise = 2,
        },

        // ---- P4 Embedding the new arrangements
        new()
        {
            Code = "HLT-L3-TRAINING", Title = "Safeguarding children level 3 training compliance",
            CountsPeople = false, // staff or settings, not children: nobody to identify
            Definition = "Staff whose role requires safeguarding children level 3 competence (Intercollegiate Document, 2019) who are up to "
                + "date with level 3 training at quarter end, as a percentage of staff in scope. Each health trust reports its own staff.",
            Unit = Percent, Numerator = "Staff in scope with current level 3 training", Denominator = "Staff in scope for level 3",
            Polarity = Higher, Priority = "P4", Owner = "ccg-eastern", Target = 90m, Amber = 5m,
            BenchmarkNote = "No national benchmark: the competences are set by the Intercollegiate Document.",
            Reporters =
            [
                new("east-cheshire-trust", 950, 89.5), new("mid-cheshire-hospitals", 1450, 89), new("cwp", 620, 91),
                new("wirral-community", 380, 93), new("nwas", 1100, 88),
            ],
            Noise = 1.3, Sizing = Sizing.Workforce,
            Notes =
            [
                new QuarterNote("mid-cheshire-hospitals", LateFrom, "Return submitted late: the Named Nurse post has been vacant since October "
                    + "and figures were validated retrospectively."),
            ],
        },
        new()
        {
            Code = "EDU-DSL-TRAINING", Title = "Designated safeguarding leads trained in the last two years",
            CountsPeople = false, // staff or settings, not children: nobody to identify
            Definition = "Designated safeguarding leads and deputies in post at quarter end who have completed DSL training in the last two "
                + "years (Keeping Children Safe in Education, Annex C), as a percentage of all DSLs and deputies. Each school and "
                + "college reports its own.",
            Unit = Percent, Numerator = "DSL and deputies trained in last 2 years", Denominator = "DSL and deputies",
            Polarity = Higher, Priority = "P4", Owner = "council", Target = 95m, Amber = 5m,
            BenchmarkNote = "No national benchmark is published.",
            Reporters = schools.Select((s, i) => new Reporter(s.Key, DslsAndDeputies(s.Phase, i), 93)).ToList(),
            Noise = 1.5, Sizing = Sizing.SchoolDsl,
            LowValueNotes = (60, [
                "Deputy DSL newly appointed this term; training is booked for next half term.",
                "DSL training lapsed during a long-term absence; refresher booked with the CESCP training team.",
                "Course cancelled by the provider; staff moved to the next available date.",
            ]),
        },
        new()
        {
            Code = "EDU-S175", Title = "Section 175/157 safeguarding audits completed",
            CountsPeople = false, // staff or settings, not children: nobody to identify
            Definition = "Schools and colleges that have completed the annual Section 175/157 safeguarding self-assessment for the current "
                + "audit cycle (Education Act 2002), as a percentage of all schools and colleges in Appendix 1 of the arrangements.",
            Unit = Percent, Numerator = "Settings with the Section 175/157 audit completed", Denominator = "Schools and colleges",
            Polarity = Higher, Priority = "P4", Owner = "council", Target = 100m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("council", schools.Count, 96), Noise = 1.2, Sizing = Sizing.Fixed,
        },
        new()
        {
            Code = "PROB-PSR-CHECK", Title = "Pre-sentence reports with a child safeguarding check",
            Definition = "Pre-sentence reports completed in the quarter for which a children's social care safeguarding enquiry was made and "
                + "its result recorded before sentence (Probation Service domestic abuse and child safeguarding enquiries policy), as a "
                + "percentage of all pre-sentence reports.",
            Unit = Percent, Numerator = "Reports with the safeguarding enquiry completed", Denominator = "Pre-sentence reports completed",
            Polarity = Higher, Priority = "P4", Owner = "probation", Target = 95m, Amber = 5m,
            BenchmarkNote = "Local measure: no national benchmark is published.",
            Reporters = Only("probation", 150, 92), Noise = 1.8,
        },
        new()
        {
            Code = "MA-AUDIT-GRADE", Title = "Multi-agency audit practice grade",
            Definition = "Average grade given to the cases in the quarter's multi-agency audits by the Quality Assurance subgroup, on a "
                + "four-point scale (1 inadequate, 2 requires improvement, 3 good, 4 outstanding).",
            Unit = Score, Polarity = Higher, Priority = "P4", Owner = "council", Target = 3.0m, Amber = 0.3m,
            BenchmarkNote = "Local measure: no benchmark.",
            Reporters = Only("council", 0, 2.7), Noise = 0.12,
        },
    ];

    private static int DslsAndDeputies(string phase, int i) => phase switch
    {
        "Secondary" => 3 + i % 3,
        "16+" => 5 + i % 3,
        _ => 2 + i % 2,
    };

    private static int PupilsOnAPlan(string phase, int i) => phase switch
    {
        "Secondary" => 2 + i % 3,
        "16+" => 3 + i % 3,
        "Independent" => 1,
        _ => 1 + i % 2,
    };

    private static double AttendanceLevel(string phase, int i) => (i % 5 - 2) * 1.5 + phase switch
    {
        "Primary" => 90,
        "Secondary" => 85,
        "Independent" => 93,
        "16+" => 81,
        _ => 86,
    };

    /// <summary>Possible sessions per pupil in each quarter's term time (Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar).</summary>
    private static readonly int[] SessionsPerPupil = [112, 72, 102, 108];

    // ------------------------------------------------------------------ values

    /// <summary>
    /// Draws the measure's values, drawing again while a measure meant to show only common-cause variation shows
    /// a special cause on its partnership figure (a run of 6 on one side of the mean, 6 rising or falling, or a
    /// point beyond the limits), so the planted signals stand out. Planted shifts and trends are built with bounded
    /// noise and hold for any seed.
    /// </summary>
    private static List<DemoValue> MeasureValues(
        Spec spec, IReadOnlyList<DemoPeriod> periods, IReadOnlySet<(string, int)> missing, Random random)
    {
        for (var attempt = 1; ; attempt++)
        {
            var values = DrawValues(spec, periods, missing, random);
            var acceptable = spec.Signal switch
            {
                Signal.Shift or Signal.Trend => true,
                Signal.Outlier => ShowsOnlyCommonCause(PartnershipSeries(spec, values), allowedOutlier: OutlierIndex),
                _ => ShowsOnlyCommonCause(PartnershipSeries(spec, values), allowedOutlier: null),
            };
            if (acceptable || attempt == MaxAttempts)
            {
                return values;
            }
        }
    }

    private static List<DemoValue> DrawValues(
        Spec spec, IReadOnlyList<DemoPeriod> periods, IReadOnlySet<(string, int)> missing, Random random)
    {
        var values = new List<DemoValue>();
        foreach (var reporter in spec.Reporters)
        {
            var levels = LevelPath(spec, reporter, random);
            for (var index = 0; index < periods.Count; index++)
            {
                var period = periods[index];
                var denominator = spec.IsRatio ? Denominator(spec, reporter, period, random) : 0;
                if (missing.Contains((reporter.Key, index)))
                {
                    continue;
                }

                decimal? numerator = null, denominatorValue = null;
                decimal value;
                if (spec.IsRatio)
                {
                    var count = Numerator(spec, denominator, levels[index], random);
                    (numerator, denominatorValue) = (count, denominator);
                    value = Math.Round((decimal)count / denominator * (decimal)spec.Scale, spec.DecimalPlaces, MidpointRounding.AwayFromZero);
                }
                else
                {
                    var level = spec.Bounds is { } b ? Math.Clamp(levels[index], b.Low, b.High) : levels[index];
                    value = Math.Round((decimal)Math.Max(0, level), spec.DecimalPlaces, MidpointRounding.AwayFromZero);
                }

                values.Add(new DemoValue(spec.Code, reporter.Key, period.FiscalYear, period.Quarter,
                    numerator, denominatorValue, value, Commentary(spec, reporter.Key, index, value, random)));
            }
        }

        return values;
    }

    /// <summary>The level the reporter's value is drawn around in each quarter, with the measure's signal built in.</summary>
    private static double[] LevelPath(Spec spec, Reporter reporter, Random random) => spec.Signal switch
    {
        Signal.Shift => SustainedShift(reporter.Level, spec.Noise, spec.SignalSize, random),
        Signal.Trend => SteadyTrend(reporter.Level, spec.Noise, spec.SignalSize, random),
        Signal.Outlier => OneOffOutlier(reporter.Level, spec.Noise, spec.SignalSize, random),
        _ => CommonCause(reporter.Level, spec.Noise, random),
    };

    private static double[] CommonCause(double level, double noise, Random random) =>
        Enumerable.Range(0, QuarterCount).Select(_ => level + noise * Gaussian(random)).ToArray();

    /// <summary>A step of <paramref name="step"/> from <see cref="ShiftStart"/> to the end, with noise bounded at ±2 sd so every later point stays beyond the overall mean.</summary>
    private static double[] SustainedShift(double level, double noise, double step, Random random) =>
        Enumerable.Range(0, QuarterCount)
            .Select(i => level + (i >= ShiftStart ? step : 0) + BoundedNoise(noise, random))
            .ToArray();

    /// <summary>Common cause until <see cref="TrendStart"/>, then a rise of <paramref name="rise"/> a quarter with noise far smaller than the rise.</summary>
    private static double[] SteadyTrend(double level, double noise, double rise, Random random) =>
        Enumerable.Range(0, QuarterCount)
            .Select(i => i < TrendStart
                ? level + BoundedNoise(noise, random)
                : level + rise * (i - TrendStart + 1) + BoundedNoise(rise / 10, random))
            .ToArray();

    /// <summary>Common cause with one quarter, <see cref="OutlierIndex"/>, moved by <paramref name="jump"/>.</summary>
    private static double[] OneOffOutlier(double level, double noise, double jump, Random random)
    {
        var path = CommonCause(level, noise, random);
        path[OutlierIndex] += jump;
        return path;
    }

    /// <summary>Approximately normal with mean 0 and standard deviation 1 (Irwin–Hall: twelve uniforms), using only addition so every platform agrees.</summary>
    private static double Gaussian(Random random)
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += random.NextDouble();
        }

        return sum - 6;
    }

    private static double BoundedNoise(double sd, Random random) => Math.Clamp(sd * Gaussian(random), -2 * sd, 2 * sd);

    private static int Denominator(Spec spec, Reporter reporter, DemoPeriod period, Random random) => spec.Sizing switch
    {
        Sizing.Flow => Math.Max(1, (int)Math.Round(reporter.Size * (1 + 0.06 * Gaussian(random)))),
        Sizing.Workforce => Math.Max(1, (int)Math.Round(reporter.Size * (1 + 0.02 * Gaussian(random)))),
        Sizing.Fixed => (int)reporter.Size,
        Sizing.Population => (int)Math.Round(reporter.Size * (1 + 0.004 * (period.FiscalYear - FirstFiscalYear))),
        Sizing.SchoolDsl => (int)reporter.Size + (random.NextDouble() < 0.15 ? 1 : 0),
        Sizing.SchoolSessions => ((int)reporter.Size + (random.NextDouble() < 0.2 ? 1 : 0)) * SessionsPerPupil[period.Quarter - 1],
        _ => throw new InvalidOperationException($"Unknown sizing {spec.Sizing}."),
    };

    /// <summary>
    /// The numerator for a rate of <paramref name="level"/> (in the measure's units): one chance per case for small
    /// denominators, the nearest whole number for large ones; then kept within the measure's bounds, if any.
    /// </summary>
    private static int Numerator(Spec spec, int denominator, double level, Random random)
    {
        var probability = Math.Clamp(level / spec.Scale, 0, 1);
        var numerator = 0;
        if (denominator < 30)
        {
            for (var i = 0; i < denominator; i++)
            {
                numerator += random.NextDouble() < probability ? 1 : 0;
            }
        }
        else
        {
            numerator = (int)Math.Round(denominator * probability);
        }

        if (spec.Bounds is { } bounds)
        {
            while (numerator > 0 && numerator * spec.Scale / denominator > bounds.High)
            {
                numerator--;
            }

            while (numerator < denominator && numerator * spec.Scale / denominator < bounds.Low)
            {
                numerator++;
            }
        }

        return numerator;
    }

    private static string Commentary(Spec spec, string agency, int index, decimal value, Random random)
    {
        var note = spec.Notes.FirstOrDefault(n => n.Agency == agency && n.Index == index);
        if (note is not null)
        {
            return note.Text;
        }

        // Agencies explain about half of their unusually low values.
        if (spec.LowValueNotes is { } low && (double)value < low.Below && random.NextDouble() < 0.5)
        {
            return low.Texts[random.Next(low.Texts.Length)];
        }

        return "";
    }

    // ------------------------------------------------------------------ partnership figure and the common-cause check

    /// <summary>
    /// The partnership figure per quarter: for ratio measures the sum of numerators over the sum of denominators,
    /// for counts the sum, otherwise the mean of the agencies' values. NaN where no agency reported.
    /// </summary>
    private static double[] PartnershipSeries(Spec spec, IReadOnlyList<DemoValue> values)
    {
        var series = new double[QuarterCount];
        for (var index = 0; index < QuarterCount; index++)
        {
            var quarter = values.Where(v => IndexOf(v.FiscalYear, v.Quarter) == index).ToList();
            series[index] = quarter.Count == 0 ? double.NaN
                : spec.IsRatio ? (double)quarter.Sum(v => v.Numerator!.Value) / (double)quarter.Sum(v => v.Denominator!.Value) * spec.Scale
                : spec.Unit == Count ? (double)quarter.Sum(v => v.Value)
                : (double)quarter.Average(v => v.Value);
        }

        return series;
    }

    /// <summary>
    /// True when an XmR chart of <paramref name="series"/> shows no special cause, judged a little more strictly than
    /// the dashboard (runs and trends of 6 rather than 7), except the one allowed outlier, which must be beyond the limits.
    /// </summary>
    private static bool ShowsOnlyCommonCause(double[] series, int? allowedOutlier)
    {
        if (series.Any(double.IsNaN))
        {
            return false;
        }

        var mean = series.Average();
        var movingRange = Enumerable.Range(1, series.Length - 1).Average(i => Math.Abs(series[i] - series[i - 1]));
        for (var i = 0; i < series.Length; i++)
        {
            var beyondLimits = Math.Abs(series[i] - mean) > 2.66 * movingRange;
            if (beyondLimits != (i == allowedOutlier))
            {
                return false;
            }
        }

        int sideRun = 0, longestSideRun = 0, rising = 1, falling = 1, longestTrend = 1;
        for (var i = 0; i < series.Length; i++)
        {
            var side = Math.Sign(series[i] - mean);
            sideRun = side != 0 && i > 0 && side == Math.Sign(series[i - 1] - mean) ? sideRun + 1 : (side != 0 ? 1 : 0);
            longestSideRun = Math.Max(longestSideRun, sideRun);
            if (i > 0)
            {
                rising = series[i] > series[i - 1] ? rising + 1 : 1;
                falling = series[i] < series[i - 1] ? falling + 1 : 1;
                longestTrend = Math.Max(longestTrend, Math.Max(rising, falling));
            }
        }

        return longestSideRun < 6 && longestTrend < 6;
    }
}
