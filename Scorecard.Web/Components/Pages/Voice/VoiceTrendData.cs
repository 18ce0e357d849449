using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Scorecard.Data.Voice;

namespace Scorecard.Web.Components.Pages.Voice;

/// <summary>
/// The trend across waves of a repeated survey (issue 12 §1): per question, the share positive in each wave as a point with
/// its 95% Wilson interval, joined by a line; a wave not shown to the viewer is a gap. The words of each change
/// ("up 12 points, more than chance" / "within chance") come from the Data layer's two-proportion test.
/// </summary>
public static class VoiceTrendData
{
    private static readonly string[] Colours = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca", "#912b88", "#85994b"];

    public static IReadOnlyList<VoiceQuestionView> Trended(IReadOnlyList<VoiceQuestionView> questions) => questions.Where(q => q.Waves.Count > 1).ToList();

    private static string WaveLabel(WavePoint w) => $"Wave {w.Wave} ({w.PeriodEnd:MMM yyyy})";

    public static IList<ITrace> Traces(IReadOnlyList<VoiceQuestionView> questions)
    {
        var traces = new List<ITrace>();
        foreach (var (q, i) in Trended(questions).Select((q, i) => (q, i)))
        {
            var points = q.Waves.OrderBy(w => w.Wave).ToList();
            traces.Add(new Scatter
            {
                Name = q.Wording.Length > 60 ? q.Wording[..57] + "…" : q.Wording,
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                X = points.Select(w => (object)WaveLabel(w)).ToList(),
                // A hidden or empty wave is a gap, never a drawn value.
                Y = points.Select(w => w.Result.Share is { } s && !w.Result.Suppressed ? (object)Math.Round(s.Share * 100, 1) : null!).ToList(),
                Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Color = Colours[i % Colours.Length], Size = 9 },
                Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = Colours[i % Colours.Length] },
                ErrorY = new Plotly.Blazor.Traces.ScatterLib.ErrorY
                {
                    Type = Plotly.Blazor.Traces.ScatterLib.ErrorYLib.TypeEnum.Data, Symmetric = false, Visible = true, Color = Colours[i % Colours.Length], Thickness = 1.5m,
                    Array = points.Select(w => w.Result.Share is { } s && !w.Result.Suppressed ? (object)((s.High - s.Share) * 100) : 0).ToList(),
                    ArrayMinus = points.Select(w => w.Result.Share is { } s && !w.Result.Suppressed ? (object)((s.Share - s.Low) * 100) : 0).ToList(),
                },
                HoverTemplate = "%{y:.0f}% positive<extra>%{fullData.name}</extra>",
            });
        }
        return traces;
    }

    public static Plotly.Blazor.Layout Layout() => new()
    {
        Height = 380,
        Margin = new Margin { L = 60, R = 20, T = 20, B = 110 },
        YAxis = [new YAxis { Range = [0, 100], Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "% positive (95% interval)" } }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category }],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.3m }],
    };

    /// <summary>One question's trend in words: each wave's share (or that it is not shown) and each change with its test.</summary>
    public static string Words(VoiceQuestionView q)
    {
        var waves = q.Waves.OrderBy(w => w.Wave).Select(w => $"wave {w.Wave} {(w.Result.Suppressed ? "not shown" : w.Result.Share is { } s ? VoiceStatistics.Describe(s) : "no answers")}");
        var steps = q.Steps.Select(s => $"wave {s.FromWave} to {s.ToWave}: {s.Change?.Words ?? s.Withheld.TrimEnd('.')}");
        return $"{q.Wording}: {string.Join("; ", waves)}. {string.Join("; ", steps)}.";
    }

    public static string Summary(IReadOnlyList<VoiceQuestionView> questions) =>
        "Share positive in each wave with its 95% interval. " + string.Join(" ", Trended(questions).Select(Words));
}
