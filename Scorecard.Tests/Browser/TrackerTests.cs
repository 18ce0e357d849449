using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

[Collection("browser")]
public sealed class TrackerTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, name);

    [Fact]
    public async Task AnAdminFindsTheOverdueAgencyExportsTheChasingListAndRejectsAVersion()
    {
        var data = fixture.App.DataSource;
        var admin = await Actors.ForAsync(data, Actors.AdminEmail);
        var police = await Actors.AgencyIdAsync(data, "Cheshire Constabulary");
        var (period, codes) = await HistoryTestData.LatestReportedAsync(data, police);
        var returns = new ReturnQueries(data, TimeProvider.System);
        var original = await returns.GetCurrentValuesAsync(admin, police, period);
        var fileBytes = Enumerable.Range(0, 3000).Select(i => (byte)(i % 251)).ToArray();
        await HistoryTestData.AddVersionAsync(data, police, period, null, fileBytes, "police-return-v2.xlsx",
            [new(codes[0], Value: 9999m, Commentary: "Includes the county lines operation.")]);
        var lateName = Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey).Name;
        var latest = (await returns.GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8))).Periods[^1];

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Submission tracker" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/returns/tracker$"));

        var table = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Timeliness" });
        var firstRow = table.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader) }).First;
        await Expect(firstRow).ToContainTextAsync(lateName);
        await Expect(firstRow.GetByRole(AriaRole.Link, new() { Name = $"{lateName}, {latest.Label}: Missing" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("completeness")).ToContainTextAsync("%");
        await page.ScreenshotAsync(new() { Path = Shot("tracker.png") });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export missing returns" }).ClickAsync());
        var exported = Shot("missing-returns.xlsx");
        await download.SaveAsAsync(exported);
        using (var workbook = new XLWorkbook(exported))
        {
            var rows = TrackerExportTests.DataRows(workbook.Worksheet(1));
            Assert.Contains(rows, r => r[0] == lateName && r[2] == latest.Label);
            Assert.StartsWith("Exported by Alex Admin", workbook.Worksheet(1).Cell(3, 1).GetString().Replace(admin.DisplayName, "Alex Admin"));
        }

        await page.GetByLabel("Find an agency").FillAsync("Constabulary");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await table.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^Cheshire Constabulary, {Regex.Escape(latest.Label).Replace("/", "\\/")}: (Resubmitted|Late)$") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/returns/history/{police}/{period}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Version 1 → version 2" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("changes-1-2")).ToContainTextAsync("9,999");
        await page.ScreenshotAsync(new() { Path = Shot("history.png"), FullPage = true });

        var file = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download version 2: police-return-v2.xlsx" }).ClickAsync());
        Assert.Equal("police-return-v2.xlsx", file.SuggestedFilename);
        var saved = Shot("police-return-v2.xlsx");
        await file.SaveAsAsync(saved);
        Assert.Equal(fileBytes, await File.ReadAllBytesAsync(saved));

        await page.GetByRole(AriaRole.Button, new() { Name = "Reject version 2" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject version 2" }).ClickAsync();
        await Expect(dialog.GetByText("A reason for rejecting is required.")).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason for rejecting").FillAsync("The arrests figure includes another force's operation.");
        await page.ScreenshotAsync(new() { Path = Shot("history-reject-dialog.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject version 2" }).ClickAsync();

        await Expect(page.GetByText("Version 2 rejected. Version 1 is the current return again.")).ToBeVisibleAsync();
        var versions = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Original file" });
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("Rejected");
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("The arrests figure includes another force's operation.");
        await Expect(versions.Locator("tbody tr").Nth(1)).ToContainTextAsync("Accepted (current)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reject version 2" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("history-rejected.png"), FullPage = true });
        Assert.Equal(original, await returns.GetCurrentValuesAsync(admin, police, period));
    }

    [Fact]
    public async Task EveryAgencyIsReachableByScrollingTheTrackerWithTheKeyboard()
    {
        var data = fixture.App.DataSource;
        var admin = await Actors.ForAsync(data, Actors.AdminEmail);
        var matrix = await new ReturnQueries(data, TimeProvider.System).GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8));
        Assert.True(matrix.Agencies.Count > 100, "the demo has enough agencies for the grid to scroll");
        var last = matrix.Agencies[^1];

        var page = await fixture.OpenAsync(Actors.AdminEmail, "/returns/tracker");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Returns by agency and quarter" });
        var rows = table.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader) });
        await Expect(rows).ToHaveCountAsync(matrix.Agencies.Count);
        var lastCell = table.GetByRole(AriaRole.Link, new() { Name = $"{last.AgencyName}, {matrix.Periods[^1].Label}:", Exact = false });
        await Expect(lastCell).Not.ToBeInViewportAsync();

        // Issue 8: the grid went blank on scroll. Focus the box and go to the end, as a keyboard user would.
        await page.GetByRole(AriaRole.Region, new() { Name = "Returns by agency and quarter, scrollable" }).FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(lastCell).ToBeInViewportAsync();
        await Expect(rows.Last).ToContainTextAsync(last.AgencyName);
        await page.ScreenshotAsync(new() { Path = Shot("tracker-scrolled-to-end.png") });

    }

    [Fact]
    public async Task AnAgencyUserCannotOpenAnotherAgencysHistoryFileOrTheTracker()
    {
        var data = fixture.App.DataSource;
        var school = await Actors.AgencyIdAsync(data, "Sandbach High School");
        var (period, codes) = await HistoryTestData.LatestReportedAsync(data, school);
        var v2 = await HistoryTestData.AddVersionAsync(data, school, period, null, [7, 7, 7], "sandbach.xlsx", [new(codes[0], Value: 3m)]);

        var police = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(police, Actors.PoliceEmail);
        await police.GotoAsync($"/returns/history/{school}/{period}");
        await Expect(police.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Expect(police.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        Assert.Equal(403, (await police.APIRequest.GetAsync($"/returns/files/{v2.ReturnId}")).Status);
        Assert.Equal(404, (await police.APIRequest.GetAsync("/returns/files/987654321")).Status);
        // The export is for partnership roles: the cookie handler sends anyone else to the access-denied page.
        Assert.Contains("/account/access-denied", (await police.APIRequest.GetAsync("/returns/tracker/export")).Url);
        await police.GotoAsync("/returns/tracker");
        await Expect(police.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Expect(police.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Submission tracker" })).ToHaveCountAsync(0);

        var schoolPage = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(schoolPage, Actors.SchoolEmail);
        var own = await schoolPage.APIRequest.GetAsync($"/returns/files/{v2.ReturnId}");
        Assert.Equal(200, own.Status);
        Assert.Contains("attachment", own.Headers["content-disposition"]);
        Assert.Contains("sandbach.xlsx", own.Headers["content-disposition"]);
        Assert.Equal([7, 7, 7], await own.BodyAsync());
        await schoolPage.GotoAsync($"/returns/history/{school}/{period}");
        await Expect(schoolPage.GetByTestId("history-subject")).ToContainTextAsync("Sandbach High School");
        await Expect(schoolPage.GetByRole(AriaRole.Button, new() { Name = "Reject version 2" })).ToHaveCountAsync(0);
        await schoolPage.ScreenshotAsync(new() { Path = Shot("history-school.png"), FullPage = true });
    }
}
