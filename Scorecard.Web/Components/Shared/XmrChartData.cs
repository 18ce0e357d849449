using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using SymbolEnum = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;

namespace Scorecard.Web.Components.Shared;

/// <summary>Builds the Plotly traces of an XmR chart from a scorecard line (pure, so tests can check what the chart is given).</summary>
public static class XmrChartData
{
    public const string ValuesName = "Value";
    public const string MeanName = "Mean";
    public const string UpperName = "Upper process limit";
    public const string LowerName = "Lower process limit";
    public const string TargetName = "Target";

    public static IList<ITrace> Traces(ScorecardLine line)
    {
        var m = line.Measure;
        var x = line.History.Select(f => (object)f.Period.Label).ToList();
        var spcByQuarter = SpcByQuarter(line);
        // Hidden figures are left out of the chart: a plotted point would give the small number away.
        var y = line.History.Select(f => f.Suppressed || f.Value is null ? null : (object)(double)f.Value.Value).ToList();
        var colours = line.History.Select(f => (object)(f.Provisional ? IncompleteColour : SpcIcons.Colour(f.PointType ?? PointType.CommonCause))).ToList();
        // Ghosted (known special cause) and incomplete figures are hollow: drawn, but no point of the limits.
        var symbols = line.History.Select(f => (SymbolEnum?)(f.Ghosted || f.Provisional ? SymbolEnum.CircleOpen : Shape(f.PointType ?? PointType.CommonCause))).ToList();
        var hover = line.History.Select(f => Hover(f, m, spcByQuarter.GetValueOrDefault(f.Period.Id))).ToList();

        var traces = new List<ITrace>
        {
            new Scatter
            {
                Name = ValuesName, X = x, Y = y, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                Line = new Line { Color = "#5F6B7A", Width = 2 },
                Marker = new Marker { ColorArray = colours, SymbolArray = symbols, Size = 10, Line = new Plotly.Blazor.Traces.ScatterLib.MarkerLib.Line { Width = 2 } },
                HoverTextArray = hover, HoverInfo = HoverInfoFlag.Text,
            },
        };
        // No mean or limits drawn from points hidden from this viewer (Disclosure.SpcLines).
        if (line.Spc is { } spc && line.SpcLinesWithheld.Length == 0)
        {
            traces.AddRange(LimitTraces(MeanName, line, spcByQuarter, p => p.Mean, "#1B1F24", "solid"));
            if (spc.Points.Any(p => p.UpperLimit is not null))
            {
                traces.AddRange(LimitTraces(UpperName, line, spcByQuarter, p => p.UpperLimit, "#7F8C9A", "dash"));
                traces.AddRange(LimitTraces(LowerName, line, spcByQuarter, p => p.LowerLimit, "#7F8C9A", "dash"));
            }
        }
        if (m.Target is { } target && m.Polarity != Polarity.Neutral)
        {
            traces.Add(new Scatter
            {
                Name = TargetName, X = x, Y = x.Select(_ => (object)(double)target).ToList(), Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                Line = new Line { Color = "#D32F2F", Width = 2, Dash = "dot" },
                HoverInfo = HoverInfoFlag.Skip,
            });
        }
        traces.AddRange(LegendTraces(line, x, y));
        return traces;
    }

    /// <summary>
    /// Each point type has a shape as well as a colour, so colour is never the only thing that tells them apart (WCAG 1.4.1):
    /// common cause a circle, improvement a square, concern a diamond, neither (neutral measures) a triangle.
    /// </summary>
    public static SymbolEnum Shape(PointType type) => type switch
    {
        PointType.SpecialCauseImprovement => SymbolEnum.Square,
        PointType.SpecialCauseConcern => SymbolEnum.Diamond,
        PointType.SpecialCauseNeutralHigh or PointType.SpecialCauseNeutralLow => SymbolEnum.TriangleUp,
        _ => SymbolEnum.Circle,
    };

    /// <summary>The colour of an incomplete (provisional) figure's hollow point.</summary>
    public const string IncompleteColour = "#616161";

    /// <summary>
    /// The legend of what the points mean: one marker trace per kind of point on the chart (common cause, improvement,
    /// concern, neither, known special cause, incomplete), drawn over the values' own markers, named in
    /// <see cref="SpcWords"/>'s words. Hover stays on the values.
    /// </summary>
    private static IEnumerable<Scatter> LegendTraces(ScorecardLine line, List<object> x, List<object?> y)
    {
        var kinds = new List<(string Name, string Colour, SymbolEnum Symbol, Func<QuarterFigure, bool> Is)>
        {
            (SpcWords.Legend(PointType.CommonCause), SpcIcons.CommonCauseColour, Shape(PointType.CommonCause), f => !f.Ghosted && !f.Provisional && f.PointType == PointType.CommonCause),
            (SpcWords.Legend(PointType.SpecialCauseImprovement), SpcIcons.ImprovementColour, Shape(PointType.SpecialCauseImprovement), f => !f.Ghosted && f.PointType == PointType.SpecialCauseImprovement),
            (SpcWords.Legend(PointType.SpecialCauseConcern), SpcIcons.ConcernColour, Shape(PointType.SpecialCauseConcern), f => !f.Ghosted && f.PointType == PointType.SpecialCauseConcern),
            (SpcWords.Legend(PointType.SpecialCauseNeutralHigh), SpcIcons.NeutralColour, Shape(PointType.SpecialCauseNeutralHigh), f => !f.Ghosted && f.PointType is PointType.SpecialCauseNeutralHigh or PointType.SpecialCauseNeutralLow),
            (SpcWords.GhostedLegend, SpcIcons.CommonCauseColour, SymbolEnum.CircleOpen, f => f.Ghosted),
            (SpcWords.IncompleteLegend, IncompleteColour, SymbolEnum.CircleOpen, f => f.Provisional && !f.Ghosted),
        };
        foreach (var (name, colour, symbol, isKind) in kinds)
        {
            var at = line.History.Select((f, i) => (f, i)).Where(p => !p.f.Suppressed && p.f.Value is not null && isKind(p.f)).Select(p => p.i).ToList();
            if (at.Count == 0)
                continue;
            yield return new Scatter
            {
                Name = name, X = at.Select(i => x[i]).ToList(), Y = at.Select(i => y[i]).ToList()!,
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                Marker = new Marker { Color = colour, Symbol = symbol, Size = 10, Line = new Plotly.Blazor.Traces.ScatterLib.MarkerLib.Line { Width = 2 } },
                HoverInfo = HoverInfoFlag.Skip,
            };
        }
    }

    public static Plotly.Blazor.Layout Layout(ScorecardLine line) => new()
    {
        // The legend sits under the quarter axis's title, not on it (issue 8): the bottom margin holds the slanted quarter
        // labels (~55 px), the axis title (~25 px) and two or three rows of legend, and the legend hangs from 105 px below
        // the plot area (XmrChart draws 500 px high: a plot area of 300 px, so −0.35 of it).
        Margin = new Margin { L = 60, R = 20, T = 30, B = 170 },
        ShowLegend = true,
        // No animation between redraws, for everyone (WCAG 2.3.3; prefers-reduced-motion needs nothing more).
        Transition = new Transition { Duration = 0 },
        Legend = new[] { new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.35m, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top } },
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, TickAngle = -45, Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = SpcWords.QuarterAxis } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = SpcWords.AxisLabel(line.Measure.Unit) }, ZeroLine = false }],
        Annotations = Notes(line)
            .Select((text, i) => new Annotation { Text = text, ShowArrow = false, XRef = "paper", YRef = "paper", X = 0, Y = 1.08m + 0.07m * i, XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Left })
            .ToList(),
    };

    /// <summary>What the chart says above itself: trial limits, points not drawn and why, limits not drawn and why.</summary>
    public static IReadOnlyList<string> Notes(ScorecardLine line)
    {
        var notes = new List<string>();
        if (line.TrialLimits && line.SpcLinesWithheld.Length == 0)
            notes.Add(SpcWords.TrialLimits);
        if (Disclosure.MissingPointsNote(line.HiddenPoints, line.History.Count) is { Length: > 0 } missing)
            notes.Add(missing);
        if (line.SpcLinesWithheld.Length > 0)
            notes.Add(line.SpcLinesWithheld);
        return notes;
    }

    /// <summary>The chart in words, for screen readers: the latest value, its point type and the icons.</summary>
    public static string Summary(ScorecardLine line)
    {
        var m = line.Measure;
        var parts = new List<string> { $"XmR chart of {m.Title} over {line.History.Count} quarters." };
        parts.Add($"Latest, {line.Current.Period.Label}: {FigureFormat.Figure(line.Current, m)}.");
        foreach (var statement in line.Statements)
            parts.Add(statement.Text + ".");
        parts.AddRange(Notes(line));
        if (line.SpcLinesWithheld.Length == 0 && line.Spc?.Segments.LastOrDefault() is { } s)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Mean {s.Mean:0.##}") + (s.UpperLimit is { } u && s.LowerLimit is { } l ? string.Create(CultureInfo.InvariantCulture, $", process limits {l:0.##} to {u:0.##}.") : "."));
        return string.Join(" ", parts);
    }

    /// <summary>One row of the chart's data table: what each point shows, in words.</summary>
    public sealed record TableRow(string Quarter, string Value, string PointType, string? Mean, string? LowerLimit, string? UpperLimit);

    /// <summary>
    /// The chart as a table, oldest first: every point's value (hidden figures stay hidden), its point type in
    /// <see cref="SpcWords"/>' words, and the mean and limits when the viewer may see them (<see cref="Disclosure.SpcLines"/>).
    /// </summary>
    public static IReadOnlyList<TableRow> Table(ScorecardLine line)
    {
        var spc = SpcByQuarter(line);
        var limits = line.SpcLinesWithheld.Length == 0;
        string? Number(double? v) => v is { } d && limits ? FigureFormat.Value((decimal)d, line.Measure.Unit, line.Measure.DecimalPlaces) : null;
        return line.History.Select(f =>
        {
            var p = spc.GetValueOrDefault(f.Period.Id);
            var kind = f.Suppressed ? SpcWords.FewerThanFive
                : f.Ghosted ? SpcWords.GhostedLegend
                : f.Provisional ? SpcWords.IncompleteLegend
                : f.PointType is { } t ? SpcWords.Legend(t) : "";
            return new TableRow(f.Period.Label, FigureFormat.Figure(f, line.Measure), kind, Number(p?.Mean), Number(p?.LowerLimit), Number(p?.UpperLimit));
        }).ToList();
    }

    private static Dictionary<int, SpcPointDetail> SpcByQuarter(ScorecardLine line)
    {
        var map = new Dictionary<int, SpcPointDetail>();
        if (line.Spc is null)
            return map;
        var k = 0;
        // The SPC series is the complete figures: those the builder gave a point type.
        foreach (var f in line.History.Where(f => f.PointType is not null))
            map[f.Period.Id] = line.Spc.Points[k++];
        return map;
    }

    /// <summary>
    /// One trace per segment (the quarters between process changes), so each segment's mean or limit is its own level
    /// and nothing joins one segment's line to the next. The segments share a legend entry.
    /// </summary>
    private static IEnumerable<Scatter> LimitTraces(string name, ScorecardLine line, Dictionary<int, SpcPointDetail> spc, Func<SpcPointDetail, double?> pick, string colour, string dash)
    {
        var points = line.History.Where(f => spc.ContainsKey(f.Period.Id)).Select(f => (f.Period.Label, Point: spc[f.Period.Id])).ToList();
        var first = true;
        foreach (var segment in points.GroupBy(p => p.Point.Segment))
        {
            yield return new Scatter
            {
                Name = name, LegendGroup = name, ShowLegend = first,
                X = segment.Select(p => (object)p.Label).ToList(),
                Y = segment.Select(p => (object?)pick(p.Point)).ToList()!,
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                Line = new Line { Color = colour, Width = 1.5m, Dash = dash },
                HoverInfo = HoverInfoFlag.Name | HoverInfoFlag.Y,
            };
            first = false;
        }
    }

    private static string Hover(QuarterFigure f, ScorecardMeasure m, SpcPointDetail? p)
    {
        var lines = new List<string> { $"<b>{f.Period.Label}</b>", $"{m.Title}: {FigureFormat.Figure(f, m)}" };
        if (m.IsRatio && f.Denominator is { } d && !f.Suppressed)
            lines.Add($"{m.NumeratorLabel}: {FigureFormat.Number(f.Numerator, 0)}<br>{m.DenominatorLabel}: {FigureFormat.Number(d, 0)}");
        if (f.Ghosted)
            lines.Add($"{SpcWords.GhostedDescription}: {f.GhostReason}");
        else if (f.Provisional)
            lines.Add(f.Completeness.Description + ": left out of the mean and limits");
        else if (p is not null)
            lines.Add(SpcIcons.Label(p.Type) + (p.Type == PointType.CommonCause ? "" : $": {SpcWords.RuleDescription(p.Rule, p.Side)}"));
        if (f.HasMissingReturns)
            lines.Add($"{f.Missing.Count} of {Plural.Of(f.Expected, "agency", "agencies")} missing");
        return string.Join("<br>", lines);
    }
}
