using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

public sealed class SpcRuleFlagsTests
{
    private static readonly SpcOptions RunsOfSix = new(ImprovementDirection.Neutral, ScreenOutliers: false, TrendLength: 6, ShiftLength: 6);

    [Fact]
    public void ARunOfSixAboveTheMeanIsFlaggedEvenWhereAnotherRuleWouldTakePrecedence()
    {
        double[] series = [10, 9, 11, 10, 9, 11, 10, 9, 14, 14.5, 25, 14.5, 14, 14.5];

        var flags = Spc.RuleFlags(series, RunsOfSix);
        var detail = Spc.AnalyseDetailed(series, RunsOfSix);

        Assert.All(flags.InShift.Skip(8), Assert.True);
        Assert.Equal([10], flags.Outside.Select((o, i) => (o, i)).Where(x => x.o).Select(x => x.i));
        // The analysis gives the outlier rule 1, so only the flags show it is also part of the run.
        Assert.Equal(SpecialCauseRule.OutsideLimits, detail.Points[10].Rule);
    }

    [Fact]
    public void SixStrictRisesMakeATrendAndATieBreaksIt()
    {
        Assert.True(Spc.RuleFlags([5, 1, 2, 3, 4, 5, 6, 2], RunsOfSix).InTrend[1]);
        Assert.DoesNotContain(true, Spc.RuleFlags([5, 1, 2, 3, 3, 5, 6, 2], RunsOfSix).InTrend);
    }
}
