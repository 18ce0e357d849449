using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Issue 8 §1 in a real browser: an incomplete figure is shown as such with no trend arrows, and a sustained shift is
/// said on the scorecard row and recorded as a process change in one step from the measure page.
/// </summary>
[Collection("browser")]
public sealed class JudgementBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static ILocator Row(IPage page, string code) =>
        page.Locator("tr", new() { Has = page.Locator($"td[data-code='{code}']") });

    [Fact]
    public async Task HealthAssessmentsFromOneOfTwoAgenciesShowAsIncompleteWithNoTrendArrows()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard?quarter=2025-Q2");

        var row = Row(page, "HLT-IHA20");
        var latest = row.Locator("[data-provisional='true']");
        await Expect(latest).ToHaveCountAsync(1);
        await Expect(latest).ToContainTextAsync("1 of 2 agencies");
        await Expect(latest).ToHaveAttributeAsync("data-rag", "NoData");
        await Expect(row.Locator(".trend").First).ToHaveTextAsync("–");
        await Expect(row.Locator(".trend").First).ToHaveAttributeAsync("aria-label", new Regex("2025/26 Q2 is incomplete \\(1 of 2 agencies\\)"));
        await Expect(row).Not.ToContainTextAsync("↑");
    }

    [Fact]
    public async Task AQaMemberRecordsTheSuggestedProcessChangeInOneStep()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/scorecard");
        await Expect(Row(page, "CSC-REREF").GetByTestId("process-change")).ToContainTextAsync("Recalculate the limits from 2023/24 Q2");
        await Expect(Row(page, "CSC-REREF").Locator("[data-caveated='true']")).ToHaveCountAsync(1);

        await page.GotoAsync("/scorecard/measures/CSC-REREF");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("process-change-suggestion")).ToContainTextAsync("The limits describe the old process");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record a process change from 2023/24 Q2" }).ClickAsync();

        await Expect(page.GetByTestId("process-change-suggestion")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("process-change")).ToContainTextAsync("2023/24 Q2");
        await Expect(page.GetByTestId("process-change")).ToContainTextAsync("Sustained shift: the last 9 quarters are all above the mean");
        await Expect(page.GetByTestId("assurance-label")).Not.ToHaveTextAsync(new Regex("old process"));
    }
}
