namespace Scorecard.Data.Analytics;

/// <summary>A quarter as <see cref="ReportingCalendar.DefaultQuarter"/> needs it.</summary>
/// <param name="Key">The quarter's key (e.g. 2025-Q2).</param>
/// <param name="FiscalYear">The financial year it starts in.</param>
/// <param name="Quarter">1 to 4.</param>
/// <param name="DueDate">When its returns are due.</param>
/// <param name="ReturnsReceived">How many agencies' returns (current values) it holds.</param>
public sealed record CalendarQuarter(string Key, int FiscalYear, int Quarter, DateOnly DueDate, int ReturnsReceived);

/// <summary>
/// Which quarter the scorecard opens on. How the builder (or the shared read model) is meant to use it: in place of
/// "the latest quarter that is due", call <see cref="DefaultQuarter"/> with every quarter, the number of returns each
/// holds and today's date, whenever the URL names no quarter.
/// </summary>
public static class ReportingCalendar
{
    /// <summary>
    /// The latest quarter that is due and holds at least one return. An empty quarter — in the future, or due but
    /// with nothing received yet (an admin has just added it, or its returns are all late) — never becomes the
    /// default: the meeting would open on a page of "missing". With no such quarter, the latest due quarter; with
    /// none due, the earliest quarter; null with no quarters at all.
    /// </summary>
    /// <param name="quarters">The partnership's quarters, in any order.</param>
    /// <param name="today">Today's date.</param>
    /// <returns>The key of the quarter to open on, or null.</returns>
    public static string? DefaultQuarter(IReadOnlyList<CalendarQuarter> quarters, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(quarters);
        var ordered = quarters.OrderBy(q => q.FiscalYear).ThenBy(q => q.Quarter).ToList();
        var due = ordered.Where(q => q.DueDate < today).ToList();
        return (due.LastOrDefault(q => q.ReturnsReceived > 0) ?? due.LastOrDefault() ?? ordered.FirstOrDefault())?.Key;
    }
}
