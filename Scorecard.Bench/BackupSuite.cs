using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Backup;
using Scorecard.Data.Common;
using Scorecard.Data.Database;
using Scorecard.Data.Demo;

namespace Scorecard.Bench;

/// <summary>
/// Issue 15's figures: a backup (pg_dump -Fc, written atomically, hashed, recorded) of the demo partnership's database and
/// of one holding 150 partnerships of that size, the restore of each (fresh cluster, pg_restore, migrator, folder swap),
/// and the whole-partnership export. Absolute times and sizes: there is no floor to compare a pg_dump with but itself.
/// Options: <c>--quick</c> skips the 149 copies.
/// </summary>
public static class BackupSuite
{
    private const int Partnerships = 150;

    public static async Task RunAsync(BenchContext context)
    {
        var total = Stopwatch.StartNew();
        var root = Path.Combine(Path.GetTempPath(), $"scorecard-bench-backup-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        try
        {
            var cs = await context.CreateMigratedDatabaseAsync("backup");
            await using var dataSource = ScorecardDataSource.Create(cs);
            var demo = DemoGenerator.Generate();
            var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, demo);
            var admin = await AdminAsync(dataSource, partnershipId);

            var (backup1, size1, file1) = await BackupAsync(cs, Path.Combine(root, "backups-1"), runs: 5);
            Progress($"1 partnership: backup {backup1:0} ms, {size1 / 1024.0:0} KB");
            var restore1 = await RestoreAsync(file1, Path.Combine(root, "restore-1"));
            Progress($"1 partnership: restore {restore1:0} ms");
            var (export, exportSize) = await ExportAsync(dataSource, admin);
            Progress($"export of the partnership: {export:0} ms, {exportSize / 1024.0:0} KB");

            BenchContext.Figure("backup_demo_ms", backup1);
            BenchContext.Figure("backup_demo_bytes", size1);
            BenchContext.Figure("restore_demo_ms", restore1);
            BenchContext.Figure("export_demo_ms", export);
            BenchContext.Figure("export_demo_bytes", exportSize);

            var copies = context.Args.Contains("--quick") ? 0 : Partnerships - 1;
            var sw = Stopwatch.StartNew();
            for (var i = 1; i <= copies; i++)
            {
                await DemoLoader.LoadAsync(dataSource, demo with
                {
                    Code = $"bench-{i:000}", Name = $"{demo.Name} (benchmark copy {i})", ShortName = $"BENCH{i:000}", Users = [],
                });
                if (i % 10 == 0 || i == copies)
                    Progress($"  {i}/{copies} copies loaded ({sw.Elapsed.TotalSeconds:0} s)");
            }
            var count = await CountAsync(dataSource);
            var (backup150, size150, file150) = await BackupAsync(cs, Path.Combine(root, "backups-150"), runs: 3);
            Progress($"{count} partnerships: backup {backup150:0} ms, {size150 / (1024.0 * 1024):0.0} MB");
            var restore150 = await RestoreAsync(file150, Path.Combine(root, "restore-150"));
            Progress($"{count} partnerships: restore {restore150:0} ms");
            var (export150, _) = await ExportAsync(dataSource, admin);
            Progress($"export of one partnership among {count}: {export150:0} ms; whole suite {total.Elapsed.TotalSeconds:0} s");

            BenchContext.Figure("partnerships", count);
            BenchContext.Figure("backup_150_ms", backup150);
            BenchContext.Figure("backup_150_bytes", size150);
            BenchContext.Figure("restore_150_ms", restore150);
            BenchContext.Figure("export_among_150_ms", export150);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Median time of <paramref name="runs"/> backups into a fresh folder (retention keeps them all: one day), and the last file.</summary>
    private static async Task<(double Ms, long Bytes, string File)> BackupAsync(string cs, string folder, int runs)
    {
        var service = new BackupService(new BackupOptions(folder, new TimeOnly(2, 0)),
            new BackupTarget(new PgTools(EmbeddedPostgres.FindBinDirectory()), cs), TimeProvider.System, NullLogger<BackupService>.Instance);
        BackupEntry? last = null;
        var ms = await BenchContext.MedianMillisecondsAsync(async () => last = await service.BackUpAsync(BackupTrigger.Manual), runs, warmups: 1);
        return (ms, last!.SizeBytes, Path.Combine(folder, last.File));
    }

    /// <summary>One restore as scripts/restore does it, into a data folder holding a stopped cluster (the one it replaces).</summary>
    private static async Task<double> RestoreAsync(string file, string dataFolder)
    {
        var existing = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder));
        await existing.StopAsync();
        var sw = Stopwatch.StartNew();
        var result = await BackupRestore.RestoreAsync(file, dataFolder, allowUnlisted: false, NullLogger.Instance);
        var ms = sw.Elapsed.TotalMilliseconds;
        Progress($"  restored {result.Partnerships} partnership(s)");
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ms;
    }

    private static async Task<(double Ms, long Bytes)> ExportAsync(NpgsqlDataSource dataSource, Actor admin)
    {
        var archive = new PartnershipArchive(dataSource, TimeProvider.System);
        long bytes = 0;
        var ms = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            using var buffer = new MemoryStream();
            await archive.ExportAsync(admin, buffer);
            bytes = buffer.Length;
        }, runs: 5, warmups: 1);
        return (ms, bytes);
    }

    private static async Task<Actor> AdminAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (id, name) = await conn.QuerySingleAsync<(int, string)>(new CommandDefinition(
            "select id, display_name from app_user where partnership_id = @PartnershipId and role = 'admin' order by id limit 1",
            new { PartnershipId = partnershipId }));
        return new Actor(partnershipId, id, name, Role.Admin, null);
    }

    private static async Task<int> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from partnership"));
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[backup] {message}");
}
