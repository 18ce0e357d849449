using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Data.Backup;

/// <summary>Backup settings (<c>Scorecard:Backup:*</c>).</summary>
/// <param name="Folder">Where backups and their manifest are written. Point it at another disk.</param>
/// <param name="Time">Local time of the daily backup.</param>
/// <param name="KeepDaily">How many days keep their newest backup.</param>
/// <param name="KeepWeekly">How many ISO weeks keep their newest backup.</param>
public sealed record BackupOptions(string Folder, TimeOnly Time, int KeepDaily = 14, int KeepWeekly = 8)
{
    /// <summary>A good backup older than this raises the warning on the admin pages.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(26);

    /// <summary>The default folder: <c>backups</c> beside the embedded cluster's data folder.</summary>
    public static string DefaultFolder(string dataFolder) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar)) ?? dataFolder, "backups");
}

/// <summary>The database a backup dumps: the embedded cluster's application database, with the tools it runs on.</summary>
public sealed record BackupTarget(PgTools Tools, string ConnectionString);

/// <summary>What the admin page shows.</summary>
/// <param name="Enabled">False when a configured (external) database is used: the app does not back it up.</param>
public sealed record BackupStatus(
    bool Enabled, string Folder, BackupEntry? LastGood, BackupFailure? LastFailure, DateTimeOffset? NextScheduled,
    bool Stale, IReadOnlyList<BackupEntry> Backups, bool Running);

/// <summary>
/// Logical backups of the embedded cluster: <c>pg_dump -Fc</c> written atomically into the backup folder, recorded with
/// its size and SHA-256 in the folder's manifest, old ones pruned by the retention rule, a log line either way. One backup
/// runs at a time. A failure is logged, kept in the manifest and shown on the admin pages until a backup succeeds.
/// </summary>
public sealed class BackupService(BackupOptions options, BackupTarget? target, TimeProvider clock, ILogger<BackupService> logger)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// Where the target comes from when it is only known once the app has started (the embedded cluster is started by
    /// the database bootstrap, a hosted step, after the services are built); when set it wins over the fixed target.
    /// </summary>
    public Func<BackupTarget?>? TargetSource { private get; init; }

    private BackupTarget? Target => TargetSource is { } source ? source() : target;

    /// <summary>False for a configured external database.</summary>
    public bool Enabled => Target is not null;

    public BackupOptions Options => options;

    /// <summary>Raised after every attempt, good or failed (the scheduler's tests and the admin page listen).</summary>
    public event Action<BackupEntry?, BackupFailure?>? Completed;

    /// <summary>The current state of backups, for an administrator.</summary>
    public BackupStatus GetStatus(Actor actor)
    {
        actor.RequireAdmin();
        return GetStatus();
    }

    /// <summary>An administrator's "back up now". Logged with who asked.</summary>
    public Task<BackupEntry> BackUpNowAsync(Actor actor, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        logger.LogInformation("Backup requested by {User} (partnership {PartnershipId})", actor.DisplayName, actor.PartnershipId);
        return BackUpAsync(BackupTrigger.Manual, ct);
    }

    /// <summary>The current state of backups, read from the manifest.</summary>
    internal BackupStatus GetStatus()
    {
        if (!Enabled)
            return new BackupStatus(false, options.Folder, null, null, null, false, [], false);
        var manifest = SafeRead();
        var now = clock.GetUtcNow();
        var last = manifest.LastGood;
        var failure = manifest.LastFailure is { } f && (last is null || f.At > last.TakenAt) ? f : null;
        return new BackupStatus(true, options.Folder, last, failure, BackupSchedule.Next(now, options.Time, clock.LocalTimeZone),
            last is null || now - last.TakenAt > BackupOptions.StaleAfter,
            manifest.Backups.OrderByDescending(b => b.TakenAt).ToList(), gate.CurrentCount == 0);
    }

    /// <summary>Takes a backup now. Throws <see cref="BackupFailedException"/> (after logging and recording it) when it fails.</summary>
    public async Task<BackupEntry> BackUpAsync(BackupTrigger trigger, CancellationToken ct = default)
    {
        if (Target is not { } current)
            throw new InvalidOperationException("Backups are off: the app uses a configured database server, which it does not back up.");
        await gate.WaitAsync(ct);
        try
        {
            return await BackUpCoreAsync(current, trigger, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<BackupEntry> BackUpCoreAsync(BackupTarget t, BackupTrigger trigger, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var sw = Stopwatch.StartNew();
        string? path = null;
        try
        {
            AtomicFile.CreatePrivateFolder(options.Folder);
            RemovePartialFiles();
            var schema = await SchemaVersionAsync(t.ConnectionString, ct);
            path = NewFileName(started);
            await AtomicFile.WriteAsync(path, s => t.Tools.DumpAsync(t.ConnectionString, s, ct), ct);
            var (size, sha) = await HashAsync(path, ct);
            var entry = new BackupEntry(Path.GetFileName(path), started, size, sha, trigger, schema, Math.Round(sw.Elapsed.TotalSeconds, 3));

            var manifest = SafeRead();
            var all = manifest.Backups.Append(entry).ToList();
            var keep = BackupRetention.Keep(all, options.KeepDaily, options.KeepWeekly, clock.LocalTimeZone);
            await new BackupManifest(all.Where(b => keep.Contains(b.File)).OrderByDescending(b => b.TakenAt).ToList(), null)
                .WriteAsync(options.Folder, ct);
            foreach (var old in all.Where(b => !keep.Contains(b.File)))
            {
                AtomicFile.TryDelete(Path.Combine(options.Folder, old.File));
                logger.LogInformation("Backup {File} removed by the retention rule ({Daily} daily, {Weekly} weekly)", old.File, options.KeepDaily, options.KeepWeekly);
            }
            logger.LogInformation("Backup {File} written to {Folder}: {Size} bytes, SHA-256 {Sha}, {Seconds:0.0} s ({Trigger})",
                entry.File, options.Folder, size, sha, entry.Seconds, trigger);
            Completed?.Invoke(entry, null);
            return entry;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (path is not null)
                AtomicFile.TryDelete(path);
            var failure = new BackupFailure(clock.GetUtcNow(), trigger, e.Message);
            logger.LogError(e, "Backup failed ({Trigger}) into {Folder}: {Message}", trigger, options.Folder, e.Message);
            await RecordFailureAsync(failure);
            Completed?.Invoke(null, failure);
            throw e as BackupFailedException ?? new BackupFailedException(e.Message, e);
        }
    }

    private async Task RecordFailureAsync(BackupFailure failure)
    {
        try
        {
            AtomicFile.CreatePrivateFolder(options.Folder);
            await (SafeRead() with { LastFailure = failure }).WriteAsync(options.Folder, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder itself is the problem (full disk, no permission): the log line above still says so.
            logger.LogError(e, "Could not record the failed backup in the manifest in {Folder}", options.Folder);
        }
    }

    private BackupManifest SafeRead()
    {
        try
        {
            return BackupManifest.Read(options.Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            logger.LogError(e, "The backup manifest in {Folder} could not be read", options.Folder);
            return BackupManifest.Empty with { LastFailure = new BackupFailure(clock.GetUtcNow(), BackupTrigger.Manual, $"The manifest could not be read: {e.Message}") };
        }
    }

    private string NewFileName(DateTimeOffset at)
    {
        var stem = Path.Combine(options.Folder, $"scorecard-{at.UtcDateTime:yyyyMMdd-HHmmss}Z");
        var path = stem + ".dump";
        for (var i = 2; File.Exists(path); i++)
            path = $"{stem}-{i}.dump";
        return path;
    }

    /// <summary>Files a killed backup left behind: never complete, never listed, removed before the next one.</summary>
    private void RemovePartialFiles()
    {
        foreach (var partial in Directory.EnumerateFiles(options.Folder, "*" + AtomicFile.PartialSuffix))
            AtomicFile.TryDelete(partial);
    }

    /// <summary>SHA-256 and size of the file as it is on the disk (read back, so the hash is of what a restore will read).</summary>
    public static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    private static async Task<string?> SchemaVersionAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        return await Migrations.LatestAppliedAsync(conn, ct);
    }
}
