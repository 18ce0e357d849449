using Bunit;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Returns;

namespace Scorecard.Tests.Components;

public sealed class MyReturnsTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task EachOpenQuarterOffersItsTemplateUploadAndHistoryForTheUsersOwnAgency()
    {
        UseDatabase(db.DataSource);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var period = await Actors.CountAsync(db.DataSource, "reporting_period");
        SignInAs(police, "Cheshire Constabulary");

        var cut = Render<MyReturns>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[aria-label='Download template for 2025/26 Q2']")), TimeSpan.FromSeconds(10));
        var download = cut.Find("[aria-label='Download template for 2025/26 Q2']");
        Assert.Equal($"/returns/template?agency={police.AgencyId}&period={period}", download.GetAttribute("href"));
        Assert.True(download.HasAttribute("download"));
        Assert.Equal($"/returns/upload?period={period}", cut.Find("[aria-label='Send again: the return for 2025/26 Q2']").GetAttribute("href"));
        Assert.Equal($"/returns/history/{police.AgencyId}/{period}?from=my-returns", cut.Find("[aria-label='Figures and history of 2025/26 Q2']").GetAttribute("href"));
        Assert.Contains("Received (version 1)", cut.FindAll("[aria-label='Quarters open for returns'] tbody tr")[0].TextContent);
    }

    [Fact]
    public async Task OpenAndRecentQuartersComeFirstOlderOnesAreCollapsedAndStatusesAreWords()
    {
        UseDatabase(db.DataSource);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var quarters = await Actors.CountAsync(db.DataSource, "reporting_period");
        SignInAs(police, "Cheshire Constabulary");

        var cut = Render<MyReturns>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[aria-label='Quarters open for returns'] tbody tr")), TimeSpan.FromSeconds(10));
        // The police returned every quarter of the demo: the latest four are shown, the other 18 are collapsed.
        var recent = cut.FindAll("[aria-label='Quarters open for returns'] tbody tr");
        Assert.Equal(4, recent.Count);
        Assert.Equal("2025/26 Q2", recent[0].QuerySelector("strong")!.TextContent);
        Assert.Contains($"Older quarters ({quarters - 4}, all returned)", cut.Markup);
        // Collapsed: the older quarters' table sits in a panel that starts closed (MudBlazor marks it invisible).
        var older = cut.Find("[aria-label='Older quarters open for returns']");
        Assert.NotNull(older.Closest(".invisible"));
        // Statuses in words, not the raw accepted / superseded.
        var sent = cut.Find("[aria-label=\"Your agency's returns\"]").TextContent;
        Assert.Contains("Accepted (current)", sent);
        Assert.DoesNotContain(">accepted<", cut.Markup);
        Assert.DoesNotContain(">superseded<", cut.Markup);
    }
}
