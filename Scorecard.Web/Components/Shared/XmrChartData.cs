using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
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
        // Suppressed figures are left out of the chart: a plotted point would give the small number away.
        var y = line.History.Select(f => f.Suppressed || f.Value is null ? null : (object)(double)f.Value.Value).ToList();
        var colours = line.History.Select(f => (object)SpcIcons.Colour(f.PointType ?? PointType.CommonCause)).ToList();
        var hover = line.History.Select(f => Hover(f, m, spcByQuarter.GetValueOrDefault(f.Period.Id))).ToList();

        var traces = new List<ITrace>
        {
            new Scatter
            {
                Name = ValuesName, X = x, Y = y, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                Line = new Line { Color = "#5F6B7A", Width = 2 },
                Marker = new Marker { ColorArray = colours, Size = 10 },
                HoverTextArray = hover, HoverInfo = HoverInfoFlag.Text,
            },
        };
        if (line.Spc is { } spc)
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
        return traces;
    }

    public static Plotly.Blazor.Layout Layout(ScorecardLine line) => new()
    {
        Margin = new Margin { L = 60, R = 20, T = 30, B = 60 },
        ShowLegend = true,
        Legend = new[] { new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.2m } },
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, TickAngle = -45 }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = Units.Label(line.Measure.Unit) }, ZeroLine = false }],
        Annotations = line.TrialLimits
            ? [new Annotation { Text = "Provisional limits: fewer than 13 points", ShowArrow = false, XRef = "paper", YRef = "paper", X = 0, Y = 1.08m, XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Left }]
            : [],
    };

    /// <summary>The chart in words, for screen readers: the latest value, its point type and the icons.</summary>
    public static string Summary(ScorecardLine line)
    {
        var m = line.Measure;
        var parts = new List<string> { $"XmR chart of {m.Title} over {line.History.Count} quarters." };
        parts.Add($"Latest, {line.Current.Period.Label}: {FigureFormat.Figure(line.Current, m)}.");
        if (line.Variation is { } v) parts.Add(SpcIcons.Label(v) + ".");
        if (line.Assurance is { } a) parts.Add(SpcIcons.Label(a) + ".");
        if (line.Spc?.Segments.LastOrDefault() is { } s)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Mean {s.Mean:0.##}") + (s.UpperLimit is { } u && s.LowerLimit is { } l ? string.Create(CultureInfo.InvariantCulture, $", process limits {l:0.##} to {u:0.##}.") : "."));
        return string.Join(" ", parts);
    }

    private static Dictionary<int, SpcPointDetail> SpcByQuarter(ScorecardLine line)
    {
        var map = new Dictionary<int, SpcPointDetail>();
        if (line.Spc is null)
            return map;
        var k = 0;
        foreach (var f in line.History.Where(f => f.Value is not null))
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
        if (p is not null)
            lines.Add(SpcIcons.Label(p.Type) + (p.Type == PointType.CommonCause ? "" : $" ({p.SpecialCauseType})"));
        if (f.HasMissingReturns)
            lines.Add($"{f.Missing.Count} of {Plural.Of(f.Expected, "agency", "agencies")} missing");
        return string.Join("<br>", lines);
    }
}
