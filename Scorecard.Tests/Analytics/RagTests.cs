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
