using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Issue 9 §3.4: the Content Security Policy is one Blazor Server, MudBlazor and Plotly.Blazor live with. Pages render,
/// the circuit connects and charts draw with no CSP violation reported by Chromium.
/// </summary>
[Collection("browser")]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<List<string>> WatchViolationsAsync(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations.Add(message.Text);
        };
        // Every violation fires this event in the page, including ones Chromium does not log.
        await page.ExposeFunctionAsync("reportCspViolation", (string text) => { violations.Add(text); });
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation',
                e => window.reportCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """);
        return violations;
    }

    [Fact]
    public async Task TheMeasurePagesChartAndTheScorecardRenderWithNoCspViolation()
    {
        var page = await fixture.NewPageAsync();
        var violations = await WatchViolationsAsync(page);

        await BrowserFixture.SignInAsync(page, Actors.QaEmail);
        await page.GotoAsync("/scorecard/measures/CSC-REREF");
        await BrowserFixture.WaitForCircuitAsync(page);
        // Plotly has drawn the chart (an SVG inside the chart's figure) and MudBlazor's styled components are on the page.
        await Expect(page.GetByRole(AriaRole.Figure).First.Locator("svg").First).ToBeVisibleAsync();
        await page.GotoAsync("/scorecard");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync("/trends");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.Context.CloseAsync();
    }
}
