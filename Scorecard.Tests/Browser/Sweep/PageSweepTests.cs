using System.Collections.Concurrent;
using Microsoft.Playwright;
using Scorecard.Web.Accessibility;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// Every page, and every state users reach, as every role at 1366×768, the smallest screen a meeting projects: it fits the
/// window, shows no error card, logs no console error, gets no 5xx, and axe-core finds no WCAG 2.2 A/AA violation (issues
/// 8 and 14). The pages and roles are <see cref="AccessibilityScope.Pages"/>, the list the accessibility statement shows.
/// </summary>
[Collection("sweep-1")]
public sealed class PageSweepTests(SweepFixture fixture) : IClassFixture<SweepFixture>
{
    /// <summary>Every page and role the sweep checks: the two halves below, together.</summary>
    public static IEnumerable<object[]> Cases => ProductPages.PageAndRole();

    /// <summary>Every other case (the first, third, …): this class checks them while <see cref="PageSweepSecondHalfTests"/> checks the rest.</summary>
    public static IEnumerable<object[]> FirstHalf => Half(0);

    public static IEnumerable<object[]> SecondHalf => Half(1);

    private static IEnumerable<object[]> Half(int which) => Cases.Where((_, i) => i % 2 == which);

    [Theory]
    [MemberData(nameof(FirstHalf))]
    public Task EveryPageFitsWorksAndMeetsWcagForEveryRole(string pageName, CheckedRole role) => PageSweep.CheckAsync(fixture, pageName, role);

    [Fact]
    public void TheTwoHalvesAreEveryCaseOnce()
    {
        static (string, CheckedRole) Key(object[] c) => ((string)c[0], (CheckedRole)c[1]);
        var halves = FirstHalf.Concat(SecondHalf).Select(Key).ToList();
        Assert.Equal(Cases.Select(Key).Order(), halves.Order());
        Assert.Equal(halves.Count, halves.Distinct().Count());
        Assert.True(FirstHalf.Any() && SecondHalf.Any());
    }
}

/// <summary>
/// The sweep's other half, in a test collection of its own so that both halves run at once (each on an app of its own):
/// a page's check spends much of its time waiting for the browser and the network, not using a core.
/// </summary>
[Collection("sweep-2")]
public sealed class PageSweepSecondHalfTests(SweepFixture fixture) : IClassFixture<SweepFixture>
{
    [Theory]
    [MemberData(nameof(PageSweepTests.SecondHalf), MemberType = typeof(PageSweepTests))]
    public Task EveryPageFitsWorksAndMeetsWcagForEveryRole(string pageName, CheckedRole role) => PageSweep.CheckAsync(fixture, pageName, role);
}

/// <summary>The check each case of the sweep makes.</summary>
internal static class PageSweep
{
    public static async Task CheckAsync(SweepFixture fixture, string pageName, CheckedRole role)
    {
        var checkedPage = ProductPages.Page(pageName);
        var path = await ProductPages.ResolveAsync(checkedPage.Path, fixture.App.DataSource);
        // A tab of its own in the role's context: its own circuit, console and responses; the role's cookies and cache.
        var page = await (await fixture.ContextOfAsync(role)).NewPageAsync();
        try
        {
            await CheckAsync(fixture, page, pageName, checkedPage, path, role);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static async Task CheckAsync(SweepFixture fixture, IPage page, string pageName, CheckedPage checkedPage, string path, CheckedRole role)
    {
        var consoleErrors = new List<string>();
        var serverErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 500) serverErrors.Add($"{r.Status} {r.Url}"); };

        var response = await page.GotoAsync(path);
        if (role != CheckedRole.SignedOut || checkedPage.Path != "/account/login")
            await BrowserFixture.WaitForCircuitAsync(page);
        await PageCheck.SettledAsync(page);
        if (ProductPages.Reach.TryGetValue(pageName, out var reach))
        {
            await reach(page, fixture.App.DataSource);
            await PageCheck.SettledAsync(page);
        }

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
