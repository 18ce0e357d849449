using DbUp;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Scorecard.Data.Database;

/// <summary>
/// Applies the numbered, forward-only migrations in <c>sql/</c> (embedded in this assembly) with DbUp.
/// The same migrator runs at start-up, in the tests and in CI.
/// </summary>
public static class Migrator
{
    // An arbitrary constant: every instance that migrates this database takes the same advisory lock,
    // so two app instances starting at once apply each script exactly once.
    private const long AdvisoryLockKey = 0x5C0_2ECA_2D;

    /// <summary>Applies every migration not yet applied, holding a database-wide advisory lock while doing so.</summary>
    /// <returns>The names of the scripts applied by this call.</returns>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger? logger = null, CancellationToken ct = default)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("select pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(Migrator).Assembly, name => name.StartsWith("Scorecard.Data.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .JournalToPostgresqlTable("public", "schema_migration")
                .LogScriptOutput()
                .LogTo(new DbUpLogger(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            return result.Scripts.Select(s => s.Name).ToList();
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The migrations this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> KnownScripts() =>
        typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Scorecard.Data.Migrations.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private sealed class DbUpLogger(ILogger? logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger?.LogInformation("{Message}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger?.LogWarning("{Message}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger?.LogError("{Message}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger?.LogError(ex, "{Message}", string.Format(format, args));
    }
}
