using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

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
