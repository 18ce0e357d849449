using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Browser;

/// <summary>One app and one headless Debian Chromium for a test class. Playwright never downloads a browser here.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public RunningApp App { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    private IPlaywright? playwright;
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
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
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
        if (Browser is not null)
            await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
    }
}
