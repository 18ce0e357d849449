using Scorecard.Data.Analytics;
using static Scorecard.Tests.Analytics.SpcTestSupport;

namespace Scorecard.Tests.Analytics;

/// <summary>Ghosting: a known special cause is drawn but left out of the mean, the moving ranges and the rules.</summary>
public sealed class SpcGhostingTests
{
    [Fact]
    public void AGhostedOutlierIsLeftOutOfTheMeanAndTheMovingRangesIntoAndOutOfIt()
    {
        // Kept: 10, 12, 10, 12, 12, 10, 12 (index 4 ghosted). Mean 78 / 7 = 11.142857. Moving ranges between
        // neighbours that are both kept: |12−10|, |10−12|, |12−10|, |10−12|, |12−10| = five 2s (3→5 is not a
        // neighbour pair, so the 60 leaves no range behind); mean moving range 2; limits 11.142857 ± 5.32.
        var result = Spc.AnalyseDetailed([10, 12, 10, 12, 60, 12, 10, 12], new SpcOptions(Ghosted: [4]));

        var segment = Assert.Single(result.Segments);
        Assert.Equal(78.0 / 7, segment.Mean, Tolerance);
        Assert.Equal(2, segment.MeanMovingRange!.Value, Tolerance);
        Assert.Equal(16.462857, segment.UpperLimit!.Value, Tolerance);
        Assert.Equal(5.822857, segment.LowerLimit!.Value, Tolerance);
        Assert.True(result.Points[4].Ghosted);
        Assert.Equal(60, result.Points[4].Value);
        Assert.Equal(PointType.CommonCause, result.Points[4].Type);
        Assert.Equal(SpcWords.GhostedDescription, result.Points[4].SpecialCauseType);
        Assert.All(result.Points.Where(p => p.Index != 4), p => Assert.False(p.Ghosted));
        Assert.True(result.ToResult().Points[4].Ghosted);
    }

    [Fact]
    public void WithoutGhostingTheSameOutlierMovesTheMeanAndIsFlagged()
    {
        // The contrast: mean 138 / 8 = 17.25; ranges 2 2 2 48 48 2 2 (none screened), limits 17.25 ± 40.3: the 60 is above.
        var result = Spc.AnalyseDetailed([10, 12, 10, 12, 60, 12, 10, 12], new SpcOptions());

        Assert.Equal(17.25, result.Segments[0].Mean, Tolerance);
        Assert.Equal(SpecialCauseRule.OutsideLimits, result.Points[4].Rule);
    }

    [Fact]
    public void AGhostedPointBreaksNoRunAndFiresNoRule()
    {
        // Baseline mean 11 (limits fixed on it); then 13 13 13 [0 ghosted] 13 13 13 13: the seven kept 13s are a run
        // of 7 above the mean, read as if the 0 were absent; the 0 itself is common cause, not "below the limit".
        var values = Baseline(13, 13, 13, 0, 13, 13, 13, 13);
        var result = Spc.AnalyseDetailed(values, Fixed() with { Ghosted = [15] });

        Assert.Equal(BaselineMean, result.Segments[0].Mean, Tolerance);
        Assert.Equal(SpecialCauseRule.None, result.Points[15].Rule);
        Assert.All(result.Points.Skip(12).Where(p => p.Index != 15), p =>
        {
            Assert.Equal(SpecialCauseRule.Shift, p.Rule);
            Assert.Equal(PointType.SpecialCauseImprovement, p.Type);
        });
    }

    [Fact]
    public void GhostedPointsDoNotCountTowardsTheFixedBaseline()
    {
        // Fix after 12 kept points: ghosting index 3 pulls index 12 into the baseline.
        var values = new double[] { 10, 12, 10, 50, 12, 10, 12, 10, 12, 10, 12, 10, 12, 11, 11 };
        var result = Spc.AnalyseDetailed(values, new SpcOptions(FixAfterPoints: 12, Ghosted: [3]));

        // Kept baseline: indices 0–2 and 4–12: 10 12 10 12 10 12 10 12 10 12 10 12 → mean 11; ranges between
        // neighbours both kept: (0,1), (1,2), (4,5) … (11,12) = 2 + 8 = 10 ranges of 2 → limits 11 ± 5.32.
        Assert.Equal(11, result.Segments[0].Mean, Tolerance);
        Assert.Equal(2, result.Segments[0].MeanMovingRange!.Value, Tolerance);
        Assert.Equal(16.32, result.Segments[0].UpperLimit!.Value, Tolerance);
    }

    [Fact]
    public void AGhostedLastPointDoesNotSetTheVariationIcon()
    {
        // The last kept point (index 18) ends a run of 7 above the mean; the ghosted 0 after it does not speak.
        var values = Baseline(13, 13, 13, 13, 13, 13, 13, 0);
        var result = Spc.AnalyseDetailed(values, Fixed() with { Ghosted = [19] });

        Assert.Equal(VariationIcon.ImprovementHigh, result.Variation);
    }

    [Fact]
    public void AGhostedIndexOutsideTheSeriesIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Spc.Analyse([1, 2, 3], new SpcOptions(Ghosted: [3])));

    [Fact]
    public void ASegmentWhosePointsAreAllGhostedKeepsThemAll()
    {
        var result = Spc.AnalyseDetailed([10, 12, 10], new SpcOptions(Ghosted: [0, 1, 2]));

        Assert.Equal(32.0 / 3, result.Segments[0].Mean, Tolerance);
        Assert.All(result.Points, p => Assert.False(p.Ghosted));
    }
}
