using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Scorecard.Data.Database;

/// <summary>What the supervisor has seen of the embedded cluster (read by the health check, the backup service and tests).</summary>
/// <param name="Supervised">True when the app runs its own embedded cluster and watches it; false for a configured server.</param>
/// <param name="Running">The postmaster was alive at the last check (or has just been restarted).</param>
/// <param name="Restarts">How many times the cluster has been restarted since the app started.</param>
/// <param name="LastRestartAt">When the last restart completed.</param>
/// <param name="LastDowntime">From noticing the postmaster gone to the restarted server accepting connections.</param>
/// <param name="LastFailure">The last restart attempt's error, while the cluster is still down.</param>
public sealed record EmbeddedPostgresStatus(
    bool Supervised, bool Running, int Restarts, DateTimeOffset? LastRestartAt, TimeSpan? LastDowntime, string? LastFailure);

/// <summary>Raised after the supervisor has restarted the embedded cluster.</summary>
public sealed class EmbeddedPostgresRestartedEventArgs(EmbeddedPostgresStatus status) : EventArgs
{
    public EmbeddedPostgresStatus Status { get; } = status;
}

/// <summary>
/// Watches the embedded PostgreSQL cluster the app owns, as a service manager watches a server: every few seconds it
/// checks that the postmaster is alive, and when it has died (killed, crashed, out of memory) starts it again on the
/// same port with a doubling back-off between failed attempts, logs it, clears the connection pools (their connections
/// died with the server) and raises <see cref="Restarted"/>. Does nothing when a configured server is used.
/// </summary>
public sealed class EmbeddedPostgresSupervisor(
    ScorecardDatabase database, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<EmbeddedPostgresSupervisor> logger) : BackgroundService
{
    private EmbeddedPostgresStatus status = new(false, false, 0, null, null, null);

    /// <summary>The latest status.</summary>
    public EmbeddedPostgresStatus Status => Volatile.Read(ref status);

    /// <summary>Raised (on the supervisor's thread) after each successful restart.</summary>
    public event EventHandler<EmbeddedPostgresRestartedEventArgs>? Restarted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Embedded is not { } embedded)
            return;
        Volatile.Write(ref status, status with { Supervised = true, Running = true });
        var interval = TimeSpan.FromSeconds(options.Value.SuperviseSeconds);
        var maxBackoff = TimeSpan.FromSeconds(options.Value.MaxRestartBackoffSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                if (!embedded.IsStarted || embedded.IsPostmasterAlive())
                    continue;
                await RestartAsync(embedded, maxBackoff, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; the bootstrap service stops the cluster after this.
        }
    }

    private async Task RestartAsync(EmbeddedPostgres embedded, TimeSpan maxBackoff, CancellationToken ct)
    {
        var noticed = Stopwatch.StartNew();
        logger.LogError("Embedded PostgreSQL on port {Port} is not running (postmaster {Pid} gone); restarting it", embedded.Port, embedded.PostmasterPid());
        Volatile.Write(ref status, status with { Running = false });
        var backoff = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await embedded.RestartAsync(ct);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Restart attempt {Attempt} of the embedded PostgreSQL failed; next attempt in {Seconds} s", attempt, backoff.TotalSeconds);
                Volatile.Write(ref status, status with { LastFailure = e.Message });
                await Task.Delay(backoff, time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
            }
        }
        // Connections opened outside the shared data source (migrator, setup) are pooled by connection string: clear those too.
        using (var probe = new NpgsqlConnection(embedded.ConnectionString))
            NpgsqlConnection.ClearPool(probe);
        var restarted = status with
        {
            Running = true, Restarts = status.Restarts + 1, LastRestartAt = time.GetUtcNow(), LastDowntime = noticed.Elapsed, LastFailure = null,
        };
        Volatile.Write(ref status, restarted);
        logger.LogWarning("Embedded PostgreSQL restarted on port {Port} after {Milliseconds} ms (restart {Count} since start-up)",
            embedded.Port, (int)noticed.Elapsed.TotalMilliseconds, restarted.Restarts);
        Restarted?.Invoke(this, new EmbeddedPostgresRestartedEventArgs(restarted));
    }
}
