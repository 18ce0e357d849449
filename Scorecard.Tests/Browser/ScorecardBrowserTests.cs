using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>The QA subgroup's meeting view in a real browser: exceptions, drill-down to the XmR chart, and the Excel export.</summary>
[Collection("browser")]
public sealed class ScorecardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static ILocator Row(IPage page, string code) =>
        page.Locator("tr", new() { Has = page.Locator($"td[data-code='{code}']") });

    [Fact]
    public async Task AQaMemberFiltersToExceptionsAndSeesThePlantedSignalsFlagged()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard");
        await Expect(Row(page, "CS-CE-SCREEN")).ToBeVisibleAsync();

        await page.GetByLabel("Exceptions only").CheckAsync();

        await Expect(page).ToHaveURLAsync(new Regex("exceptions=true"));
        await Expect(Row(page, "CSC-REREF")).ToContainTextAsync("Special cause concern");
        // The steady rise is green with its assurance withheld (the limits describe the old process): a note, not an exception.
        await Expect(Row(page, "CSC-CFA45")).ToHaveCountAsync(0);
        await Expect(Row(page, "CSC-CP-VISITS")).ToContainTextAsync("Special cause concern");
        await Expect(Row(page, "HLT-IHA20")).ToContainTextAsync("Consistently failing the target");
        await Expect(Row(page, "HLT-IHA20")).ToContainTextAsync("Mid Cheshire Hospitals");
        await Expect(Row(page, "CS-CE-SCREEN")).ToHaveCountAsync(0);
        await Expect(Row(page, "CSC-REREF").Locator("[data-variation='ConcernHigh']")).ToHaveCountAsync(1);
        await Expect(Row(page, "HLT-IHA20").Locator("[data-assurance='ConsistentFail']")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "scorecard-exceptions.png") });

        // A link keeps the view: opening the same address in a new page shows the same filters.
        var again = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(again, Actors.QaEmail);
        await again.GotoAsync(page.Url);
        await Expect(again.GetByLabel("Exceptions only")).ToBeCheckedAsync();
        await Expect(Row(again, "CS-CE-SCREEN")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheQaMemberDrillsIntoAMeasureAndSeesItsChart()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard?exceptions=true");

        await Row(page, "CSC-REREF").GetByRole(AriaRole.Link, new() { Name = "Re-referrals within 12 months" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/scorecard/measures/CSC-REREF"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Re-referrals within 12 months");
        await Expect(page.GetByTestId("variation-label")).ToHaveTextAsync("Special cause concern: look into it");
        // Plotly draws the chart once its script has loaded: the values, mean, limits and target traces,
        // and the legend's improvement and concern points. Read through
        // Plotly's public graph object (the div's data), not its generated SVG classes.
        var chart = page.GetByRole(AriaRole.Figure).Filter(new() { Has = page.Locator("#xmr-chart") });
        await Expect(chart.Locator("svg").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("id => (document.getElementById(id)?.data?.length ?? 0) > 0", "xmr-chart");
        Assert.Equal(7, await page.EvaluateAsync<int>("id => document.getElementById(id).data.length", "xmr-chart"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "measure-rereferrals.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export history" }).ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, "rereferrals-history.xlsx");
        await download.SaveAsAsync(path);
        using (var workbook = new XLWorkbook(path))
        {
            var history = workbook.Worksheet("History");
            Assert.Equal("CSC-REREF Re-referrals within 12 months", history.Cell(1, 1).GetString());
            Assert.Equal(22, history.Column(1).CellsUsed().Count(c => Regex.IsMatch(c.GetString(), @"^\d{4}/\d{2} Q\d$")));
            Assert.Contains(history.Column(6).CellsUsed(), c => c.GetString() == "Special cause: concern");
        }

        // One click per step: measure → agency → quarter.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cheshire East Council", Exact = true }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/scorecard/agencies/\\d+"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cheshire East Council");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "agency-council.png") });
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/scorecard/measures/CSC-REREF"));
    }

    [Fact]
    public async Task TheExecutiveSeesTrendsByPriorityAndOpensAMeasure()
    {
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, "/trends");

        var card = page.Locator("a.sparkline-card[data-code='CSC-CFA45']");
        await Expect(card).ToHaveAccessibleNameAsync(new Regex("Special cause improvement: significantly higher"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "trends.png") });
        await card.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/scorecard/measures/CSC-CFA45"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Child and family assessments within 45 working days");
    }

    [Fact]
    public async Task TheExportOpensInClosedXmlWithTheFiltersAndNoFormulas()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard?exceptions=true&priority=P2");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Export to Excel" }).ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, "scorecard-export.xlsx");
        await download.SaveAsAsync(path);

        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet("Scorecard");
        Assert.Contains("exceptions only", sheet.Cell(2, 1).GetString());
        Assert.Contains("priority P2", sheet.Cell(2, 1).GetString());
        Assert.Contains("Exported by", sheet.Cell(3, 1).GetString());
        var codes = sheet.Column(2).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Contains("CSC-REREF", codes);
        Assert.Contains("CSC-CP-VISITS", codes);
        Assert.DoesNotContain("HLT-IHA20", codes); // priority P3, filtered out
        Assert.DoesNotContain(sheet.CellsUsed(), c => c.HasFormula);
    }

    [Fact]
    public async Task ASchoolUserSeesThePartnershipFigureButOnlyTheirOwnSchoolsValues()
    {
        var page = await fixture.OpenAsync(Actors.SchoolEmail, "/scorecard/measures/EDU-DSL-TRAINING");

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Each agency's values" });
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table).ToContainTextAsync("Sandbach High School and Sixth Form College");
        await Expect(page.GetByText(new Regex(@"\d+ other agencies report this measure"))).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "measure-school-user.png"), FullPage = true });

        // Typing another agency's address is refused, and so is exporting its figures.
        await page.GotoAsync("/scorecard/agencies/1");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        var council = await Actors.AgencyIdAsync(fixture.App.DataSource, "Cheshire East Council");
        var school = await Actors.AgencyIdAsync(fixture.App.DataSource, "Sandbach High School");
        Assert.Equal(403, (await page.APIRequest.GetAsync($"/scorecard/export?agency={council}")).Status);
        Assert.Equal(403, (await page.APIRequest.GetAsync("/scorecard/export?sector=education")).Status);
        var own = await page.APIRequest.GetAsync($"/scorecard/export?agency={school}");
        Assert.Equal(200, own.Status);
        Assert.StartsWith("application/vnd.openxmlformats-officedocument.spreadsheetml", own.Headers["content-type"]);
    }

    [Fact]
    public async Task AnExecutiveSeesEverySchoolAsSmallMultiples()
    {
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, "/scorecard/measures/EDU-DSL-TRAINING");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Small multiples" }).ClickAsync();

        await Expect(page.Locator("a.small-multiple")).ToHaveCountAsync(170);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "measure-small-multiples.png") });
    }

    [Fact]
    public async Task TheMeasurePageDrawsOnlyTheAgencyRowsOnScreenAndScrollsToTheLastSchool()
    {
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, "/scorecard/measures/EDU-DSL-TRAINING");

        // The small multiples list every school in the table's order: the last one is the row to reach.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Small multiples" }).ClickAsync();
        await Expect(page.Locator("a.small-multiple")).ToHaveCountAsync(170);
        var lastFull = (await page.Locator("a.small-multiple").Last.GetAttributeAsync("aria-label"))!.Split(':')[0];
        await page.GetByRole(AriaRole.Tab, new() { Name = "Table" }).ClickAsync();

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Each agency's values" });
        var rows = table.Locator("tbody tr", new() { Has = page.Locator("th[scope=row]") });
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.InRange(await rows.CountAsync(), 1, 60);
        var last = table.GetByRole(AriaRole.Link, new() { Name = lastFull, Exact = true });
        await Expect(last).ToHaveCountAsync(0);

        // Scrolled with the keyboard, as someone without a mouse would: the box takes focus and End goes to the bottom.
        var box = page.GetByRole(AriaRole.Region, new() { Name = "Agencies' values, scrollable" });
        await box.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(last).ToBeVisibleAsync();
        Assert.InRange(await rows.CountAsync(), 1, 60);
    }

    [Fact]
    public async Task AChairTypesAnAgencyNameToSeeThatAgencysFigures()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard");

        var scope = page.GetByLabel("Agency or sector");
        await scope.ClickAsync();
        await scope.FillAsync("Mid Cheshire");
        await page.GetByRole(AriaRole.Option, new() { Name = "Mid Cheshire Hospitals NHS Foundation Trust" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"agency=\d+"));
        await Expect(page.GetByTestId("filter-description")).ToContainTextAsync("Mid Cheshire Hospitals NHS Foundation Trust");
        // Only the measures the trust reports, each missing for the latest quarter.
        await Expect(Row(page, "HLT-IHA20")).ToBeVisibleAsync();
        await Expect(Row(page, "CSC-REREF")).ToHaveCountAsync(0);
        await Expect(page.Locator("td[data-code] >> nth=0")).ToBeVisibleAsync();
        Assert.All(await page.Locator("[data-testid=missing-agencies]").AllTextContentsAsync(), t => Assert.Contains("Mid Cheshire Hospitals", t));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "scorecard-agency.png") });
    }

    [Fact]
    public async Task TheQaMemberRecordsAProcessChangeAndTheChartStartsANewSegment()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard/measures/CSC-REFERRALS");
        await Expect(page.GetByTestId("no-process-changes")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Recalculate limits from this quarter" }).ClickAsync();
        await Expect(page.GetByText("Choose the first quarter of the changed process.")).ToBeVisibleAsync();

        await page.GetByLabel("First quarter of the changed process").SelectOptionAsync(new SelectOptionValue { Label = "2023/24 Q1" });
        await page.GetByLabel("Why the process changed").FillAsync("Single front door opened in April 2023");
        await page.GetByRole(AriaRole.Button, new() { Name = "Recalculate limits from this quarter" }).ClickAsync();

        var change = page.GetByTestId("process-change");
        await Expect(change).ToContainTextAsync("2023/24 Q1");
        await Expect(change).ToContainTextAsync("Single front door opened in April 2023");
        await Expect(change).ToContainTextAsync("Quinn QA");
        await Expect(page.GetByRole(AriaRole.Figure).Filter(new() { Has = page.Locator("#xmr-chart") }).Locator("svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "measure-process-change.png"), FullPage = true });

        // The executive sees the change but cannot record or remove one.
        var exec = await fixture.OpenAsync(Actors.ExecutiveEmail, "/scorecard/measures/CSC-REFERRALS");
        await Expect(exec.GetByTestId("process-change")).ToContainTextAsync("Single front door");
        await Expect(exec.GetByRole(AriaRole.Button, new() { Name = "Recalculate limits from this quarter" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheExecutiveLooksAtOnePartnerInAnEarlierQuarter()
    {
        var police = await Actors.AgencyIdAsync(fixture.App.DataSource, "Cheshire Constabulary");
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, $"/scorecard/agencies/{police}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cheshire Constabulary");

        await page.GetByLabel("Up to quarter").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "2024/25 Q2" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/scorecard/agencies/{police}\\?quarter=2024-Q2$"));
        await Expect(page.GetByText("quarter by quarter to 2024/25 Q2")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "2024/25 Q2: open Cheshire Police's return" })).ToBeVisibleAsync();
    }
}
