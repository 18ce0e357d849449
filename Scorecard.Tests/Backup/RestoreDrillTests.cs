using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Scorecard.Data.Backup;
using Scorecard.Data.Common;
using Scorecard.Data.Database;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Backup;

/// <summary>
/// The restore drill of issue 15, on a private cluster of its own laid out as the app's: the demo loaded, a return uploaded,
/// a backup taken, the cluster destroyed, the backup restored, and every table's row count and every stored original
/// file's checksum compared with what was there before. And the checksum refusal.
/// </summary>
public sealed class RestoreDrillTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>
{
    private sealed record Snapshot(IReadOnlyDictionary<string, long> Rows, IReadOnlyList<string> Files);

    private static async Task<Snapshot> SnapshotAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        var tables = await conn.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name");
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in tables)
            rows[t] = await conn.ExecuteScalarAsync<long>($"select count(*) from public.\"{t}\"");
        var files = (await conn.QueryAsync<(long Id, byte[] Bytes)>(
                "select id, file_bytes from data_return where file_bytes is not null order by partnership_id, id"))
            .Select(f => $"{f.Id}:{Convert.ToHexStringLower(SHA256.HashData(f.Bytes))}")
            .ToList();
        return new Snapshot(rows, files);
    }

    [Fact]
    public async Task ADestroyedClusterComesBackWholeFromLastNightsBackup()
    {
        using var root = new TempFolder("restore-drill");
        var dataFolder = root.Combine("postgres");
        var backupFolder = root.Combine("backups");

        var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder));
        Snapshot before;
        BackupEntry entry;
        try
        {
            await Migrator.MigrateAsync(pg.ConnectionString);
            await using (var dataSource = ScorecardDataSource.Create(pg.ConnectionString))
            {
                await DemoLoader.LoadAsync(dataSource, DemoGenerator.Generate());
                var setup = await ReturnFiles.SetupAsync(dataSource);
                var bytes = ReturnFiles.Fill(await ReturnFiles.TemplateAsync(dataSource, setup.Police, setup.PoliceId, setup.PeriodId));
                var upload = await new ReturnImportService(dataSource, new ReturnUploadOptions())
                    .CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "police-q2.xlsx", bytes));
                Assert.Equal(ReturnImportStatus.Committed, upload.Status);
            }
            before = await SnapshotAsync(pg.ConnectionString);
            Assert.NotEmpty(before.Files);
            Assert.True(before.Rows["measure_value"] > 1000);

            entry = await BackupTestSupport.Service(backupFolder, pg.ConnectionString, TimeProvider.System).BackUpAsync(BackupTrigger.Scheduled);

            // While the app's cluster runs, a restore is refused and touches nothing.
            var running = await Assert.ThrowsAsync<BackupFailedException>(() =>
                BackupRestore.RestoreAsync(Path.Combine(backupFolder, entry.File), dataFolder, false, NullLogger.Instance));
            Assert.Contains("stop the app first", running.Message);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await pg.StopAsync();
        }

        // The disaster: the cluster's folder is gone.
        Directory.Delete(Path.Combine(dataFolder, "pgdata"), recursive: true);

        var result = await BackupRestore.RestoreAsync(Path.Combine(backupFolder, entry.File), dataFolder, false, NullLogger.Instance);
        Assert.Equal(1, result.Partnerships);
        Assert.Null(result.PreviousCluster);
        Assert.Empty(result.MigrationsApplied);
        Assert.False(Directory.Exists(dataFolder + ".restoring"));

        var again = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder));
        try
        {
            var after = await SnapshotAsync(again.ConnectionString);
            Assert.Equal(before.Rows, after.Rows);
            Assert.Equal(before.Files, after.Files);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task AnOlderBackupIsBroughtForwardByTheMigratorAndTheClusterItReplacesIsKept()
    {
        using var root = new TempFolder("restore-older");
        var dataFolder = root.Combine("postgres");
        var backupFolder = root.Combine("backups");

        // A database at an older schema: every migration but the last, dumped from the shared test server.
        var older = await TestDatabase.CreateBlankDatabaseAsync();
        var scripts = Migrator.KnownScripts();
        await using (var conn = new NpgsqlConnection(older))
        {
            await conn.OpenAsync();
            await conn.ExecuteAsync("create table schema_migration (schemaversionsid serial primary key, scriptname varchar(255) not null, applied timestamp not null)");
            foreach (var script in scripts.SkipLast(1))
            {
                await using var stream = typeof(Migrator).Assembly.GetManifestResourceStream(script)!;
                await conn.ExecuteAsync(await new StreamReader(stream).ReadToEndAsync());
                await conn.ExecuteAsync("insert into schema_migration (scriptname, applied) values (@script, now())", new { script });
            }
        }
        var entry = await BackupTestSupport.Service(backupFolder, older, TimeProvider.System).BackUpAsync(BackupTrigger.Manual);
        Assert.Equal(scripts[^2], entry.SchemaVersion);

        // The app's cluster exists (it is the one being replaced), and is stopped.
        var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder));
        await pg.StopAsync();

        var result = await BackupRestore.RestoreAsync(Path.Combine(backupFolder, entry.File), dataFolder, false, NullLogger.Instance);

        Assert.Equal([scripts[^1]], result.MigrationsApplied);
        Assert.NotNull(result.PreviousCluster);
        Assert.True(File.Exists(Path.Combine(result.PreviousCluster, "PG_VERSION")));
        var again = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder));
        try
        {
            await using var conn = new NpgsqlConnection(again.ConnectionString);
            await conn.OpenAsync();
            Assert.Equal(scripts, (await conn.QueryAsync<string>("select scriptname from schema_migration order by scriptname")).ToList());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task AFileWhoseChecksumDoesNotMatchItsManifestIsRefusedBeforeAnythingIsTouched()
    {
        using var root = new TempFolder("restore-refused");
        var backupFolder = root.Combine("backups");
        var dataFolder = root.Combine("postgres");
        var entry = await BackupTestSupport.Service(backupFolder, db.ConnectionString, TimeProvider.System).BackUpAsync(BackupTrigger.Manual);
        var file = Path.Combine(backupFolder, entry.File);
        Assert.Equal(entry.Sha256, await BackupRestore.VerifyAsync(file, false, CancellationToken.None));

        // One byte changed in the middle of the file.
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);

        var refused = await Assert.ThrowsAsync<BackupFailedException>(() => BackupRestore.RestoreAsync(file, dataFolder, false, NullLogger.Instance));
        Assert.StartsWith($"Refused: {entry.File} does not match its manifest entry", refused.Message);
        Assert.False(Directory.Exists(dataFolder + ".restoring"));
        Assert.False(Directory.Exists(Path.Combine(dataFolder, "pgdata")));
        // --unverified does not override a mismatch: it is only for a file no manifest lists.
        await Assert.ThrowsAsync<BackupFailedException>(() => BackupRestore.VerifyAsync(file, allowUnlisted: true, CancellationToken.None));

        var copy = root.Combine("elsewhere", entry.File);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(backupFolder, entry.File), copy);
        var unlisted = await Assert.ThrowsAsync<BackupFailedException>(() => BackupRestore.VerifyAsync(copy, false, CancellationToken.None));
        Assert.Contains("--unverified", unlisted.Message);
    }
}
