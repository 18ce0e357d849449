using Scorecard.Data.Analytics;
using static Scorecard.Tests.Analytics.SpcTestSupport;

namespace Scorecard.Tests.Analytics;

/// <summary>
/// Expectations published with NHSRplotthedots 0.2.x (tests/testthat and vignettes, as released to CRAN), ported.
/// The package's random inputs are R's <c>set.seed(123); rnorm(…)</c>, written out below to 17 significant digits
/// (which round-trips the doubles exactly). Where the package only published rounded numbers (snapshots, captions)
/// the assertion allows half a unit of the last published digit.
/// </summary>
public class SpcPackageExampleTests
{
    /// <summary>R: <c>set.seed(123); rnorm(20)</c>.</summary>
    private static readonly double[] Rnorm20Seed123 =
    [
        -0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576003, 0.12928773516094624,
        1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.68685285189352607, -0.44566197009995806,
        1.2240817974394615, 0.35981382705736381, 0.40077145059405217, 0.11068271594511971, -0.55584113475407493,
        1.7869131368030782, 0.49785047822923939, -1.9666171566296382, 0.70135590156368555, -0.47279140772793404,
    ];

    /// <summary>R: <c>set.seed(123); rnorm(24)</c> (the first 20 are <see cref="Rnorm20Seed123"/>).</summary>
    private static readonly double[] Rnorm24Seed123 =
    [
        .. Rnorm20Seed123, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.72889122929114025,
    ];

    /// <summary>R: the <c>rnorm(12, 5)</c> drawn next after <see cref="Rnorm24Seed123"/>.</summary>
    private static readonly double[] NextRnorm12Mean5 =
    [
        4.3749607321507433, 3.3133066892575869, 5.837787044494525, 5.153373117836515, 3.8618630629880526,
        6.2538149210699263, 5.426464221476814, 4.7049285170077288, 5.8951256610450224, 5.8781334875330424,
        5.8215810816374871, 5.6886402541000907,
    ];

    /// <summary>R: the <c>rnorm(12, -5)</c> drawn after <see cref="NextRnorm12Mean5"/>.</summary>
    private static readonly double[] ThenRnorm12MeanMinus5 =
    [
        -4.4460823464624113, -5.0619117105767213, -5.3059626637399164, -5.3804710010123831, -5.6947069789205127,
        -5.2079172780195986, -6.2653963515682642, -2.8310440346614874, -3.7920380016950093, -6.1231085832033489,
        -5.4028848352990764, -5.466655353623219,
    ];

    // ---- tests/testthat/test-ptd_spc_standard.R and _snaps/ptd_spc_standard.md ----

    [Fact]
    public void PtdSpcStandardSnapshotR1MeanAndLimitsOfRnorm20()
    {
        // Snapshot: mean 0.1416238, lpl -3.01138, upl 3.294627; outside_limits and close_to_limits all FALSE.
        var result = Spc.AnalyseDetailed(Rnorm20Seed123, new SpcOptions());

        Assert.All(result.Points, p =>
        {
            Close(0.1416238, p.Mean);
            Close(-3.01138, p.LowerLimit);
            Close(3.294627, p.UpperLimit);
        });
        // Snapshot relative_to_mean (first 15 shown): -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1.
        Assert.Equal(
            [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1],
            result.Points.Take(15).Select(p => Math.Sign(p.Value - p.Mean)));
        // _snaps/ptd_spc.md summary: n = 20, common_cause 20, special_cause_improvement 0, special_cause_concern 0.
        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void PtdSpcStandardSnapshotR2ScreensTheOutlier10()
    {
        // data$y[15] <- 10. Snapshot: mean 0.6694159, lpl -2.383666, upl 3.722497.
        var values = WithFifteenthSetTo10();

        var result = Spc.Analyse(values, new SpcOptions());

        Close(0.6694159, result.Points[0].Mean);
        Close(-2.383666, result.Points[0].LowerLimit);
        Close(3.722497, result.Points[0].UpperLimit);
    }

    [Fact]
    public void PtdSpcStandardSnapshotR3WithoutScreeningHasWiderLimits()
    {
        // o$screen_outliers <- FALSE. Snapshot: mean 0.6694159, lpl -4.596625, upl 5.935457.
        var values = WithFifteenthSetTo10();

        var r1 = Spc.Analyse(Rnorm20Seed123, new SpcOptions()).Points[0];
        var r2 = Spc.Analyse(values, new SpcOptions()).Points[0];
        var r3 = Spc.Analyse(values, new SpcOptions(ScreenOutliers: false)).Points[0];

        Close(0.6694159, r3.Mean);
        Close(-4.596625, r3.LowerLimit);
        Close(5.935457, r3.UpperLimit);
        // "check that we have different limits for all of the results" and the unscreened range is wider.
        Assert.NotEqual(r1.LowerLimit, r2.LowerLimit);
        Assert.NotEqual(r1.LowerLimit, r3.LowerLimit);
        Assert.NotEqual(r2.LowerLimit, r3.LowerLimit);
        Assert.NotEqual(r1.UpperLimit, r2.UpperLimit);
        Assert.NotEqual(r1.UpperLimit, r3.UpperLimit);
        Assert.NotEqual(r2.UpperLimit, r3.UpperLimit);
        Assert.True(r3.UpperLimit - r3.LowerLimit > r2.UpperLimit - r2.LowerLimit);
    }

    [Fact]
    public void PtdSpcStandardRebaseAtTheEleventhRowMakesTwoGroupsOfTen()
    {
        // rebase = c(rep(0, 10), 1, rep(0, 9)) gives rebase_group c(rep(0, 10), rep(1, 10)).
        var result = Spc.AnalyseDetailed(Rnorm20Seed123, new SpcOptions(RebaseAfter: [9]));

        Assert.Equal(Enumerable.Repeat(0, 10).Concat(Enumerable.Repeat(1, 10)), result.Points.Select(p => p.Segment));
    }

    [Fact]
    public void PtdSpcStandardSettingFixAfterNPointsChangesTheCalculations()
    {
        var s0 = Spc.Analyse(Rnorm20Seed123, new SpcOptions()).Points[0];
        var s1 = Spc.Analyse(Rnorm20Seed123, new SpcOptions(FixAfterPoints: 12)).Points[0];

        Assert.NotEqual(s0.LowerLimit, s1.LowerLimit);
        Assert.NotEqual(s0.UpperLimit, s1.UpperLimit);
    }

    [Fact]
    public void PtdSpcStandardOnlyReportsTwoOfThreeOnTheSameSideOfTheMean()
    {
        // data = rep(c(1, -1), 8) with data[15] = 5.5 and data[16] = -5.5; the package expects the last two to be
        // common cause. By hand: mean 0; the range 11 is screened, leaving 32.5 / 14; the two-sigma lines are
        // ±4.116667 and the limits ±6.175, so 5.5 and -5.5 are both near a limit but on opposite sides.
        double[] data = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 5.5, -5.5];

        var result = Spc.Analyse(data, new SpcOptions());

        Assert.Equal(PointType.CommonCause, result.Points[14].Type);
        Assert.Equal(PointType.CommonCause, result.Points[15].Type);
        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
        Close(6.175, result.Points[0].UpperLimit);
    }

    // ---- tests/testthat/test-ptd_spc.R and _snaps/ptd_spc.md (summary) ----

    [Fact]
    public void PtdSpcSummaryOfEachFacetOfTenPoints()
    {
        // Facets 0 and 1 (ten points each) are analysed independently, as segments are. Snapshot (3 significant
        // digits): facet 0 mean 0.0746, lpl -2.60, upl 2.75; facet 1 mean 0.209, lpl -3.28, upl 3.70; all 10 common
        // cause in each; groups of 10 are short groups (trial limits).
        var first = Spc.Analyse(Rnorm20Seed123[..10], new SpcOptions());
        var second = Spc.Analyse(Rnorm20Seed123[10..], new SpcOptions());

        Close(0.0746, first.Points[0].Mean, 0.00005);
        Close(-2.60, first.Points[0].LowerLimit, 0.005);
        Close(2.75, first.Points[0].UpperLimit, 0.005);
        Close(0.209, second.Points[0].Mean, 0.0005);
        Close(-3.28, second.Points[0].LowerLimit, 0.005);
        Close(3.70, second.Points[0].UpperLimit, 0.005);
        Assert.All(first.Points.Concat(second.Points), p => Assert.Equal(PointType.CommonCause, p.Type));
        Assert.True(first.TrialLimits);
        Assert.True(second.TrialLimits);

        // The same numbers come from rebasing the whole series between the two halves.
        var rebased = Spc.Analyse(Rnorm20Seed123, new SpcOptions(RebaseAfter: [9]));
        Assert.Equal(first.Points.Concat(second.Points), rebased.Points);
    }

    [Fact]
    public void PtdSpcSummaryWithATargetOfHalfIsHitAndMiss()
    {
        // Summary snapshot for the whole series: mean 0.142, lpl -3.01, upl 3.29; a target of 0.5 lies between.
        var result = Spc.Analyse(Rnorm20Seed123, new SpcOptions(Target: 0.5));

        Close(0.142, result.Points[0].Mean, 0.0005);
        Close(-3.01, result.Points[0].LowerLimit, 0.005);
        Close(3.29, result.Points[0].UpperLimit, 0.005);
        Assert.Equal(AssuranceIcon.Inconsistent, result.Assurance);
        Assert.False(result.TrialLimits);
    }

    // ---- tests/testthat/test-geom_ptd_icon.R ("ptd_get_icons transforms the data correctly") ----

    [Fact]
    public void PtdGetIconsS1ToS4CommonCauseAndHitAndMiss()
    {
        var s1 = Spc.Analyse(Rnorm24Seed123, new SpcOptions());
        Assert.Equal(VariationIcon.CommonCause, s1.Variation);
        Assert.Null(s1.Assurance);

        var s2 = Spc.Analyse(Rnorm24Seed123, new SpcOptions(Target: 0.5));
        Assert.Equal(VariationIcon.CommonCause, s2.Variation);
        Assert.Equal(AssuranceIcon.Inconsistent, s2.Assurance);

        // s3 / s4: facet f = rep(0:1, each = 12), each facet on its own.
        foreach (var facet in new[] { Rnorm24Seed123[..12], Rnorm24Seed123[12..] })
        {
            Assert.Equal(VariationIcon.CommonCause, Spc.Analyse(facet, new SpcOptions()).Variation);
            var withTarget = Spc.Analyse(facet, new SpcOptions(Target: 0.5));
            Assert.Equal(VariationIcon.CommonCause, withTarget.Variation);
            Assert.Equal(AssuranceIcon.Inconsistent, withTarget.Assurance);
        }
    }

    [Theory]
    [InlineData(ImprovementDirection.Increase, VariationIcon.ImprovementHigh, AssuranceIcon.ConsistentPass)] // s5
    [InlineData(ImprovementDirection.Decrease, VariationIcon.ConcernHigh, AssuranceIcon.ConsistentFail)] // s6
    public void PtdGetIconsS5S6SecondHalfMovedUpToMean5WithTargetMinus3(
        ImprovementDirection direction, VariationIcon variation, AssuranceIcon assurance)
    {
        // d$y[d$f == 1] <- rnorm(12, 5)
        double[] y = [.. Rnorm24Seed123[..12], .. NextRnorm12Mean5];

        var result = Spc.Analyse(y, new SpcOptions(direction, Target: -3));

        Assert.Equal(variation, result.Variation);
        Assert.Equal(assurance, result.Assurance);
    }

    [Theory]
    [InlineData(ImprovementDirection.Increase, VariationIcon.ConcernLow, AssuranceIcon.ConsistentFail)] // s7
    [InlineData(ImprovementDirection.Decrease, VariationIcon.ImprovementLow, AssuranceIcon.ConsistentPass)] // s8
    [InlineData(ImprovementDirection.Neutral, VariationIcon.NeutralLow, null)] // s9
    public void PtdGetIconsS7ToS9SecondHalfMovedDownToMeanMinus5WithTarget3(
        ImprovementDirection direction, VariationIcon variation, AssuranceIcon? assurance)
    {
        // d$y[d$f == 1] <- rnorm(12, -5)
        double[] y = [.. Rnorm24Seed123[..12], .. ThenRnorm12MeanMinus5];

        var result = Spc.Analyse(y, new SpcOptions(direction, Target: 3));

        Assert.Equal(variation, result.Variation);
        Assert.Equal(assurance, result.Assurance);
    }

    // ---- tests/testthat/test-ptd_calculate_point_type.R (ptd_seven_point_trend examples, as whole series) ----

    [Fact]
    public void PtdSevenPointTrendATieIn1233456MeansNoTrend()
    {
        // ptd_seven_point_trend(c(1:3, 3:6)) is all 0. As a series (mean 24 / 7, mean moving range 5 / 6, limits
        // 1.211905 and 5.645238) the 1 and the 6 are beyond the limits, but no point is part of a trend.
        var result = Spc.AnalyseDetailed([1, 2, 3, 3, 4, 5, 6], new SpcOptions());

        Assert.DoesNotContain(result.Points, p => p.Rule == SpecialCauseRule.Trend);
        Assert.Equal(Types(7, (0, 0, Concern), (6, 6, Improvement)), TypesOf(result));
    }

    [Fact]
    public void PtdSevenPointTrend1To7IsATrendWhoseEndsAreBeyondTheLimits()
    {
        // ptd_seven_point_trend(1:7) ends a trend at the 7th point. Mean 4, mean moving range 1, limits 1.34 and 6.66:
        // the 1 is below the lower limit (rule 1 beats the rising trend), the 7 above the upper one.
        var result = Spc.AnalyseDetailed([1, 2, 3, 4, 5, 6, 7], new SpcOptions());

        Assert.Equal(Types(7, (0, 0, Concern), (1, 6, Improvement)), TypesOf(result));
        Assert.Equal(
            ["Below the lower process limit", "Part of 7 rising points in a row", "Part of 7 rising points in a row", "Part of 7 rising points in a row",
                "Part of 7 rising points in a row", "Part of 7 rising points in a row", "Above the upper process limit"],
            result.Points.Select(p => p.SpecialCauseType));
    }

    [Fact]
    public void PtdSevenPointTrend2Then1To7Then3FlagsOnlyTheRise()
    {
        // ptd_seven_point_trend(c(2, 1:7, 3)) ends a trend at the 8th point. Mean 33 / 9, mean moving range 11 / 8:
        // no point is beyond a limit, the lone 1 and 7 near the limits are not two of three, and there is no shift.
        var result = Spc.Analyse([2, 1, 2, 3, 4, 5, 6, 7, 3], new SpcOptions());

        Assert.Equal(Types(9, (1, 7, Improvement)), TypesOf(result));
    }

    [Fact]
    public void PtdSevenPointTrend2Then7To1Then3FlagsOnlyTheFall()
    {
        // ptd_seven_point_trend(c(2, 7:1, 3)) ends a falling trend at the 8th point.
        var result = Spc.Analyse([2, 7, 6, 5, 4, 3, 2, 1, 3], new SpcOptions());

        Assert.Equal(Types(9, (1, 7, Concern)), TypesOf(result));
    }

    // ---- tests/testthat/test-ptd_add_short_group_warnings.R (default threshold 13 in 0.2.x) ----

    [Fact]
    public void PtdAddShortGroupWarningsAShortLastGroupHasTrialLimits()
    {
        // rebase_group = rep(c(0, 1, ...), times = c(35, 5, ...)): the 5-point group is short.
        var values = Enumerable.Range(0, 40).Select(i => (double)(i % 3)).ToArray();

        Assert.True(Spc.Analyse(values, new SpcOptions(RebaseAfter: [34])).TrialLimits);
        Assert.False(Spc.Analyse(values, new SpcOptions(RebaseAfter: [19])).TrialLimits);
    }

    private static double[] WithFifteenthSetTo10()
    {
        var values = Rnorm20Seed123.ToArray();
        values[14] = 10;
        return values;
    }
}
