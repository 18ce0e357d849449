using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Data.Backup;

/// <summary>One table in a partnership archive.</summary>
public sealed record ArchiveTable(string Name, string Path, long Rows, string Sha256, IReadOnlyList<string> Columns);

/// <summary>One original return file in a partnership archive.</summary>
public sealed record ArchiveFile(long ReturnId, string Path, string FileName, long SizeBytes, string Sha256);

/// <summary>The archive's <c>manifest.json</c>.</summary>
public sealed record ArchiveManifest(
    string Format, int FormatVersion, int PartnershipId, string PartnershipCode, string PartnershipName,
    DateTimeOffset ExportedAt, string ExportedBy, string? SchemaVersion,
    IReadOnlyList<ArchiveTable> Tables, IReadOnlyList<ArchiveFile> Files)
{
    public const string FormatName = "scorecard-partnership-archive";
    public const string EntryName = "manifest.json";
}

/// <summary>What an import did.</summary>
public sealed record ArchiveImportResult(int PartnershipId, string PartnershipCode, IReadOnlyDictionary<string, long> Rows, int Files);

/// <summary>An archive that cannot be imported; the message says why.</summary>
public sealed class ArchiveRefusedException(string message) : Exception(message);

/// <summary>
/// A whole partnership as one zip, for a partnership moving host or answering a subject access or audit request:
/// <c>tables/&lt;table&gt;.csv</c> for the partnership row and every table with a <c>partnership_id</c> column (found in
/// <c>information_schema</c>, so tables added by later migrations come along without a change here), rows of this
/// partnership only; <c>files/returns/&lt;id&gt;/&lt;name&gt;</c>, every original return file; and <c>manifest.json</c> with each
/// table's row count and SHA-256, each file's SHA-256, and the schema version (latest migration).
/// <para>
/// Import keeps every id as it was, which is the simplest way that is certainly consistent (no foreign key to rewrite,
/// no id in a change log entry's JSON left pointing at the wrong row). So it imports into a deployment that does not
/// hold that partnership id or code, typically an empty one; one that does is refused, as is an archive from a newer
/// schema, or one whose checksums do not match.
/// </para>
/// </summary>
public sealed class PartnershipArchive(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string PartnershipTable = "partnership";
    private const string FileTable = "data_return";
    private const string FileColumn = "file_bytes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private const string TablesSql = """
        select c.table_name
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and c.column_name = 'partnership_id' and t.table_type = 'BASE TABLE'
        order by c.table_name
        """;

    private const string ColumnsSql = """
        select column_name from information_schema.columns
        where table_schema = 'public' and table_name = @Table and is_generated = 'NEVER'
        order by ordinal_position
        """;

    private const string KeySql = """
        select a.attname
        from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ('public.' || quote_ident(@Table))::regclass and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)
        """;

    /// <summary>Foreign keys among public tables: (table, table it references).</summary>
    private const string ForeignKeysSql = """
        select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
        from pg_constraint c
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace and c.conrelid <> c.confrelid
        """;

    private const string IdentitySql = """
        select table_name, column_name from information_schema.columns
        where table_schema = 'public' and is_identity = 'YES' and table_name = any(@Tables)
        """;

    private const string FilesSql = """
        select id, file_name, file_bytes from data_return
        where partnership_id = @PartnershipId and file_bytes is not null
        order by id
        """;

    private const string PartnershipSql = "select id, code, name from partnership where id = @PartnershipId";

    /// <summary>Writes the actor's partnership, whole, to <paramref name="output"/> as a zip. Admins only; logged.</summary>
    public async Task<ArchiveManifest> ExportAsync(Actor actor, Stream output, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        ArchiveManifest manifest;
        // One snapshot for every table, so counts and files agree with each other.
        await using (var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
        {
            var p = await conn.QuerySingleAsync<(int Id, string Code, string Name)>(
                new CommandDefinition(PartnershipSql, new { actor.PartnershipId }, tx, cancellationToken: ct));
            var schema = await Migrations.LatestAppliedAsync(conn, ct, tx);
            var tables = new List<ArchiveTable>();
            var files = new List<ArchiveFile>();
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                var names = (await conn.QueryAsync<string>(new CommandDefinition(TablesSql, transaction: tx, cancellationToken: ct))).Distinct().ToList();
                foreach (var table in names.Prepend(PartnershipTable))
                    tables.Add(await ExportTableAsync(conn, tx, zip, table, actor.PartnershipId, ct));

                var rows = await conn.QueryAsync<(long Id, string? FileName, byte[] Bytes)>(
                    new CommandDefinition(FilesSql, new { actor.PartnershipId }, tx, flags: CommandFlags.None, cancellationToken: ct));
                foreach (var (id, fileName, bytes) in rows)
                {
                    var name = SafeName(fileName ?? $"return-{id}.xlsx");
                    var path = $"files/returns/{id}/{name}";
                    await WriteEntryAsync(zip, path, bytes, ct);
                    files.Add(new ArchiveFile(id, path, fileName ?? name, bytes.Length, Sha(bytes)));
                }

                manifest = new ArchiveManifest(ArchiveManifest.FormatName, 1, p.Id, p.Code, p.Name, clock.GetUtcNow(), actor.DisplayName, schema, tables, files);
                await WriteEntryAsync(zip, ArchiveManifest.EntryName, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), ct);
            }
            await tx.CommitAsync(ct);
        }

        await using var log = await conn.BeginTransactionAsync(ct);
        await ChangeLog.WriteAsync(conn, log, actor, "partnership", actor.PartnershipId, "export",
            $"Exported the whole partnership: {manifest.Tables.Sum(t => t.Rows)} rows in {manifest.Tables.Count} tables and {manifest.Files.Count} original files",
            null, new { manifest.SchemaVersion, Tables = manifest.Tables.ToDictionary(t => t.Name, t => t.Rows), Files = manifest.Files.Count }, ct);
        await log.CommitAsync(ct);
        return manifest;
    }

    private static async Task<ArchiveTable> ExportTableAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, ZipArchive zip, string table, int partnershipId, CancellationToken ct)
    {
        var columns = (await conn.QueryAsync<string>(new CommandDefinition(ColumnsSql, new { Table = table }, tx, cancellationToken: ct)))
            .Where(c => !(table == FileTable && c == FileColumn))
            .ToList();
        var key = (await conn.QueryAsync<string>(new CommandDefinition(KeySql, new { Table = table }, tx, cancellationToken: ct))).ToList();
        var filter = table == PartnershipTable ? "id" : "partnership_id";
        // Identifiers come from the catalogue and are quoted; the partnership id is an integer.
        var select = $"select {string.Join(", ", columns.Select(Quote))} from public.{Quote(table)} where {filter} = {partnershipId}" +
                     (key.Count > 0 ? $" order by {string.Join(", ", key.Select(Quote))}" : "");
        string csv;
        using (var reader = await conn.BeginTextExportAsync($"copy ({select}) to stdout with (format csv, header true)", ct))
            csv = await reader.ReadToEndAsync(ct);
        var rows = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            $"select count(*) from public.{Quote(table)} where {filter} = {partnershipId}", transaction: tx, cancellationToken: ct));
        var bytes = Encoding.UTF8.GetBytes(csv);
        var path = $"tables/{table}.csv";
        await WriteEntryAsync(zip, path, bytes, ct);
        return new ArchiveTable(table, path, rows, Sha(bytes), columns);
    }

    /// <summary>
    /// Imports an archive as a new partnership with the ids it had, in one transaction. Refuses an archive whose
    /// checksums do not match its manifest, one from a newer schema, and a partnership id or code already here.
    /// </summary>
    public async Task<ArchiveImportResult> ImportAsync(Stream archive, string importedBy, CancellationToken ct = default)
    {
        using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        var manifestEntry = zip.GetEntry(ArchiveManifest.EntryName) ?? throw new ArchiveRefusedException("The archive has no manifest.json: it is not a partnership archive.");
        var manifest = JsonSerializer.Deserialize<ArchiveManifest>(await ReadEntryAsync(manifestEntry, ct), Json)
            ?? throw new ArchiveRefusedException("The archive's manifest.json is empty.");
        if (manifest.Format != ArchiveManifest.FormatName || manifest.FormatVersion != 1)
            throw new ArchiveRefusedException($"The archive's format is {manifest.Format} version {manifest.FormatVersion}; this build reads {ArchiveManifest.FormatName} version 1.");
        if (manifest.Tables.Count == 0 || manifest.Tables[0].Name != PartnershipTable)
            throw new ArchiveRefusedException("The archive's manifest does not start with the partnership table.");

        // Every byte checked before anything is written.
        var csvs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in manifest.Tables)
        {
            var bytes = await ReadEntryAsync(zip.GetEntry(t.Path) ?? throw new ArchiveRefusedException($"The archive lacks {t.Path}."), ct);
            if (Sha(bytes) != t.Sha256)
                throw new ArchiveRefusedException($"{t.Path} does not match its checksum in the manifest: the archive is damaged or was edited.");
            csvs[t.Name] = Encoding.UTF8.GetString(bytes);
        }
        var files = new List<(ArchiveFile File, byte[] Bytes)>();
        foreach (var f in manifest.Files)
        {
            var bytes = await ReadEntryAsync(zip.GetEntry(f.Path) ?? throw new ArchiveRefusedException($"The archive lacks {f.Path}."), ct);
            if (Sha(bytes) != f.Sha256)
                throw new ArchiveRefusedException($"{f.Path} does not match its checksum in the manifest: the archive is damaged or was edited.");
            files.Add((f, bytes));
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The demo loader's lock: nothing else creates a partnership while this one arrives.
        await conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(4242)", transaction: tx, cancellationToken: ct));

        var applied = await Migrations.AppliedAsync(conn, tx, ct);
        if (manifest.SchemaVersion is { } v && !applied.Contains(v))
            throw new ArchiveRefusedException($"The archive was exported from a newer version of Scorecard (schema {v}); upgrade this deployment first.");
        var here = (await conn.QueryAsync<string>(new CommandDefinition(TablesSql, transaction: tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        foreach (var t in manifest.Tables.Skip(1))
        {
            if (!here.Contains(t.Name))
                throw new ArchiveRefusedException($"The archive has a table {t.Name} that this deployment does not have.");
        }
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists(select 1 from partnership where id = @Id or code = @Code)",
                new { Id = manifest.PartnershipId, Code = manifest.PartnershipCode }, tx, cancellationToken: ct)))
            throw new ArchiveRefusedException(
                $"This deployment already holds partnership {manifest.PartnershipId} or the code \"{manifest.PartnershipCode}\": " +
                "an archive is imported only into a deployment that does not hold that partnership (for example an empty one).");
        foreach (var t in manifest.Tables.Skip(1))
        {
            if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    $"select exists(select 1 from public.{Quote(t.Name)} where partnership_id = {manifest.PartnershipId})", transaction: tx, cancellationToken: ct)))
                throw new ArchiveRefusedException($"Table {t.Name} already has rows for partnership {manifest.PartnershipId}.");
        }

        var order = await DependencyOrderAsync(conn, tx, manifest.Tables.Select(t => t.Name).ToList(), ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var current = "";
        try
        {
            foreach (var table in order)
            {
                current = table;
                var t = manifest.Tables.Single(x => x.Name == table);
                await using (var writer = await conn.BeginTextImportAsync(
                    $"copy public.{Quote(table)} ({string.Join(", ", t.Columns.Select(Quote))}) from stdin with (format csv, header true)", ct))
                {
                    await writer.WriteAsync(csvs[table]);
                }
                counts[table] = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"select count(*) from public.{Quote(table)} where {(table == PartnershipTable ? "id" : "partnership_id")} = {manifest.PartnershipId}",
                    transaction: tx, cancellationToken: ct));
                if (counts[table] != t.Rows)
                    throw new ArchiveRefusedException($"Table {table}: the manifest says {t.Rows} rows, the file holds {counts[table]}.");
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArchiveRefusedException($"A row of the archive clashes with one already here ({e.TableName}: {e.Detail ?? e.ConstraintName}). Nothing was imported.");
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal) || e.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            // Bad data (class 22), a broken rule or reference (class 23), or a column this schema does not have.
            throw new ArchiveRefusedException($"Table {current} of the archive could not be loaded: {e.MessageText}{(e.Detail is { } d ? $" ({d})" : "")}. Nothing was imported.");
        }

        foreach (var (f, bytes) in files)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "update data_return set file_bytes = @Bytes where partnership_id = @PartnershipId and id = @ReturnId",
                new { Bytes = bytes, manifest.PartnershipId, f.ReturnId }, tx, cancellationToken: ct));
        }

        // Identity columns go on from the highest id now present, so the next row made here does not clash.
        var identities = await conn.QueryAsync<(string Table, string Column)>(new CommandDefinition(
            IdentitySql, new { Tables = order.ToArray() }, tx, cancellationToken: ct));
        foreach (var (table, column) in identities)
        {
            await conn.ExecuteAsync(new CommandDefinition($"""
                select setval(pg_get_serial_sequence('public.{Quote(table).Replace("'", "''")}', '{column.Replace("'", "''")}'),
                              greatest((select max({Quote(column)}) from public.{Quote(table)}), 1))
                """, transaction: tx, cancellationToken: ct));
        }

        var system = new Actor(manifest.PartnershipId, 0, importedBy, Role.Admin, null);
        await ChangeLog.WriteAsync(conn, tx, system, "partnership", manifest.PartnershipId, "import",
            $"Imported the whole partnership from an archive exported on {manifest.ExportedAt:yyyy-MM-dd HH:mm} UTC by {manifest.ExportedBy}",
            null, new { manifest.SchemaVersion, Tables = counts, Files = files.Count }, ct);
        await tx.CommitAsync(ct);
        return new ArchiveImportResult(manifest.PartnershipId, manifest.PartnershipCode, counts, files.Count);
    }

    /// <summary>The tables in an order where each comes after every table it references (a topological sort of the foreign keys).</summary>
    private static async Task<IReadOnlyList<string>> DependencyOrderAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var set = tables.ToHashSet(StringComparer.Ordinal);
        var edges = (await conn.QueryAsync<(string Child, string Parent)>(new CommandDefinition(ForeignKeysSql, transaction: tx, cancellationToken: ct)))
            .Select(e => (Child: Unqualify(e.Child), Parent: Unqualify(e.Parent)))
            .Where(e => set.Contains(e.Child) && set.Contains(e.Parent))
            .ToList();
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var remaining = tables.ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(t => edges.All(e => e.Child != t || done.Contains(e.Parent))).ToList();
            if (ready.Count == 0)
                throw new InvalidOperationException($"The foreign keys among {string.Join(", ", remaining)} form a cycle.");
            foreach (var t in ready)
            {
                order.Add(t);
                done.Add(t);
                remaining.Remove(t);
            }
        }
        return order;
    }

    private static string Unqualify(string regclass) => regclass.StartsWith("public.", StringComparison.Ordinal) ? regclass[7..] : regclass.Trim('"');

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A file name safe inside a zip on any system: no folders, no control or reserved characters.</summary>
    private static string SafeName(string name)
    {
        var file = name.Replace('\\', '/').Split('/').Last();
        var safe = new string(file.Select(c => char.IsControl(c) || "<>:\"|?*".Contains(c) ? '_' : c).ToArray()).Trim().TrimStart('.');
        return safe.Length == 0 ? "file" : safe;
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string path, byte[] bytes, CancellationToken ct)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        await using var stream = entry.Open();
        await stream.WriteAsync(bytes, ct);
    }

    private static async Task<byte[]> ReadEntryAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        await using var stream = entry.Open();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
