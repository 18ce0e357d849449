using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
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
