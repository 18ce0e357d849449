using Scorecard.Data.Analytics;
using static Scorecard.Tests.Analytics.SpcTestSupport;

namespace Scorecard.Tests.Analytics;

/// <summary>
/// The four Making Data Count rules and their precedence. Most series are the 12-point baseline (mean 11, limits 5.68
/// and 16.32, two-sigma lines 7.453333 and 14.546667; see <see cref="SpcTestSupport.Baseline"/>) fixed after 12
/// points, followed by the points under test, so every expectation below can be checked against those numbers.
/// </summary>
public class SpcRuleTests
{
    // ---- Rule 1: a point beyond a process limit ----

    [Fact]
    public void APointStrictlyAboveTheUpperLimitIsSpecialCause()
    {
        var result = Spc.AnalyseDetailed(Baseline(11, 17, 11), Fixed());

        Assert.Equal(Types(15, (13, 13, Improvement)), TypesOf(result));
        Assert.Equal(SpecialCauseRule.OutsideLimits, result.Points[13].Rule);
        Assert.Equal(SpecialCauseSide.High, result.Points[13].Side);
        Assert.Equal("Above the upper process limit", result.Points[13].SpecialCauseType);
    }

    [Fact]
    public void APointStrictlyBelowTheLowerLimitIsSpecialCause()
    {
        var result = Spc.AnalyseDetailed(Baseline(11, 5, 11), Fixed());

        Assert.Equal(Types(15, (13, 13, Concern)), TypesOf(result));
        Assert.Equal("Below the lower process limit", result.Points[13].SpecialCauseType);
    }

    [Fact]
    public void APointExactlyOnALimitIsNotBeyondIt()
    {
        // The limits are computed as mean + 2.66 × mean moving range = 11 + 2.66 × 2; the same expression gives the
        // same double here. Each such point is a lone point near a limit, which fires nothing either.
        var result = Spc.Analyse(Baseline(11, 11 + (2.66 * 2), 11, 11 - (2.66 * 2), 11), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    // ---- Rule 2: a trend of 7 points (6 steps), each step a strict rise or each a strict fall ----

    [Fact]
    public void SevenStrictlyRisingPointsAreATrendAndEveryOneIsFlagged()
    {
        var result = Spc.AnalyseDetailed(Baseline(9, 9.5, 10, 10.5, 11, 11.5, 12), Fixed());

        Assert.Equal(Types(19, (12, 18, Improvement)), TypesOf(result));
        Assert.All(result.Points.Skip(12), p =>
        {
            Assert.Equal(SpecialCauseRule.Trend, p.Rule);
            Assert.Equal("Part of 7 rising points in a row", p.SpecialCauseType);
        });
    }

    [Fact]
    public void SixStrictlyRisingPointsAreNotATrend()
    {
        var result = Spc.Analyse(Baseline(9, 9.5, 10, 10.5, 11, 11.5), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void SevenStrictlyFallingPointsAreADecreasingTrend()
    {
        // Index 11 (12) rises to 13, so the fall runs from index 12 to 18; indices 11 to 16 are six points above
        // the mean, one short of a shift.
        var result = Spc.AnalyseDetailed(Baseline(13, 12.5, 12, 11.5, 11.25, 10.5, 10), Fixed());

        Assert.Equal(Types(19, (12, 18, Concern)), TypesOf(result));
        Assert.All(result.Points.Skip(12), p => Assert.Equal("Part of 7 falling points in a row", p.SpecialCauseType));
    }

    [Fact]
    public void ATieBreaksATrend()
    {
        // 9, 9.5, 10 | 10, 10.5, 11, 11.5, 12: the repeated 10 is not a rise, so neither run reaches 7 points.
        var result = Spc.Analyse(Baseline(9, 9.5, 10, 10, 10.5, 11, 11.5, 12), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void ATrendTakesItsDirectionFromItsStepsNotFromTheSideOfTheMean()
    {
        // Package issue #171: 9 … 10.5 are below the mean of 11 but part of a rising trend, so with higher better
        // they are improvement, not concern.
        var result = Spc.Analyse(Baseline(9, 9.5, 10, 10.5, 11, 11.5, 12), Fixed());

        Assert.All(result.Points.Skip(12).Take(4), p =>
        {
            Assert.True(p.Value < BaselineMean);
            Assert.Equal(PointType.SpecialCauseImprovement, p.Type);
        });
    }

    [Fact]
    public void ThePeakSharedByARisingAndAFallingTrendCountsAsFalling()
    {
        // 8 … 14 rises over indices 12–18 and 14 … 8 falls over 18–24. The peak (index 18) has a trend point after
        // it, so it takes the step to its right, a fall. Nothing is near a limit (14 < 14.546667, 8 > 7.453333) and
        // no seven points sit on one side of the mean.
        var result = Spc.AnalyseDetailed(Baseline(8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8), Fixed());

        Assert.Equal(Types(25, (12, 17, Improvement), (18, 24, Concern)), TypesOf(result));
        Assert.Equal("Part of 7 falling points in a row", result.Points[18].SpecialCauseType);
        Assert.Equal(VariationIcon.ConcernLow, result.Variation);
    }

    [Fact]
    public void ThePeakCountsAsFallingEvenWithATieBetweenTheTrends()
    {
        // 8 … 14 rises over indices 12–18, 14 repeats at 19, and 14 … 8 falls over 19–25. Index 18's right-hand step
        // is the tie, which is not a strict rise, so it counts as falling.
        var result = Spc.Analyse(Baseline(8, 9, 10, 11, 12, 13, 14, 14, 13, 12, 11, 10, 9, 8), Fixed());

        Assert.Equal(Types(26, (12, 17, Improvement), (18, 25, Concern)), TypesOf(result));
    }

    [Fact]
    public void TheTroughSharedByAFallingAndARisingTrendCountsAsRising()
    {
        var result = Spc.Analyse(Baseline(14, 13, 12, 11, 10, 9, 8, 9, 10, 11, 12, 13, 14), Fixed());

        Assert.Equal(Types(25, (12, 17, Concern), (18, 24, Improvement)), TypesOf(result));
        Assert.Equal(VariationIcon.ImprovementHigh, result.Variation);
    }

    [Fact]
    public void TheLastPointOfATrendTakesTheStepFromItsLeft()
    {
        // The trend ends at index 18 (12) and the series drops to 10 at index 19, which is not in the trend, so
        // index 18 reads the step from its left (a rise), not the fall to its right.
        var result = Spc.AnalyseDetailed(Baseline(9, 9.5, 10, 10.5, 11, 11.5, 12, 10), Fixed());

        Assert.Equal("Part of 7 rising points in a row", result.Points[18].SpecialCauseType);
        Assert.Equal(PointType.CommonCause, result.Points[19].Type);
    }

    // ---- Rule 3: two of three points beyond a two-sigma line, on the same side of the mean ----

    [Fact]
    public void TwoConsecutivePointsNearTheUpperLimitAreFlaggedAndTheirNeighboursAreNot()
    {
        // 15 and 15.5 lie between 14.546667 and 16.32; with the 12 before them all three are above the mean.
        var result = Spc.AnalyseDetailed(Baseline(12, 15, 15.5, 12), Fixed());

        Assert.Equal(Types(16, (13, 14, Improvement)), TypesOf(result));
        Assert.All(result.Points.Skip(13).Take(2), p => Assert.Equal("Two of three points close to the upper limit", p.SpecialCauseType));
    }

    [Fact]
    public void TwoOfThreeAllowsOneOrdinaryPointBetweenTheTwo()
    {
        var result = Spc.Analyse(Baseline(12, 15, 12, 15, 12), Fixed());

        Assert.Equal(Types(17, (13, 13, Improvement), (15, 15, Improvement)), TypesOf(result));
    }

    [Fact]
    public void TwoOfThreeNearTheLowerLimitIsFlaggedLow()
    {
        // 7 lies between 5.68 and 7.453333; 10, 7, 10, 7, 10 are all below the mean.
        var result = Spc.AnalyseDetailed(Baseline(10, 7, 10, 7, 10), Fixed());

        Assert.Equal(Types(17, (13, 13, Concern), (15, 15, Concern)), TypesOf(result));
        Assert.Equal("Two of three points close to the lower limit", result.Points[13].SpecialCauseType);
    }

    [Fact]
    public void OnePointNearALimitIsNotEnough()
    {
        var result = Spc.Analyse(Baseline(12, 15, 12, 12), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void TwoPointsNearALimitFurtherApartThanThreeAreNotTwoOfThree()
    {
        // The package's ptd_part_of_two_in_three test: c(1, 0, 0, 1) gives nothing, c(1, 0, 0, 1, 1) flags the
        // last two only.
        Assert.All(Spc.Analyse(Baseline(15, 12, 12, 15), Fixed()).Points, p => Assert.Equal(PointType.CommonCause, p.Type));
        Assert.Equal(Types(17, (15, 16, Improvement)), TypesOf(Spc.Analyse(Baseline(15, 12, 12, 15, 15), Fixed())));
    }

    [Fact]
    public void TwoPointsNearLimitsOnOppositeSidesOfTheMeanAreNotTwoOfThree()
    {
        // Package issue #143: 15 is near the upper limit and 7 near the lower one; 15, 10, 15 straddle the mean.
        Assert.All(Spc.Analyse(Baseline(15, 7, 12), Fixed()).Points, p => Assert.Equal(PointType.CommonCause, p.Type));
        Assert.All(Spc.Analyse(Baseline(15, 10, 15), Fixed()).Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    // ---- Rule 4: a shift of 7 points on one side of the mean ----

    [Fact]
    public void SevenPointsAboveTheMeanAreAShiftAndEveryOneIsFlagged()
    {
        // The baseline's last point (index 11, 12) is above the mean too, so it is the first point of the shift.
        var result = Spc.AnalyseDetailed(Baseline(12, 12, 12, 12, 12, 12), Fixed());

        Assert.Equal(Types(18, (11, 17, Improvement)), TypesOf(result));
        Assert.All(result.Points.Skip(11), p => Assert.Equal("Part of a run of 7 points above the mean", p.SpecialCauseType));
    }

    [Fact]
    public void SevenPointsBelowTheMeanAreAShiftLow()
    {
        var result = Spc.AnalyseDetailed(Baseline(10, 10, 10, 10, 10, 10, 10), Fixed());

        Assert.Equal(Types(19, (12, 18, Concern)), TypesOf(result));
        Assert.Equal("Part of a run of 7 points below the mean", result.Points[12].SpecialCauseType);
    }

    [Fact]
    public void SixPointsOnOneSideOfTheMeanAreNotAShift()
    {
        var result = Spc.Analyse(Baseline(12, 12, 12, 12, 12), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void APointOnTheMeanBreaksAShift()
    {
        var result = Spc.Analyse(Baseline(12, 12, 12, 11, 12, 12, 12), Fixed());

        Assert.All(result.Points, p => Assert.Equal(PointType.CommonCause, p.Type));
    }

    [Fact]
    public void AShiftIsFoundEvenWhenTheLimitsAreNull()
    {
        // Twelve 5s fix a mean of 5 with no moving range left after screening, so there are no limits; the seven
        // 6s that follow are still seven points above the mean.
        double[] values = [.. Enumerable.Repeat(5.0, 12), 6, 6, 6, 6, 6, 6, 6];

        var result = Spc.Analyse(values, new SpcOptions(FixAfterPoints: 12));

        Assert.All(result.Points, p => Assert.Null(p.UpperLimit));
        Assert.Equal(Types(19, (12, 18, Improvement)), TypesOf(result));
    }

    [Fact]
    public void WithLimitsFixedOnTheMeanLaterPointsAreJudgedAgainstThem()
    {
        // Without screening the twelve 5s keep their zero ranges: both limits are 5 and a later 6 is beyond them.
        double[] values = [.. Enumerable.Repeat(5.0, 12), 6, 5];

        var result = Spc.Analyse(values, new SpcOptions(FixAfterPoints: 12, ScreenOutliers: false));

        Assert.Equal(Types(14, (12, 12, Improvement)), TypesOf(result));
    }

    // ---- Custom run lengths ----

    [Fact]
    public void ALongerShiftLengthNeedsMorePoints()
    {
        var options = new SpcOptions(FixAfterPoints: 12, ShiftLength: 8);

        Assert.All(Spc.Analyse(Baseline(12, 12, 12, 12, 12, 12), options).Points, p => Assert.Equal(PointType.CommonCause, p.Type));
        var result = Spc.AnalyseDetailed(Baseline(12, 12, 12, 12, 12, 12, 12), options);
        Assert.Equal(Types(19, (11, 18, Improvement)), TypesOf(result));
        Assert.Equal("Part of a run of 8 points above the mean", result.Points[18].SpecialCauseType);
    }

    [Fact]
    public void AShorterTrendLengthNeedsFewerPoints()
    {
        var result = Spc.AnalyseDetailed(Baseline(9, 9.5, 10, 10.5, 11, 11.5), new SpcOptions(FixAfterPoints: 12, TrendLength: 6));

        Assert.Equal(Types(18, (12, 17, Improvement)), TypesOf(result));
        Assert.Equal("Part of 6 rising points in a row", result.Points[12].SpecialCauseType);
    }

    // ---- Precedence: 1 > 2 > 3 > 4 ----

    [Fact]
    public void APointBeyondALimitBeatsATrendInTheOtherDirection()
    {
        // 17 … 10.5 falls over indices 12–18; 17 is also above the upper limit. Indices 11–17 are seven points above
        // the mean (a shift). Index 12: rule 1 (high) beats the falling trend. Indices 13–18: the falling trend beats
        // the shift (high). Index 11 is only in the shift.
        var result = Spc.AnalyseDetailed(Baseline(17, 14.5, 14, 13, 12, 11.5, 10.5), Fixed());

        Assert.Equal(Types(19, (11, 12, Improvement), (13, 18, Concern)), TypesOf(result));
        Assert.Equal("Part of a run of 7 points above the mean", result.Points[11].SpecialCauseType);
        Assert.Equal("Above the upper process limit", result.Points[12].SpecialCauseType);
        Assert.Equal("Part of 7 falling points in a row", result.Points[13].SpecialCauseType);
    }

    [Fact]
    public void ATrendBeatsTwoOfThreeAndAShiftInTheOtherDirection()
    {
        // 15 and 14.8 are near the upper limit with 12 before them (two of three, high); 15 … 11.5 falls over
        // indices 12–18 (trend, low); indices 11–18 are all above the mean (shift, high).
        var result = Spc.AnalyseDetailed(Baseline(15, 14.8, 14, 13, 12.5, 12, 11.5), Fixed());

        Assert.Equal(Types(19, (11, 11, Improvement), (12, 18, Concern)), TypesOf(result));
        Assert.All(result.Points.Skip(12), p => Assert.Equal(SpecialCauseRule.Trend, p.Rule));
    }

    [Fact]
    public void TwoOfThreeBeatsAShift()
    {
        // Both rules point high, so only the rule shows the precedence.
        var result = Spc.AnalyseDetailed(Baseline(12, 15, 15.5, 12, 12, 12), Fixed());

        Assert.Equal(Types(18, (11, 17, Improvement)), TypesOf(result));
        Assert.Equal(
            ["Part of a run of 7 points above the mean", "Part of a run of 7 points above the mean", "Two of three points close to the upper limit", "Two of three points close to the upper limit", "Part of a run of 7 points above the mean", "Part of a run of 7 points above the mean", "Part of a run of 7 points above the mean"],
            result.Points.Skip(11).Select(p => p.SpecialCauseType));
    }

    [Fact]
    public void APointBeyondALimitBeatsAShift()
    {
        var result = Spc.AnalyseDetailed(Baseline(12, 12, 17, 12, 12, 12), Fixed());

        Assert.Equal(Types(18, (11, 17, Improvement)), TypesOf(result));
        Assert.Equal(SpecialCauseRule.OutsideLimits, result.Points[14].Rule);
        Assert.All(result.Points.Skip(11).Where(p => p.Index != 14), p => Assert.Equal(SpecialCauseRule.Shift, p.Rule));
    }

    [Fact]
    public void APointBeyondALimitIsNotItselfNearTheLimit()
    {
        // 15, 17, 15: the 15s are two of three (17 is beyond the limit, so it counts as neither near nor flagged
        // by rule 3 – it has rule 1).
        var result = Spc.AnalyseDetailed(Baseline(15, 17, 15), Fixed());

        Assert.Equal(Types(15, (12, 14, Improvement)), TypesOf(result));
        Assert.Equal(
            [SpecialCauseRule.TwoOfThree, SpecialCauseRule.OutsideLimits, SpecialCauseRule.TwoOfThree],
            result.Points.Skip(12).Select(p => p.Rule));
    }

    // ---- Improvement direction ----

    [Fact]
    public void WhenLowerIsBetterAHighPointIsConcernAndALowPointIsImprovement()
    {
        var options = Fixed(ImprovementDirection.Decrease);

        Assert.Equal(Types(15, (13, 13, Concern)), TypesOf(Spc.Analyse(Baseline(11, 17, 11), options)));
        Assert.Equal(Types(15, (13, 13, Improvement)), TypesOf(Spc.Analyse(Baseline(11, 5, 11), options)));
        Assert.Equal(
            Types(25, (12, 17, Concern), (18, 24, Improvement)),
            TypesOf(Spc.Analyse(Baseline(8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8), options)));
    }

    [Fact]
    public void WhenNeitherDirectionIsBetterPointsAreNeutralHighOrLow()
    {
        var options = Fixed(ImprovementDirection.Neutral);

        Assert.Equal(Types(15, (13, 13, NeutralHigh)), TypesOf(Spc.Analyse(Baseline(11, 17, 11), options)));
        Assert.Equal(Types(15, (13, 13, NeutralLow)), TypesOf(Spc.Analyse(Baseline(11, 5, 11), options)));
        Assert.Equal(
            Types(25, (12, 17, NeutralHigh), (18, 24, NeutralLow)),
            TypesOf(Spc.Analyse(Baseline(8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8), options)));
        Assert.Equal(Types(19, (12, 18, NeutralLow)), TypesOf(Spc.Analyse(Baseline(10, 10, 10, 10, 10, 10, 10), options)));
    }
}
