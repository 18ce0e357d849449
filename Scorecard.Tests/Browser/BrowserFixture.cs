using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Browser;

/// <summary>
/// One app for a test class, driven by the headless Debian Chromium the whole test run shares (Playwright never downloads a
/// browser here). Each test class gets its own app and database and its own browser contexts (own cookies and cache), so
/// sharing the browser process shares nothing a test can see; it saves starting Playwright's driver and Chromium per class.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public RunningApp App { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    private readonly List<IBrowserContext> contexts = [];

    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>Starts the app under test (the demo partnership on a database of its own unless a fixture says otherwise).</summary>
    protected virtual Task<RunningApp> StartAppAsync() => RunningApp.StartAsync();

    public async Task InitializeAsync()
    {
        App = await StartAppAsync();
        // Two cores shared by the app, the database and the browser: give assertions room on a busy CI machine.
        Assertions.SetDefaultExpectTimeout(20_000);
        Browser = await SharedChromium.GetAsync();
    }

    /// <summary>A page in a context of its own (its own cookies). The context is closed when the fixture is disposed.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-GB",
        });
        lock (contexts)
            contexts.Add(context);
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => File.AppendAllText(Path.Combine(ScreenshotFolder, "console.log"), $"{message.Type}: {message.Text}\n");
        return page;
    }

    /// <summary>Signs in through the real form and waits until the page's circuit is live.</summary>
    public static async Task SignInAsync(IPage page, string email, string? password = null)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password ?? Actors.Passwords[email]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await WaitForCircuitAsync(page);
    }

    /// <summary>A new page signed in as <paramref name="email"/>, opened at <paramref name="path"/> with its circuit live.</summary>
    public async Task<IPage> OpenAsync(string email, string path)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, email);
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
        return page;
    }

    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-state[data-live='yes']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public virtual async Task DisposeAsync()
    {
        IBrowserContext[] open;
        lock (contexts)
            open = [.. contexts];
        foreach (var context in open)
            await context.CloseAsync();
        if (App is not null)
            await App.DisposeAsync();
    }
}

/// <summary>
/// The one Playwright driver and headless Chromium of the test run, launched when the first browser test needs it and
/// closed when the test process exits. Launched again if it ever disconnects (a crashed browser fails one class, not the rest).
/// </summary>
public static class SharedChromium
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (browser is { IsConnected: true })
                return browser;
            playwright ??= await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
            if (!registered)
            {
                registered = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Close();
            }
            return browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool registered;

    private static void Close()
    {
        try
        {
            // Best effort, bounded: the driver exits with the test process anyway, taking Chromium with it.
            Task.Run(async () =>
            {
                if (browser is not null)
                    await browser.CloseAsync();
                playwright?.Dispose();
            }).Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Already gone.
        }
    }
}
