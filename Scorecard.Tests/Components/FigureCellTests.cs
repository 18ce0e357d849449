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
    private static readonly ScorecardAgency Hospital = new(4, "Mid Cheshire Hospitals", "MCHFT", "health", true);

    private static QuarterFigure Figure(decimal? value, RagStatus rag, bool suppressed = false, IReadOnlyList<ScorecardAgency>? missing = null) =>
        new(Quarter, 90, 100, value, 1, 2, missing ?? [], true, rag, PointType.SpecialCauseConcern, suppressed);

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
    public void ASuppressedFigureShowsLessThanFiveAndNotItsNumerator()
    {
        var cut = Render<FigureCell>(p => p.Add(c => c.Figure, Figure(3m, RagStatus.Red, suppressed: true)).Add(c => c.Measure, Percent));

        Assert.Equal("<5", cut.Find(".figure span[aria-hidden]").TextContent);
        Assert.DoesNotContain("90 of 100", cut.Find(".figure .sr-only").TextContent);
        Assert.DoesNotContain("90 of 100", cut.Find(".figure").GetAttribute("title"));
    }
}
