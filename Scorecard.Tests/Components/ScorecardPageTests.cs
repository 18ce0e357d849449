using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Components;

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

        var text = TextOf(cut);
        Assert.Contains("There is no quarter \"1999-Q9\"", text);
        Assert.Contains("\"purple\" is not a RAG status", text);
        Assert.StartsWith("2025/26 Q2", cut.Find("[data-testid=filter-description]").TextContent);
    }

    [Fact]
    public async Task AnAgencyUserAskingForAnotherAgencyGetsThePartnershipAndIsTold()
    {
        var council = await Actors.AgencyIdAsync(db.DataSource, "Cheshire East Council");

        var cut = await RenderAtAsync($"/scorecard?agency={council}", Actors.PoliceEmail);

        Assert.Contains("your own agency's; showing the partnership", TextOf(cut));
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
        cut.WaitForAssertion(() => Assert.Contains("There is no quarter \"2099-Q1\"", TextOf(cut)), TimeSpan.FromSeconds(10));
        Assert.Equal("Re-referrals within 12 months", cut.Find("h1").TextContent.Trim());

        var missing = Render<MeasurePage>(p => p.Add(c => c.Code, "NO-SUCH"));
        missing.WaitForAssertion(() => Assert.Equal("Measure not found", missing.Find("h1").TextContent.Trim()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheChartIsGivenTheValuesLimitsAndTargetWithPointsColouredByType()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None);
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

    /// <summary>What the user reads on the page (text only, entities decoded), so a message is found without MudBlazor's classes.</summary>
    private static string TextOf<T>(IRenderedComponent<T> cut) where T : IComponent => string.Concat(cut.Nodes.Select(n => n.TextContent));
}
