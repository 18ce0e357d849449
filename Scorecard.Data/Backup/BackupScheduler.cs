using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Scorecard.Data.Backup;

/// <summary>
/// Takes the daily backup at <see cref="BackupOptions.Time"/> (local time of the <see cref="TimeProvider"/>), and one at
/// start-up when the newest good backup is more than a day old (a server that was off at 02:00 still gets its backup).
/// Does nothing for a configured external database. A failed run is logged and recorded by the service; the loop goes on.
/// </summary>
public sealed class BackupScheduler(BackupService backups, TimeProvider clock, ILogger<BackupScheduler> logger) : BackgroundService
{
    /// <summary>Raised with the time of the next run each time the scheduler starts waiting for it, after its timer is set (the tests' fake clock moves only after it).</summary>
    internal event Action<DateTimeOffset>? Waiting;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!backups.Enabled)
            return;
        // Let the app finish starting before the first dump competes with it.
        await Task.Yield();
        try
        {
            var last = backups.GetStatus().LastGood;
            if (last is null || clock.GetUtcNow() - last.TakenAt > TimeSpan.FromDays(1))
                await RunAsync(BackupTrigger.Startup, stoppingToken);

            while (!stoppingToken.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                var next = BackupSchedule.Next(now, backups.Options.Time, clock.LocalTimeZone);
                logger.LogDebug("Next backup at {Next}", next);
                // The timer is set before anyone is told: a clock moved on the news of the wait must find it in place
                // (raised first, a fast reader could advance a fake clock before the timer existed, and it then waited a whole day).
                var due = Task.Delay(next - now, clock, stoppingToken);
                Waiting?.Invoke(next);
                await due;
                await RunAsync(BackupTrigger.Scheduled, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private async Task RunAsync(BackupTrigger trigger, CancellationToken ct)
    {
        try
        {
            await backups.BackUpAsync(trigger, ct);
        }
        catch (BackupFailedException)
        {
            // Logged and recorded by the service, shown on the admin pages; the next run tries again.
        }
    }
}
