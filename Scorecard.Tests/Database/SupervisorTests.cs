using System.Diagnostics;
using System.Net;
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
}
