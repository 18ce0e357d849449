using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Scorecard.Data.Database;

namespace Scorecard.Web;

/// <summary>
/// Healthy when the database answers a query within a few seconds; /healthz then answers 200, otherwise 503.
/// A connection broken by a restart is retried once on a fresh one, so health reflects the server, not a stale pool.
/// </summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, EmbeddedPostgresSupervisor supervisor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var status = supervisor.Status;
        var data = new Dictionary<string, object>
        {
            ["embedded_supervised"] = status.Supervised,
            ["embedded_restarts"] = status.Restarts,
        };
        if (status.LastRestartAt is { } at)
            data["embedded_last_restart"] = at.ToString("O");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await DatabaseFaults.ReadWithRetryAsync(dataSource, async token =>
            {
                await using var cmd = dataSource.CreateCommand("select 1");
                return await cmd.ExecuteScalarAsync(token);
            }, timeout.Token);
            return HealthCheckResult.Healthy("The database answers.", data);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The reason without the stack: an outage is not a bug, and this runs every few seconds while it lasts.
            return HealthCheckResult.Unhealthy($"The database does not answer: {e.GetBaseException().Message}", null, data);
        }
    }
}
