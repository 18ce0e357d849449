using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Issue 12's management screens in a real browser: importing a results workbook and a per-respondent sheet through the
/// import page (preview, commit, the activity), managing a line of enquiry (create, link evidence through a picker,
/// unlink, the change log), editing an activity's question, and screenshots of the new pages at 1366×768 as QA and as
/// the police user. Its own app and database: the themes it creates never reach other classes' matrices.
/// </summary>
[Collection("browser")]
public sealed class VoiceManagementBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static byte[] Workbook(Action<IXLWorksheet> fill)
    {
        using var wb = new XLWorkbook();
        fill(wb.Worksheets.Add("Results"));
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }

    private static async Task FillDetailsAsync(IPage page, string title)
    {
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Cohort", new() { Exact = true }).FillAsync("Children in care");
        await page.GetByLabel("Forum", new() { Exact = true }).FillAsync("Children in care council");
    }

    [Fact]
    public async Task AQaMemberImportsAResultsWorkbookAndAPerRespondentSheetThroughThePreview()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/voice/new");
        await FillDetailsAsync(page, "Imported children in care survey");
        var results = Workbook(ws =>
        {
            ws.Cell(1, 1).Value = "Question key"; ws.Cell(1, 2).Value = "Question"; ws.Cell(1, 3).Value = "Scale";
            object[][] rows = [["feel-safe", "I feel safe where I live", "agree_neither_disagree", 150, 30, 20], ["listened", "I am listened to", "Yes / sometimes / no", 90, 60, 50]];
            for (var r = 0; r < rows.Length; r++)
                for (var c = 0; c < rows[r].Length; c++)
                    ws.Cell(r + 2, c + 1).Value = rows[r][c];
        });
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "results.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = results });

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the import" }).ClickAsync();
        var preview = page.GetByTestId("import-preview");
        await Expect(preview).ToContainTextAsync("I feel safe where I live");
        await Expect(preview).ToContainTextAsync("agree 150, neither 30, disagree 20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import and save" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/voice/activities/\d+$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Imported children in care survey");
        await Expect(page.GetByTestId("voice-results")).ToContainTextAsync("75% (69% to 80%)");

        // A per-respondent sheet: counted, not kept row by row.
        await page.GotoAsync("/voice/new");
        await BrowserFixture.WaitForCircuitAsync(page);
        await FillDetailsAsync(page, "Imported per-respondent survey");
        string[] answers = ["Agree", "Agree", "Neither", "Disagree", "agree", "Agree", "Agree"];
        var sheet = Workbook(ws =>
        {
            ws.Cell(1, 1).Value = "Respondent"; ws.Cell(2, 1).Value = "Question"; ws.Cell(3, 1).Value = "Scale";
            ws.Cell(1, 2).Value = "feel-safe"; ws.Cell(2, 2).Value = "I feel safe where I live"; ws.Cell(3, 2).Value = "agree_neither_disagree";
            for (var r = 0; r < answers.Length; r++)
            {
                ws.Cell(r + 4, 1).Value = $"R{r + 1}";
                ws.Cell(r + 4, 2).Value = answers[r];
            }
        });
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "respondents.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = sheet });
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the import" }).ClickAsync();
        await Expect(page.GetByTestId("import-preview")).ToContainTextAsync("agree 5, neither 1, disagree 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import and save" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/voice/activities/\d+$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Imported per-respondent survey");
        await Expect(page.Locator(".page-header")).ToContainTextAsync("7 respondents");

        await page.GotoAsync("/voice");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Imported children in care survey" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Imported per-respondent survey" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AHostileFileIsRefusedWithAClearMessageAndNothingIsSaved()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/voice/new");
        await FillDetailsAsync(page, "A survey that never arrives");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "results.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = "MZ not a workbook"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import and save" }).ClickAsync();
        await Expect(page.GetByTestId("import-result")).ToBeVisibleAsync();
        Assert.EndsWith("/voice/new", page.Url);
        await page.GotoAsync("/voice");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("main")).Not.ToContainTextAsync("A survey that never arrives");
    }

    [Fact]
    public async Task AQaMemberCreatesALineOfEnquiryLinksEvidenceThroughAPickerAndUnlinksIt()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/triangulation");
        await page.GetByRole(AriaRole.Link, new() { Name = "New line of enquiry" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Private fostering arrangements are notified");
        await page.GetByRole(AriaRole.Combobox, new() { NameRegex = new Regex("^Priority") }).SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the line of enquiry" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/triangulation/themes/\d+/edit$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edit: Private fostering arrangements are notified");

        await page.GetByRole(AriaRole.Combobox, new() { NameRegex = new Regex("^Evidence of") }).SelectOptionAsync(EvidencePicker.ChildrenAndFamiliesQuestion.ToString());
        await page.GetByLabel(new Regex("^Search words")).FillAsync("listened to at my conference");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var options = page.GetByTestId("evidence-options");
        await options.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Link I was listened to at my conference") }).First.ClickAsync();
        var links = page.GetByTestId("theme-links");
        await Expect(links).ToContainTextAsync("I was listened to at my conference");
        await Expect(options.Locator("tr", new() { HasText = "Linked" }).First).ToBeVisibleAsync();

        // Renamed, then the theme's page shows the link's evidence in its lens.
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Private fostering arrangements are notified and checked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the details" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edit: Private fostering arrangements are notified and checked");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the theme's evidence" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("#lens-children-and-families")).ToContainTextAsync("I was listened to at my conference");
        await Expect(page.GetByTestId("charts-children-and-families")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the theme and its evidence" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.GetByTestId("theme-links").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Unlink ") }).ClickAsync();
        await Expect(page.GetByTestId("theme-links")).ToHaveCountAsync(0);
        // Only an administrator tunes the rules: QA sees them beside the defaults, without inputs.
        await Expect(page.GetByTestId("theme-rules")).ToContainTextAsync("Review window (months)");
        await Expect(page.GetByTestId("theme-rules").Locator("input")).ToHaveCountAsync(0);

        var admin = await fixture.OpenAsync(Actors.AdminEmail, "/admin/change-log");
        await Expect(admin.Locator("body")).ToContainTextAsync("renamed \"Private fostering arrangements are notified and checked\"");
        await Expect(admin.Locator("body")).ToContainTextAsync("Evidence unlinked from a theme");
    }

    [Fact]
    public async Task AnAdministratorTunesAThemesRulesAndSeesWhatChanged()
    {
        var page = await fixture.OpenAsync(Actors.AdminEmail, "/triangulation");
        await page.GetByRole(AriaRole.Link, new() { Name = TriangulationDemo.InsufficientTheme, Exact = true }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the theme and its evidence" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);

        var rules = page.GetByTestId("theme-rules");
        await rules.GetByLabel("Review window (months)").FillAsync("18");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the rules" }).ClickAsync();
        await Expect(rules.GetByTestId("rule-changed")).ToHaveTextAsync("changed from 12");

        await rules.GetByLabel("Audits and self-assessment: negative below").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the rules" }).ClickAsync();
        await Expect(page.GetByTestId("rules-errors")).ToContainTextAsync("the negative one at or below the positive one");

        await page.GetByRole(AriaRole.Button, new() { Name = "Return to the defaults" }).ClickAsync();
        await Expect(rules.GetByTestId("rule-changed")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AQaMemberEditsAQuestionsCountsAndTheResultsFollow()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/voice");
        await page.GetByRole(AriaRole.Link, new() { Name = "Young carers' consultation" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the activity" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);

        var first = page.Locator("fieldset", new() { Has = page.Locator("legend", new() { HasText = "Question 1" }) });
        await first.GetByLabel("Counts").FillAsync("15, 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save question 1" }).ClickAsync();
        await Expect(first.GetByTestId("question-errors")).ToContainTextAsync("Question 1 has 17 answers but the activity has 14 respondents.");

        await first.GetByLabel("Counts").FillAsync("10, 4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save question 1" }).ClickAsync();
        await Expect(first.GetByTestId("question-errors")).ToHaveCountAsync(0);
        // The save has finished when the page says so (the errors go as soon as it starts); only then leave the page.
        await Expect(page.GetByText("Question 1 saved.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the results" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/voice/activities/\d+$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("voice-results").Locator("tr", new() { HasText = "Someone at my school knows" })).ToContainTextAsync("yes 10, no 4");
    }

    [Theory]
    [InlineData(Actors.QaEmail)]
    [InlineData(Actors.PoliceEmail)]
    public async Task TheNewPagesAndChartsFitA1366By768Screen(string email)
    {
        var page = await fixture.OpenAsync(email, "/triangulation");
        await page.SetViewportSizeAsync(1366, 768);
        var who = email.Split('@')[0];
        await page.GetByRole(AriaRole.Link, new() { Name = TriangulationDemo.ContestedTheme, Exact = true }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("charts-children-and-families")).ToBeVisibleAsync();
        await Expect(page.Locator("#lens-voice-children .main-svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"theme-charts-{who}-1366x768.png"), FullPage = true });
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 1366, $"The theme page is {width}px wide on a 1366px screen");

        await page.GotoAsync("/voice");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Children on a child protection plan survey") }).First.ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("trend-words")).ToContainTextAsync("chance");
        // The trend is drawn, not only described.
        await Expect(page.Locator("#voice-trend-chart .main-svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"voice-trend-{who}-1366x768.png"), FullPage = true });

        if (email == Actors.QaEmail)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Edit the activity" }).ClickAsync();
            await BrowserFixture.WaitForCircuitAsync(page);
            await Expect(page.Locator("h1")).ToContainTextAsync("Edit: Children on a child protection plan survey");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"voice-edit-{who}-1366x768.png"), FullPage = true });
            await page.GotoAsync("/triangulation/themes/new");
            await BrowserFixture.WaitForCircuitAsync(page);
            await Expect(page.Locator("h1")).ToHaveTextAsync("New line of enquiry");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"theme-new-{who}-1366x768.png"), FullPage = true });
        }
    }
}
