using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Database;
using Scorecard.Web;
using Xunit.Abstractions;

namespace Scorecard.Tests.Database;

/// <summary>The app on its own embedded cluster (in a temp folder) rides out a crash of that cluster (issue 9 §2.2).</summary>
public sealed class SupervisorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AKilledPostmasterIsRestartedAndHealthIsBackWithin30SecondsWithNoOutsideAction()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scorecard-supervised-{Guid.NewGuid():N}");
        var app = await ScorecardApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0", "--ConnectionStrings:Scorecard=", $"--Scorecard:DataFolder={folder}", "--no-demo",
            "--Scorecard:Database:SuperviseSeconds=1", "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var embedded = app.Services.GetRequiredService<ScorecardDatabase>().Embedded!;
            var supervisor = app.Services.GetRequiredService<EmbeddedPostgresSupervisor>();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.True(supervisor.Status.Supervised);
            // First-run setup is open on the empty embedded default, and the code was printed.
            Assert.True(app.Services.GetRequiredService<FirstRunSetup>().IsOpen);

            var pid = embedded.PostmasterPid()!.Value;
            using (var postmaster = Process.GetProcessById(pid))
                postmaster.Kill(); // SIGKILL, as the OOM killer would
            var clock = Stopwatch.StartNew();

            var sawOutage = false;
            HttpStatusCode status;
            // Until /healthz answers 200 again, and the supervisor has recorded the restart.
            while ((status = (await http.GetAsync("/healthz")).StatusCode) != HttpStatusCode.OK || supervisor.Status.Restarts == 0)
            {
                sawOutage |= status == HttpStatusCode.ServiceUnavailable;
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"/healthz still answers {status} {clock.Elapsed.TotalSeconds:0.0} s after the kill");
                await Task.Delay(100);
            }
            output.WriteLine($"figure faults_postmaster_kill_to_healthz_ok_ms {clock.ElapsedMilliseconds}");
            Assert.True(sawOutage || status == HttpStatusCode.OK);

            Assert.NotEqual(pid, embedded.PostmasterPid());
            Assert.True(embedded.IsPostmasterAlive());
            Assert.Equal(1, supervisor.Status.Restarts);
            Assert.NotNull(supervisor.Status.LastRestartAt);
            // The data survived the crash, on the same connection string.
            await using var conn = new NpgsqlConnection(embedded.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select count(*) from schema_migration", conn);
            Assert.True((long)(await cmd.ExecuteScalarAsync())! > 0);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    [Fact]
    public async Task WhileTheEmbeddedClusterIsStoppedSignedInPagesAnswer503AndTheFirstRequestAfterItStartsAgainWorks()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scorecard-stopstart-{Guid.NewGuid():N}");
        var app = await ScorecardApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0", "--ConnectionStrings:Scorecard=", $"--Scorecard:DataFolder={folder}", "--no-demo",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var setup = app.Services.GetRequiredService<FirstRunSetup>();
            var created = await app.Services.GetRequiredService<FirstRunSetupCommand>().CompleteAsync(
                new FirstRunInput(setup.Code!, "Warrington Safeguarding Partnership", "WSP", "Wren Admin", "wren@wsp.example", "a-long-admin-password"));
            Assert.True(created.Succeeded);
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = new Uri(baseUrl) };
            await SignInAsync(http, "wren@wsp.example", "a-long-admin-password");
            var home = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("Warrington Safeguarding Partnership", await home.Content.ReadAsStringAsync());
            var embedded = app.Services.GetRequiredService<ScorecardDatabase>().Embedded!;

            // A deliberate stop (the supervisor leaves a stopped cluster alone): a clear 503 page, not a 500 or a sign-out.
            await embedded.StopAsync();
            var down = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            var page = await down.Content.ReadAsStringAsync();
            Assert.Contains("The service is unavailable", page);
            Assert.Contains("Try again shortly", page);
            Assert.DoesNotContain("Npgsql", page);

            // Started again: the pool still holds the connections the stop broke; the very first request must work.
            var clock = Stopwatch.StartNew();
            await embedded.RestartAsync(CancellationToken.None);
            var back = await http.GetAsync("/");
            output.WriteLine($"figure faults_db_start_to_page_ok_ms {clock.ElapsedMilliseconds}");
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
            Assert.Contains("Warrington Safeguarding Partnership", await back.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Signs in through the real form (its antiforgery token included), as a browser would.</summary>
    private static async Task SignInAsync(HttpClient http, string email, string password)
    {
        var form = await http.GetStringAsync("/account/login");
        string Hidden(string name) =>
            Regex.Match(form, $"name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value is { Length: > 0 } v
                ? WebUtility.HtmlDecode(v)
                : throw new InvalidOperationException($"The sign-in form has no {name}.");
        var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = Hidden("_handler"),
            ["__RequestVerificationToken"] = Hidden("__RequestVerificationToken"),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
