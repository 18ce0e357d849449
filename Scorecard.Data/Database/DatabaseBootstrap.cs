using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;

namespace Scorecard.Data.Database;

/// <summary>How the app finds its database.</summary>
/// <param name="ConnectionString">A configured server; when null the app starts its own private cluster.</param>
/// <param name="DataFolder">Where the private cluster lives.</param>
/// <param name="LoadDemoData">Load the demo partnership even into a configured database (never done silently).</param>
/// <param name="Demo">The embedded default loads the demo partnership on first start; false starts it empty (first-run setup).</param>
public sealed record DatabaseSettings(string? ConnectionString, string DataFolder, bool LoadDemoData, bool Demo = true);

/// <summary>A database that is running, migrated, and (for the embedded default) holds the demo partnership.</summary>
public sealed class PreparedDatabase(string connectionString, EmbeddedPostgres? embedded) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The private cluster the app started, or null when a configured server is used.</summary>
    public EmbeddedPostgres? Embedded { get; } = embedded;

    public ValueTask DisposeAsync() => Embedded?.DisposeAsync() ?? ValueTask.CompletedTask;
}

public static class DatabaseBootstrap
{
    /// <summary>
    /// Starts the embedded cluster when no connection string is configured, applies migrations, and loads the demo
    /// partnership into the embedded database on first start unless <see cref="DatabaseSettings.Demo"/> is off
    /// (or into any database when asked explicitly).
    /// </summary>
    public static async Task<PreparedDatabase> PrepareAsync(DatabaseSettings settings, ILoggerFactory loggers, CancellationToken ct = default)
    {
        var logger = loggers.CreateLogger("Scorecard.Database");
        EmbeddedPostgres? embedded = null;
        var connectionString = settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(settings.DataFolder), logger, ct);
            connectionString = embedded.ConnectionString;
        }
        else
        {
            logger.LogInformation("Using the configured PostgreSQL server {Host}", new NpgsqlConnectionStringBuilder(connectionString).Host);
        }

        try
        {
            var applied = await Migrator.MigrateAsync(connectionString, logger, ct);
            if (applied.Count > 0)
                logger.LogInformation("Applied migrations: {Scripts}", string.Join(", ", applied));

            if ((embedded is not null && settings.Demo) || settings.LoadDemoData)
            {
                await using var dataSource = ScorecardDataSource.Create(connectionString);
                if (embedded is not null && !settings.LoadDemoData && await HasAnyPartnershipAsync(dataSource, ct))
                    return new PreparedDatabase(connectionString, embedded);
                await DemoLoader.LoadAsync(dataSource, DemoGenerator.Generate(), logger, ct);
            }
            return new PreparedDatabase(connectionString, embedded);
        }
        catch
        {
            if (embedded is not null)
                await embedded.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> HasAnyPartnershipAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select exists(select 1 from partnership)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
