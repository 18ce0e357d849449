using System.Text;
using System.Text.Json;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Demo;

namespace Scorecard.Tests.Demo;

/// <summary>
/// Pure tests of the demo data: no database. They check the records against the schema's rules
/// (sql/0001_catalog.sql) and that the planted signals are there for the SPC charts to find. The XmR
/// arithmetic is recomputed here rather than taken from the SPC engine.
/// </summary>
public sealed class DemoGeneratorTests
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private static readonly string[] Sectors = ["council", "police", "health", "education", "justice", "voluntary", "other"];
    private static readonly string[] PartnerTypes = ["statutory", "relevant"];
    private static readonly MeasureUnit[] Units = [MeasureUnit.Count, MeasureUnit.Percent, MeasureUnit.RatePer10k, MeasureUnit.Days, MeasureUnit.Score];
    private static readonly Polarity[] Polarities = [Polarity.HigherIsBetter, Polarity.LowerIsBetter, Polarity.Neutral];
    private static readonly string[] Roles = ["admin", "qa_member", "executive", "agency_user"];
    private static readonly string[] Phases = ["Primary", "Secondary", "Independent", "16+", "Other"];

    public static TheoryData<int> Seeds => new() { DemoGenerator.DefaultSeed, 1, 424242 };

    // ------------------------------------------------------------------ determinism

    [Fact]
    public void TheSameSeedGivesIdenticalRecords()
    {
        Assert.Equal(JsonSerializer.Serialize(DemoGenerator.Generate(1234)), JsonSerializer.Serialize(DemoGenerator.Generate(1234)));
        Assert.Equal(JsonSerializer.Serialize(Demo), JsonSerializer.Serialize(DemoGenerator.Generate(DemoGenerator.DefaultSeed)));
    }

    [Fact]
    public void ADifferentSeedGivesDifferentValuesForTheSameCatalogue()
    {
        var other = DemoGenerator.Generate(DemoGenerator.DefaultSeed + 1);

        Assert.Equal(Demo.Measures.Select(m => m.Code), other.Measures.Select(m => m.Code));
        Assert.Equal(Demo.Agencies.Select(a => a.Key), other.Agencies.Select(a => a.Key));
        foreach (var code in new[] { "CSC-REFERRALS", Demo.Signals.ShiftMeasureCode, "HLT-L3-TRAINING" })
        {
            Assert.NotEqual(Partnership(Demo, code), Partnership(other, code));
        }

        Assert.NotEqual(Demo.Returns.Select(r => r.SubmittedAt), other.Returns.Select(r => r.SubmittedAt));
    }

    // ------------------------------------------------------------------ catalogue against the schema

    [Fact]
    public void ThePartnershipIdentityIsCESCP()
    {
        Assert.Equal("cescp", Demo.Code);
        Assert.Matches("^[a-z0-9-]{2,40}$", Demo.Code);
        Assert.Equal("Cheshire East Safeguarding Children Partnership", Demo.Name);
        Assert.Equal("CESCP", Demo.ShortName);
        Assert.All(new[] { Demo.Code, Demo.Name, Demo.ShortName }, text => Assert.True(IsAscii(text), text));
    }

    [Fact]
    public void EveryAgencySatisfiesTheSchemaRules()
    {
        Assert.All(Demo.Agencies, a =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", a.Key);
            Assert.InRange(a.Name.Length, 2, 200);
            Assert.InRange(a.ShortName.Length, 1, 40);
            Assert.Equal(a.Name.Trim(), a.Name);
            Assert.Contains(a.Sector, Sectors);
            Assert.Contains(a.PartnerType, PartnerTypes);
        });
        AssertDistinct(Demo.Agencies.Select(a => a.Key), StringComparer.Ordinal);
        AssertDistinct(Demo.Agencies.Select(a => a.Name), StringComparer.OrdinalIgnoreCase);
        AssertDistinct(Demo.Agencies.Select(a => a.ShortName), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheStatutoryPartnersAreTheCouncilThePoliceAndTheIntegratedCareBoard()
    {
        var statutory = Demo.Agencies.Where(a => a.PartnerType == "statutory").ToList();

        // The two clinical commissioning groups of the 2019 arrangements were replaced by the ICB in July 2022.
        Assert.Equal(["council", "police", "icb-cm"], statutory.Select(a => a.Key));
        Assert.Equal(["council", "police", "health"], statutory.Select(a => a.Sector));
        Assert.Equal("Cheshire East Council", statutory[0].Name);
        Assert.Equal("Cheshire Constabulary", statutory[1].Name);
        Assert.Equal("NHS Cheshire and Merseyside Integrated Care Board", statutory[2].Name);
        Assert.DoesNotContain(Demo.Agencies, a => a.Name.Contains("Clinical Commissioning", StringComparison.Ordinal));
    }

    [Fact]
    public void NoDemoTextNamesGuidanceOrBodiesThatHaveBeenReplaced()
    {
        var texts = Demo.Agencies.Select(a => a.Name)
            .Concat(Demo.Priorities.Select(p => p.Description))
            .Concat(Demo.Measures.SelectMany(m => new[] { m.Definition, m.BenchmarkNote }));
        foreach (var dated in new[] { "Working Together 2018", "Clinical Commissioning Group", "CCG", "National Probation Service", "Community Rehabilitation Company", "Addaction" })
        {
            Assert.DoesNotContain(texts, t => t.Contains(dated, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void TheRelevantAgenciesOfTheArrangementsArePresentWithTheirSectors()
    {
        var expected = new Dictionary<string, string>
        {
            ["mid-cheshire-hospitals"] = "health", ["east-cheshire-trust"] = "health", ["cwp"] = "health",
            ["wirral-community"] = "health", ["nwas"] = "health", ["nhs-england-cm"] = "health", ["gp-practices"] = "health",
            ["cafcass"] = "justice", ["probation"] = "justice", ["youth-justice"] = "justice",
            ["hmpyoi-styal"] = "justice", ["btp"] = "police", ["fire"] = "other", ["housing-providers"] = "other",
            ["vcs"] = "voluntary", ["with-you"] = "voluntary",
        };

        foreach (var (key, sector) in expected)
        {
            var agency = Assert.Single(Demo.Agencies, a => a.Key == key);
            Assert.Equal(sector, agency.Sector);
            Assert.Equal("relevant", agency.PartnerType);
        }
    }

    [Fact]
    public void TheEmbeddedAppendixIsACleanDeduplicatedListOfPhasesAndNames()
    {
        var lines = AppendixLines();

        Assert.Equal(170, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Contains(line.Phase, Phases);
            Assert.Equal(line.Name.Trim(), line.Name);
            Assert.NotEmpty(line.Name);
        });
        AssertDistinct(lines.Select(l => l.Name), StringComparer.OrdinalIgnoreCase);
        Assert.Single(lines, l => l.Name == "Oracle School, Cheshire");
        Assert.Contains(("16+", "Cheshire College - South & West"), lines);
        Assert.Contains(("Primary", "Wybunbury Delves CofE Primary School"), lines);
        Assert.Contains(("Secondary", "Sandbach High School and Sixth Form College"), lines);
        Assert.Contains(("Independent", "The King's School In Macclesfield"), lines);
        Assert.Contains(("Other", "The Fermain Academy"), lines);
    }

    [Fact]
    public void EveryAppendixSchoolIsARelevantEducationAgency()
    {
        var lines = AppendixLines();
        var byName = Demo.Agencies.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

        Assert.All(lines, line =>
        {
            Assert.True(byName.TryGetValue(line.Name, out var agency), line.Name);
            Assert.Equal("education", agency!.Sector);
            Assert.Equal("relevant", agency.PartnerType);
        });
        Assert.Equal(lines.Count, Demo.Agencies.Count(a => a.Sector == "education"));
    }

    [Fact]
    public void TheFourPrioritiesAreTheDocumentsPriorities()
    {
        Assert.Equal(["P1", "P2", "P3", "P4"], Demo.Priorities.Select(p => p.Code));
        Assert.Equal(
            ["Contextual safeguarding", "Child in need planning", "Emotional health and wellbeing", "Embedding the new arrangements"],
            Demo.Priorities.Select(p => p.Title));
        Assert.All(Demo.Priorities, p =>
        {
            Assert.Matches("^[A-Z0-9]{1,10}$", p.Code);
            Assert.InRange(p.Title.Length, 2, 200);
            Assert.NotEmpty(p.Description);
        });
        Assert.StartsWith("Our approach to Contextual Safeguarding", Demo.Priorities[0].Description);
        Assert.StartsWith("Improving the quality and effectiveness of child in need planning for children", Demo.Priorities[1].Description);
        Assert.StartsWith("Emotional Health and Wellbeing of our vulnerable children", Demo.Priorities[2].Description);
    }

    [Fact]
    public void EveryMeasureSatisfiesTheSchemaRules()
    {
        var agencies = Demo.Agencies.Select(a => a.Key).ToHashSet();
        var priorities = Demo.Priorities.Select(p => p.Code).ToHashSet();

        Assert.All(Demo.Measures, m =>
        {
            Assert.Matches("^[A-Z][A-Z0-9_-]{1,19}$", m.Code);
            Assert.InRange(m.Title.Length, 3, 200);
            Assert.InRange(m.Definition.Length, 3, 4000);
            Assert.Contains(m.Unit, Units);
            Assert.Contains(m.Polarity, Polarities);
            Assert.InRange(m.DecimalPlaces, 0, 4);
            Assert.Contains(m.PriorityCode, priorities);
            Assert.Contains(m.OwnerAgencyKey, agencies);
            Assert.NotEmpty(m.ReporterKeys);
            Assert.All(m.ReporterKeys, key => Assert.Contains(key, agencies));
            AssertDistinct(m.ReporterKeys, StringComparer.Ordinal);

            // A ratio measure names both parts; a typed one (count, days, score) names neither.
            Assert.Equal(m.NumeratorLabel is null, m.DenominatorLabel is null);
            Assert.Equal(IsRatio(m), m.NumeratorLabel is not null);
            if (m.Unit == MeasureUnit.Count)
            {
                Assert.Null(m.NumeratorLabel);
            }

            Assert.True(m.AmberTolerance is null or >= 0, m.Code);
            Assert.True(m.Target is not null || m.AmberTolerance is null, $"{m.Code} has a tolerance but no target");
            Assert.True(m.Polarity != Polarity.Neutral || m.Target is null, $"{m.Code} is context only but has a target");
            Assert.NotEmpty(m.BenchmarkNote);
        });
        AssertDistinct(Demo.Measures.Select(m => m.Code), StringComparer.Ordinal);
        AssertDistinct(Demo.Measures.Select(m => m.SortOrder), EqualityComparer<int>.Default);
    }

    [Fact]
    public void TheCatalogueMixesUnitsPolaritiesPrioritiesAndReporters()
    {
        Assert.InRange(Demo.Measures.Count, 25, 40);
        Assert.All(Units, unit => Assert.Contains(Demo.Measures, m => m.Unit == unit));
        Assert.All(Polarities, polarity => Assert.Contains(Demo.Measures, m => m.Polarity == polarity));
        Assert.All(Demo.Priorities, p => Assert.Contains(Demo.Measures, m => m.PriorityCode == p.Code));
        Assert.True(Demo.Measures.Count(m => m.ReporterKeys.Count > 1) >= 3);

        var schools = Demo.Agencies.Where(a => a.Sector == "education").Select(a => a.Key).ToHashSet();
        var reportedByEverySchool = Demo.Measures.Where(m => schools.IsSubsetOf(m.ReporterKeys)).Select(m => m.Code).ToList();
        Assert.Equal(2, reportedByEverySchool.Count);
        Assert.Contains("EDU-DSL-TRAINING", reportedByEverySchool);
        var dsl = Demo.Measures.Single(m => m.Code == "EDU-DSL-TRAINING");
        Assert.Equal("DSL and deputies trained in last 2 years", dsl.NumeratorLabel);
        Assert.Equal("DSL and deputies", dsl.DenominatorLabel);
    }

    [Fact]
    public void TheRequiredMeasuresHaveTheirRealWorldShape()
    {
        var cpRate = Demo.Measures.Single(m => m.Code == "CSC-CP-RATE");
        Assert.Equal((MeasureUnit.RatePer10k, Polarity.Neutral), (cpRate.Unit, cpRate.Polarity));
        Assert.InRange(cpRate.EnglandValue!.Value, 35m, 50m);

        var reReferrals = Demo.Measures.Single(m => m.Code == "CSC-REREF");
        Assert.Equal((MeasureUnit.Percent, Polarity.LowerIsBetter), (reReferrals.Unit, reReferrals.Polarity));
        Assert.InRange(reReferrals.EnglandValue!.Value, 20m, 25m);

        var training = Demo.Measures.Single(m => m.Code == "HLT-L3-TRAINING");
        Assert.Equal(90m, training.Target);
        Assert.True(training.ReporterKeys.Count >= 4);
        Assert.All(training.ReporterKeys, key => Assert.Equal("health", Demo.Agencies.Single(a => a.Key == key).Sector));

        var camhs = Demo.Measures.Single(m => m.Code == "HLT-CAMHS-WAIT");
        Assert.Equal((MeasureUnit.Days, Polarity.LowerIsBetter), (camhs.Unit, camhs.Polarity));

        Assert.All(Demo.Measures.Where(m => m.Code.StartsWith("CSC-", StringComparison.Ordinal)),
            m => Assert.Equal(["council"], m.ReporterKeys));
        Assert.All(Demo.Measures.Where(m => m.Code.StartsWith("YJ-", StringComparison.Ordinal)),
            m => Assert.Equal(["youth-justice"], m.ReporterKeys));
    }

    // ------------------------------------------------------------------ periods, returns and values

    [Fact]
    public void ThereAre22QuartersFrom202021Q1To202526Q2()
    {
        var periods = Demo.Periods;

        Assert.Equal(22, periods.Count);
        Assert.Equal(new DemoPeriod(2020, 1, new DateOnly(2020, 4, 1), new DateOnly(2020, 6, 30), new DateOnly(2020, 7, 28)), periods[0]);
        Assert.Equal((2025, 2, new DateOnly(2025, 7, 1), new DateOnly(2025, 9, 30)),
            (periods[^1].FiscalYear, periods[^1].Quarter, periods[^1].Start, periods[^1].End));
        for (var i = 0; i < periods.Count; i++)
        {
            var p = periods[i];
            Assert.Equal((2020 + i / 4, i % 4 + 1), (p.FiscalYear, p.Quarter));
            Assert.Equal(p.Start.AddMonths(3).AddDays(-1), p.End);
            if (i > 0)
            {
                Assert.Equal(periods[i - 1].End.AddDays(1), p.Start);
            }

            // The 20th working day after the quarter: Monday to Friday, allowing for bank holidays.
            Assert.True(p.Due.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{p} is due at a weekend");
            var weekdays = Enumerable.Range(1, p.Due.DayNumber - p.End.DayNumber)
                .Count(d => p.End.AddDays(d).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
            Assert.InRange(weekdays, 20, 23);
        }
    }

    [Fact]
    public void RatioValuesHaveWholePartsAndAValueComputedFromThem()
    {
        var measures = Demo.Measures.ToDictionary(m => m.Code);

        Assert.All(Demo.Values, v =>
        {
            var m = measures[v.MeasureCode];
            if (IsRatio(m))
            {
                Assert.NotNull(v.Numerator);
                Assert.NotNull(v.Denominator);
                var (num, den) = (v.Numerator.Value, v.Denominator.Value);
                Assert.Equal(decimal.Truncate(num), num);
                Assert.Equal(decimal.Truncate(den), den);
                Assert.True(num >= 0 && den > 0, $"{v}");
                if (m.Unit == MeasureUnit.Percent)
                {
                    Assert.True(num <= den, $"{v}");
                }

                Assert.Equal(Math.Round(num / den * Scale(m), m.DecimalPlaces, MidpointRounding.AwayFromZero), v.Value);
            }
            else
            {
                Assert.Null(v.Numerator);
                Assert.Null(v.Denominator);
                Assert.True(v.Value >= 0, $"{v}");
                Assert.Equal(Math.Round(v.Value, m.DecimalPlaces), v.Value);
            }
        });
    }

    [Fact]
    public void EveryReporterSendsEveryMeasureInEachReturnAndNobodyElseDoes()
    {
        var returned = Demo.Returns.Select(r => (r.AgencyKey, r.FiscalYear, r.Quarter)).ToHashSet();
        AssertDistinct(Demo.Returns.Select(r => (r.AgencyKey, r.FiscalYear, r.Quarter)), EqualityComparer<(string, int, int)>.Default);
        AssertDistinct(Demo.Values.Select(v => (v.MeasureCode, v.AgencyKey, v.FiscalYear, v.Quarter)),
            EqualityComparer<(string, string, int, int)>.Default);

        var values = Demo.Values.Select(v => (v.MeasureCode, v.AgencyKey, v.FiscalYear, v.Quarter)).ToHashSet();
        foreach (var m in Demo.Measures)
        {
            foreach (var agency in m.ReporterKeys)
            {
                foreach (var p in Demo.Periods)
                {
                    Assert.Equal(returned.Contains((agency, p.FiscalYear, p.Quarter)), values.Contains((m.Code, agency, p.FiscalYear, p.Quarter)));
                }
            }
        }

        Assert.All(Demo.Values, v => Assert.Contains(v.AgencyKey, Demo.Measures.Single(m => m.Code == v.MeasureCode).ReporterKeys));
        Assert.All(Demo.Returns, r => Assert.Contains(Demo.Values, v => (v.AgencyKey, v.FiscalYear, v.Quarter) == (r.AgencyKey, r.FiscalYear, r.Quarter)));
    }

    [Fact]
    public void AFewSchoolReturnsAreMissingAndEveryOtherReporterReturnsEachQuarter()
    {
        var schools = Demo.Agencies.Where(a => a.Sector == "education").Select(a => a.Key).ToHashSet();
        var reporters = Demo.Measures.SelectMany(m => m.ReporterKeys).ToHashSet();
        var returned = Demo.Returns.Select(r => (r.AgencyKey, r.FiscalYear, r.Quarter)).ToHashSet();

        var schoolQuarters = schools.Count * Demo.Periods.Count;
        var schoolReturns = Demo.Returns.Count(r => schools.Contains(r.AgencyKey));
        Assert.InRange(1 - (double)schoolReturns / schoolQuarters, 0.005, 0.06);

        foreach (var agency in reporters.Where(a => !schools.Contains(a) && a != Demo.Signals.LateAgencyKey))
        {
            Assert.All(Demo.Periods, p => Assert.Contains((agency, p.FiscalYear, p.Quarter), returned));
        }
    }

    [Fact]
    public void ReturnsArriveInWorkingHoursMostlyBeforeTheDueDate()
    {
        var periods = Demo.Periods.ToDictionary(p => (p.FiscalYear, p.Quarter));
        var late = Demo.Returns.Where(r => r.AgencyKey != Demo.Signals.LateAgencyKey)
            .Count(r => DateOnly.FromDateTime(r.SubmittedAt.DateTime) > periods[(r.FiscalYear, r.Quarter)].Due);

        Assert.InRange((double)late / Demo.Returns.Count, 0.01, 0.10);
        Assert.All(Demo.Returns, r =>
        {
            Assert.InRange(r.SubmittedAt.TimeOfDay, new TimeSpan(8, 30, 0), new TimeSpan(17, 30, 0));
            Assert.Contains(r.SubmittedAt.Offset, new[] { TimeSpan.Zero, TimeSpan.FromHours(1) });
            Assert.True(DateOnly.FromDateTime(r.SubmittedAt.DateTime) > periods[(r.FiscalYear, r.Quarter)].End, $"{r}");
        });
    }

    [Fact]
    public void TheDemoUsersCoverEveryRoleAndPointAtRealAgencies()
    {
        Assert.Equal(
            ["admin@cescp.example", "qa@cescp.example", "exec@cescp.example", "police@cescp.example", "school@cescp.example"],
            Demo.Users.Select(u => u.Email));
        Assert.Equal(Roles, Demo.Users.Select(u => u.Role).Distinct());
        Assert.All(Demo.Users, u =>
        {
            Assert.Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", u.Email);
            Assert.InRange(u.DisplayName.Length, 2, 120);
            Assert.Equal(u.Role == "agency_user", u.AgencyKey is not null);
            Assert.StartsWith("Demo-", u.Password, StringComparison.Ordinal);
        });
        Assert.Equal("police", Demo.Users.Single(u => u.Email == "police@cescp.example").AgencyKey);
        var school = Demo.Agencies.Single(a => a.Key == Demo.Users.Single(u => u.Email == "school@cescp.example").AgencyKey);
        Assert.Equal("education", school.Sector);
        Assert.Equal("Sandbach High School and Sixth Form College", school.Name);
    }

    // ------------------------------------------------------------------ planted signals

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheLateAgencyReturnsLateFromLateFromIndexAndNotAtAllFromMissingFromIndex(int seed)
    {
        var demo = DemoGenerator.Generate(seed);
        var s = demo.Signals;
        var returns = demo.Returns.Where(r => r.AgencyKey == s.LateAgencyKey).ToDictionary(r => IndexOf(demo, r.FiscalYear, r.Quarter));

        Assert.Contains(demo.Measures, m => m.ReporterKeys.Contains(s.LateAgencyKey));
        Assert.InRange(s.LateFromIndex, 1, s.MissingFromIndex - 1);
        Assert.InRange(s.MissingFromIndex, s.LateFromIndex + 1, demo.Periods.Count - 1);
        for (var i = 0; i < demo.Periods.Count; i++)
        {
            var due = demo.Periods[i].Due;
            if (i < s.LateFromIndex)
            {
                Assert.True(DateOnly.FromDateTime(returns[i].SubmittedAt.DateTime) <= due, $"quarter {i} should be on time");
            }
            else if (i < s.MissingFromIndex)
            {
                Assert.True(DateOnly.FromDateTime(returns[i].SubmittedAt.DateTime) > due, $"quarter {i} should be late");
            }
            else
            {
                Assert.False(returns.ContainsKey(i), $"quarter {i} should have no return");
                Assert.DoesNotContain(demo.Values, v => v.AgencyKey == s.LateAgencyKey && IndexOf(demo, v.FiscalYear, v.Quarter) == i);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheNeverMetMeasureMissesItsTargetEveryQuarter(int seed)
    {
        var demo = DemoGenerator.Generate(seed);
        var measure = demo.Measures.Single(m => m.Code == demo.Signals.NeverMetMeasureCode);
        var series = Partnership(demo, measure.Code);

        Assert.NotNull(measure.Target);
        Assert.Equal(Polarity.HigherIsBetter, measure.Polarity);
        Assert.Equal(22, series.Length);
        Assert.All(series, x => Assert.InRange(x, 45m, 70m));
        Assert.All(series, x => Assert.True(x < measure.Target!.Value));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheShiftMeasureStaysAboveItsMeanFromTheShiftToTheEnd(int seed)
    {
        var demo = DemoGenerator.Generate(seed);
        var s = demo.Signals;
        var series = Partnership(demo, s.ShiftMeasureCode);
        var mean = series.Average();
        var after = series[s.ShiftStartsAtIndex..];

        Assert.True(after.Length >= 7, "a shift needs at least 7 points");
        Assert.All(after, x => Assert.True(x > mean, $"{x} is not above the mean {mean}"));
        Assert.True(after.Average() - series[..s.ShiftStartsAtIndex].Average() >= 4, "the step should be about 5 points");
        // Re-referrals are lower-is-better, so the shift is a deterioration.
        Assert.Equal(Polarity.LowerIsBetter, demo.Measures.Single(m => m.Code == s.ShiftMeasureCode).Polarity);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheTrendMeasureRisesStrictlyFromTheTrendStartToTheEnd(int seed)
    {
        var demo = DemoGenerator.Generate(seed);
        var s = demo.Signals;
        var run = Partnership(demo, s.TrendMeasureCode)[s.TrendStartsAtIndex..];

        Assert.True(run.Length >= 7, "a trend needs at least 7 points");
        for (var i = 1; i < run.Length; i++)
        {
            Assert.True(run[i] > run[i - 1], $"point {s.TrendStartsAtIndex + i} does not rise");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheOutlierLiesFarBeyondTheLimitsOfTheOtherQuarters(int seed)
    {
        var demo = DemoGenerator.Generate(seed);
        var s = demo.Signals;
        var series = Partnership(demo, s.OutlierMeasureCode);
        var outlier = series[s.OutlierIndex];
        var rest = series.Where((_, i) => i != s.OutlierIndex).ToArray();
        var mean = rest.Average();
        var sd = (decimal)Math.Sqrt((double)rest.Sum(x => (x - mean) * (x - mean)) / (rest.Length - 1));

        Assert.InRange(s.OutlierIndex, 1, series.Length - 2);
        Assert.True(Math.Abs(outlier - mean) > 3 * sd, $"{outlier} is within 3 sd ({sd}) of {mean}");
        Assert.True(Math.Abs(outlier - mean) > 2.66m * MeanMovingRange(rest), "the outlier is inside the XmR limits of the rest");
        Assert.Single(PointsBeyondLimits(series));
        Assert.Equal(s.OutlierIndex, PointsBeyondLimits(series).Single());
    }

    [Fact]
    public void MeasuresWithoutAPlantedSignalShowOnlyCommonCauseVariation()
    {
        var s = Demo.Signals;
        var planted = new[] { s.ShiftMeasureCode, s.TrendMeasureCode, s.OutlierMeasureCode };

        foreach (var m in Demo.Measures.Where(m => !planted.Contains(m.Code)))
        {
            var series = Partnership(Demo, m.Code);
            Assert.True(PointsBeyondLimits(series).Count == 0, $"{m.Code} has a point beyond the limits");
            Assert.True(LongestRunOnOneSide(series) < 7, $"{m.Code} has a shift");
            Assert.True(LongestMonotonicRun(series) < 7, $"{m.Code} has a trend");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static bool IsRatio(DemoMeasure m) => m.Unit is MeasureUnit.Percent or MeasureUnit.RatePer10k;

    private static decimal Scale(DemoMeasure m) => m.Unit == MeasureUnit.Percent ? 100m : 10_000m;

    private static int IndexOf(DemoPartnership demo, int fiscalYear, int quarter) =>
        demo.Periods.Select((p, i) => (p, i)).Single(x => x.p.FiscalYear == fiscalYear && x.p.Quarter == quarter).i;

    /// <summary>The partnership figure per quarter: ratio measures pool numerators and denominators, counts add up, others average.</summary>
    private static decimal[] Partnership(DemoPartnership demo, string code)
    {
        var m = demo.Measures.Single(x => x.Code == code);
        return demo.Periods.Select(p =>
        {
            var quarter = demo.Values.Where(v => v.MeasureCode == code && v.FiscalYear == p.FiscalYear && v.Quarter == p.Quarter).ToList();
            Assert.NotEmpty(quarter);
            return IsRatio(m) ? quarter.Sum(v => v.Numerator!.Value) / quarter.Sum(v => v.Denominator!.Value) * Scale(m)
                : m.Unit == MeasureUnit.Count ? quarter.Sum(v => v.Value)
                : quarter.Average(v => v.Value);
        }).ToArray();
    }

    private static decimal MeanMovingRange(IReadOnlyList<decimal> xs) =>
        Enumerable.Range(1, xs.Count - 1).Average(i => Math.Abs(xs[i] - xs[i - 1]));

    /// <summary>XmR (NHS Making Data Count): points beyond mean ± 2.66 × mean moving range.</summary>
    private static List<int> PointsBeyondLimits(IReadOnlyList<decimal> xs)
    {
        var mean = xs.Average();
        var limit = 2.66m * MeanMovingRange(xs);
        return Enumerable.Range(0, xs.Count).Where(i => Math.Abs(xs[i] - mean) > limit).ToList();
    }

    private static int LongestRunOnOneSide(IReadOnlyList<decimal> xs)
    {
        var mean = xs.Average();
        int longest = 0, run = 0, side = 0;
        foreach (var x in xs)
        {
            var s = Math.Sign(x - mean);
            run = s != 0 && s == side ? run + 1 : (s != 0 ? 1 : 0);
            side = s;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    private static int LongestMonotonicRun(IReadOnlyList<decimal> xs)
    {
        int longest = 1, rising = 1, falling = 1;
        for (var i = 1; i < xs.Count; i++)
        {
            rising = xs[i] > xs[i - 1] ? rising + 1 : 1;
            falling = xs[i] < xs[i - 1] ? falling + 1 : 1;
            longest = Math.Max(longest, Math.Max(rising, falling));
        }

        return longest;
    }

    private static List<(string Phase, string Name)> AppendixLines()
    {
        using var stream = typeof(DemoGenerator).Assembly.GetManifestResourceStream("Scorecard.Data.Demo.education-agencies.txt");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .Select(parts =>
            {
                Assert.Equal(2, parts.Length);
                return (parts[0], parts[1]);
            })
            .ToList();
    }

    private static void AssertDistinct<T>(IEnumerable<T> items, IEqualityComparer<T> comparer)
    {
        var duplicates = items.GroupBy(x => x, comparer).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicates: " + string.Join(", ", duplicates));
    }

    private static bool IsAscii(string text) => text.All(c => c < 128);
}
