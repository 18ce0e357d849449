using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>
/// Disclosure that cannot be undone by arithmetic: each derived figure against a hand-built case where showing it
/// would give a hidden count of 1–4 away.
/// </summary>
public sealed class DisclosureTests
{
    [Fact]
    public void AHiddenCellIsAWordWithNoColourAndAReason()
    {
        var cell = Disclosure.Cell(3, RagStatus.Green, viewerMaySee: false);

        Assert.True(cell.Hidden);
        Assert.Equal("fewer than 5", cell.Text);
        Assert.Equal(RagStatus.NoData, cell.Rag); // no green or amber on a hidden cell (CSC-CP-2YRS)
        Assert.Contains("no child can be identified", cell.Reason);
        Assert.DoesNotContain("%", cell.Text);
    }

    [Theory]
    [InlineData(0, false, false)] // zero says nothing happened
    [InlineData(5, false, false)]
    [InlineData(4, true, false)] // the owning agency sees its own small counts
    [InlineData(1, false, true)]
    public void OnlySmallCountsTheViewerMayNotSeeAreHidden(int count, bool maySee, bool hidden)
    {
        var cell = Disclosure.Cell(count, RagStatus.Amber, maySee);

        Assert.Equal(hidden, cell.Hidden);
        Assert.Equal(hidden ? RagStatus.NoData : RagStatus.Amber, cell.Rag);
    }

    [Fact]
    public void AnExportCellIsHiddenWhoeverDownloadsIt() =>
        // Exports pass viewerMaySee: false (a file travels further than its first reader).
        Assert.True(Disclosure.Cell(2, RagStatus.Red, viewerMaySee: false).Hidden);

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    public void AChangeIsShownOnlyWhenNeitherEndIsHidden(bool earlier, bool later, bool shown)
    {
        var decision = Disclosure.Change(earlier, later);

        Assert.Equal(shown, decision.Show);
        Assert.Equal(shown ? "" : Disclosure.ChangeReason, decision.Reason);
    }

    [Fact]
    public void TheTrendCardsChangeBesideItsDenominatorsWouldGiveTheHiddenNumeratorBack()
    {
        // CSC-CP-2YRS: last quarter 5 of 99 (5.1%, shown), this quarter 3 of 101 (hidden); denominators 99 and 101
        // are shown. The change (3/101 − 5/99) × 100 = −2.1 pts, plus the shown 5.1%, gives 3/101 and so the 3.
        var audit = new DisclosureAudit();
        var before = audit.AddCount(5, hidden: false);
        var now = audit.AddCount(3, hidden: true);

        var change = audit.Offer([(now, 100m / 101), (before, -100m / 99)], "the change on last quarter");

        Assert.False(change.Show);
        Assert.Contains("the change on last quarter", change.Reason);
        Assert.False(Disclosure.Change(earlierHidden: false, laterHidden: true).Show);
    }

    [Fact]
    public void ARateBesideItsDenominatorIsTheHiddenNumerator()
    {
        var audit = new DisclosureAudit();
        var numerator = audit.AddCount(2, hidden: true);

        Assert.False(audit.Offer([(numerator, 100m / 48)], "the percentage").Show);
    }

    [Fact]
    public void ATotalBesideAllButOneHiddenCellIsWithheld()
    {
        // Agencies 3 (hidden), 40 and 12 (shown): a total of 55 gives 55 − 40 − 12 = 3.
        var audit = new DisclosureAudit();
        var a = audit.AddCount(3, hidden: true);
        var b = audit.AddCount(40, hidden: false);
        var c = audit.AddCount(12, hidden: false);

        Assert.False(audit.Offer([(a, 1m), (b, 1m), (c, 1m)], "the partnership total").Show);
    }

    [Fact]
    public void ATotalOverTwoHiddenCellsIsShownWhenItPinsNeither()
    {
        // 3 and 4 hidden, total 7: (3, 4), (4, 3) both fit, so neither is given away.
        var audit = new DisclosureAudit();
        var a = audit.AddCount(3, hidden: true);
        var b = audit.AddCount(4, hidden: true);

        Assert.True(audit.Offer([(a, 1m), (b, 1m)], "the total").Show);
    }

    [Fact]
    public void ATotalOverTwoHiddenCellsThatCanOnlyBeFourAndFourIsWithheld()
    {
        // Hidden counts lie in 1–4: a total of 8 over two of them makes both 4.
        var audit = new DisclosureAudit();
        var a = audit.AddCount(4, hidden: true);
        var b = audit.AddCount(4, hidden: true);

        Assert.False(audit.Offer([(a, 1m), (b, 1m)], "the total").Show);
    }

    [Fact]
    public void ASmallMultipleBesideTheTotalGivesTheOtherHiddenCellAway()
    {
        // Agency A 3 (hidden), agency B 42 (hidden to protect A). The partnership total 45 alone pins neither; a
        // sector small multiple showing B's 42 beside it gives 45 − 42 = 3, so the second figure is withheld.
        var audit = new DisclosureAudit();
        var a = audit.AddCount(3, hidden: true);
        var b = audit.AddCount(42, hidden: true);

        Assert.True(audit.Offer([(a, 1m), (b, 1m)], "the partnership total").Show);
        Assert.False(audit.Offer([(b, 1m)], "the health sector's figure").Show);
    }

    [Fact]
    public void TotalsOfTwoQuartersAndAChangeTogetherPinEveryHiddenCount()
    {
        // Agencies X and Y, both hidden in both quarters: X 3 → 2, Y 4 → 1. The totals 7 and 3 pin nothing alone;
        // X's change (−1) with them does: X before must be 3 or 4 (Y ≤ 4), so X now is 2 or 3, and Y now = 3 − X now
        // ≥ 1 leaves only X now = 2. Secondary disclosure by arithmetic on ranges.
        var audit = new DisclosureAudit();
        var xBefore = audit.AddCount(3, true);
        var yBefore = audit.AddCount(4, true);
        var xNow = audit.AddCount(2, true);
        var yNow = audit.AddCount(1, true);

        Assert.True(audit.Offer([(xBefore, 1m), (yBefore, 1m)], "last quarter's total").Show);
        Assert.True(audit.Offer([(xNow, 1m), (yNow, 1m)], "this quarter's total").Show);
        Assert.False(audit.Offer([(xNow, 1m), (xBefore, -1m)], "agency X's change").Show);
    }

    [Fact]
    public void AMeanOverQuartersWithOneHiddenGivesItBack()
    {
        // Three quarters 10, 12 (shown) and 2 (hidden): a mean of 8 gives 3 × 8 − 10 − 12 = 2.
        var audit = new DisclosureAudit();
        var q1 = audit.AddCount(10, false);
        var q2 = audit.AddCount(12, false);
        var q3 = audit.AddCount(2, true);

        Assert.False(audit.Offer([(q1, 1m / 3), (q2, 1m / 3), (q3, 1m / 3)], "the mean").Show);
    }

    [Fact]
    public void FiguresOfShownCountsOnlyAreAlwaysShown()
    {
        var audit = new DisclosureAudit();
        var a = audit.AddCount(2, hidden: false); // the owning agency's own user sees its 2
        var b = audit.AddCount(30, hidden: false);

        Assert.True(audit.Offer([(a, 1m), (b, 1m)], "the total").Show);
    }

    [Fact]
    public void SpcMeanAndLimitsFromHiddenPointsAreNotDrawnAndSayWhy()
    {
        // CSC-CP-2YRS drew 3 of 22 points while its mean and limits came from the hidden ones.
        var hidden = Enumerable.Range(0, 22).Select(i => i >= 3).ToArray();

        var decision = Disclosure.SpcLines(hidden);

        Assert.False(decision.Show);
        Assert.Equal(Disclosure.SpcLinesReason, decision.Reason);
        Assert.True(Disclosure.SpcLines(new bool[22]).Show);
        Assert.Equal(
            "19 of 22 quarters are not drawn: fewer than 5 children, hidden so that no child can be identified.",
            Disclosure.MissingPointsNote(19, 22));
        Assert.Equal("", Disclosure.MissingPointsNote(0, 22));
    }
}
