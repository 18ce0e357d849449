using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using Scorecard.Web.Components.Shared;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

[Collection("browser")]
public sealed class ReturnRoundTripTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, name);

    [Fact]
    public async Task AnAgencyUserDownloadsFillsUploadsExplainsAWarningAndConfirmsANewVersion()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        var versionsBefore = (await new ReturnQueries(fixture.App.DataSource, TimeProvider.System).ListVersionsAsync(setup.Admin, setup.PoliceId, setup.PeriodId)).Max(v => v.Version);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.PoliceEmail);
        await page.GotoAsync("/my-returns");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("my-returns.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download template for 2025/26 Q2" }).ClickAsync());
        Assert.Equal("return-Cheshire-Police-2025-26-Q2.xlsx", download.SuggestedFilename);
        var templatePath = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(templatePath);

        var code = "";
        var filled = ReturnFiles.Fill(await File.ReadAllBytesAsync(templatePath), ws =>
        {
            var row = ReturnFiles.FirstCountRow(ws);
            code = ws.Cell(row, 1).GetString();
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000;
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Clear(XLClearOptions.Contents);
        });
        var filledPath = Path.Combine(Path.GetTempPath(), $"police-return-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(filledPath, filled);

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^(Upload|Send again): the return for 2025\/26 Q2$") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/returns/upload\\?period={setup.PeriodId}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Send a quarterly return" })).ToBeVisibleAsync();
        // Choose the file as a person does: the button opens the browser's file chooser.
        var chooser = await page.RunAndWaitForFileChooserAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Upload filled-in template" }).ClickAsync());
        await chooser.SetFilesAsync(filledPath);

        // MudTable puts its aria-label on the wrapper around the <table>.
        var warned = page.Locator("[aria-label='Preview of the return'] tbody tr").Filter(new() { HasText = code });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and submit" })).ToBeVisibleAsync();
        await Expect(warned).ToContainTextAsync("Warning: 50000 is outside this measure's usual range");
        await Expect(warned).ToContainTextAsync("50,000");
        await page.ScreenshotAsync(new() { Path = Shot("upload-preview.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and submit" }).ClickAsync();
        await Expect(page.GetByText("Explain the warning before you submit.")).ToBeVisibleAsync();
        await page.GetByLabel($"Commentary for {code}").FillAsync("A week-long operation found many more cases than usual.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and submit" }).ClickAsync();

        var version = versionsBefore + 1;
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was saved" }))
            .ToContainTextAsync($"Version {version} of Cheshire Constabulary's return for 2025/26 Q2 was saved");
        await page.ScreenshotAsync(new() { Path = Shot("upload-committed.png"), FullPage = true });

        await page.GotoAsync("/my-returns");
        await BrowserFixture.WaitForCircuitAsync(page);
        var open = page.Locator("[aria-label='Quarters open for returns'] tbody tr").Filter(new() { HasText = "2025/26 Q2" });
        await Expect(open).ToContainTextAsync($"Received (version {version})");
        var sent = page.Locator("[aria-label=\"Your agency's returns\"] tbody tr").First;
        await Expect(sent).ToContainTextAsync("2025/26 Q2");
        await Expect(sent).ToContainTextAsync(ReturnStatusChip.LabelFor(ReturnStatus.Accepted));
        await Expect(sent).ToContainTextAsync("Pat Police");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "History of 2025/26 Q2" }).First)
            .ToHaveAttributeAsync("href", $"/returns/history/{setup.PoliceId}/{setup.PeriodId}?from=my-returns");

        var values = await new ReturnQueries(fixture.App.DataSource, TimeProvider.System).GetCurrentValuesAsync(setup.Police, setup.PoliceId, setup.PeriodId);
        var value = values.Single(v => v.MeasureCode == code);
        Assert.Equal((50_000m, "A week-long operation found many more cases than usual."), (value.Value!.Value, value.Commentary));

        // The version in the history, with what changed and the original file.
        await page.GetByRole(AriaRole.Link, new() { Name = "History of 2025/26 Q2" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/returns/history/{setup.PoliceId}/{setup.PeriodId}\\?from=my-returns$"));
        await Expect(page.GetByTestId("return-figures")).ToContainTextAsync("50,000");
        await Expect(page.GetByTestId($"changes-{version - 1}-{version}")).ToContainTextAsync("50,000");
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^Download version {version}: ") })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("upload-history.png"), FullPage = true });

        // The new value on the agency's own scorecard.
        await page.GotoAsync($"/scorecard/agencies/{setup.PoliceId}?quarter=2025-Q2");
        await Expect(page.Locator($"tr[data-code='{code}'] .figure").Last).ToContainTextAsync("50,000");

        // And on the tracker, where the admin sees the police return for the quarter as resubmitted.
        var admin = await fixture.OpenAsync(Actors.AdminEmail, "/returns/tracker");
        await admin.GetByLabel("Find an agency").FillAsync("Constabulary");
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Cheshire Constabulary, 2025/26 Q2: Resubmitted" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnAgencyUserCannotDownloadAnotherAgencysTemplateOrOpenItsUploadPage()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.PoliceEmail);

        var other = await page.APIRequest.GetAsync($"/returns/template?agency={setup.SchoolId}&period={setup.PeriodId}");
        var own = await page.APIRequest.GetAsync($"/returns/template?agency={setup.PoliceId}&period={setup.PeriodId}");
        Assert.Equal(403, other.Status);
        Assert.Equal(200, own.Status);

        await page.GotoAsync($"/returns/upload?agency={setup.SchoolId}&period={setup.PeriodId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Expect(page.Locator("input[type=file]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnAdminIssuesAnApiTokenSeesItOnceAndRevokesIt()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);
        await page.GotoAsync("/admin/api-tokens");
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.GetByLabel("Agency").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Cheshire Constabulary" }).ClickAsync();
        await page.GetByLabel("Name (which system uses it)").FillAsync("Niche RMS export");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue token" }).ClickAsync();

        var token = await page.GetByTestId("issued-token").TextContentAsync();
        Assert.StartsWith("sc_", token);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Niche RMS export" });
        await Expect(row).ToContainTextAsync("Active");
        await page.ScreenshotAsync(new() { Path = Shot("api-tokens.png"), FullPage = true });
        var tokens = new ApiTokenService(fixture.App.DataSource, TimeProvider.System);
        Assert.NotNull(await tokens.AuthenticateAsync(token));

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Niche RMS export" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Revoked");
        await Expect(page.GetByTestId("issued-token")).ToHaveCountAsync(0);
        Assert.Null(await tokens.AuthenticateAsync(token));
    }
}
