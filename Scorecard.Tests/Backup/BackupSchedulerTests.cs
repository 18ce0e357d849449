using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scorecard.Data.Backup;
using Scorecard.Tests.Infrastructure;
using static Scorecard.Tests.Backup.BackupTestSupport;

namespace Scorecard.Tests.Backup;

/// <summary>The daily schedule, driven by a fake clock: nothing before the configured time, a backup at it, then the next day's wait.</summary>
public sealed class BackupSchedulerTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>The scheduler under a fake clock, with what it reports: each wait's target time, and each backup's outcome.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        public Harness(string folder, string connectionString, DateTimeOffset now)
        {
            Clock = new FakeTimeProvider(now);
            Clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
            Service = Service(folder, connectionString, Clock);
            Service.Completed += (entry, failure) => Completed.Writer.TryWrite(entry);
            Scheduler = new BackupScheduler(Service, Clock, NullLogger<BackupScheduler>.Instance);
            Scheduler.Waiting += next => Waits.Writer.TryWrite(next);
        }

        public FakeTimeProvider Clock { get; }
        public BackupService Service { get; }
        public BackupScheduler Scheduler { get; }
        public Channel<DateTimeOffset> Waits { get; } = Channel.CreateUnbounded<DateTimeOffset>();
        public Channel<BackupEntry?> Completed { get; } = Channel.CreateUnbounded<BackupEntry?>();

        public async Task<DateTimeOffset> NextWaitAsync() => await Waits.Reader.ReadAsync().AsTask().WaitAsync(Guard);

        public async Task<BackupEntry?> NextBackupAsync() => await Completed.Reader.ReadAsync().AsTask().WaitAsync(Guard);

        public async ValueTask DisposeAsync()
        {
            await Scheduler.StopAsync(CancellationToken.None);
            Scheduler.Dispose();
        }
    }

    [Fact]
    public async Task TheDailyBackupRunsAtTwoInTheMorningLocalTimeAndNotBefore()
    {
        using var folder = new TempFolder("schedule");
        var now = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero); // 01:00 in London (GMT)
        // Last night's backup is there, so the start-up catch-up has nothing to do.
        await new BackupManifest([new BackupEntry("earlier.dump", now.AddHours(-23), 1, "00", BackupTrigger.Scheduled, null, 1)], null)
            .WriteAsync(folder.Path, CancellationToken.None);
        await using var h = new Harness(folder.Path, db.ConnectionString, now);

        await h.Scheduler.StartAsync(CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), await h.NextWaitAsync());

        h.Clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59));
        Assert.False(h.Completed.Reader.TryRead(out _));
        Assert.Empty(DumpFiles(folder.Path));

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var entry = await h.NextBackupAsync();
        Assert.NotNull(entry);
        Assert.Equal(BackupTrigger.Scheduled, entry.Trigger);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), entry.TakenAt);
        Assert.Equal([entry.File], DumpFiles(folder.Path));

        // Then it waits for the next night.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), await h.NextWaitAsync());
    }

    [Fact]
    public async Task TheTimerIsSetBeforeTheSchedulerSaysItIsWaiting()
    {
        // The race CI lost once, made certain: the clock moves the instant the wait is announced, on the scheduler's own
        // thread, before it could set a timer afterwards. The backup must still run at 02:00, not a day of fake time later.
        using var folder = new TempFolder("announce");
        var now = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        await new BackupManifest([new BackupEntry("earlier.dump", now.AddHours(-23), 1, "00", BackupTrigger.Scheduled, null, 1)], null)
            .WriteAsync(folder.Path, CancellationToken.None);
        await using var h = new Harness(folder.Path, db.ConnectionString, now);
        var moved = 0;
        h.Scheduler.Waiting += next =>
        {
            if (Interlocked.Exchange(ref moved, 1) == 0)
                h.Clock.SetUtcNow(next);
        };

        await h.Scheduler.StartAsync(CancellationToken.None);

        var entry = await h.NextBackupAsync();
        Assert.Equal(BackupTrigger.Scheduled, entry!.Trigger);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), entry.TakenAt);
    }

    [Fact]
    public async Task AtStartUpWithoutABackupFromTheLastDayOneIsTakenAtOnce()
    {
        using var folder = new TempFolder("catch-up");
        await using var h = new Harness(folder.Path, db.ConnectionString, new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.Zero));

        await h.Scheduler.StartAsync(CancellationToken.None);

        var entry = await h.NextBackupAsync();
        Assert.Equal(BackupTrigger.Startup, entry!.Trigger);
        // Summer: 02:00 in London is 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 1, 0, 0, TimeSpan.Zero), await h.NextWaitAsync());
    }

    [Fact]
    public async Task WithAConfiguredDatabaseTheSchedulerTakesNoBackups()
    {
        using var folder = new TempFolder("external");
        var service = new BackupService(new BackupOptions(folder.Path, new TimeOnly(2, 0)), null, TimeProvider.System, NullLogger<BackupService>.Instance);
        using var scheduler = new BackupScheduler(service, TimeProvider.System, NullLogger<BackupScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.ExecuteTask!.WaitAsync(Guard);

        Assert.False(service.Enabled);
        Assert.False(service.GetStatus().Stale);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
