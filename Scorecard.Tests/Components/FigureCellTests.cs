using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Components;

public sealed class FigureCellTests : ComponentTestBase
{
    private static readonly ScorecardMeasure Percent = new(1, "M1", "Visits in time", "", MeasureUnit.Percent, "In time", "All", Polarity.HigherIsBetter,
        1, "P1", "Priority", 1, 1, "Council", 95m, 5m, 1, null, null, "", 1);
    private static readonly ScorecardPeriod Quarter = new(7, 2025, 2, new(2025, 7, 1), new(2025, 9, 30), new(2025, 10, 28));
    private static readonly ScorecardAgency Hospital = new(4, "Mid Cheshire Hospitals", "MCHFT", Sector.Health, true);

    private static QuarterFigure Figure(decimal? value, RagStatus rag, bool suppressed = false, IReadOnlyList<ScorecardAgency>? missing = null, int received = 2) =>
        new(Quarter, 90, 100, value, missing is { Count: > 0 } ? 1 : received, 2, missing ?? [], true, rag, PointType.SpecialCauseConcern, suppressed);

    [Fact]
    public void AFigureIsShownWithItsUnitAndRagColourAndItsStatusInWords()
    {
        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, Figure(90m, RagStatus.Red)).Add(c => c.Measure, Percent));

        var cell = cut.Find(".figure");
        Assert.Contains("rag-red", cell.ClassName);
        Assert.Equal("90.0%", cell.QuerySelector("span[aria-hidden]")!.TextContent);
        // Spelt out for screen readers (visually hidden text) and as the title, with no tooltip component.
        var label = cell.QuerySelector(".sr-only")!.TextContent;
        Assert.Equal(label, cell.GetAttribute("title"));
        Assert.Contains("Red", label);
        Assert.Contains("Special cause: concern", label);
        Assert.Contains("90 of 100", label);
    }

    [Fact]
    public void AMissingReturnIsShownAsMissingWithTheAgencyNamedNotAsZero()
    {
        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, Figure(null, RagStatus.NoData, missing: [Hospital])).Add(c => c.Measure, Percent));

        Assert.Equal("Missing", cut.Find(".figure span[aria-hidden]").TextContent);
        Assert.Contains("figure-missing", cut.Find(".figure").ClassName);
        Assert.Contains("missing: Mid Cheshire Hospitals", cut.Find(".figure .sr-only").TextContent);
    }

    [Fact]
    public void ASuppressedFigureSaysFewerThanFiveWithNoColourAndTheReasonNotItsNumerator()
    {
        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, Figure(3m, RagStatus.Red, suppressed: true)).Add(c => c.Measure, Percent));

        Assert.Equal("fewer than 5", cut.Find(".figure span[aria-hidden]").TextContent);
        Assert.Contains("rag-none", cut.Find(".figure").ClassName);
        Assert.DoesNotContain("rag-red", cut.Find(".figure").ClassName);
        Assert.Empty(cut.FindAll(".figure .point-dot"));
        Assert.Contains(SpcWords.FewerThanFiveReason, cut.Find(".figure").GetAttribute("title"));
        Assert.DoesNotContain("90 of 100", cut.Find(".figure .sr-only").TextContent);
        Assert.DoesNotContain("90 of 100", cut.Find(".figure").GetAttribute("title"));
        Assert.DoesNotContain("Red", cut.Find(".figure").GetAttribute("title"));
    }

    [Fact]
    public void AnIncompleteFigureIsOutlinedWithoutItsRagColourAndSaysOneOfTwoAgencies()
    {
        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, Figure(65.2m, RagStatus.Red, received: 1)).Add(c => c.Measure, Percent));

        var cell = cut.Find(".figure");
        Assert.Contains("figure-provisional", cell.ClassName);
        Assert.Contains("rag-none", cell.ClassName);
        Assert.Equal("1 of 2 agencies", cell.QuerySelector(".figure-completeness")!.TextContent);
        Assert.Contains("Provisional red", cell.GetAttribute("title"));
        Assert.Contains("Incomplete: 1 of 2 agencies has returned", cell.QuerySelector(".sr-only")!.TextContent);
    }

    [Fact]
    public void AGhostedFigureIsAHollowPointWithItsReason()
    {
        var figure = Figure(30m, RagStatus.Red) with { Ghosted = true, GhostReason = "Strategy meetings recorded twice" };

        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, figure).Add(c => c.Measure, Percent));

        Assert.Single(cut.FindAll(".figure .point-dot--hollow"));
        Assert.Contains($"{SpcWords.GhostedDescription} (Strategy meetings recorded twice)", cut.Find(".figure").GetAttribute("title"));
        Assert.DoesNotContain("Special cause: concern", cut.Find(".figure").GetAttribute("title"));
    }
}
