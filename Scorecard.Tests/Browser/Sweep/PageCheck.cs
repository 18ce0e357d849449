using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
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

    /// <summary>axe-core as Deque's package bundles it (the version its rules and tags are documented for).</summary>
    private static readonly Lazy<string> AxeSource = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>One violated rule as axe-core reports it, with the elements that violate it.</summary>
    public sealed record AxeViolation(string Id, string? Impact, string Help, AxeNode[] Nodes);

    public sealed record AxeNode(string Target, string Html);

    /// <summary>
    /// Runs axe-core on the page as it is now and describes each violation with its rule, impact and elements.
    /// axe runs in the page itself and returns only its violations. Deque's <c>RunAxe</c> gives the same rules' verdicts
    /// but sends every result, passes included, back to .NET and then opens a blank page in a new context to merge them,
    /// injecting axe twice: on 264 pages that was a large part of the sweep's time, spent on results nobody reads.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page) =>
        (await AxeRunAsync(page)).Select(Describe).ToList();

    public static async Task<AxeViolation[]> AxeRunAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync("() => " + AxeSource.Value);
        var json = await page.EvaluateAsync<string>("""
            async tags => {
                const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
                return JSON.stringify(result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({ target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', '), html: n.html })),
                })));
            }
            """, WcagTags);
        return JsonSerializer.Deserialize<AxeViolation[]>(json, JsonSerializerOptions.Web) ?? [];
    }

    private static string Describe(AxeViolation violation)
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
