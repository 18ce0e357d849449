using Bunit;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Components;
using Scorecard.Web.Components.Pages.Improvement;

namespace Scorecard.Tests.Loop;

/// <summary>The 5×5 heat map in bUnit: counts per cell, words as well as colour, a button per occupied cell that selects it.</summary>
public sealed class RiskHeatMapTests : ComponentTestBase
{
    private static RiskRow Risk(int id, int likelihood, int impact, RiskStatus status = RiskStatus.Open) => new(
        id, $"Risk {id}", "cause", "effect", Subgroup.QualityAssurance, "Owner", likelihood, impact, likelihood * impact, "", 4,
        new DateOnly(2026, 3, 1), status, likelihood * impact >= 12, null, null, 0, 0);

    private static readonly RiskHeatMap Map = RiskHeatMap.From([Risk(1, 3, 5), Risk(2, 3, 5), Risk(3, 1, 2), Risk(4, 5, 5, RiskStatus.Closed)]);

    [Fact]
    public void EachCellShowsItsCountAndBandInWords()
    {
        var cut = Render<RiskHeatMapView>(p => p.Add(c => c.Map, Map));
        Assert.Equal(25, cut.FindAll("td.loop-heatmap__cell").Count);
        var severePossible = cut.Find("[data-testid='cell-3-5']");
        Assert.Contains("2", severePossible.QuerySelector(".loop-heatmap__count")!.TextContent);
        Assert.Contains("Very high · 15", severePossible.TextContent);
        Assert.Contains("loop-band--veryhigh", severePossible.ClassName);
        Assert.Contains("1", cut.Find("[data-testid='cell-1-2'] .loop-heatmap__count").TextContent);
        // A closed risk is not on the map; an empty cell has no button.
        Assert.Empty(cut.FindAll("[data-testid='cell-5-5'] button"));
        Assert.Equal(2, cut.FindAll("button.loop-heatmap__button").Count);
        Assert.Equal("5 Almost certain", cut.FindAll("thead th")[^1].TextContent.Trim());
    }

    [Fact]
    public void EveryButtonHasANameThatSaysTheCountAndTheCell()
    {
        var cut = Render<RiskHeatMapView>(p => p.Add(c => c.Map, Map));
        var button = cut.Find("[data-testid='cell-3-5'] button");
        // The visible count and band are part of the name (WCAG 2.5.3), with the cell's words around them for a screen reader.
        Assert.Equal("2 risks with likelihood Possible and impact Severe, score band Very high · 15. Show them",
            System.Text.RegularExpressions.Regex.Replace(button.TextContent, @"\s+", " ").Trim());
        Assert.Null(button.GetAttribute("aria-label"));
        Assert.Equal("false", button.GetAttribute("aria-pressed"));
    }

    [Fact]
    public void ClickingACellSelectsItAndClickingAgainClearsIt()
    {
        (int, int)? selected = null;
        var cut = Render<RiskHeatMapView>(p => p.Add(c => c.Map, Map).Add(c => c.SelectedChanged, (v) => selected = v));
        cut.Find("[data-testid='cell-3-5'] button").Click();
        Assert.Equal((3, 5), selected);
        cut.Render(p => p.Add(c => c.Selected, selected));
        Assert.Equal("true", cut.Find("[data-testid='cell-3-5'] button").GetAttribute("aria-pressed"));
        Assert.Contains("loop-heatmap__cell--selected", cut.Find("[data-testid='cell-3-5']").ClassName);
        cut.Find("[data-testid='cell-3-5'] button").Click();
        Assert.Null(selected);
    }
}
