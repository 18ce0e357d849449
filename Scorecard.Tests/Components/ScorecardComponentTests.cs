using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Components;

/// <summary>The scorecard's building blocks as a user (or a screen reader) meets them.</summary>
public sealed class SpcIconComponentTests : ComponentTestBase
{
    [Theory]
    [InlineData(VariationIcon.CommonCause, "Common cause: no significant change")]
    [InlineData(VariationIcon.ConcernHigh, "Special cause concern: significantly higher")]
    [InlineData(VariationIcon.ImprovementLow, "Special cause improvement: significantly lower")]
    [InlineData(VariationIcon.NeutralHigh, "Significantly higher (neither better nor worse)")]
    public void EachVariationIconHasItsMeaningInWordsForScreenReaders(VariationIcon icon, string label)
    {
        var cut = Render<VariationIconView>(p => p.Add(c => c.Icon, icon));

        var img = cut.Find("[role=img]");
        Assert.StartsWith(label + ": " + SpcIcons.Description(icon), img.GetAttribute("aria-label"));
        Assert.Equal("0", img.GetAttribute("tabindex"));
        Assert.Contains($"stroke=\"{SpcIcons.Colour(icon)}\"", cut.Markup);
    }

    [Fact]
    public void ProvisionalLimitsAreMarkedAndSaidInWords()
    {
        var cut = Render<VariationIconView>(p => p.Add(c => c.Icon, VariationIcon.CommonCause).Add(c => c.Trial, true));

        Assert.Contains("Limits are provisional", cut.Find("[role=img]").GetAttribute("aria-label"));
        Assert.Equal("*", cut.Find(".spc-trial").TextContent);
    }

    [Theory]
    [InlineData(AssuranceIcon.ConsistentPass, "P")]
    [InlineData(AssuranceIcon.ConsistentFail, "F")]
    [InlineData(AssuranceIcon.Inconsistent, "?")]
    public void EachAssuranceIconShowsItsLetterAndSaysWhatItMeans(AssuranceIcon icon, string letter)
    {
        var cut = Render<AssuranceIconView>(p => p.Add(c => c.Icon, icon));

        Assert.Equal(letter, cut.Find("text").TextContent);
        Assert.StartsWith(SpcIcons.Label(icon), cut.Find("[role=img]").GetAttribute("aria-label"));
    }

    [Fact]
    public void NoAssuranceIconSaysWhy()
    {
        var cut = Render<AssuranceIconView>(p => p.Add(c => c.Icon, (AssuranceIcon?)null));

        Assert.Contains("no target", cut.Find("[role=img]").GetAttribute("aria-label"));
    }
}

public sealed class FigureCellTests : ComponentTestBase
{
    private static readonly ScorecardMeasure Percent = new(1, "M1", "Visits in time", "", "percent", "In time", "All", "higher_is_better",
        1, "P1", "Priority", 1, 1, "Council", 95m, 5m, 1, null, null, "", 1);
    private static readonly ScorecardPeriod Quarter = new(7, 2025, 2, new(2025, 7, 1), new(2025, 9, 30), new(2025, 10, 28));
    private static readonly ScorecardAgency Hospital = new(4, "Mid Cheshire Hospitals", "MCHFT", "health", true);

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

/// <summary>The scorecard page over the demo partnership: URL filters, exceptions, and what the chart is given.</summary>
public sealed class ScorecardPageTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private async Task<IRenderedComponent<ScorecardPage>> RenderAtAsync(string url, string email = Actors.QaEmail)
    {
        UseDatabase(db.DataSource);
        var actor = await Actors.ForAsync(db.DataSource, email);
        SignInAs(actor);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        var cut = Render<ScorecardPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("td[data-code]")), TimeSpan.FromSeconds(10));
        return cut;
    }

    private static List<string> Codes(IRenderedComponent<ScorecardPage> cut) =>
        cut.FindAll("td[data-code]").Select(td => td.GetAttribute("data-code")!).ToList();

    [Fact]
    public async Task ExceptionsOnlyFromTheUrlLeavesOnlyRowsWithAReason()
    {
        var cut = await RenderAtAsync("/scorecard?exceptions=true");

        var exceptions = Codes(cut);
        Assert.Contains("CSC-REREF", exceptions);
        Assert.Contains("HLT-IHA20", exceptions);
        Assert.DoesNotContain("CS-CE-SCREEN", exceptions); // green, common cause, nothing missing
        Assert.All(cut.FindAll("tr:has(td[data-code])"), row => Assert.NotEmpty(row.QuerySelectorAll("[data-exception]")));
        Assert.Contains("exceptions only", cut.Find("[data-testid=filter-description]").TextContent);
    }

    [Fact]
    public async Task TheRagAndPriorityFiltersCombine()
    {
        var cut = await RenderAtAsync("/scorecard?rag=red&priority=P2");

        Assert.NotEmpty(Codes(cut));
        Assert.All(cut.FindAll("tr:has(td[data-code])"), row => Assert.NotNull(row.QuerySelector(".figure[data-rag=Red]")));
        Assert.DoesNotContain("HLT-IHA20", Codes(cut)); // a red measure of priority P3
    }

    [Fact]
    public async Task AnUnknownQuarterIsReportedAndTheLatestIsShown()
    {
        var cut = await RenderAtAsync("/scorecard?quarter=1999-Q9&rag=purple");

        var alerts = cut.FindAll(".mud-alert").Select(a => a.TextContent).ToList();
        Assert.Contains(alerts, a => a.Contains("There is no quarter \"1999-Q9\""));
        Assert.Contains(alerts, a => a.Contains("\"purple\" is not a RAG status"));
        Assert.StartsWith("2025/26 Q2", cut.Find("[data-testid=filter-description]").TextContent);
    }

    [Fact]
    public async Task AnAgencyUserAskingForAnotherAgencyGetsThePartnershipAndIsTold()
    {
        var council = await Actors.AgencyIdAsync(db.DataSource, "Cheshire East Council");

        var cut = await RenderAtAsync($"/scorecard?agency={council}", Actors.PoliceEmail);

        Assert.Contains(cut.FindAll(".mud-alert"), a => a.TextContent.Contains("your own agency's; showing the partnership"));
        Assert.Contains("whole partnership", cut.Find("[data-testid=filter-description]").TextContent);
    }

    [Fact]
    public async Task TheMeasurePageSaysWhenTheUrlNamesAnUnknownQuarterOrMeasure()
    {
        UseDatabase(db.DataSource);
        SignInAs(await Actors.ForAsync(db.DataSource, Actors.QaEmail));
        var navigation = Services.GetRequiredService<NavigationManager>();

        navigation.NavigateTo("/scorecard/measures/CSC-REREF?quarter=2099-Q1");
        var cut = Render<MeasurePage>(p => p.Add(c => c.Code, "CSC-REREF"));
        cut.WaitForAssertion(() => Assert.Contains("There is no quarter \"2099-Q1\"", cut.Find(".mud-alert").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("Re-referrals within 12 months", cut.Find("h1").TextContent.Trim());

        var missing = Render<MeasurePage>(p => p.Add(c => c.Code, "NO-SUCH"));
        missing.WaitForAssertion(() => Assert.Equal("Measure not found", missing.Find("h1").TextContent.Trim()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheChartIsGivenTheValuesLimitsAndTargetWithPointsColouredByType()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var data = await new ScorecardQueries(db.DataSource, TimeProvider.System).LoadAsync(qa, CancellationToken.None);
        var line = ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership).Lines.Single(l => l.Measure.Code == "CSC-REREF");

        var traces = XmrChartData.Traces(line).Cast<Scatter>().ToList();

        // The values, the lines, the target, then the legend of what the point colours mean (SpcWords).
        Assert.Equal([XmrChartData.ValuesName, XmrChartData.MeanName, XmrChartData.UpperName, XmrChartData.LowerName, XmrChartData.TargetName,
            SpcWords.Legend(PointType.SpecialCauseImprovement), SpcWords.Legend(PointType.SpecialCauseConcern)], traces.Select(t => t.Name));
        Assert.Equal("Percentage (%)", XmrChartData.Layout(line).YAxis[0].Title.Text);
        Assert.Equal(SpcWords.QuarterAxis, XmrChartData.Layout(line).XAxis[0].Title.Text);
        var values = traces[0];
        Assert.Equal(line.History.Select(h => (object)h.Period.Label), values.X);
        Assert.Equal((double)line.History[^1].Value!.Value, (double)values.Y[^1]);
        Assert.Equal(SpcIcons.ConcernColour, values.Marker.ColorArray[^1]);
        Assert.Equal(line.Spc!.Points[0].UpperLimit, (double?)traces[2].Y[0]);
        Assert.All(traces[4].Y, y => Assert.Equal(20.0, (double)y));
        Assert.Contains("Referrals within 12 months of a previous referral", values.HoverTextArray[^1]);
    }
}

/// <summary>The home page's scorecard summary by priority agrees with the scorecard it links to.</summary>
public sealed class PriorityGlanceTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task EachPriorityCountsItsRedAmberGreenAndExceptionsAndLinksToTheFilteredScorecard()
    {
        UseDatabase(db.DataSource);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        SignInAs(qa);
        var view = ScorecardBuilder.Build(await new ScorecardQueries(db.DataSource, TimeProvider.System).LoadAsync(qa, CancellationToken.None), qa, ScorecardScope.Partnership);
        var p2 = view.Lines.Where(l => l.Measure.PriorityCode == "P2").ToList();

        var cut = Render<Scorecard.Web.Components.Pages.Home.PriorityGlance>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("tr[data-priority]").Count), TimeSpan.FromSeconds(10));

        var cells = cut.Find("tr[data-priority=P2]").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(p2.Count.ToString(), cells[1]);
        Assert.Equal(p2.Count(l => l.Current.Rag == RagStatus.Red).ToString(), cells[2]);
        Assert.Equal(p2.Count(l => l.IsException).ToString(), cells[5]);
        Assert.Equal("/scorecard?priority=P2&exceptions=true", cut.Find("tr[data-priority=P2] td:last-child a").GetAttribute("href"));
    }
}

