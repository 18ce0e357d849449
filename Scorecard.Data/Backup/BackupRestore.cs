using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data.Database;

namespace Scorecard.Data.Backup;

/// <summary>What a restore did.</summary>
/// <param name="PreviousCluster">Where the cluster that was replaced now lives (kept until an operator removes it), or null when there was none.</param>
public sealed record RestoreResult(string File, string Sha256, IReadOnlyList<string> MigrationsApplied, int Partnerships, string? PreviousCluster, double Seconds);

/// <summary>
/// Restores a backup into the embedded cluster's data folder. The app must be stopped (its cluster's postmaster.pid is
/// checked). The file's SHA-256 is checked against the manifest beside it first; then a fresh cluster is initialised in a
/// staging folder next to the data folder, the dump restored into it in one transaction, the migrator run (an older
/// backup comes forward to this build's schema), and only then the folders are swapped: the old cluster is kept as
/// <c>pgdata.before-restore-&lt;time&gt;</c>, so a restore never destroys anything.
/// </summary>
public static class BackupRestore
{
    /// <summary>
    /// Checks the file against its manifest entry. Refuses (throws <see cref="BackupFailedException"/>) when the hash or size
    /// differs, and when no manifest lists the file unless <paramref name="allowUnlisted"/> (a file copied without its manifest).
    /// </summary>
    public static async Task<string> VerifyAsync(string file, bool allowUnlisted, CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new BackupFailedException($"{file} does not exist.");
        var (size, sha) = await BackupService.HashAsync(file, ct);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var entry = BackupManifest.Read(folder).Find(Path.GetFileName(file));
        if (entry is null)
        {
            if (allowUnlisted)
                return sha;
            throw new BackupFailedException(
                $"{Path.GetFileName(file)} is not listed in {Path.Combine(folder, BackupManifest.FileName)}, so its checksum cannot be checked. " +
                "Restore a listed file, or pass --unverified to restore this one anyway.");
        }
        if (!string.Equals(entry.Sha256, sha, StringComparison.OrdinalIgnoreCase) || entry.SizeBytes != size)
            throw new BackupFailedException(
                $"Refused: {Path.GetFileName(file)} does not match its manifest entry (SHA-256 {sha}, {size} bytes; the manifest says " +
                $"{entry.Sha256}, {entry.SizeBytes} bytes). The file is damaged or is not the backup that was taken.");
        return sha;
    }

    /// <summary>Restores <paramref name="file"/> into the embedded cluster in <paramref name="dataFolder"/>. See the class summary.</summary>
    public static async Task<RestoreResult> RestoreAsync(
        string file, string dataFolder, bool allowUnlisted, ILogger logger, CancellationToken ct = default, string databaseName = "scorecard")
    {
        var sw = Stopwatch.StartNew();
        dataFolder = Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar);
        var cluster = Path.Combine(dataFolder, "pgdata");
        RequireStopped(cluster);
        var sha = await VerifyAsync(file, allowUnlisted, ct);
        logger.LogInformation("{File} matches its manifest (SHA-256 {Sha})", file, sha);

        var staging = dataFolder + ".restoring";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var password = Path.Combine(dataFolder, "password");
        if (File.Exists(password))
            File.Copy(password, Path.Combine(staging, "password"));

        IReadOnlyList<string> applied;
        int partnerships;
        var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(staging, databaseName), logger, ct);
        try
        {
            logger.LogInformation("Restoring {File} into a fresh cluster in {Staging}", file, staging);
            await new PgTools(pg.BinDirectory).RestoreAsync(pg.ConnectionString, Path.GetFullPath(file), ct);
            applied = await Migrator.MigrateAsync(pg.ConnectionString, logger, ct);
            await using var conn = new NpgsqlConnection(pg.ConnectionString);
            await conn.OpenAsync(ct);
            partnerships = await conn.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from partnership", cancellationToken: ct));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await pg.StopAsync();
        }

        // The swap: the old cluster is moved aside (never deleted), the restored one takes its place.
        Directory.CreateDirectory(dataFolder);
        string? previous = null;
        if (Directory.Exists(cluster))
        {
            previous = Path.Combine(dataFolder, $"pgdata.before-restore-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Directory.Move(cluster, previous);
        }
        Directory.Move(Path.Combine(staging, "pgdata"), cluster);
        if (!File.Exists(password))
            File.Copy(Path.Combine(staging, "password"), password);
        Directory.Delete(staging, recursive: true);
        logger.LogInformation("Restored {File}: {Partnerships} partnership(s), migrations applied: {Applied}; the previous cluster is in {Previous}",
            file, partnerships, applied.Count == 0 ? "none" : string.Join(", ", applied), previous ?? "(there was none)");
        return new RestoreResult(file, sha, applied, partnerships, previous, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Refuses while a server runs on the cluster (the app, or a server a killed app left behind).</summary>
    private static void RequireStopped(string cluster)
    {
        var pidFile = Path.Combine(cluster, "postmaster.pid");
        if (!File.Exists(pidFile))
            return;
        var first = File.ReadLines(pidFile).FirstOrDefault();
        if (!int.TryParse(first, out var pid) || !IsAlive(pid))
            return;
        throw new BackupFailedException(
            $"PostgreSQL is running on {cluster} (process {pid}): stop the app first (Ctrl+C, or systemctl stop scorecard). " +
            $"If the app is not running, a server it left behind is stopped with: pg_ctl stop -D {cluster}");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
