using Scorecard.Data.Performance;

namespace Scorecard.Web.Components.Pages.Improvement;

/// <summary>Places an action's dates on the quarters of its success measure's chart (pure, so tests can check it).</summary>
public static class ActionChartMarks
{
    /// <summary>Each mark with the label of the quarter it falls in, or null when it falls outside the chart's quarters.</summary>
    public static List<(string Label, DateOnly Date, string? Quarter)> Place(ScorecardLine line, IEnumerable<(string Label, DateOnly Date)> marks) =>
        marks.Select(m => (m.Label, m.Date, line.History.Select(f => f.Period).FirstOrDefault(p => p.StartDate <= m.Date && m.Date <= p.EndDate)?.Label)).ToList();
}
