using System.Diagnostics;
using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Data.Database;

namespace Scorecard.Bench;

/// <summary>
/// A private PostgreSQL for one benchmark run (or the server in ConnectionStrings__Scorecard), fresh databases on it,
/// a stopwatch helper that reports the median of repeated runs, and the one output format: <c>figure &lt;name&gt; &lt;value&gt;</c>.
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private readonly EmbeddedPostgres? embedded;
    private readonly string folder;
    private int counter;

    private BenchContext(EmbeddedPostgres? embedded, string server, string folder, IReadOnlyList<string> args)
    {
        this.embedded = embedded;
        ServerConnectionString = server;
        this.folder = folder;
        Args = args;
    }

    public string ServerConnectionString { get; }

    /// <summary>Arguments after the suite name, for suites that take options (e.g. a smaller size for a quick run).</summary>
    public IReadOnlyList<string> Args { get; }

    public static async Task<BenchContext> StartAsync(IReadOnlyList<string> args)
    {
        ScorecardDataSource.ConfigureDapper();
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Scorecard");
        var folder = Path.Combine(Path.GetTempPath(), $"scorecard-bench-{Environment.ProcessId}");
        if (!string.IsNullOrWhiteSpace(configured))
            return new BenchContext(null, configured, folder, args);
        Console.Error.WriteLine($"starting a private PostgreSQL in {folder}");
        var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder, "postgres"));
        return new BenchContext(pg, pg.ConnectionString, folder, args);
    }

    /// <summary>A new database on the benchmark server with every migration applied.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var name = $"bench_{purpose}_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";
        await using (var conn = new NpgsqlConnection(ServerConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
        await Migrator.MigrateAsync(cs);
        return cs;
    }

    /// <summary>Prints one figure in the format every suite uses.</summary>
    public static void Figure(string name, double value) =>
        Console.WriteLine(FormattableString.Invariant($"figure {name} {value:0.###}"));

    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmups"/> times untimed, then <paramref name="runs"/> times timed,
    /// and returns the median in milliseconds (the median resists the odd slow run on a shared machine).
    /// </summary>
    public static async Task<double> MedianMillisecondsAsync(Func<Task> action, int runs = 15, int warmups = 3)
    {
        for (var i = 0; i < warmups; i++)
            await action();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (embedded is not null)
        {
            await embedded.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
