using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web;
using Scorecard.Web.Auth;

namespace Scorecard.Tests.Browser;

/// <summary>The real app on Kestrel, on a free port, against its own database cloned from the demo template.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    private RunningApp(WebApplication app, string baseUrl, string connectionString)
    {
        App = app;
        BaseUrl = baseUrl;
        ConnectionString = connectionString;
        DataSource = ScorecardDataSource.Create(connectionString);
    }

    public WebApplication App { get; }
    public string BaseUrl { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    /// <summary>One Data Protection certificate for every app the tests start (as instances of one deployment share one),
    /// made once in the temporary folder, so no test writes beside the real data folder.</summary>
    public static string DataProtectionCertificatePath { get; } = CreateCertificate();

    private static string CreateCertificate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scorecard-tests-{Environment.ProcessId}", DataProtectionSetup.GeneratedFileName);
        DataProtectionSetup.LoadOrCreateCertificate(path).Dispose();
        return path;
    }

    /// <summary>Starts the app; <paramref name="moreArgs"/> (command-line form, e.g. "--Scorecard:RateLimits:ApiPerMinute=2") come last and win.</summary>
    public static Task<RunningApp> StartAsync(string? connectionString = null, params string[] moreArgs) =>
        StartAsync(connectionString, null, moreArgs);

    /// <summary>Starts the app; <paramref name="configure"/> may add to the builder (a log capture, say) before it is built.</summary>
    public static async Task<RunningApp> StartAsync(string? connectionString, Action<WebApplicationBuilder>? configure, params string[] moreArgs)
    {
        connectionString ??= await TestDatabase.CreateDatabaseAsync(withDemoData: true);
        var app = await ScorecardApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Scorecard={connectionString}",
            "--Scorecard:RevalidateSeconds=2",
            "--Logging:LogLevel:Default=Warning",
            $"--Scorecard:DataProtection:CertificatePath={DataProtectionCertificatePath}",
            // Browser tests sign in and call the API far faster than people do; the limits have their own tests.
            "--Scorecard:RateLimits:SignInPerMinute=10000",
            "--Scorecard:RateLimits:ApiPerMinute=10000",
            .. moreArgs,
        ], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningApp(app, address.TrimEnd('/'), connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}

/// <summary>One app and one headless Debian Chromium for a test class. Playwright never downloads a browser here.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public RunningApp App { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    private IPlaywright? playwright;

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

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-GB",
        });
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
        if (Browser is not null)
            await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
    }
}
