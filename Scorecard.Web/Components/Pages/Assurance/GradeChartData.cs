using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Scorecard.Data.Assurance;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>One bar of a grade chart: its label and its distribution as the viewer may see it.</summary>
public sealed record GradeBar(string Label, DisclosedDistribution Distribution);

/// <summary>Builds the stacked grade-distribution bars (pure, so tests can check what the chart is given). A bar with
/// any hidden count is not drawn at all (a drawn segment would show the small number); the table beside it says why.</summary>
public static class GradeChartData
{
    public static readonly Grade[] Grades = [Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate];

    /// <summary>Fill per grade: a colour-blind-safe sequence from dark teal to dark orange.</summary>
    public static string Colour(Grade g) => g switch
    {
        Grade.Outstanding => "#1B7837",
        Grade.Good => "#7FBF7B",
        Grade.RequiresImprovement => "#F1A340",
        _ => "#B35806",
    };

    public static IList<ITrace> Traces(IReadOnlyList<GradeBar> bars)
    {
        var drawn = bars.Where(b => !b.Distribution.AnyHidden).ToList();
        return Grades.Select((g, i) => (ITrace)new Bar
        {
            Name = g.Label(),
            X = drawn.Select(b => (object)b.Label).ToList(),
            Y = drawn.Select(b => (object)(b.Distribution.Counts[i].Count ?? 0)).ToList(),
            Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Colour(g) },
        }).ToList();
    }

    public static Plotly.Blazor.Layout Layout(string yTitle) => new()
    {
        BarMode = BarModeEnum.Stack,
        Height = 320,
        Margin = new Margin { T = 20, B = 80, L = 50, R = 10 },
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.3m }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
    };

    public static string Summary(string what, IReadOnlyList<GradeBar> bars)
    {
        var parts = bars.Select(b => b.Distribution.AnyHidden
            ? $"{b.Label}: not drawn, fewer than 5 cases at some grade"
            : $"{b.Label}: {string.Join(", ", b.Distribution.Counts.Where(c => c.Count > 0).Select(c => $"{c.Count} {c.Grade.Label().ToLowerInvariant()}"))}; {b.Distribution.ShareText} good or better");
        return $"Grade distribution {what}. " + string.Join(". ", parts) + ".";
    }
}
