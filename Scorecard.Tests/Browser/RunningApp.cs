using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web;

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
