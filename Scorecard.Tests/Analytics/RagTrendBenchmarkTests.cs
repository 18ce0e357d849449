using Scorecard.Data.Catalog;
using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

public sealed class RagTests
{
    [Theory]
    [InlineData(95.0, "Green")]   // on target
    [InlineData(97.2, "Green")]   // better than target
    [InlineData(92.0, "Amber")]   // short, within the tolerance of 5
    [InlineData(90.0, "Amber")]   // exactly at the tolerance edge
    [InlineData(89.9, "Red")]     // beyond tolerance
    public void HigherIsBetterIsGreenAtOrAboveTargetAmberWithinToleranceRedBeyond(double value, string expected) =>
        Assert.Equal(Enum.Parse<RagStatus>(expected), Rag.Assess((decimal)value, 95m, 5m, Polarity.HigherIsBetter, 1));

    [Theory]
    [InlineData(20.0, "Green")]
    [InlineData(18.0, "Green")]
    [InlineData(23.0, "Amber")]
    [InlineData(23.1, "Red")]
    public void LowerIsBetterIsTheMirrorImage(double value, string expected) =>
        Assert.Equal(Enum.Parse<RagStatus>(expected), Rag.Assess((decimal)value, 20m, 3m, Polarity.LowerIsBetter, 1));

    [Fact]
    public void AValueThatRoundsToTheTargetIsNotRed() =>
        Assert.Equal(RagStatus.Green, Rag.Assess(94.96m, 95m, null, Polarity.HigherIsBetter, 1));

    [Fact]
    public void WithoutToleranceAnyShortfallIsRed() =>
        Assert.Equal(RagStatus.Red, Rag.Assess(94.9m, 95m, null, Polarity.HigherIsBetter, 1));

    [Fact]
    public void NoTargetIsGreyNoDataIsBlankAndNeutralIsContext()
    {
        Assert.Equal(RagStatus.NoTarget, Rag.Assess(50m, null, null, Polarity.HigherIsBetter, 1));
        Assert.Equal(RagStatus.NoData, Rag.Assess(null, 95m, 5m, Polarity.HigherIsBetter, 1));
        Assert.Equal(RagStatus.Context, Rag.Assess(50m, 40m, 5m, Polarity.Neutral, 1));
    }
}

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

public sealed class BenchmarkTests
{
    [Theory]
    [InlineData(88.7, 86.0, "HigherIsBetter", "Better")]
    [InlineData(84.0, 86.0, "HigherIsBetter", "Worse")]
    [InlineData(25.5, 22.4, "LowerIsBetter", "Worse")]
    [InlineData(20.1, 22.4, "LowerIsBetter", "Better")]
    [InlineData(86.04, 86.0, "HigherIsBetter", "Similar")]
    [InlineData(50.0, 40.0, "Neutral", "NotJudged")]
    public void TheLocalValueIsJudgedAgainstTheBenchmarkByPolarity(double local, double benchmark, string polarity, string expected) =>
        Assert.Equal(Enum.Parse<BenchmarkComparison>(expected),
            Benchmarks.Compare((decimal)local, (decimal)benchmark, Enum.Parse<Polarity>(polarity), 1));

    [Fact]
    public void NoBenchmarkIsNotComparable() =>
        Assert.Equal(BenchmarkComparison.NotComparable, Benchmarks.Compare(50m, null, Polarity.HigherIsBetter, 1));
}

public sealed class SmallNumberTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void OneToFourAreSmallAndZeroIsNot(int count, bool small) => Assert.Equal(small, SmallNumbers.IsSmall(count));

    [Fact]
    public void ALoneSmallCellTakesTheNextSmallestWithItSoTheTotalCannotRevealIt()
    {
        var hide = SmallNumbers.CellsToSuppress([3m, 40m, 12m, 0m, null]);

        Assert.Equal([true, false, true, false, false], hide);
    }

    [Fact]
    public void TwoSmallCellsAlreadyProtectEachOther()
    {
        var hide = SmallNumbers.CellsToSuppress([3m, 40m, 2m, 12m]);

        Assert.Equal([true, false, true, false], hide);
    }

    [Fact]
    public void NoSmallCellHidesNothing() => Assert.All(SmallNumbers.CellsToSuppress([30m, 40m, 0m]), Assert.False);
}
