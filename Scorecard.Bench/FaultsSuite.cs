using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data;
using Scorecard.Data.Database;

namespace Scorecard.Bench;

/// <summary>
/// Issue 9 §2: how fast the embedded default rides out a crash, and whether the first read after the server dropped
/// every pooled connection fails. Runs the Data layer's own composition root (bootstrap + supervisor) on an embedded
/// cluster in a temp folder: <c>dotnet run -c Release --project Scorecard.Bench -- faults</c>.
/// </summary>
public static class FaultsSuite
{
    private const int Kills = 3;
    private const int StaleTrials = 10;

    public static async Task RunAsync(BenchContext context)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scorecard-bench-faults-{Environment.ProcessId}");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scorecard"] = "",
            ["Scorecard:DataFolder"] = folder,
            ["Scorecard:Demo"] = "false",
            ["Scorecard:Database:SuperviseSeconds"] = "1",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddScorecardData(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var embedded = host.Services.GetRequiredService<ScorecardDatabase>().Embedded!;
            var supervisor = host.Services.GetRequiredService<EmbeddedPostgresSupervisor>();

            // kill -9 of the postmaster → the shared data source answers a query again, with no outside action.
            var recoveries = new List<double>();
            for (var i = 0; i < Kills; i++)
            {
                await WarmPoolAsync(dataSource);
                var restartsBefore = supervisor.Status.Restarts;
                using (var postmaster = Process.GetProcessById(embedded.PostmasterPid()!.Value))
                    postmaster.Kill();
                var clock = Stopwatch.StartNew();
                // Orphaned backends may still answer for a moment after their postmaster died: wait for the restart too.
                while (supervisor.Status.Restarts == restartsBefore || !await AnswersAsync(dataSource, withRetry: true))
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(120))
                        throw new TimeoutException("The embedded cluster did not come back within 120 s.");
                    await Task.Delay(50);
                }
                recoveries.Add(clock.Elapsed.TotalMilliseconds);
                Console.Error.WriteLine($"kill {i + 1}: answering again after {clock.ElapsedMilliseconds} ms (restarts {supervisor.Status.Restarts})");
            }
            recoveries.Sort();
            BenchContext.Figure("faults_postmaster_kill_to_query_ok_ms", recoveries[recoveries.Count / 2]);
            BenchContext.Figure("faults_postmaster_kill_to_query_ok_max_ms", recoveries[^1]);

            // Every pooled connection dropped by the server (what a planned restart does): the first read after it.
            BenchContext.Figure("faults_stale_pool_first_read_failures_without_retry", await StaleTrialsAsync(dataSource, withRetry: false));
            BenchContext.Figure("faults_stale_pool_first_read_failures", await StaleTrialsAsync(dataSource, withRetry: true));
        }
        finally
        {
            await host.StopAsync();
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

    private static async Task<int> StaleTrialsAsync(NpgsqlDataSource dataSource, bool withRetry)
    {
        var failures = 0;
        for (var i = 0; i < StaleTrials; i++)
        {
            await WarmPoolAsync(dataSource);
            await using (var admin = await dataSource.OpenConnectionAsync())
            await using (var terminate = new NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()", admin))
                await terminate.ExecuteScalarAsync();
            if (!await AnswersAsync(dataSource, withRetry))
                failures++;
            dataSource.Clear();
        }
        return failures;
    }

    private static async Task WarmPoolAsync(NpgsqlDataSource dataSource)
    {
        // Several connections open at once, then back to the pool idle.
        var open = new List<NpgsqlConnection>();
        for (var i = 0; i < 4; i++)
            open.Add(await dataSource.OpenConnectionAsync());
        foreach (var conn in open)
            await conn.DisposeAsync();
    }

    private static async Task<bool> AnswersAsync(NpgsqlDataSource dataSource, bool withRetry)
    {
        async Task<int> ReadAsync(CancellationToken ct)
        {
            await using var cmd = dataSource.CreateCommand("select 1");
            return (int)(await cmd.ExecuteScalarAsync(ct))!;
        }

        try
        {
            return (withRetry ? await DatabaseFaults.ReadWithRetryAsync(dataSource, ReadAsync, CancellationToken.None) : await ReadAsync(CancellationToken.None)) == 1;
        }
        catch (Exception e) when (DatabaseFaults.IsOutage(e))
        {
            return false;
        }
    }
}
