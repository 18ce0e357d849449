using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Npgsql;
using Scorecard.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>The app and Chromium, with the app reaching its database through a proxy the tests can cut (issue 9 §2).</summary>
public sealed class ProxiedBrowserFixture : BrowserFixture
{
    public TcpProxy Proxy { get; private set; } = default!;

    public LogCapture Logs { get; } = new();

    protected override async Task<RunningApp> StartAppAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateDatabaseAsync(withDemoData: true));
        Proxy = TcpProxy.Start(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = Proxy.Port, Timeout = 3 }.ConnectionString;
        return await RunningApp.StartAsync(proxied, builder => builder.Logging.AddProvider(Logs));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

[Collection("browser")]
public sealed class DatabaseOutageTests(ProxiedBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<ProxiedBrowserFixture>
{
    [Fact]
    public async Task SignedInPagesAnswer503WithAPageWhileTheDatabaseIsDownAndRecoverByThemselves()
    {
        var open = await fixture.OpenAsync(Actors.QaEmail, "/scorecard");
        var other = await open.Context.NewPageAsync();

        fixture.Proxy.Cut();
        try
        {
            var down = await other.GotoAsync("/scorecard");

            Assert.Equal(503, down!.Status);
            Assert.Equal("5", await down.HeaderValueAsync("retry-after"));
            await Expect(other.GetByRole(AriaRole.Heading, new() { Name = "The service is unavailable" })).ToBeVisibleAsync();
            await Expect(other.GetByText("Try again shortly")).ToBeVisibleAsync();
            var html = await down.TextAsync();
            Assert.DoesNotContain("Exception", html);
            Assert.DoesNotContain("Npgsql", html);

            // The API answers problem details, not a page.
            var api = await open.Context.APIRequest.PostAsync("/api/returns?period=1", new()
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer sc_not-checked-while-down" },
                DataByte = [1, 2, 3],
            });
            Assert.Equal(503, api.Status);
            Assert.StartsWith("application/problem+json", api.Headers["content-type"]);
            using var problem = JsonDocument.Parse(await api.TextAsync());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("The service is unavailable", problem.RootElement.GetProperty("title").GetString());

            // The open page's circuit re-checks its user every 2 s: an outage must neither crash it nor sign it out.
            await fixture.Logs.WaitForAsync("Cannot re-check user", TimeSpan.FromSeconds(20));
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        var clock = Stopwatch.StartNew();
        var back = await other.GotoAsync("/scorecard");
        output.WriteLine($"figure faults_db_restored_to_page_ok_ms {clock.ElapsedMilliseconds}");
        Assert.Equal(200, back!.Status);
        await Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Scorecard", Exact = true, Level = 1 })).ToBeVisibleAsync();

        // The page that stayed open through the outage is still signed in and still works.
        await BrowserFixture.WaitForCircuitAsync(open);
        Assert.DoesNotContain("/account/login", open.Url);
        await open.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Expect(open.GetByTestId("latest-quarter")).ToHaveTextAsync("2025/26 Q2");
        await Expect(open.GetByTestId("signed-in-role")).ToHaveTextAsync("QA subgroup member");
    }

    [Fact]
    public async Task TheFirstRequestAfterADatabaseRestartDoesNotFailOnAStalePooledConnection()
    {
        var page = await fixture.OpenAsync(Actors.ExecutiveEmail, "/scorecard");

        // What a restart does to the pool: every idle connection is dead, and nothing has told Npgsql yet.
        fixture.Proxy.DropConnections();
        var first = await page.GotoAsync("/scorecard");

        Assert.Equal(200, first!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scorecard", Exact = true, Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task HealthRecoversOnItsOwnAfterTheDatabaseComesBack()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        fixture.Proxy.Cut();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }
}
