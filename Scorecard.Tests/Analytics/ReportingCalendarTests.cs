using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

public sealed class ReportingCalendarTests
{
    private static readonly DateOnly Today = new(2025, 12, 1);

    private static CalendarQuarter Q(int year, int quarter, DateOnly due, int received) =>
        new($"{year}-Q{quarter}", year, quarter, due, received);

    [Fact]
    public void AnEmptyOverdueQuarterJustAddedIsNotTheDefault()
    {
        // An admin added 2025/26 Q3 with a due date already past; nothing has been received for it.
        var quarters = new[]
        {
            Q(2025, 3, new DateOnly(2025, 11, 1), 0),
            Q(2025, 1, new DateOnly(2025, 7, 28), 30),
            Q(2025, 2, new DateOnly(2025, 10, 28), 28),
        };

        Assert.Equal("2025-Q2", ReportingCalendar.DefaultQuarter(quarters, Today));
    }

    [Fact]
    public void AFutureQuarterIsNeverTheDefault() =>
        Assert.Equal("2025-Q2", ReportingCalendar.DefaultQuarter(
            [Q(2025, 2, new DateOnly(2025, 10, 28), 28), Q(2025, 3, new DateOnly(2026, 1, 28), 3)], Today));

    [Fact]
    public void WithNothingReceivedAnywhereTheLatestDueQuarterIsTheDefault() =>
        Assert.Equal("2025-Q2", ReportingCalendar.DefaultQuarter(
            [Q(2025, 1, new DateOnly(2025, 7, 28), 0), Q(2025, 2, new DateOnly(2025, 10, 28), 0), Q(2025, 3, new DateOnly(2026, 1, 28), 0)], Today));

    [Fact]
    public void WithNothingDueTheEarliestQuarterIsTheDefault() =>
        Assert.Equal("2026-Q1", ReportingCalendar.DefaultQuarter(
            [Q(2026, 2, new DateOnly(2026, 10, 28), 0), Q(2026, 1, new DateOnly(2026, 7, 28), 0)], Today));

    [Fact]
    public void NoQuartersNoDefault() => Assert.Null(ReportingCalendar.DefaultQuarter([], Today));
}
