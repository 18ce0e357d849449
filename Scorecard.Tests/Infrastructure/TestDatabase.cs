using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Data.Database;
using Scorecard.Data.Demo;

namespace Scorecard.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL for the whole test run, started the same way the app starts its own
/// (or the server in ConnectionStrings__Scorecard when set). Migrated once into two template databases,
/// one empty and one holding the demo partnership; each test class gets its own database cloned from one of them.
/// </summary>
public static class TestDatabase
{
    private const string EmptyTemplate = "scorecard_tpl_empty";
    private const string DemoTemplate = "scorecard_tpl_demo";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmbeddedPostgres? embedded;
    private static string? adminConnectionString;
    private static string? folder;
    private static int counter;

    private static async Task<string> ServerAsync()
    {
        if (adminConnectionString is not null)
            return adminConnectionString;
        await Gate.WaitAsync();
        try
        {
            if (adminConnectionString is not null)
                return adminConnectionString;
            ScorecardDataSource.ConfigureDapper();
            var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Scorecard");
            string server;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                server = configured;
            }
            else
            {
                RemoveLeftoversOfEarlierRuns();
                folder = Path.Combine(Path.GetTempPath(), $"scorecard-tests-{Environment.ProcessId}");
                embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder, "postgres"));
                server = embedded.ConnectionString;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
            }
            await CreateTemplatesAsync(server);
            adminConnectionString = server;
            return server;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task CreateTemplatesAsync(string server)
    {
        var suffix = Environment.ProcessId;
        foreach (var (name, demo) in new[] { (EmptyTemplate, false), (DemoTemplate, true) })
        {
            await ExecuteAsync(server, $"drop database if exists {name}_{suffix} with (force)");
            await ExecuteAsync(server, $"create database {name}_{suffix}");
            var cs = With(server, $"{name}_{suffix}");
            await Migrator.MigrateAsync(cs);
            if (demo)
            {
                await using var ds = ScorecardDataSource.Create(cs);
                await DemoLoader.LoadAsync(ds, DemoGenerator.Generate());
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>A new, migrated database of its own: empty, or holding the demo partnership.</summary>
    public static async Task<string> CreateDatabaseAsync(bool withDemoData)
    {
        var server = await ServerAsync();
        var name = $"scorecard_t{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";
        var template = $"{(withDemoData ? DemoTemplate : EmptyTemplate)}_{Environment.ProcessId}";
        await ExecuteAsync(server, $"create database {name} template {template}");
        return With(server, name);
    }

    /// <summary>A database that exists but has no tables yet (for migrator tests).</summary>
    public static async Task<string> CreateBlankDatabaseAsync()
    {
        var server = await ServerAsync();
        var name = $"scorecard_b{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";
        await ExecuteAsync(server, $"create database {name}");
        return With(server, name);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task ExecuteOnServerAsync(string sql) => await ExecuteAsync(await ServerAsync(), sql);

    private static string With(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    /// <summary>A test run that was killed leaves its cluster folder behind; its process is gone, so remove it.</summary>
    private static void RemoveLeftoversOfEarlierRuns()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "scorecard-tests-*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)["scorecard-tests-".Length..], out var pid) || ProcessIsAlive(pid))
                continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Still in use by a server that outlived its test run: leave it.
            }
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Shutdown()
    {
        try
        {
            embedded?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (folder is not null && Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The folder is removed on a best-effort basis; a leftover temp folder is harmless.
        }
    }
}

/// <summary>A test class's own database: derive from this (or use it as a class fixture).</summary>
public class DatabaseFixture : IAsyncLifetime
{
    protected virtual bool WithDemoData => true;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateDatabaseAsync(WithDemoData);
        DataSource = ScorecardDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}

public sealed class EmptyDatabaseFixture : DatabaseFixture
{
    protected override bool WithDemoData => false;
}
