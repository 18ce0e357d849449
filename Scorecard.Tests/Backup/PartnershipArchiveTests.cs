using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Backup;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Backup;

/// <summary>
/// The whole-partnership archive: exported from a database holding two partnerships, imported into an empty one, the
/// scorecard gives the same figures; refusals of a partnership already there, a tampered archive and a non-admin.
/// </summary>
public sealed class PartnershipArchiveTests : IClassFixture<PartnershipArchiveTests.TwoPartnerships>
{
    private readonly TwoPartnerships db;

    public PartnershipArchiveTests(TwoPartnerships db) => this.db = db;

    /// <summary>The demo partnership and a second one beside it, so the export is seen to take only its own rows.</summary>
    public sealed class TwoPartnerships : DatabaseFixture, IAsyncLifetime
    {
        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var demo = DemoGenerator.Generate();
            await DemoLoader.LoadAsync(DataSource, demo with { Code = "second", Name = "Second partnership", ShortName = "SECOND", Users = [] });
        }
    }

    private static PartnershipArchive Archive(NpgsqlDataSource dataSource) => new(dataSource, TimeProvider.System);

    private async Task<(byte[] Zip, ArchiveManifest Manifest, Actor Admin)> ExportAsync()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        using var buffer = new MemoryStream();
        var manifest = await Archive(db.DataSource).ExportAsync(admin, buffer);
        return (buffer.ToArray(), manifest, admin);
    }

    private static async Task<string> FiguresAsync(NpgsqlDataSource dataSource, Actor viewer)
    {
        var data = await new ScorecardQueries(dataSource, TimeProvider.System).LoadAsync(viewer, CancellationToken.None);
        return JsonSerializer.Serialize(ScorecardBuilder.Build(data, viewer, ScorecardScope.Partnership));
    }

    [Fact]
    public async Task AnArchiveImportedIntoAnEmptyDatabaseGivesTheSameScorecard()
    {
        var (zip, manifest, _) = await ExportAsync();
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var target = await TestDatabase.CreateDatabaseAsync(withDemoData: false);
        await using var targetSource = ScorecardDataSource.Create(target);

        var result = await Archive(targetSource).ImportAsync(new MemoryStream(zip), "test import");

        Assert.Equal(manifest.PartnershipId, result.PartnershipId);
        Assert.Equal(manifest.Files.Count, result.Files);
        var figures = await FiguresAsync(db.DataSource, qa);
        Assert.Contains("\"Lines\":[{", figures); // a scorecard with its measures, not an empty one
        Assert.Equal(figures, await FiguresAsync(targetSource, qa));
        var qaThere = await Actors.ForAsync(targetSource, Actors.QaEmail);
        Assert.Equal(qa, qaThere);

        // Every original file arrives byte for byte.
        await using var source = await db.DataSource.OpenConnectionAsync();
        await using var copy = await targetSource.OpenConnectionAsync();
        const string files = "select id, file_sha256, file_bytes from data_return where partnership_id = @p and file_bytes is not null order by id";
        var before = (await source.QueryAsync<(long, byte[], byte[])>(files, new { p = manifest.PartnershipId })).ToList();
        var after = (await copy.QueryAsync<(long, byte[], byte[])>(files, new { p = manifest.PartnershipId })).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.All(before.Zip(after), pair =>
        {
            Assert.Equal(pair.First.Item1, pair.Second.Item1);
            Assert.Equal(pair.First.Item3, pair.Second.Item3);
            Assert.Equal(SHA256.HashData(pair.Second.Item3), pair.Second.Item2);
        });

        // The import is in the change log, and ids go on from the highest imported: a new partnership gets the next id.
        Assert.Equal(["test import"], await copy.QueryAsync<string>(
            "select user_name from change_log where partnership_id = @p and action = 'import' and summary like 'Imported the whole partnership%'",
            new { p = manifest.PartnershipId }));
        var (next, _) = await DemoLoader.LoadAsync(targetSource, DemoGenerator.Generate() with { Code = "later", Name = "Later partnership", ShortName = "LATER", Users = [] });
        Assert.Equal(manifest.PartnershipId + 1, next);
    }

    [Fact]
    public async Task TheArchiveHasEveryPartnershipTableWithOnlyThisPartnershipsRowsAndIsLogged()
    {
        var (zip, manifest, admin) = await ExportAsync();

        await using var conn = await db.DataSource.OpenConnectionAsync();
        var tables = (await conn.QueryAsync<string>(
            """
            select c.table_name from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
            where c.table_schema = 'public' and c.column_name = 'partnership_id' order by c.table_name
            """)).ToList();
        Assert.Equal(["partnership", .. tables], manifest.Tables.Select(t => t.Name).ToList());
        Assert.Contains("data_return", tables);
        Assert.Contains("change_log", tables);
        foreach (var t in manifest.Tables.Skip(1))
        {
            var mine = await conn.ExecuteScalarAsync<long>($"select count(*) from public.\"{t.Name}\" where partnership_id = @p", new { p = admin.PartnershipId });
            // The change log has one row more now: the export's own entry, written once the archive is complete.
            Assert.Equal(t.Name == "change_log" ? mine - 1 : mine, t.Rows);
        }
        Assert.True(manifest.Tables.Single(t => t.Name == "measure_value").Rows > 1000);
        Assert.Equal(2, await conn.ExecuteScalarAsync<long>("select count(*) from partnership"));
        Assert.Equal(Data.Database.Migrator.KnownScripts()[^1], manifest.SchemaVersion);

        using var archive = new ZipArchive(new MemoryStream(zip));
        var partnershipCsv = await new StreamReader(archive.GetEntry("tables/partnership.csv")!.Open()).ReadToEndAsync();
        Assert.Equal(2, partnershipCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and one row
        Assert.DoesNotContain("Second partnership", partnershipCsv);
        Assert.DoesNotContain("file_bytes", await new StreamReader(archive.GetEntry("tables/data_return.csv")!.Open()).ReadToEndAsync());
        Assert.All(manifest.Files, f => Assert.NotNull(archive.GetEntry(f.Path)));

        var logged = await conn.QuerySingleAsync<(string UserName, string Summary)>(
            "select user_name, summary from change_log where partnership_id = @p and action = 'export' order by id desc limit 1", new { p = admin.PartnershipId });
        Assert.Equal(admin.DisplayName, logged.UserName);
        Assert.StartsWith("Exported the whole partnership", logged.Summary);
    }

    [Fact]
    public async Task ImportingIntoADatabaseThatHoldsThePartnershipIsRefusedAndWritesNothing()
    {
        var (zip, _, _) = await ExportAsync();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var rowsBefore = await conn.ExecuteScalarAsync<long>("select count(*) from change_log");

        var refused = await Assert.ThrowsAsync<ArchiveRefusedException>(() => Archive(db.DataSource).ImportAsync(new MemoryStream(zip), "test"));

        Assert.Contains("already holds partnership", refused.Message);
        Assert.Equal(rowsBefore, await conn.ExecuteScalarAsync<long>("select count(*) from change_log"));
    }

    [Fact]
    public async Task AnArchiveWhoseFilesDoNotMatchTheManifestIsRefused()
    {
        var (zip, _, _) = await ExportAsync();
        // Someone edits a value in the measure values' CSV.
        using var edited = new MemoryStream();
        edited.Write(zip);
        using (var archive = new ZipArchive(edited, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("tables/measure_value.csv")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
                text = await reader.ReadToEndAsync();
            entry.Delete();
            await using var writer = new StreamWriter(archive.CreateEntry("tables/measure_value.csv").Open());
            await writer.WriteAsync(text.Replace(",12.5,", ",99.5,"));
            await writer.WriteAsync("\n");
        }
        var target = await TestDatabase.CreateDatabaseAsync(withDemoData: false);
        await using var targetSource = ScorecardDataSource.Create(target);

        var refused = await Assert.ThrowsAsync<ArchiveRefusedException>(() => Archive(targetSource).ImportAsync(new MemoryStream(edited.ToArray()), "test"));

        Assert.Contains("tables/measure_value.csv does not match its checksum", refused.Message);
        await using var conn = await targetSource.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>("select count(*) from partnership"));
    }

    [Fact]
    public async Task AnArchiveWhoseRowsBreakTheSchemasRulesIsRefusedWithNothingWritten()
    {
        var (zip, manifest, _) = await ExportAsync();
        // A consistent archive (checksums recomputed) whose measure values include a negative denominator.
        using var edited = new MemoryStream();
        edited.Write(zip);
        using (var archive = new ZipArchive(edited, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("tables/measure_value.csv")!;
            string[] lines;
            using (var reader = new StreamReader(entry.Open()))
                lines = (await reader.ReadToEndAsync()).Split('\n');
            var columns = lines[0].Split(',');
            var denominator = Array.IndexOf(columns, "denominator");
            var row = Array.FindIndex(lines, 1, l => l.Split(',') is { } cells && cells.Length > denominator && cells[denominator].Length > 0);
            var cells = lines[row].Split(',');
            cells[denominator] = "-1";
            lines[row] = string.Join(',', cells);
            var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
            entry.Delete();
            await using (var s = archive.CreateEntry("tables/measure_value.csv").Open())
                await s.WriteAsync(bytes);
            var tables = manifest.Tables.Select(t => t.Name == "measure_value" ? t with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) } : t).ToList();
            archive.GetEntry(ArchiveManifest.EntryName)!.Delete();
            await using var m = archive.CreateEntry(ArchiveManifest.EntryName).Open();
            await JsonSerializer.SerializeAsync(m, manifest with { Tables = tables }, JsonSerializerOptions.Web);
        }
        var target = await TestDatabase.CreateDatabaseAsync(withDemoData: false);
        await using var targetSource = ScorecardDataSource.Create(target);

        var refused = await Assert.ThrowsAsync<ArchiveRefusedException>(() => Archive(targetSource).ImportAsync(new MemoryStream(edited.ToArray()), "test"));

        Assert.StartsWith("Table measure_value of the archive could not be loaded", refused.Message);
        await using var conn = await targetSource.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>("select count(*) from partnership"));
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>("select count(*) from agency"));
    }

    [Fact]
    public async Task TheAppsImportModeLoadsAnArchiveIntoAConfiguredEmptyDatabase()
    {
        var (zip, manifest, _) = await ExportAsync();
        var path = Path.Combine(Path.GetTempPath(), $"archive-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(path, zip);
        try
        {
            var target = await TestDatabase.CreateDatabaseAsync(withDemoData: false);

            var exit = await BackupCommandLine.RunAsync(["--import-partnership", path, $"--ConnectionStrings:Scorecard={target}"]);

            Assert.Equal(0, exit);
            await using var conn = new NpgsqlConnection(target);
            await conn.OpenAsync();
            Assert.Equal(manifest.PartnershipCode, await conn.ExecuteScalarAsync<string>("select code from partnership"));
            // A second run finds the partnership there and refuses, with a non-zero exit code.
            Assert.Equal(1, await BackupCommandLine.RunAsync(["--import-partnership", path, $"--ConnectionStrings:Scorecard={target}"]));
            Assert.Equal(1, await conn.ExecuteScalarAsync<long>("select count(*) from partnership"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task OnlyAnAdministratorMayExportThePartnership()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Archive(db.DataSource).ExportAsync(qa, new MemoryStream()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Archive(db.DataSource).ExportAsync(police, new MemoryStream()));
    }
}
