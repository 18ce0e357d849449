using System.Text;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Demo;

/// <summary>
/// Builds the demo data of the Cheshire East Safeguarding Children Partnership (CESCP): its agencies (the
/// statutory partners, the relevant agencies and every school and college of Appendix 1 of the published
/// arrangements), its four priorities, a catalogue of scorecard measures, 22 quarters of returns from
/// 2020/21 Q1 to 2025/26 Q2, demo sign-ins, and a handful of deliberately planted signals (see
/// <see cref="DemoSignals"/>) for the statistical process control charts to find. The catalogue (agencies,
/// priorities, sign-ins, measures and the recipe of each measure's values) is data in <c>Demo/catalogue.json</c>,
/// read by <see cref="DemoCatalogue"/>.
/// </summary>
/// <remarks>
/// The generator is pure: it touches no database, clock or file (only its embedded resources), and the same seed
/// always gives the same records. Randomness comes only from <see cref="Random"/> seeded with the given seed; every
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

    // The planted signals. Indexes are positions in the 22-quarter list: 13 = 2023/24 Q2, 14 = 2023/24 Q3,
    // 17 = 2024/25 Q2, 18 = 2024/25 Q3, 21 = 2025/26 Q2. The catalogue marks the measure that carries each one.
    private const int ShiftStart = 13;
    private const int TrendStart = 14;
    private const int OutlierIndex = 17;
    private const string LateAgency = "mid-cheshire-hospitals";
    private const int LateFrom = 18;
    private const int MissingFrom = 21;

    private const double SchoolMissingShare = 0.03;
    private const double LateShare = 0.05;
    private const int MaxAttempts = 1000;

    /// <summary>Generates the whole demo partnership.</summary>
    /// <param name="seed">Seeds every random choice; the same seed always gives identical records.</param>
    /// <returns>The partnership with its agencies, priorities, measures, periods, returns, values, users and planted signals.</returns>
    public static DemoPartnership Generate(int seed = DefaultSeed)
    {
        var catalogue = DemoCatalogue.Load();
        var random = new Random(seed);
        var schools = AppendixSchools();
        var agencies = catalogue.Agencies
            .Concat(schools.Select(s => new DemoAgency(s.Key, s.Name, SchoolShortName(s.Name), "education", "relevant")))
            .ToList();
        var periods = Periods();
        var specs = catalogue.Measures.Select(m => Spec.From(m, schools)).ToList();
        var missing = MissingReturns(schools, random);

        var values = new List<DemoValue>();
        foreach (var spec in specs)
        {
            values.AddRange(MeasureValues(spec, periods, missing, new Random(random.Next())));
        }

        var returns = Returns(agencies, periods, values, new Random(random.Next()));
        var measures = specs.Select((spec, i) => spec.ToMeasure(sortOrder: (i + 1) * 10)).ToList();
        string CodeOf(DemoSignal signal) => specs.Single(s => s.Signal == signal).Code;

        return new DemoPartnership(
            Code: catalogue.Partnership.Code,
            Name: catalogue.Partnership.Name,
            ShortName: catalogue.Partnership.ShortName,
            Agencies: agencies,
            Priorities: catalogue.Priorities,
            Measures: measures,
            Periods: periods,
            Returns: returns,
            Values: values,
            Users: catalogue.Users,
            Signals: new DemoSignals(
                ShiftMeasureCode: CodeOf(DemoSignal.Shift), ShiftStartsAtIndex: ShiftStart,
                TrendMeasureCode: CodeOf(DemoSignal.Trend), TrendStartsAtIndex: TrendStart,
                OutlierMeasureCode: CodeOf(DemoSignal.Outlier), OutlierIndex: OutlierIndex,
                NeverMetMeasureCode: CodeOf(DemoSignal.NeverMet),
                LateAgencyKey: LateAgency, LateFromIndex: LateFrom, MissingFromIndex: MissingFrom));
    }

    // ------------------------------------------------------------------ schools

    private sealed record School(string Key, string Phase, string Name);

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

    // ------------------------------------------------------------------ the recipe of a measure's values

    /// <summary>An agency that reports a measure: its typical denominator per quarter (ratio measures) and its usual level.</summary>
    private sealed record Reporter(string Key, double Size, double Level);

    /// <summary>A measure's definition and recipe from the catalogue, with its reporters resolved (every school, when the recipe says so).</summary>
    private sealed record Spec(DemoCatalogue.MeasureEntry Entry, IReadOnlyList<Reporter> Reporters)
    {
        public string Code => Entry.Code;
        public MeasureUnit Unit => Entry.Unit;
        public double Noise => Entry.Noise;
        public DemoSizing Sizing => Entry.Sizing;
        public DemoSignal Signal => Entry.Signal;
        public double SignalSize => Entry.SignalSize;
        public (double Low, double High)? Bounds => Entry.Bounds is { } b ? (b.Low, b.High) : null;
        public IReadOnlyList<DemoCatalogue.NoteEntry> Notes => Entry.Notes ?? [];

        public bool IsRatio => Units.IsRatio(Entry.Numerator, Entry.Denominator);
        public double Scale => (double)Units.Scale(Unit);
        public int DecimalPlaces => Unit is MeasureUnit.Count or MeasureUnit.Days ? 0 : 1;

        public static Spec From(DemoCatalogue.MeasureEntry entry, IReadOnlyList<School> schools) => new(entry, entry.SchoolReporters switch
        {
            SchoolReporters.CpAttendance => schools.Select((s, i) => new Reporter(s.Key, PupilsOnAPlan(s.Phase, i), AttendanceLevel(s.Phase, i))).ToList(),
            SchoolReporters.DslTraining => schools.Select((s, i) => new Reporter(s.Key, DslsAndDeputies(s.Phase, i), 93)).ToList(),
            _ => entry.Reporters!.Select(r => new Reporter(r.Agency, r.SizeIsSchoolCount ? schools.Count : r.Size, r.Level)).ToList(),
        });

        public DemoMeasure ToMeasure(int sortOrder) => new(
            Entry.Code, Entry.Title, Entry.Definition, Entry.Unit, Entry.Numerator, Entry.Denominator, Entry.Polarity, Entry.Priority, Entry.Owner,
            Entry.Target, Entry.Amber, DecimalPlaces, Entry.England, Entry.Neighbour, Entry.BenchmarkNote,
            Reporters.Select(r => r.Key).ToList(), sortOrder, Entry.CountsPeople);
    }

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
                DemoSignal.Shift or DemoSignal.Trend => true,
                DemoSignal.Outlier => ShowsOnlyCommonCause(PartnershipSeries(spec, values), allowedOutlier: OutlierIndex),
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
        DemoSignal.Shift => SustainedShift(reporter.Level, spec.Noise, spec.SignalSize, random),
        DemoSignal.Trend => SteadyTrend(reporter.Level, spec.Noise, spec.SignalSize, random),
        DemoSignal.Outlier => OneOffOutlier(reporter.Level, spec.Noise, spec.SignalSize, random),
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
        DemoSizing.Flow => Math.Max(1, (int)Math.Round(reporter.Size * (1 + 0.06 * Gaussian(random)))),
        DemoSizing.Workforce => Math.Max(1, (int)Math.Round(reporter.Size * (1 + 0.02 * Gaussian(random)))),
        DemoSizing.Fixed => (int)reporter.Size,
        DemoSizing.Population => (int)Math.Round(reporter.Size * (1 + 0.004 * (period.FiscalYear - FirstFiscalYear))),
        DemoSizing.SchoolDsl => (int)reporter.Size + (random.NextDouble() < 0.15 ? 1 : 0),
        DemoSizing.SchoolSessions => ((int)reporter.Size + (random.NextDouble() < 0.2 ? 1 : 0)) * SessionsPerPupil[period.Quarter - 1],
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
        var note = spec.Notes.FirstOrDefault(n => n.Agency == agency && n.QuarterIndex == index);
        if (note is not null)
        {
            return note.Text;
        }

        // Agencies explain about half of their unusually low values.
        if (spec.Entry.LowValueNotes is { } low && (double)value < low.Below && random.NextDouble() < 0.5)
        {
            return low.Texts[random.Next(low.Texts.Count)];
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
                : spec.Unit == MeasureUnit.Count ? (double)quarter.Sum(v => v.Value)
                : (double)quarter.Average(v => v.Value);
        }

        return series;
    }

    /// <summary>
    /// The dashboard's own SPC rules (<see cref="Spc"/>), a little stricter so that a measure meant to show common cause
    /// does not come close to a signal: limits from every moving range (no screening), and trends and runs of 6 rather than 7.
    /// </summary>
    private static readonly SpcOptions PlausibilityCheck = new(ImprovementDirection.Neutral, ScreenOutliers: false, TrendLength: 6, ShiftLength: 6);

    /// <summary>
    /// True when an XmR chart of <paramref name="series"/> breaks none of rules 1, 2 and 4 under <see cref="PlausibilityCheck"/>,
    /// except the one allowed outlier, which must be beyond the limits.
    /// </summary>
    private static bool ShowsOnlyCommonCause(double[] series, int? allowedOutlier)
    {
        if (series.Any(double.IsNaN))
        {
            return false;
        }

        var flags = Spc.RuleFlags(series, PlausibilityCheck);
        for (var i = 0; i < series.Length; i++)
        {
            if (flags.Outside[i] != (i == allowedOutlier) || flags.InTrend[i] || flags.InShift[i])
            {
                return false;
            }
        }

        return true;
    }
}
