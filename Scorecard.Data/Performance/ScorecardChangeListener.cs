using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Scorecard.Data.Performance;

/// <summary>
/// Listens on PostgreSQL's <c>scorecard_changed</c> channel (raised by the change_log trigger of sql/0012 when a
/// command that changes the scorecard's data commits) on one dedicated connection, and drops the partnership's
/// snapshot in <see cref="ScorecardReadModel"/>. Every app instance on the database runs one, so all see every change.
/// A lost connection is reopened with back-off; on reconnecting every snapshot is dropped, since changes made while
/// it was away were not heard.
/// </summary>
/// <remarks>
/// It takes the service provider, not the data source: hosted services are all created before the first is started,
/// and on the embedded default the data source can only exist once the database bootstrap (the first hosted step) has
/// started the cluster.
/// </remarks>
public sealed class ScorecardChangeListener(IServiceProvider services, ILogger<ScorecardChangeListener> logger)
    : BackgroundService
{
    private NpgsqlDataSource DataSource => services.GetRequiredService<NpgsqlDataSource>();
    private ScorecardReadModel ReadModel => services.GetRequiredService<ScorecardReadModel>();

    public const string Channel = "scorecard_changed";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await DataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += OnNotification;
                await conn.ExecuteAsync(new CommandDefinition($"listen {Channel}", cancellationToken: stoppingToken));
                ReadModel.SetListening(true);
                if (failures > 0)
                {
                    logger.LogInformation("Listening for scorecard changes again after {Failures} failed attempts", failures);
                    ReadModel.InvalidateAll("reconnected to the database");
                }
                (retry, failures) = (FirstRetry, 0);
                while (true)
                {
                    // A quiet channel is checked now and then, so a dead connection is found and replaced.
                    if (!await conn.WaitAsync(KeepAlive, stoppingToken))
                        await conn.ExecuteAsync(new CommandDefinition("select 1", cancellationToken: stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                // Until it listens again nothing is cached (SetListening(false)), so pages read the database directly.
                ReadModel.SetListening(false);
                if (failures == 1)
                    logger.LogWarning(e, "Not listening for scorecard changes; retrying");
                else
                    logger.LogDebug(e, "Still not listening for scorecard changes (attempt {Failures})", failures);
            }
            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
        ReadModel.SetListening(false);
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel != Channel)
            return;
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(e.Payload);
            if (payload is not null)
                ReadModel.Invalidate(payload.P, payload.What ?? "the figures");
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Unreadable scorecard change {Payload}; dropping every snapshot", e.Payload);
            ReadModel.InvalidateAll("the figures");
        }
    }

    private sealed record Payload(
        [property: System.Text.Json.Serialization.JsonPropertyName("p")] int P,
        [property: System.Text.Json.Serialization.JsonPropertyName("what")] string? What);
}
