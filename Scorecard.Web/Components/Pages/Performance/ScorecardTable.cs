using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Performance;

/// <summary>
/// The scorecard's grid as one piece of HTML, built once per snapshot, viewer class and filters and shared by every
/// circuit that shows it. Drawn as elements, 33 rows of a dozen cells cost each circuit two thousand render-tree frames,
/// twice (the current and the previous tree), about 400 KB; drawn from here they cost one frame pointing at a string
/// that all viewers of the same view share (issue 10 §1). The grid has no event handlers (its links are plain links,
/// which Blazor's router follows), so nothing is lost by not drawing it as components.
/// </summary>
public static class ScorecardTable
{
    /// <summary>Views kept per snapshot; beyond this a view is built for its page alone (still correct, not shared).</summary>
    private const int MaxViewsPerSnapshot = 256;

    private static readonly ConditionalWeakTable<ScorecardSnapshot, ConcurrentDictionary<string, Lazy<string>>> Cache = new();

    /// <summary>
    /// What a viewer's view depends on besides the snapshot and the filters: whether they see an agency's small numbers
    /// exactly (<see cref="ScorecardBuilder.SeesExact"/>: only that agency's own users do).
    /// </summary>
    public static string ViewerClass(Actor viewer) => viewer.Role == Role.AgencyUser ? $"agency:{viewer.AgencyId}" : "all";

    /// <summary>The grid's HTML for these lines; <paramref name="key"/> names everything the lines depend on.</summary>
    public static string Html(
        ScorecardSnapshot snapshot, string key, IReadOnlyList<ScorecardLine> lines, IReadOnlyList<ScorecardPeriod> windowPeriods,
        IReadOnlyList<ScorecardPriority> priorities, string? periodKey)
    {
        var views = Cache.GetValue(snapshot, static _ => new ConcurrentDictionary<string, Lazy<string>>(StringComparer.Ordinal));
        if (views.TryGetValue(key, out var html))
            return html.Value;
        if (views.Count >= MaxViewsPerSnapshot)
            return Build(lines, windowPeriods, priorities, periodKey);
        // One build however many circuits ask at once (a live update redraws every open scorecard together).
        return views.GetOrAdd(key, _ => new Lazy<string>(() => Build(lines, windowPeriods, priorities, periodKey), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The grid: a group of rows per priority, a row per measure (the markup <c>ScorecardPage</c> drew as elements).</summary>
    public static string Build(
        IReadOnlyList<ScorecardLine> lines, IReadOnlyList<ScorecardPeriod> windowPeriods, IReadOnlyList<ScorecardPriority> priorities, string? periodKey)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<table class=\"grid-table scorecard-table\" aria-label=\"Scorecard\"><thead><tr>");
        html.Append("<th scope=\"col\" class=\"measure-col\">Measure</th><th scope=\"col\" class=\"num\">Target</th>");
        for (var i = 0; i < windowPeriods.Count; i++)
        {
            // The oldest quarters give way first on a narrow screen (scorecard.css): the latest and the benchmarks stay.
            var age = windowPeriods.Count - 1 - i;
            html.Append($"<th scope=\"col\" class=\"num quarter-col quarter-age-{age}\">{E(windowPeriods[i].Label)}</th>");
        }
        html.Append("<th scope=\"col\">Trend</th><th scope=\"col\">Variation</th><th scope=\"col\">Assurance</th>");
        html.Append("<th scope=\"col\" class=\"num\">England</th><th scope=\"col\" class=\"num\">Neighbours</th></tr></thead>");
        foreach (var group in lines.GroupBy(l => l.Measure.PriorityCode))
        {
            var priority = priorities.FirstOrDefault(p => p.Code == group.Key);
            var title = priority is null ? "" : $"{priority.Code} {priority.Title}";
            html.Append($"<tbody><tr class=\"group-row\"><th scope=\"colgroup\" colspan=\"{8 + windowPeriods.Count}\">");
            html.Append($"<a href=\"{E($"/trends#priority-{group.Key}")}\"><strong>{E(title)}</strong></a></th></tr>");
            foreach (var line in group)
                Row(html, line, windowPeriods, periodKey);
            html.Append("</tbody>");
        }
        html.Append("</table>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, ScorecardLine line, IReadOnlyList<ScorecardPeriod> windowPeriods, string? periodKey)
    {
        var m = line.Measure;
        html.Append($"<tr><td data-code=\"{E(m.Code)}\" class=\"measure-col\">");
        html.Append($"<a href=\"{E($"/scorecard/measures/{Uri.EscapeDataString(m.Code)}?quarter={periodKey}")}\"><strong>{E(m.Title)}</strong></a>");
        html.Append($"<div class=\"field-help\"><span class=\"measure-code\">{E(m.Code)}</span> · {E(m.OwnerAgencyName)} · {E(Polarities.Label(m.Polarity))}</div>");
        if (line.Exceptions.Count > 0)
        {
            html.Append("<div class=\"exception-chips\">");
            foreach (var reason in line.Exceptions)
            {
                var info = reason == ExceptionReason.SpecialCauseImprovement ? " exception-chip--info" : "";
                html.Append($"<span class=\"exception-chip{info}\" data-exception=\"{reason}\">{E(ExceptionReasons.Label(reason))}</span>");
            }
            html.Append("</div>");
        }
        if (line.ProcessChangeMessage.Length > 0)
            html.Append($"<div class=\"field-help process-change-note\" data-testid=\"process-change\">{E(line.ProcessChangeMessage)}</div>");
        if (line.Current.HasMissingReturns)
            html.Append($"<div class=\"field-help\" data-testid=\"missing-agencies\"><strong>Missing:</strong> {E(MissingText(line.Current))}</div>");
        html.Append("</td>");
        html.Append($"<td class=\"num\">{E(FigureFormat.Value(m.Target, m.Unit, m.DecimalPlaces))}</td>");
        for (var i = 0; i < windowPeriods.Count; i++)
        {
            var period = windowPeriods[i];
            var figure = line.Window.FirstOrDefault(f => f.Period.Id == period.Id);
            html.Append($"<td class=\"num quarter-col quarter-age-{windowPeriods.Count - 1 - i}\">");
            if (figure is not null)
                html.Append(FigureCell.Html(figure, m));
            html.Append("</td>");
        }
        html.Append("<td class=\"nowrap\">");
        html.Append(TrendArrow.Html(line.VsPreviousQuarter, "last quarter", m.Unit, m.DecimalPlaces, line.TrendNote));
        html.Append(TrendArrow.Html(line.VsLastYear, "a year ago", m.Unit, m.DecimalPlaces, line.TrendNote));
        html.Append("</td>");
        html.Append($"<td>{VariationIconView.Html(line.Variation, line.TrialLimits, 28)}</td>");
        html.Append($"<td>{AssuranceIconView.Html(line.Assurance, line.AssuranceStatement, 28)}</td>");
        html.Append($"<td class=\"num\">{Benchmark.Html(m.EnglandValue, line.England, "England", m)}</td>");
        html.Append($"<td class=\"num\">{Benchmark.Html(m.NeighbourValue, line.Neighbour, "statistical neighbours", m)}</td>");
        html.Append("</tr>");
    }

    private static string MissingText(QuarterFigure f) =>
        string.Join(", ", f.Missing.Take(3).Select(a => a.Name)) + (f.Missing.Count > 3 ? $" and {f.Missing.Count - 3} more" : "");
}
