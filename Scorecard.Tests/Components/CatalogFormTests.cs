using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Admin;
using Scorecard.Web.Components.Pages.Home;

namespace Scorecard.Tests.Components;

public sealed class CatalogFormTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private static IElement InputLabelled<T>(IRenderedComponent<T> cut, string label) where T : IComponent
    {
        var forId = cut.FindAll("label").First(l => l.TextContent.Trim() == label).GetAttribute("for");
        return cut.Find($"#{forId}");
    }

    [Fact]
    public async Task TheMeasureFormShowsTheCommandsErrorBesideTheFieldAndSavesAValidChange()
    {
        UseDatabase(db.DataSource);
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        SignInAs(admin);
        var measure = (await new CatalogQueries(db.DataSource).ListMeasuresAsync(admin)).First(m => m.Code == "CSC-ICPC15");
        Render<MudPopoverProvider>();

        var cut = Render<MeasureEdit>(p => p.Add(x => x.MeasureId, measure.Id));
        cut.WaitForAssertion(() => Assert.Contains("Edit CSC-ICPC15", cut.Find("h1").TextContent), TimeSpan.FromSeconds(10));

        await cut.InvokeAsync(() => InputLabelled(cut, "Target").Change("140"));
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Contains("Save measure")).Click());
        cut.WaitForAssertion(() => Assert.Contains("Target is a percentage: enter a number from 0 to 100.", cut.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(measure.Target, (await new CatalogQueries(db.DataSource).GetMeasureAsync(admin, measure.Id))!.Target);

        await cut.InvokeAsync(() => InputLabelled(cut, "Target").Change("88"));
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Contains("Save measure")).Click());
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/measures", navigation.Uri), TimeSpan.FromSeconds(10));
        Assert.Equal(88m, (await new CatalogQueries(db.DataSource).GetMeasureAsync(admin, measure.Id))!.Target);
    }

    [Fact]
    public async Task TheHomePageShowsTheLatestQuarterAndReturnsReceivedFromTheDatabase()
    {
        UseDatabase(db.DataSource);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        SignInAs(qa);
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var latest = (await new CatalogQueries(db.DataSource).ListPeriodsAsync(admin)).First();
        var expected = await new ReturnQueries(db.DataSource, FixedClock.DemoToday).GetPeriodSubmissionsAsync(admin, latest.Id);

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(latest.Label, cut.Find("[data-testid=latest-quarter]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Equal($"{expected!.Received} of {expected.Expected}", cut.Find("[data-testid=returns-received]").TextContent.Trim());
        Assert.Contains(expected.Overdue.First().AgencyName, cut.Find("[data-testid=overdue-table]").TextContent);
    }
}
