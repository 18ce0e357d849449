using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Playwright;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Meetings;

/// <summary>
/// Issue 13 §4 in a real browser: a QA member plans a meeting, builds and reorders its agenda, steps through it in the
/// presenter view with the keyboard, records a challenge against a scorecard exception (a real one in the challenge log, linked from the minutes and
/// named in the pack's decisions log), and downloads the pack.
/// </summary>
[Collection("browser")]
public sealed class MeetingBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, name);

    [Fact]
    public async Task AQaMemberBuildsTheAgendaPresentsItByKeyboardRecordsAChallengeAndDownloadsThePack()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.QaEmail);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Meetings" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/meetings$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("attendance-table")).ToContainTextAsync("Rarely attends");

        await page.GetByLabel("Title").FillAsync("QA subgroup, browser journey");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan meeting" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/meetings/\\d+$"));
        var meetingId = int.Parse(Regex.Match(page.Url, "/meetings/(\\d+)$").Groups[1].Value);

        await page.GetByRole(AriaRole.Button, new() { Name = "Build the agenda" }).ClickAsync();
        var items = page.GetByTestId("agenda-item");
        await Expect(items.First).ToBeVisibleAsync();
        var firstTitle = (await items.Nth(0).Locator("h3").TextContentAsync())!.Trim();
        var secondTitle = (await items.Nth(1).Locator("h3").TextContentAsync())!.Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Move {secondTitle} up" }).ClickAsync();
        await Expect(items.Nth(0).Locator("h3")).ToHaveTextAsync(secondTitle);
        await Expect(items.Nth(1).Locator("h3")).ToHaveTextAsync(firstTitle);
        await page.ScreenshotAsync(new() { Path = Shot("meeting-agenda.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Presenter view" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/meetings/{meetingId}/present$"));
        var title = page.Locator("#presenter-title");
        await Expect(title).ToHaveTextAsync($"1. {secondTitle}");
        await Expect(page.GetByTestId("presenter-slide")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(title).ToHaveTextAsync($"2. {firstTitle}");
        await page.Keyboard.PressAsync("PageDown");
        await Expect(title).ToHaveTextAsync(new Regex("^3\\. "));
        await page.Keyboard.PressAsync("PageUp");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(title).ToHaveTextAsync($"1. {secondTitle}");
        await Expect(page.Locator("figure.xmr-chart")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("meeting-presenter.png") });

        await page.GetByLabel("Record a").SelectOptionAsync(new SelectOptionValue { Label = "New challenge" });
        await page.GetByLabel("Agency").SelectOptionAsync(new SelectOptionValue { Label = "Cheshire Constabulary" });
        await page.GetByLabel("What was decided or asked").FillAsync("Explain the change in this quarter's figure by the next meeting.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
        // A challenge needs the date its response is due (the challenge log's rule): the form says so and saves nothing.
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Choose the date the agency's response is due." })).ToBeVisibleAsync();
        await page.GetByLabel("Due").FillAsync(DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
        var records = page.GetByTestId("presenter-records");
        await Expect(records).ToContainTextAsync("New challenge: Explain the change in this quarter's figure by the next meeting. (Cheshire Constabulary, due ");
        // The minute links the real challenge it raised in the challenge log.
        var challengeLink = records.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Challenge \\d+$") });
        var challengeId = int.Parse(Regex.Match((await challengeLink.TextContentAsync())!, "\\d+").Value);
        var presenterUrl = page.Url;
        await challengeLink.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/improvement/challenges/{challengeId}$"));
        await Expect(page.GetByText(new Regex("at the meeting of"))).ToBeVisibleAsync();
        await page.GotoAsync("/improvement/challenges");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Challenges" }).GetByRole(AriaRole.Link,
            new() { Name = "Explain the change in this quarter's figure by the next meeting." })).ToHaveAttributeAsync("href", $"/improvement/challenges/{challengeId}");
        await page.GotoAsync(presenterUrl);
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to QA subgroup, browser journey" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate the pack" }).ClickAsync();
        await Expect(page.GetByText("Version 1 of the pack is stored.")).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-pack").ClickAsync());
        var saved = Shot("meeting-pack.docx");
        await download.SaveAsAsync(saved);

        using (var doc = WordprocessingDocument.Open(saved, false))
        {
            var body = doc.MainDocumentPart!.Document.Body!;
            var headings = body.Elements<Paragraph>().Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1").Select(p => p.InnerText).ToList();
            Assert.Equal($"1. {secondTitle}", headings[2]);
            Assert.Equal("Decisions and actions log", headings[^1]);
            var log = body.Elements<Table>().Last().InnerText;
            Assert.Contains("Explain the change in this quarter's figure by the next meeting.", log);
            Assert.Contains($"New challenge (challenge {challengeId})", log);
            Assert.NotEmpty(doc.MainDocumentPart.ImageParts);
        }

        var print = await page.Context.NewPageAsync();
        await print.GotoAsync($"/meetings/{meetingId}/pack/print");
        await Expect(print.GetByRole(AriaRole.Heading, new() { Name = "Decisions and actions log" })).ToBeVisibleAsync();
        await Expect(print.GetByRole(AriaRole.Heading, new() { Name = $"1. {secondTitle}" })).ToBeVisibleAsync();
        await Expect(print.GetByRole(AriaRole.Img).First).ToHaveAttributeAsync("alt", new Regex("^XmR chart of"));
    }

    [Fact]
    public async Task AnExecutiveSeesWhatIsEscalatedOnTheHomePageAndReadsAQaMeetingWithoutRunningIt()
    {
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "For the Executive" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Escalated risks" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contested-themes")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Meetings" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Plan meeting" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Meeting of").Locator("option")).ToHaveTextAsync(["Executive"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "QA subgroup, November 2025" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("agenda-item").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rebuild the agenda" })).ToHaveCountAsync(0);
        // The demo stored this meeting's pack after loading: it downloads as stored.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-pack").ClickAsync());
        Assert.EndsWith("-v1.docx", download.SuggestedFilename);
    }

    [Fact]
    public async Task AnAgencyUserCannotOpenMeetingsOrTheirPacks()
    {
        var page = await fixture.OpenAsync(Actors.PoliceEmail, "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "For the Executive" })).ToHaveCountAsync(0);
        await page.GotoAsync("/meetings");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Meetings" })).ToHaveCountAsync(0);
        var response = await page.APIRequest.GetAsync("/meetings/1/pack.docx", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, response.Status);
    }
}
