using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scorecard.Data.Database;

/// <summary>
/// The app's database as the services see it: a configured server's connection string at once, or the embedded
/// cluster's once <see cref="DatabaseBootstrapService"/> has started it. The shared <c>NpgsqlDataSource</c> is built
/// lazily from <see cref="ConnectionString"/>, so nothing touches the database before the bootstrap has run.
/// </summary>
public sealed class ScorecardDatabase(IOptions<DatabaseOptions> options)
{
    private volatile PreparedDatabase? prepared;

    /// <summary>The connection string of the application database.</summary>
    /// <exception cref="InvalidOperationException">The embedded cluster has not been started yet.</exception>
    public string ConnectionString =>
        prepared?.ConnectionString
        ?? (options.Value.UsesEmbeddedCluster
            ? throw new InvalidOperationException("The embedded database is not started yet: the database bootstrap runs as the app starts (IHost.StartAsync).")
            : options.Value.ConnectionString!);

    /// <summary>True once the bootstrap has started (if embedded), migrated and seeded the database.</summary>
    public bool IsPrepared => prepared is not null;

    /// <summary>The private cluster the app started, or null when a configured server is used (or before start-up).</summary>
    public EmbeddedPostgres? Embedded => prepared?.Embedded;

    internal PreparedDatabase? Prepared => prepared;

    internal void SetPrepared(PreparedDatabase database) => prepared = database;
}

/// <summary>
/// The database bootstrap as a hosted step: starts the embedded cluster when no server is configured, migrates, loads
/// the demo partnership when due, and opens first-run setup when the database holds no partnership. Hosted services
/// start before Kestrel, so no request is served before the database is ready. Stopping the app stops the cluster
/// (this service is registered first, so it stops last).
/// </summary>
public sealed class DatabaseBootstrapService(
    ScorecardDatabase database, IOptions<DatabaseOptions> options, ILoggerFactory loggers, Accounts.FirstRunSetup setup) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var prepared = await DatabaseBootstrap.PrepareAsync(options.Value.ToSettings(), loggers, cancellationToken);
        database.SetPrepared(prepared);
        await setup.OpenIfEmptyAsync(prepared.ConnectionString, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (database.Prepared is { } prepared)
            await prepared.DisposeAsync();
    }
}
