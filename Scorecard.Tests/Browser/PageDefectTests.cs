using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>Page defects outside the scorecard found when every page was tried as each role (issue 8 §3).</summary>
[Collection("browser")]
public sealed class PageDefectTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheMeasuresCataloguesDefinitionsDoNotWrapToManyLines()
    {
        var page = await fixture.OpenAsync(Actors.AdminEmail, "/measures");
        await Expect(page.GetByRole(AriaRole.Table).First).ToBeVisibleAsync();
        await Expect(page.Locator(".field-help").First).ToBeVisibleAsync();

        // Lines per definition: its height over its line height. Nine lines before the fix at 1440 × 900.
        var lines = await page.EvaluateAsync<int>("""
            () => Math.max(...[...document.querySelectorAll('.field-help')].map(e =>
                Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))))
            """);

        Assert.InRange(lines, 1, 4);
    }

    [Fact]
    public async Task TheAppBarShowsTheSameMarkAsTheSignInPage()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        var signInMark = await page.Locator(".login-brand svg path").GetAttributeAsync("d");
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);

        var appBarMark = await page.GetByTestId("brand-icon").Locator("path").Last.GetAttributeAsync("d");

        Assert.Equal(signInMark, appBarMark);
    }
}
