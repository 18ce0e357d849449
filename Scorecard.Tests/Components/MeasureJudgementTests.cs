using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Performance;

namespace Scorecard.Tests.Components;

/// <summary>
/// The measure page over the demo partnership: the process-change suggestion and its one-step action, known special
/// causes listed with their remove button, the cards' words from the statements, and history links that say where
/// the reader came from.
/// </summary>
public sealed class MeasureJudgementTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private async Task<IRenderedComponent<MeasurePage>> RenderAsync(string code, string email = Actors.QaEmail)
    {
        UseDatabase(db.DataSource);
        SignInAs(await Actors.ForAsync(db.DataSource, email));
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/scorecard/measures/{code}");
        var cut = Render<MeasurePage>(p => p.Add(c => c.Code, code));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("h1")), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public async Task TheCareFirstAssessmentsCardsSayTheLimitsDescribeTheOldProcessAndOfferTheOneStepChange()
    {
        var cut = await RenderAsync("CSC-CFA45");

        Assert.Contains("The limits describe the old process: the last 9 quarters have each risen. Recalculate the limits from 2023/24 Q2.",
            cut.Find("[data-testid=process-change-suggestion]").TextContent);
        Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Record a process change from 2023/24 Q2");
        Assert.Equal(SpcWords.AssuranceOnOldProcess, cut.Find("[data-testid=assurance-label]").TextContent.Trim());
        Assert.DoesNotContain(SpcWords.ConsistentlyFailing, cut.Find("[data-testid=assurance-label]").TextContent);
        Assert.StartsWith("Green", cut.Find("[data-testid=figure-statement]").TextContent.Trim());
    }

    [Fact]
    public async Task AnExecutiveReadsTheSuggestionButIsNotOfferedTheAction()
    {
        var cut = await RenderAsync("CSC-REREF", Actors.ExecutiveEmail);

        Assert.Contains("Recalculate the limits from 2023/24 Q2", cut.Find("[data-testid=process-change-suggestion]").TextContent);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Record a process change"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("out of the limits"));
    }

    [Fact]
    public async Task AGhostedQuarterIsListedWithItsReasonAndAButtonToPutItBack()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None);
        var measure = data.Measures.Single(m => m.Code == "YJ-FTE");
        var quarter = data.Periods[^3];
        var added = await new GhostedPointCommands(db.DataSource).AddAsync(qa, measure.Id, quarter.Id, "Court closures during the flood", CancellationToken.None);
        Assert.True(added.Succeeded);

        var cut = await RenderAsync("YJ-FTE");

        var row = cut.Find("[data-testid=ghosted-point]");
        Assert.Contains(quarter.Label, row.TextContent);
        Assert.Contains("Court closures during the flood", row.TextContent);
        Assert.Contains($"Put {quarter.Label} back into the limits", row.QuerySelector("button")!.TextContent);

        row.QuerySelector("button")!.Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=no-ghosted-points]")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheAgencyFiguresLinkToTheReturnHistorySayingTheyCameFromTheMeasure()
    {
        var cut = await RenderAsync("CSC-REREF");

        var links = cut.FindAll("a[href^='/returns/history/']").Select(a => a.GetAttribute("href")!).ToList();

        Assert.NotEmpty(links);
        Assert.All(links, href => Assert.EndsWith("?from=measure&code=CSC-REREF", href));
    }

    [Fact]
    public async Task TheAgencyViewsQuarterLinksSayTheyCameFromTheAgency()
    {
        UseDatabase(db.DataSource);
        SignInAs(await Actors.ForAsync(db.DataSource, Actors.QaEmail));
        var council = await Actors.AgencyIdAsync(db.DataSource, "Cheshire East Council");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/scorecard/agencies/{council}");

        var cut = Render<AgencyView>(p => p.Add(c => c.AgencyId, council));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("a[href^='/returns/history/']")), TimeSpan.FromSeconds(10));

        Assert.All(cut.FindAll("a[href^='/returns/history/']"), a => Assert.EndsWith("?from=agency", a.GetAttribute("href")));
    }
}
