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
        Assert.Equal($"/returns/upload?period={period}", cut.Find("[aria-label='Upload return for 2025/26 Q2']").GetAttribute("href"));
        Assert.Equal($"/returns/history/{police.AgencyId}/{period}", cut.Find("[aria-label='History of 2025/26 Q2']").GetAttribute("href"));
        Assert.Contains("Version 1", cut.FindAll("[aria-label='Quarters open for returns'] tbody tr")[0].TextContent);
    }
}
