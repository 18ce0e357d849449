using Scorecard.Data.Analytics;
using static Scorecard.Tests.Analytics.SpcTestSupport;

namespace Scorecard.Tests.Analytics;

/// <summary>Centre line, limits, segments, options and edge cases of <see cref="Spc"/>.</summary>
public class SpcTests
{
    [Fact]
    public void MeanLimitsAndTwoSigmaLinesComeFromTheMeanMovingRange()
    {
        // Mean 58 / 5 = 11.6; moving ranges 2, 1, 2, 1, all below 3.267 × 1.5, so the mean moving range is 1.5.
        // Limits 11.6 ± 2.66 × 1.5 = 11.6 ± 3.99; two-sigma lines 11.6 ± (2/3) × 2.66 × 1.5 = 11.6 ± 2.66.
        var result = Spc.AnalyseDetailed([10, 12, 11, 13, 12], new SpcOptions());

        Assert.All(result.Points, p =>
        {
            Close(11.6, p.Mean);
            Close(15.59, p.UpperLimit);
            Close(7.61, p.LowerLimit);
            Close(14.26, p.UpperTwoSigma);
            Close(8.94, p.LowerTwoSigma);
            Assert.Equal(PointType.CommonCause, p.Type);
        });
        var segment = Assert.Single(result.Segments);
        Close(1.5, segment.MeanMovingRange);
    }

    [Fact]
    public void AnalyseReportsTheSamePointsAndIconsAsTheDetailedAnalysis()
    {
        double[] values = [10, 12, 11, 13, 12, 30, 11];
        var options = new SpcOptions(Target: 9);

        var simple = Spc.Analyse(values, options);
        var detailed = Spc.AnalyseDetailed(values, options);

        Assert.Equal(detailed.Points.Select(p => p.ToPoint()), simple.Points);
        Assert.Equal(detailed.Variation, simple.Variation);
        Assert.Equal(detailed.Assurance, simple.Assurance);
        Assert.Equal(detailed.TrialLimits, simple.TrialLimits);
    }

    [Fact]
    public void ScreeningRemovesAMovingRangeAtOrAbove3267TimesTheMeanMovingRange()
    {
        // The package's deviations vignette: 1, 2, 1, 2, 10, 1, 2, … (18 points). Mean 35 / 18 = 1.944444.
        // Moving ranges: fifteen of 1, plus 8 and 9 around the 10; their mean is 32 / 17 = 1.882353 and the cut-off
        // 3.267 × 1.882353 = 6.149647 removes 8 and 9, leaving a mean moving range of exactly 1.
        // Limits 1.944444 ± 2.66 (the vignette's caption: UPL 4.6, mean 1.94, LPL -0.72).
        var result = Spc.AnalyseDetailed(DeviationsVignetteData, new SpcOptions());

        var segment = Assert.Single(result.Segments);
        Close(1, segment.MeanMovingRange);
        Close(35.0 / 18, segment.Mean);
        Close(35.0 / 18 + 2.66, segment.UpperLimit);
        Close(35.0 / 18 - 2.66, segment.LowerLimit);
        Assert.Equal(4.6, Math.Round(segment.UpperLimit!.Value, 2));
        Assert.Equal(1.94, Math.Round(segment.Mean, 2));
        Assert.Equal(-0.72, Math.Round(segment.LowerLimit!.Value, 2));
        // "a single blue special cause improvement point": the 10, above the upper limit.
        Assert.Equal(Types(18, (4, 4, Improvement)), TypesOf(result));
    }

    [Fact]
    public void WithoutScreeningEveryMovingRangeIsAveraged()
    {
        // Mean moving range 32 / 17; limits 35/18 ± 2.66 × 32/17 = 6.951503 and -3.062614
        // (the vignette's caption: UPL 6.95, mean 1.94, LPL -3.06).
        var result = Spc.AnalyseDetailed(DeviationsVignetteData, new SpcOptions(ScreenOutliers: false));

        var segment = Assert.Single(result.Segments);
        Close(32.0 / 17, segment.MeanMovingRange);
        Close(6.951503, segment.UpperLimit);
        Close(-3.062614, segment.LowerLimit);
        Assert.Equal(Types(18, (4, 4, Improvement)), TypesOf(result));
    }

    [Fact]
    public void ScreeningKeepsAMovingRangeJustBelowTheCutOff()
    {
        // Ranges 1, 1, 1, 1, 4.5: mean 8.5 / 5 = 1.7, cut-off 3.267 × 1.7 = 5.5539, so 4.5 stays.
        var kept = Spc.AnalyseDetailed([0, 1, 0, 1, 0, 4.5], new SpcOptions());
        Close(1.7, kept.Segments[0].MeanMovingRange);

        // Ranges 0.1 × 8 and 3: mean 3.8 / 9 = 0.422222, cut-off 1.379400, so 3 goes and 0.1 is left.
        var removed = Spc.AnalyseDetailed([0, 0.1, 0, 0.1, 0, 0.1, 0, 0.1, 0, 3], new SpcOptions());
        Close(0.1, removed.Segments[0].MeanMovingRange);
    }

    [Fact]
    public void AFlatSeriesHasNoLimitsBecauseScreeningRemovesEveryZeroRange()
    {
        // Every moving range is 0 and none is strictly below 3.267 × 0, so nothing is left to average.
        var result = Spc.AnalyseDetailed(Enumerable.Repeat(5.0, 15).ToArray(), new SpcOptions());

        Assert.All(result.Points, p =>
        {
            Assert.Equal(5, p.Mean);
            Assert.Null(p.UpperLimit);
            Assert.Null(p.LowerLimit);
            Assert.Null(p.UpperTwoSigma);
            Assert.Null(p.LowerTwoSigma);
            Assert.Equal(PointType.CommonCause, p.Type);
        });
        Assert.Null(result.Segments[0].MeanMovingRange);
        Assert.Equal(VariationIcon.CommonCause, result.Variation);
    }

    [Fact]
    public void TheMeanIsComputedAsAccuratelyAsRsSoAFlatSeriesSitsOnIt()
    {
        // Ten 0.1s: adding them one by one in doubles gives 0.9999999999999999, and / 10 a mean just below 0.1, which
        // would put all ten points above the mean (a shift). R's mean() sums in extended precision and gets 0.1
        // exactly, so every point is on the mean and nothing fires.
        var result = Spc.Analyse(Enumerable.Repeat(0.1, 10).ToArray(), new SpcOptions());

        Assert.All(result.Points, p =>
        {
            Assert.Equal(0.1, p.Mean);
            Assert.Equal(PointType.CommonCause, p.Type);
        });
    }

    [Fact]
    public void AFlatSeriesWithoutScreeningHasLimitsEqualToTheMean()
    {
        var result = Spc.Analyse(Enumerable.Repeat(5.0, 15).ToArray(), new SpcOptions(ScreenOutliers: false));

        Assert.All(result.Points, p =>
        {
            Assert.Equal(5, p.UpperLimit);
            Assert.Equal(5, p.LowerLimit);
            Assert.Equal(PointType.CommonCause, p.Type);
        });
    }

    [Fact]
    public void AMeanMovingRangeOfExactlyZeroWithRangesKeptPutsTheLimitsOnTheMean()
    {
        // 2 × 8 then -20: mean -4 / 9. Ranges: seven 0s and 22; the cut-off 3.267 × 22 / 8 = 8.98425 removes 22 and
        // keeps the 0s, so the mean moving range is 0 and both limits equal the mean. Every 2 is then strictly above
        // the upper limit and -20 strictly below the lower one.
        var result = Spc.AnalyseDetailed([2, 2, 2, 2, 2, 2, 2, 2, -20], new SpcOptions());

        var segment = Assert.Single(result.Segments);
        Assert.Equal(0, segment.MeanMovingRange);
        Close(-4.0 / 9, segment.UpperLimit);
        Close(-4.0 / 9, segment.LowerLimit);
        Assert.Equal(Types(9, (0, 7, Improvement), (8, 8, Concern)), TypesOf(result));
        Assert.All(result.Points.Take(8), p => Assert.Equal("Above the upper process limit", p.SpecialCauseType));
        Assert.Equal("Below the lower process limit", result.Points[8].SpecialCauseType);
    }

    [Fact]
    public void ASinglePointHasItsValueAsTheMeanAndNoLimits()
    {
        var result = Spc.Analyse([4.2], new SpcOptions(Target: 1));

        var point = Assert.Single(result.Points);
        Assert.Equal(new SpcPoint(4.2, 4.2, null, null, PointType.CommonCause), point);
        Assert.Equal(VariationIcon.CommonCause, result.Variation);
        Assert.Equal(AssuranceIcon.Inconsistent, result.Assurance);
        Assert.True(result.TrialLimits);
    }

    [Fact]
    public void TwoPointsGiveOneMovingRange()
    {
        // Mean 5, one range of 2 (below 3.267 × 2), limits 5 ± 5.32.
        var result = Spc.Analyse([4, 6], new SpcOptions());

        Assert.All(result.Points, p =>
        {
            Close(5, p.Mean);
            Close(10.32, p.UpperLimit);
            Close(-0.32, p.LowerLimit);
        });
    }

    [Fact]
    public void AnEmptySeriesGivesAnEmptyCommonCauseResult()
    {
        var result = Spc.AnalyseDetailed([], new SpcOptions(Target: 3));

        Assert.Empty(result.Points);
        Assert.Empty(result.Segments);
        Assert.Equal(VariationIcon.CommonCause, result.Variation);
        Assert.Null(result.Assurance);
        Assert.False(result.TrialLimits);
        Assert.Empty(Spc.Analyse([], new SpcOptions()).Points);
    }

    [Fact]
    public void RebasingGivesEachSegmentItsOwnMeanAndLimits()
    {
        // 10, 12 × 6 then 20, 22 × 6, rebased after index 11: means 11 and 21, both with a mean moving range of 2.
        double[] values = [.. Baseline(), 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22];

        var result = Spc.AnalyseDetailed(values, new SpcOptions(RebaseAfter: [11]));

        Assert.Equal(2, result.Segments.Count);
        Assert.Equal((0, 12), (result.Segments[0].Start, result.Segments[0].Count));
        Assert.Equal((12, 12), (result.Segments[1].Start, result.Segments[1].Count));
        Assert.All(result.Points.Take(12), p =>
        {
            Assert.Equal(0, p.Segment);
            Close(11, p.Mean);
            Close(16.32, p.UpperLimit);
            Close(5.68, p.LowerLimit);
        });
        Assert.All(result.Points.Skip(12), p =>
        {
            Assert.Equal(1, p.Segment);
            Close(21, p.Mean);
            Close(26.32, p.UpperLimit);
            Close(15.68, p.LowerLimit);
        });
        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void WithoutTheRebaseTheSameSeriesIsFullOfSpecialCauses()
    {
        double[] values = [.. Baseline(), 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22];

        var result = Spc.Analyse(values, new SpcOptions());

        // One segment: mean 384 / 24 = 16; the jump of 8 is screened out (the cut-off is 3.267 × 52 / 23 = 7.386),
        // leaving a mean moving range of 2 and limits 10.68 and 21.32. The first twelve points are all below the
        // mean (a shift; the 10s are even below the lower limit) and the last twelve all above (the 22s beyond the
        // upper limit).
        Assert.Equal(Types(24, (0, 11, Concern), (12, 23, Improvement)), TypesOf(result));
    }

    [Fact]
    public void RulesDoNotRunAcrossARebase()
    {
        // 3, 4, 5, 6, 7 | 8, 9 rise strictly across the rebase after index 9: seven points in one segment would be a
        // trend, but neither segment holds more than five of them.
        // Segment 1: mean 4.6, mean moving range 14 / 9, two-sigma lines 4.6 ± 2.758519, so nothing is near a limit
        // and the points alternate about the mean. Segment 2: mean 49 / 6, mean moving range 1.8, likewise quiet.
        double[] values = [5, 3, 5, 3, 5, 3, 4, 5, 6, 7, 8, 9, 7, 9, 7, 9];

        var rebased = Spc.Analyse(values, new SpcOptions(RebaseAfter: [9]));
        Assert.All(rebased.Points, p => Assert.Equal(PointType.CommonCause, p.Type));

        // As one segment (mean 95 / 16 = 5.9375, mean moving range 1.6) the rise from index 5 to 11 is a trend; before
        // it the first eight points are all below the mean (a shift, with 2-in-3 lows at the 3s, under the trend
        // from index 5), after it indices 8 to 15 are all above (a shift).
        var whole = Spc.Analyse(values, new SpcOptions());
        Assert.Equal(Types(16, (0, 4, Concern), (5, 15, Improvement)), TypesOf(whole));
    }

    [Fact]
    public void RebaseIndicesMayBeUnsortedDuplicatedOrTheLastPoint()
    {
        double[] values = [.. Baseline(), 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22];

        var tidy = Spc.Analyse(values, new SpcOptions(RebaseAfter: [11]));
        var messy = Spc.Analyse(values, new SpcOptions(RebaseAfter: [23, 11, 11]));

        Assert.Equal(tidy.Points, messy.Points);
        Assert.Equal(2, Spc.AnalyseDetailed(values, new SpcOptions(RebaseAfter: [23, 11, 11])).Segments.Count);
    }

    [Fact]
    public void ARebaseAfterEveryPointGivesOnePointSegmentsWithoutLimits()
    {
        var result = Spc.AnalyseDetailed([1, 5, 9], new SpcOptions(RebaseAfter: [0, 1]));

        Assert.Equal(3, result.Segments.Count);
        Assert.Equal([1.0, 5, 9], result.Points.Select(p => p.Mean));
        Assert.All(result.Points, p => Assert.Null(p.UpperLimit));
        Assert.True(result.TrialLimits);
    }

    [Fact]
    public void FixingAfter12PointsKeepsLaterPointsOutOfTheMeanAndMovingRanges()
    {
        // Fixed: mean and limits from the baseline only (11, 5.68, 16.32), so 30 is beyond the upper limit. Later
        // ranges (18, 19, 0.5, 0.5) would change the mean moving range if they were averaged; they are not.
        var fixedResult = Spc.AnalyseDetailed(Baseline(30, 11, 11.5, 11), Fixed());
        Assert.All(fixedResult.Points, p =>
        {
            Close(BaselineMean, p.Mean);
            Close(BaselineUpper, p.UpperLimit);
            Close(BaselineLower, p.LowerLimit);
        });
        Close(2, fixedResult.Segments[0].MeanMovingRange);
        Assert.Equal(Types(16, (12, 12, Improvement)), TypesOf(fixedResult));

        // Unfixed: the mean is 195.5 / 16 and every range joins the average before screening.
        var unfixed = Spc.AnalyseDetailed(Baseline(30, 11, 11.5, 11), new SpcOptions());
        Close(195.5 / 16, unfixed.Points[0].Mean);
        Assert.NotEqual(2, unfixed.Segments[0].MeanMovingRange);
    }

    [Fact]
    public void FixingAppliesToTheFirstPointsOfEachSegment()
    {
        double[] values = [.. Baseline(40), 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 40];

        var result = Spc.Analyse(values, new SpcOptions(FixAfterPoints: 12, RebaseAfter: [12]));

        Assert.All(result.Points.Take(13), p => Close(11, p.Mean));
        Assert.All(result.Points.Skip(13), p => Close(21, p.Mean));
        Assert.Equal(Types(26, (12, 12, Improvement), (25, 25, Improvement)), TypesOf(result));
    }

    [Fact]
    public void FixingAfterMorePointsThanASegmentHoldsUsesTheWholeSegment()
    {
        double[] values = [10, 12, 11, 13, 12];

        Assert.Equal(
            Spc.Analyse(values, new SpcOptions()).Points,
            Spc.Analyse(values, new SpcOptions(FixAfterPoints: 20)).Points);
    }

    [Fact]
    public void FixingAfterFewerThan12PointsIsRejectedAsThePackageDoes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse(Baseline(), new SpcOptions(FixAfterPoints: 11)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse(Baseline(), new SpcOptions(FixAfterPoints: 0)));
        var fixedAt12 = Spc.Analyse(Baseline(), new SpcOptions(FixAfterPoints: 12));
        Assert.Equal(Baseline().Take(12).Average(), fixedAt12.Points[^1].Mean!.Value, 10);
    }

    [Fact]
    public void TwelvePointsGiveTrialLimitsAndThirteenDoNot()
    {
        Assert.True(Spc.Analyse(Baseline(), new SpcOptions()).TrialLimits);
        Assert.False(Spc.Analyse(Baseline(11), new SpcOptions()).TrialLimits);
        Assert.True(Spc.AnalyseDetailed(Baseline(), new SpcOptions()).Segments[0].TrialLimits);
    }

    [Fact]
    public void TrialLimitsFollowTheLastSegment()
    {
        double[] values = [.. Baseline(11), .. Baseline()];

        // 13 then 12 points: the last segment is short.
        var shortLast = Spc.AnalyseDetailed(values, new SpcOptions(RebaseAfter: [12]));
        Assert.True(shortLast.TrialLimits);
        Assert.False(shortLast.Segments[0].TrialLimits);

        // 12 then 13 points: the last segment is long enough.
        var longLast = Spc.AnalyseDetailed(values, new SpcOptions(RebaseAfter: [11]));
        Assert.False(longLast.TrialLimits);
        Assert.True(longLast.Segments[0].TrialLimits);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void AValueThatIsNotFiniteIsRejected(double bad)
    {
        Assert.Throws<ArgumentException>(() => Spc.Analyse([1, bad, 3], new SpcOptions()));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ATargetThatIsNotFiniteIsRejected(double bad)
    {
        Assert.Throws<ArgumentException>(() => Spc.Analyse([1, 2, 3], new SpcOptions(Target: bad)));
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => Spc.Analyse(null!, new SpcOptions()));
        Assert.Throws<ArgumentNullException>(() => Spc.Analyse([1.0], null!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void ARebaseIndexOutsideTheSeriesIsRejected(int index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse([1, 2, 3], new SpcOptions(RebaseAfter: [index])));
    }

    [Fact]
    public void RunLengthsBelowTwoAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse([1, 2, 3], new SpcOptions(TrendLength: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse([1, 2, 3], new SpcOptions(ShiftLength: 1)));
    }

    [Fact]
    public void AnUndefinedDirectionIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Spc.Analyse([1, 2, 3], new SpcOptions(Direction: (ImprovementDirection)42)));
    }

    [Fact]
    public void TheInputListIsNotModifiedAndPointsKeepInputOrder()
    {
        double[] values = [3, 1, 2];

        var result = Spc.Analyse(values, new SpcOptions());

        Assert.Equal([3.0, 1, 2], values);
        Assert.Equal([3.0, 1, 2], result.Points.Select(p => p.Value));
    }

    internal static readonly double[] DeviationsVignetteData = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
}
