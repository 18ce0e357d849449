using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Scorecard.Web.Accessibility;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// What every page must be, whoever opens it: no horizontal scroll at the window's width, no error card, no console
/// error, no 5xx response, and no violation of the WCAG 2.2 A and AA rules that axe-core checks.
/// </summary>
public static class PageCheck
{
    /// <summary>axe-core's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA (the statement names the same list).</summary>
    public static string[] WcagTags => AccessibilityScope.WcagTags;

    /// <summary>Runs axe-core on the page as it is now and describes each violation with its rule, impact and elements.</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        return result.Violations.Select(Describe).ToList();
    }

    private static string Describe(AxeResultItem violation)
    {
        var text = new StringBuilder($"{violation.Id} ({violation.Impact}): {violation.Help}");
        foreach (var node in violation.Nodes.Take(5))
            text.Append($"\n      at {node.Target}: {Cut(node.Html, 160)}");
        if (violation.Nodes.Length > 5)
            text.Append($"\n      and {violation.Nodes.Length - 5} more elements");
        return text.ToString();
    }

    /// <summary>
    /// Waits until the page has settled: no loading indicator (an indeterminate MudBlazor progress bar or spinner, or an
    /// element marked busy) and no change to the document for 200 ms, or 5 s at most. A Blazor page's data arrives over its
    /// circuit's WebSocket, which Playwright's network-idle state does not see: that state only ever added a fixed 500 ms.
    /// </summary>
    public static Task SettledAsync(IPage page) => page.EvaluateAsync("""
        () => new Promise(resolve => {
            const quiet = 200, limit = 5000, started = performance.now();
            let changed = performance.now();
            const observer = new MutationObserver(() => { changed = performance.now(); });
            observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            const check = () => {
                const now = performance.now();
                const busy = document.querySelector('.mud-progress-indeterminate, [aria-busy="true"]');
                if ((!busy && now - changed >= quiet) || now - started >= limit) {
                    observer.disconnect();
                    resolve();
                } else {
                    setTimeout(check, 50);
                }
            };
            setTimeout(check, 50);
        })
        """);

    /// <summary>How much wider the document is than the window, in CSS pixels (0 when it fits).</summary>
    public static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");

    /// <summary>True when the layout's error card or Blazor's reconnect/error bar is showing.</summary>
    public static async Task<bool> ShowsErrorAsync(IPage page) =>
        await page.GetByText("Something went wrong showing this page").CountAsync() > 0
        || await page.Locator("#blazor-error-ui").IsVisibleAsync();

    private static string Cut(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..max] + "…";
}
