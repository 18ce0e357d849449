using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "0 agencies")]
    [InlineData(1, "1 agency")]
    [InlineData(2, "2 agencies")]
    [InlineData(1500, "1,500 agencies")]
    public void CountsTakeTheirNounInTheRightNumber(long count, string expected) =>
        Assert.Equal(expected, Plural.Of(count, "agency", "agencies"));

    [Theory]
    [InlineData(1, "1 day")]
    [InlineData(14, "14 days")]
    public void DaysCarryTheirUnit(long days, string expected) => Assert.Equal(expected, Plural.Days(days));
}
