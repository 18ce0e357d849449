using Scorecard.Data.Home;

namespace Scorecard.Tests.Analytics;

public sealed class NextReturnRuleTests
{
    private static readonly DateOnly Today = new(2025, 11, 10);

    private static AgencyQuarter Q(int year, int quarter, DateOnly due, bool received, bool open = true) =>
        new(year * 10 + quarter, year, quarter, due, open, received);

    [Fact]
    public void AnOverdueReturnComesBeforeTheNextOneDue()
    {
        var next = NextReturnRule.Choose(
            [Q(2025, 3, new DateOnly(2026, 1, 28), false), Q(2025, 2, new DateOnly(2025, 10, 28), false), Q(2025, 1, new DateOnly(2025, 7, 28), true)],
            Today);

        Assert.Equal("2025/26 Q2", next!.Quarter.Label);
        Assert.Equal(-13, next.DaysLeft);
        Assert.True(next.Overdue);
        Assert.Equal("Overdue by 13 days", next.Status);
    }

    [Fact]
    public void WithEverythingReturnedTheNextOpenQuarterIsDueWithDaysLeft()
    {
        var next = NextReturnRule.Choose([Q(2025, 2, new DateOnly(2025, 10, 28), true), Q(2025, 3, new DateOnly(2025, 11, 11), false)], Today);

        Assert.Equal(("2025/26 Q3", 1, "Due in 1 day"), (next!.Quarter.Label, next.DaysLeft, next.Status));
    }

    [Fact]
    public void ClosedQuartersAreNotAskedFor()
    {
        var next = NextReturnRule.Choose([Q(2024, 1, new DateOnly(2024, 7, 28), false, open: false), Q(2025, 2, new DateOnly(2025, 10, 28), true)], Today);

        Assert.Equal(("2025/26 Q2", "Received"), (next!.Quarter.Label, next.Status));
        Assert.Equal(0, NextReturnRule.CountOverdue([Q(2024, 1, new DateOnly(2024, 7, 28), false, open: false)], Today));
    }

    [Fact]
    public void DueTodaySaysSo() =>
        Assert.Equal("Due today", NextReturnRule.Choose([Q(2025, 2, Today, false)], Today)!.Status);

    [Fact]
    public void NoQuartersNoNextReturn() => Assert.Null(NextReturnRule.Choose([], Today));
}
