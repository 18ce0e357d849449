using System.Collections.Concurrent;
using Microsoft.Playwright;
using Scorecard.Web.Accessibility;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// Every page, and every state users reach, as every role at 1366×768, the smallest screen a meeting projects: it fits the
/// window, shows no error card, logs no console error, gets no 5xx, and axe-core finds no WCAG 2.2 A/AA violation (issues
/// 8 and 14). The pages and roles are <see cref="AccessibilityScope.Pages"/>, the list the accessibility statement shows.
/// </summary>
[Collection("browser")]
public sealed class PageSweepTests(SweepFixture fixture) : IClassFixture<SweepFixture>
{
    public static IEnumerable<object[]> Cases => ProductPages.PageAndRole();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryPageFitsWorksAndMeetsWcagForEveryRole(string pageName, CheckedRole role)
    {
        var checkedPage = ProductPages.Page(pageName);
        var path = await ProductPages.ResolveAsync(checkedPage.Path, fixture.App.DataSource);
        // A tab of its own in the role's context: its own circuit, console and responses; the role's cookies and cache.
        var page = await (await fixture.ContextOfAsync(role)).NewPageAsync();
        try
        {
            await CheckAsync(page, pageName, checkedPage, path, role);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task CheckAsync(IPage page, string pageName, CheckedPage checkedPage, string path, CheckedRole role)
    {
        var consoleErrors = new List<string>();
        var serverErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 500) serverErrors.Add($"{r.Status} {r.Url}"); };

        var response = await page.GotoAsync(path);
        if (role != CheckedRole.SignedOut || checkedPage.Path != "/account/login")
            await BrowserFixture.WaitForCircuitAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (ProductPages.Reach.TryGetValue(pageName, out var reach))
            await reach(page, fixture.App.DataSource);

        var problems = new List<string>();
        var overflow = await PageCheck.OverflowAsync(page);
        if (overflow > 0)
            problems.Add($"the page is {overflow} px wider than the 1366 px window");
        if (await PageCheck.ShowsErrorAsync(page))
            problems.Add("an error card is showing");
        // The not-found page answers 404 on purpose, and Chromium logs every 404 document as a console error.
        var expected404 = response?.Status == 404 && pageName == "not-found";
        problems.AddRange(consoleErrors.Where(e => !(expected404 && e.Contains("404"))).Select(e => $"console error: {e}"));
        problems.AddRange(serverErrors.Select(e => $"server error: {e}"));
        problems.AddRange((await PageCheck.AxeViolationsAsync(page)).Select(v => $"axe: {v}"));

        if (problems.Count > 0)
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"sweep-{pageName}-{role}.png"), FullPage = true });
        Assert.True(problems.Count == 0, $"{pageName} ({path}) as {role}:\n  - {string.Join("\n  - ", problems)}");
    }
}

/// <summary>
/// The sweep's app, and one browser context per role that every page of that role opens a new tab in: each role signs in
/// once, and the browser's cache of the app's fingerprinted scripts and styles (MudBlazor, Plotly, Blazor) is warm after the
/// first page, as it is for a person using the product, instead of every case downloading and compiling them afresh.
/// Nothing else carries from page to page: the app keeps no state in the browser but its sign-in cookie.
/// </summary>
public sealed class SweepFixture : BrowserFixture
{
    public static readonly ViewportSize Window = new() { Width = 1366, Height = 768 };

    private readonly ConcurrentDictionary<CheckedRole, Lazy<Task<IBrowserContext>>> roles = new();

    public Task<IBrowserContext> ContextOfAsync(CheckedRole role) =>
        roles.GetOrAdd(role, r => new Lazy<Task<IBrowserContext>>(() => this.NewContextAsync(ProductPages.EmailOf(r), Window))).Value;

    public override async Task DisposeAsync()
    {
        foreach (var context in roles.Values.Where(l => l.IsValueCreated))
            await (await context.Value).CloseAsync();
        await base.DisposeAsync();
    }
}
