using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Scorecard.Data.Voice;

namespace Scorecard.Web.Components.Pages.Voice;

/// <summary>Builds an activity's horizontal stacked bars (each answer's share of those who answered) and the share positive
/// with its 95% interval as a point with error bars. Suppressed questions are not drawn (the table says why).</summary>
public static class VoiceChartData
{
    private static readonly string[] Positive = ["#1d6b3a", "#4c9a64"];
    private static readonly string[] Middle = ["#b1b4b6", "#8a8f93", "#c9cbcd"];
    private static readonly string[] Negative = ["#a32014", "#d4351c"];

    public static IReadOnlyList<VoiceQuestionView> Drawn(IReadOnlyList<VoiceQuestionView> questions) =>
        questions.Where(q => !q.Result.Suppressed && q.Result.Total > 0).ToList();

    public static IList<ITrace> Traces(IReadOnlyList<VoiceQuestionView> questions)
    {
        var drawn = Drawn(questions);
        var traces = new List<ITrace>();
        var labels = drawn.Select(q => (object)Label(q)).ToList();
        var maxWidth = drawn.Count == 0 ? 0 : drawn.Max(q => q.Scale.Width());
        for (var i = 0; i < maxWidth; i++)
        {
            var position = i;
            var x = drawn.Select(q => (object)(position < q.Scale.Width() ? 100.0 * q.Result.Counts![position] / q.Result.Total!.Value : 0)).ToList();
            var names = drawn.Select(q => position < q.Scale.Width() ? q.Scale.Answers()[position] : "").Distinct().Where(n => n.Length > 0);
            traces.Add(new Bar
            {
                Name = string.Join(" / ", names),
                Orientation = Plotly.Blazor.Traces.BarLib.OrientationEnum.H,
                X = x, Y = labels,
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Colour(position, maxWidth) },
                HoverTemplate = "%{x:.0f}%<extra>%{fullData.name}</extra>",
            });
        }
        traces.Add(new Scatter
        {
            Name = "Share positive, 95% interval",
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
            X = drawn.Select(q => (object)(q.Result.Share!.Share * 100)).ToList(),
            Y = labels,
            Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Color = "#0b0c0c", Size = 9, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Diamond },
            ErrorX = new Plotly.Blazor.Traces.ScatterLib.ErrorX
            {
                Type = Plotly.Blazor.Traces.ScatterLib.ErrorXLib.TypeEnum.Data, Symmetric = false, Visible = true, Color = "#0b0c0c", Thickness = 2,
                Array = drawn.Select(q => (object)((q.Result.Share!.High - q.Result.Share.Share) * 100)).ToList(),
                ArrayMinus = drawn.Select(q => (object)((q.Result.Share!.Share - q.Result.Share.Low) * 100)).ToList(),
            },
        });
        return traces;
    }

    public static Plotly.Blazor.Layout Layout(int rows) => new()
    {
        BarMode = BarModeEnum.Stack,
        Height = 120 + 46 * Math.Max(1, rows),
        Margin = new Margin { L = 280, R = 20, T = 20, B = 60 },
        XAxis = [new XAxis { Range = [0, 100], Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "% of those who answered" } }],
        YAxis = [new YAxis { AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed }],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
    };

    public static string Summary(IReadOnlyList<VoiceQuestionView> questions)
    {
        var drawn = Drawn(questions);
        var parts = drawn.Select(q => $"{q.Wording}: {VoiceStatistics.Describe(q.Result.Share!)} positive.").ToList();
        var hidden = questions.Count - drawn.Count;
        if (hidden > 0)
            parts.Add($"{hidden} {(hidden == 1 ? "question is" : "questions are")} not drawn: too few answers to show.");
        return $"Stacked bars of each question's answers. {string.Join(" ", parts)}";
    }

    private static string Label(VoiceQuestionView q) => q.Wording.Length > 48 ? q.Wording[..45] + "…" : q.Wording;

    private static string Colour(int position, int width) => position switch
    {
        0 when width == 5 => Negative[0],
        1 when width == 5 => Negative[1],
        2 when width == 5 => Middle[0],
        3 when width == 5 => Positive[1],
        4 when width == 5 => Positive[0],
        0 => Positive[0],
        _ when position == width - 1 => Negative[0],
        _ => Middle[position - 1],
    };
}
