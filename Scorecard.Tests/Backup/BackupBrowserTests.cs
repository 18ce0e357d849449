using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;
using Scorecard.Data.Backup;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Backup;

/// <summary>The backup page and the partnership export in the real app (which runs here on a configured database).</summary>
[Collection("browser")]
public sealed class BackupBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdministratorExportsTheWholePartnershipFromTheBackupsPage()
    {
        var page = await fixture.OpenAsync(Actors.AdminEmail, "/admin/backups");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Backups", Level = 1 })).ToBeVisibleAsync();
        // The test app runs on a configured server: the page says what to use instead of the app's own backups.
        await Expect(page.GetByTestId("backups-external")).ToContainTextAsync("WAL archiving");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-backups.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Export the partnership" }).ClickAsync());

        Assert.Matches(@"^partnership-cescp-\d{8}-\d{4}\.zip$", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"archive-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            await using var manifestStream = zip.GetEntry(ArchiveManifest.EntryName)!.Open();
            var manifest = await JsonSerializer.DeserializeAsync<ArchiveManifest>(manifestStream, JsonSerializerOptions.Web);
            Assert.Equal("Alex Admin", manifest!.ExportedBy);
            Assert.Contains(manifest.Tables, t => t.Name == "measure_value" && t.Rows > 1000);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task OtherRolesNeitherSeeThePageNorGetTheArchive()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.QaEmail);

        var archive = await page.APIRequest.GetAsync("/admin/backups/partnership-archive", new() { MaxRedirects = 0 });
        Assert.True(archive.Status is 302 or 403, $"status {archive.Status}");
        Assert.NotEqual("application/zip", archive.Headers.GetValueOrDefault("content-type"));

        await page.GotoAsync("/admin/backups");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
    }
}
