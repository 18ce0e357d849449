using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Scorecard.Data.Backup;
using Scorecard.Tests.Infrastructure;
using static Scorecard.Tests.Backup.BackupTestSupport;

namespace Scorecard.Tests.Backup;

/// <summary>Backups taken with the real pg_dump of a real database: the file, its manifest, retention, failures and the 26-hour warning.</summary>
public sealed class BackupServiceTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(Start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    [Fact]
    public async Task ABackupIsACustomFormatDumpWhoseSizeAndChecksumTheManifestRecords()
    {
        using var folder = new TempFolder("backup");
        var service = Service(folder.Path, db.ConnectionString, Clock());

        var entry = await service.BackUpAsync(BackupTrigger.Manual);

        var bytes = await File.ReadAllBytesAsync(folder.Combine(entry.File));
        Assert.Equal("PGDMP"u8.ToArray(), bytes[..5]); // pg_dump's custom-format signature
        Assert.Equal("scorecard-20261102-020000Z.dump", entry.File);
        var listed = Assert.Single(BackupManifest.Read(folder.Path).Backups);
        Assert.Equal(entry, listed);
        Assert.Equal(bytes.Length, listed.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), listed.Sha256);
        Assert.Equal(Data.Database.Migrator.KnownScripts()[^1], listed.SchemaVersion);
        Assert.Equal([entry.File], DumpFiles(folder.Path));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial"));
        // It holds personal data and password hashes: only the app's own user may read it.
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Combine(entry.File)));
    }

    [Fact]
    public async Task RetentionRemovesTheFilesAndEntriesTheRuleDoesNotKeep()
    {
        using var folder = new TempFolder("retention");
        var clock = Clock();
        var service = Service(folder.Path, db.ConnectionString, clock, keepDaily: 3, keepWeekly: 2);
        var taken = new List<BackupEntry>();
        for (var day = 0; day < 10; day++)
        {
            taken.Add(await service.BackUpAsync(BackupTrigger.Scheduled));
            clock.Advance(TimeSpan.FromDays(1));
        }

        // Monday 2 November to Wednesday 11 November: the last three days, and the newest of each of the two ISO weeks.
        var expected = new[] { taken[9], taken[8], taken[7], taken[6] /* Sunday 8th ends the earlier week */ }
            .Select(e => e.File).Order().ToArray();
        Assert.Equal(expected, DumpFiles(folder.Path));
        Assert.Equal(expected, BackupManifest.Read(folder.Path).Backups.Select(b => b.File).Order().ToArray());
    }

    [Fact]
    public async Task ABackupKilledHalfWayLeavesNoFileThatLooksCompleteAndTheFailureIsShown()
    {
        using var folder = new TempFolder("killed");
        using var tools = new TempFolder("fake-pg-dump");
        // A pg_dump that writes the start of a dump and is then killed, as by the OOM killer or a power cut of the process.
        var script = tools.Combine("pg_dump");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nprintf 'PGDMP\\001\\016\\000partial dump'\nkill -9 $$\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clock = Clock();
        var service = Service(folder.Path, db.ConnectionString, clock, binDirectory: tools.Path);

        var error = await Assert.ThrowsAsync<BackupFailedException>(() => service.BackUpAsync(BackupTrigger.Scheduled));

        Assert.Contains("pg_dump failed", error.Message);
        Assert.Empty(DumpFiles(folder.Path));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial"));
        var status = service.GetStatus();
        Assert.Null(status.LastGood);
        Assert.NotNull(status.LastFailure);
        Assert.Contains("pg_dump failed", status.LastFailure.Message);
        Assert.True(status.Stale);
    }

    [Fact]
    public async Task APartialFileLeftByAKilledAppIsNeverListedAndIsRemovedByTheNextBackup()
    {
        using var folder = new TempFolder("leftover");
        var leftover = folder.Combine("scorecard-20261101-020000Z.dump" + AtomicFile.PartialSuffix);
        await File.WriteAllTextAsync(leftover, "PGDMP half");
        var service = Service(folder.Path, db.ConnectionString, Clock());
        Assert.Null(service.GetStatus().LastGood);

        var entry = await service.BackUpAsync(BackupTrigger.Manual);

        Assert.False(File.Exists(leftover));
        Assert.Equal([entry.File], DumpFiles(folder.Path));
    }

    [Fact]
    public async Task ASuccessClearsTheFailureAndTheWarningComesBackAfter26Hours()
    {
        using var folder = new TempFolder("stale");
        var clock = Clock();
        var broken = Service(folder.Path, db.ConnectionString, clock, binDirectory: folder.Path); // no pg_dump there
        await Assert.ThrowsAsync<BackupFailedException>(() => broken.BackUpAsync(BackupTrigger.Scheduled));
        Assert.Contains("pg_dump was not found", broken.GetStatus().LastFailure!.Message);

        clock.Advance(TimeSpan.FromMinutes(5));
        var service = Service(folder.Path, db.ConnectionString, clock);
        var entry = await service.BackUpAsync(BackupTrigger.Manual);
        var status = service.GetStatus();
        Assert.Equal(entry, status.LastGood);
        Assert.Null(status.LastFailure);
        Assert.False(status.Stale);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero), status.NextScheduled);

        clock.Advance(TimeSpan.FromHours(26));
        Assert.False(service.GetStatus().Stale);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(service.GetStatus().Stale);
    }

    [Fact]
    public async Task OnlyAnAdministratorMayBackUpOrReadTheStatus()
    {
        using var folder = new TempFolder("roles");
        var service = Service(folder.Path, db.ConnectionString, Clock());
        var qa = new Data.Accounts.Actor(1, 2, "QA", Data.Accounts.Role.QaMember, null);
        await Assert.ThrowsAsync<Data.Accounts.AccessDeniedException>(() => service.BackUpNowAsync(qa));
        Assert.Throws<Data.Accounts.AccessDeniedException>(() => service.GetStatus(qa));
        Assert.Empty(DumpFiles(folder.Path));
    }
}
