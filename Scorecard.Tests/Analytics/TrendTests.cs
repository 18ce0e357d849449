using Scorecard.Data.Catalog;
using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

public sealed class TrendTests
{
    [Fact]
    public void APercentageMustMoveAWholePointToCount()
    {
        Assert.Equal(TrendJudgement.NoChange, Trend.Compare(85.9m, 85.0m, Polarity.HigherIsBetter, MeasureUnit.Percent, 1).Judgement);
        var up = Trend.Compare(86.0m, 85.0m, Polarity.HigherIsBetter, MeasureUnit.Percent, 1);
        Assert.Equal((TrendDirection.Up, TrendJudgement.Better), (up.Direction, up.Judgement));
        Assert.Equal(1.0m, up.Change);
    }

    [Fact]
    public void OtherUnitsMustMoveFivePercentOfTheEarlierValue()
    {
        Assert.Equal(TrendJudgement.NoChange, Trend.Compare(104m, 100m, Polarity.LowerIsBetter, MeasureUnit.Count, 0).Judgement);
        var worse = Trend.Compare(105m, 100m, Polarity.LowerIsBetter, MeasureUnit.Count, 0);
        Assert.Equal((TrendDirection.Up, TrendJudgement.Worse), (worse.Direction, worse.Judgement));
    }

    [Fact]
    public void ASmallBaseStillNeedsOneStepAtTheMeasuresDecimalPlaces()
    {
        // 5% of 2 is 0.1, but a whole-number measure cannot move less than 1.
        Assert.Equal(1m, Trend.MinimumEffectiveChange(MeasureUnit.Count, 0, 2m));
        Assert.Equal(TrendJudgement.Better, Trend.Compare(1m, 2m, Polarity.LowerIsBetter, MeasureUnit.Count, 0).Judgement);
    }

    [Fact]
    public void FallingIsBetterWhenLowerIsBetterAndNeutralIsNeverJudged()
    {
        Assert.Equal(TrendJudgement.Better, Trend.Compare(18m, 22m, Polarity.LowerIsBetter, MeasureUnit.Percent, 1).Judgement);
        var neutral = Trend.Compare(50m, 40m, Polarity.Neutral, MeasureUnit.Count, 0);
        Assert.Equal((TrendDirection.Up, TrendJudgement.NotJudged), (neutral.Direction, neutral.Judgement));
    }

    [Fact]
    public void AMissingValueGivesNoComparison()
    {
        Assert.Equal(TrendResult.NoData, Trend.Compare(null, 40m, Polarity.HigherIsBetter, MeasureUnit.Count, 0));
        Assert.Equal(TrendResult.NoData, Trend.Compare(40m, null, Polarity.HigherIsBetter, MeasureUnit.Count, 0));
    }
}
