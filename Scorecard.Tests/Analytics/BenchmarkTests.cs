using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

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
