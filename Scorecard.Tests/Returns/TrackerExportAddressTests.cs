using ClosedXML.Excel;
using Scorecard.Data.Catalog;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>
/// The chasing-list export's address against the running app: the sector is typed (<see cref="Sector"/>) inside, but the
/// address still takes the words the tracker's links have always used, in any case; a word that names no sector is a
/// clear 400, not an empty list.
/// </summary>
[Collection("browser")]
public sealed class TrackerExportAddressTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheExportAddressTakesTodaysSectorWordsAndRefusesAnUnknownOne()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.QaEmail);

        foreach (var word in new[] { "health", "Health" })
        {
            var response = await page.APIRequest.GetAsync($"/returns/tracker/export?quarters=8&sector={word}");
            Assert.Equal(200, response.Status);
            using var workbook = new XLWorkbook(new MemoryStream(await response.BodyAsync()));
            Assert.Contains($"sector: {Sectors.Label(Sector.Health)}", workbook.Worksheet(1).Cell(2, 1).GetString());
        }

        var all = await page.APIRequest.GetAsync("/returns/tracker/export?quarters=8&sector=");
        Assert.Equal(200, all.Status);
        using (var workbook = new XLWorkbook(new MemoryStream(await all.BodyAsync())))
            Assert.Contains("sector: all", workbook.Worksheet(1).Cell(2, 1).GetString());

        var unknown = await page.APIRequest.GetAsync("/returns/tracker/export?quarters=8&sector=healthcare");
        Assert.Equal(400, unknown.Status);
        Assert.Contains("There is no sector \\\"healthcare\\\"", await unknown.TextAsync());
    }
}
