using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>
/// The measure page's agency cells beside the partnership and sector totals (issue 8 §2), decided by the disclosure
/// audit: each case is built by hand so that the older rule ("hide the next smallest cell when only one is hidden")
/// or no rule would give a hidden count away, and checks both what is hidden and that the totals are then safe.
/// </summary>
public sealed class ComplementarySuppressionTests
{
    private static readonly string[] OneSector = ["schools", "schools", "schools", "schools"];

    [Fact]
    public void NoSmallCellHidesNothing()
    {
        var hide = Disclosure.CellsToHide([10m, 20m, 30m, 40m], OneSector).HiddenCells;

        Assert.All(hide, Assert.False);
    }

    [Fact]
    public void OneSmallCellBesideATotalTakesTheSmallestOtherCellWithIt()
    {
        // Total 73: with only the 3 hidden, 73 − (20 + 30 + 20) gives it back.
        decimal?[] counts = [3m, 20m, 30m, 20m];
        Assert.False(Disclosure.TotalsSafe(counts, OneSector, [true, false, false, false]));

        var hide = Disclosure.CellsToHide(counts, OneSector).HiddenCells;

        Assert.Equal([true, true, false, false], hide);
        Assert.True(Disclosure.TotalsSafe(counts, OneSector, hide));
    }

    [Fact]
    public void TwoHiddenCellsThatCanOnlyBeFoursAreProtectedByAThird()
    {
        // Two hidden cells of 4 and 4: the total less the shown cells is 8, and two counts of 1–4 making 8 are both 4.
        // The older rule saw two hidden cells and hid nothing more.
        decimal?[] counts = [4m, 4m, 50m, 60m];
        Assert.False(Disclosure.TotalsSafe(counts, OneSector, [true, true, false, false]));

        var hide = Disclosure.CellsToHide(counts, OneSector).HiddenCells;

        Assert.Equal([true, true, true, false], hide);
        Assert.True(Disclosure.TotalsSafe(counts, OneSector, hide));
    }

    [Fact]
    public void AHiddenCellIsProtectedWithinItsOwnSectorsTotalToo()
    {
        // The police's 2 is hidden; the smallest other cell (a school's 6) would protect the partnership total but not the
        // police sector's: its total less the other police cell gives the 2 back. The audit picks a police cell.
        decimal?[] counts = [2m, 40m, 6m, 9m];
        string[] sectors = ["police", "police", "education", "education"];

        var hide = Disclosure.CellsToHide(counts, sectors).HiddenCells;

        Assert.Equal([true, true, false, false], hide);
        Assert.True(Disclosure.TotalsSafe(counts, sectors, hide));
        Assert.False(Disclosure.TotalsSafe(counts, sectors, [true, false, true, false]));
    }

    [Fact]
    public void AgenciesThatSentNothingAreNoCellsAndNoTerms()
    {
        decimal?[] counts = [3m, null, 30m, 20m];

        var hide = Disclosure.CellsToHide(counts, OneSector).HiddenCells;

        Assert.Equal([true, false, false, true], hide);
        Assert.True(Disclosure.TotalsSafe(counts, OneSector, hide));
    }

    [Fact]
    public void WhenTwoTotalsGiveASmallSectorAwayTheLaterTotalIsWithheld()
    {
        // CS-NRM in 2020/21 Q3 as the demo has it: the council's 4 is hidden, and hiding both police cells cannot help:
        // the partnership's 11 less the police's 7 is the council's 4. The police total is withheld (the council's own
        // total is 4, itself hidden).
        decimal?[] counts = [0m, 7m, 4m];
        string[] sectors = ["police", "police", "council"];

        var decided = Disclosure.CellsToHide(counts, sectors);

        Assert.False(decided.PartnershipWithheld);
        Assert.Equal(["police"], decided.WithheldGroups);
        Assert.True(decided.HiddenCells[2]);
    }

    [Fact]
    public void TwoSmallCellsAloneMakeAPartnershipTotalThatIsWithheld()
    {
        // 4 and 4: the partnership's 8 is not small, but it says both are 4.
        var decided = Disclosure.CellsToHide([4m, 4m], ["schools", "schools"]);

        Assert.True(decided.PartnershipWithheld);
        Assert.Equal([true, true], decided.HiddenCells);
    }
}
