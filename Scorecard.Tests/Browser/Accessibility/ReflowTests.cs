using Microsoft.Playwright;
using Scorecard.Tests.Browser.Sweep;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser.Accessibility;

/// <summary>
/// WCAG 1.4.10 Reflow and 1.4.4 Resize text: the scorecard, a measure, the tracker and the upload page at 320 CSS pixels
/// wide (1280 px at 400%) and at 200% zoom of the 1366×768 meeting screen (683×384 CSS pixels). The page never scrolls
/// sideways; only a data table may, inside its own scroll area; no control, heading or paragraph is pushed off screen.
/// </summary>
[Collection("browser")]
public sealed class ReflowTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, int, int> Cases()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var (page, email) in new[] { ("scorecard", Actors.QaEmail), ("measure", Actors.QaEmail), ("tracker", Actors.AdminEmail), ("upload", Actors.PoliceEmail) })
        {
            data.Add(page, email, 320, 640);
            data.Add(page, email, 683, 384);
        }
        return data;
    }

    private const string OffScreen = """
        (width) => {
            const inScroller = el => {
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    const s = getComputedStyle(a);
                    if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && a.scrollWidth > a.clientWidth + 1) return true;
                }
                return false;
            };
            const lost = [];
            for (const el of document.querySelectorAll(':is(header, #main-content) :is(a, button, input, select, textarea, h1, h2, h3, p, label, [role=img])')) {
                const r = el.getBoundingClientRect();
                const s = getComputedStyle(el);
                if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('.sr-only')) continue;
                if ((r.right > width + 1 || r.left < -1) && !inScroller(el))
                    lost.push(el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 50) + '" at ' + Math.round(r.left) + '–' + Math.round(r.right));
            }
            return lost;
        }
        """;

    /// <summary>The innermost elements that stick out past the window's right edge, to name the cause of an overflow.</summary>
    private const string Widest = """
        (width) => [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 6)
            .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' "' + (e.textContent || '').trim().slice(0, 30) + '" right ' + Math.round(e.getBoundingClientRect().right) + ' (' + [e.parentElement, e.parentElement?.parentElement].map(p => p ? p.className + ' min ' + getComputedStyle(p).minWidth + ' w ' + Math.round(p.getBoundingClientRect().width) : '').join(' < ') + ')')
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ThePageReflowsWithoutLosingContent(string pageName, string email, int width, int height)
    {
        var path = await ProductPages.ResolveAsync(ProductPages.Page(pageName).Path, fixture.App.DataSource);
        await using var context = await fixture.NewContextAsync(email, new ViewportSize { Width = width, Height = height });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeInViewportAsync();

        var overflow = await PageCheck.OverflowAsync(page);
        var lost = await page.EvaluateAsync<string[]>(OffScreen, width);
        if (overflow > 0 || lost.Length > 0)
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"reflow-{pageName}-{width}.png"), FullPage = true });
        var widest = overflow == 0 ? [] : await page.EvaluateAsync<string[]>(Widest, width);
        Assert.True(overflow == 0, $"{path} at {width}×{height}: the page scrolls {overflow} px sideways, because of: {string.Join("; ", widest)}");
        Assert.True(lost.Length == 0, $"{path} at {width}×{height}: off screen: {string.Join("; ", lost.Take(10))}");
        // The navigation drawer does not cover the page when it opens narrow.
        var covered = await page.EvaluateAsync<bool>("() => { const h = document.querySelector('#main-content h1'); const r = h.getBoundingClientRect(); const top = document.elementFromPoint(Math.min(r.left + 5, innerWidth - 1), r.top + r.height / 2); return !h.contains(top) && top !== h; }");
        Assert.False(covered, $"{path} at {width}×{height}: something covers the page's heading");
    }
}
