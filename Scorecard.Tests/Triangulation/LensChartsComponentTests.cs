using Bunit;
using Scorecard.Data.Assurance;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Components;
using Scorecard.Web.Components.Pages.Triangulation;

namespace Scorecard.Tests.Triangulation;

/// <summary>The self-assessment lens's heat-map column: a rating in words and a shape as well as a colour, one column per standard.</summary>
public sealed class LensChartsComponentTests : ComponentTestBase
{
    [Fact]
    public void TheHeatMapShowsEachAgencysRatingInWordsAndSaysWhenOthersAreNotShown()
    {
        var charts = new ThemeCharts([], [],
        [
            new StandardColumn(1, "S11-3", "A culture of listening to children", "Section 11 2025", [new("Police", Rating.Met), new("Schools", Rating.NotMet)], 0),
            new StandardColumn(2, "T1", "Children are heard", "True for us 2025", [new("Police", Rating.PartlyMet)], 3),
        ], [], []);

        var cut = Render<LensCharts>(p => p.Add(c => c.Lens, Lens.SelfAssessment).Add(c => c.Charts, charts));

        var headers = cut.FindAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal("Agency", headers[0]);
        Assert.StartsWith("S11-3 A culture of listening to children", headers[1]);
        var police = cut.FindAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "Police");
        var cells = police.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["✓ Met", "≈ Partly met"], cells);
        Assert.Contains("lens-cell--positive", police.QuerySelector("td .lens-cell")!.ClassList);
        var schools = cut.FindAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "Schools");
        Assert.Equal(["✗ Not met", "Not rated"], schools.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList());
        Assert.All(cut.FindAll(".lens-cell__symbol"), s => Assert.Equal("true", s.GetAttribute("aria-hidden")));
        Assert.Contains("Other agencies' ratings are counted", cut.Markup);
    }

    [Fact]
    public void ALensWithNothingToDrawRendersNothing()
    {
        var cut = Render<LensCharts>(p => p.Add(c => c.Lens, Lens.Data).Add(c => c.Charts, new ThemeCharts([], [], [], [], [])));
        Assert.Equal("", cut.Markup.Trim());
    }
}
