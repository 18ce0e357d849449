using System.Diagnostics;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using ClosedXML.Excel;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;

namespace Scorecard.Bench;

/// <summary>
/// Issue 11's figures on the demo partnership: (a) the Section 175/157 heat map of 170 schools × 12 standards with its
/// comparison with the previous cycle (the cycle page's one load: SelfAssessmentQueries.CycleAsync with the previous
/// cycle, two cycles' ratings) against a raw NpgsqlDataReader reading the
/// same rows with no mapping and no statistics (ratio ≤ 1.5); (b) 170 self-assessment workbooks, one per school,
/// imported one after another through the returns pipeline's safe path (median per workbook) against the floor of a
/// bare XML read of the same file plus a binary COPY, in one transaction, of what the import must keep: its 12 ratings,
/// the submission with its sign-off and the original file, and one change-log row (ratio ≤ 3); the ratio to a COPY of
/// the ratings alone is printed beside it. Both parts are
/// measured after warm-up runs (the optimising JIT tier, fresh planner statistics), as a server that has been up a while.
/// </summary>
public static class EvidenceSuite
{
    private const string CurrentCycle = "Section 175/157 2025/26";
    private const string PreviousCycle = "Section 175/157 2024/25";

    public static async Task RunAsync(BenchContext context)
    {
        var cs = await context.CreateMigratedDatabaseAsync("evidence");
        await using var dataSource = ScorecardDataSource.Create(cs);
        var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, DemoGenerator.Generate());
        // Fresh planner statistics, as autovacuum would have them a minute after the load (the other suites do the same).
        await using (var conn = await dataSource.OpenConnectionAsync())
            await conn.ExecuteAsync(new CommandDefinition("analyze", commandTimeout: 600, commandType: System.Data.CommandType.Text));
        var qa = await ActorAsync(dataSource, partnershipId, "qa_member");
        var (current, previous) = await CyclesAsync(dataSource, partnershipId);
        var queries = new SelfAssessmentQueries(dataSource, TimeProvider.System);

        // (a) The heat map.
        var view = await queries.CycleAsync(qa, current, default) ?? throw new InvalidOperationException("No current cycle.");
        Console.Error.WriteLine($"heat map: {view.Agencies.Count} agencies x {view.Standards.Count} standards, {view.Cells.Count} cells this cycle");
        var floorCells = await RawHeatMapAsync(dataSource, partnershipId, current, previous);
        if (floorCells.Current != view.Cells.Count)
            throw new InvalidOperationException($"The floor read {floorCells.Current} cells, the query {view.Cells.Count}.");
        var (heat, heatFloor) = await AlternatingMediansAsync(async () =>
        {
            // What the cycle page loads: the cycle, its heat map and the comparison with the previous cycle, in one round trip.
            var loaded = await queries.CycleAsync(qa, current, previous, default);
            if (loaded!.Comparison.Count == 0)
                throw new InvalidOperationException("No comparison.");
        }, () => RawHeatMapAsync(dataSource, partnershipId, current, previous), runs: 21, warmups: 40);
        BenchContext.Figure("evidence_heatmap_agencies", view.Agencies.Count);
        BenchContext.Figure("evidence_heatmap_cells_two_cycles", floorCells.Current + floorCells.Previous);
        BenchContext.Figure("evidence_heatmap_ms", heat);
        BenchContext.Figure("evidence_heatmap_floor_raw_reader_ms", heatFloor);
        BenchContext.Figure("evidence_heatmap_ratio_to_floor", heat / heatFloor);

        // (b) 170 workbooks, one per school, each signed off: every import submits a new version.
        var admin = await ActorAsync(dataSource, partnershipId, "admin");
        var workbooks = new SelfAssessmentWorkbook(dataSource, new ReturnUploadOptions());
        var schools = view.Agencies.Select(a => a.AgencyId).ToList();
        var sw = Stopwatch.StartNew();
        var files = new List<(int AgencyId, byte[] Bytes)>(schools.Count);
        foreach (var school in schools)
            files.Add((school, Fill((await workbooks.BuildAsync(admin, current, school, default))!.Bytes, school)));
        Console.Error.WriteLine($"{files.Count} workbooks generated and filled in {sw.ElapsedMilliseconds} ms ({files[0].Bytes.Length / 1024} KB each)");

        if (context.Args.Contains("--diagnose"))
        {
            var previews = new List<double>();
            foreach (var (school, bytes) in files.Take(40))
            {
                var t = Stopwatch.StartNew();
                await workbooks.PreviewAsync(admin, current, school, "bench.xlsx", bytes, default);
                previews.Add(t.Elapsed.TotalMilliseconds);
            }
            Console.Error.WriteLine($"preview (read, checks, two queries) median {Median(previews):0.00} ms");
            var reads = new List<double>();
            var raws = new List<double>();
            var readOptions = new ReturnUploadOptions() with { MaxCommentaryLength = 8_000 };
            foreach (var (_, bytes) in files.Take(60))
            {
                var t = Stopwatch.StartNew();
                using (var package = XlsxPackage.Open(bytes, readOptions))
                    ReturnWorkbookReader.ReadGrid(package, SelfAssessmentWorkbookLayout.Sheet, "a self-assessment workbook", readOptions);
                reads.Add(t.Elapsed.TotalMilliseconds);
                t.Restart();
                RawRead(bytes);
                raws.Add(t.Elapsed.TotalMilliseconds);
            }
            Console.Error.WriteLine($"safe read (open, checks, grid) median {Median(reads):0.00} ms; the floor's bare read {Median(raws):0.00} ms");
        }
        await using (var conn = await dataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("""
                create table bench_rating_floor (agency_id int, code text, rating text, evidence text, actions text);
                create table bench_submission_floor (agency_id int, sign_off_name text, sign_off_role text, signed_off_on text, file_name text, file_bytes bytea);
                create table bench_log_floor (agency_id int, summary text);
                """);
        // Warm-up, untimed: the first 40 schools' workbooks imported and floored once, so every path runs as compiled by the
        // JIT's optimising tier, as on a server that has been up for a while (the timed pass imports them again, a new version).
        foreach (var (school, bytes) in files.Take(40))
        {
            await workbooks.CommitAsync(admin, current, school, "bench.xlsx", bytes, default);
            await CopyAsync(dataSource, school, RawRead(bytes), null);
            await CopyAsync(dataSource, school, RawRead(bytes), bytes);
        }
        // Import and floors alternate workbook by workbook, so all see the same load on a shared machine. Two floors:
        // the bare read plus a binary COPY of everything the import must keep (the ratings; the submission with its sign-off
        // and the original file, since every version is kept; one change-log row, since every change is recorded), and the
        // bare read plus a COPY of the ratings alone (this suite's first floor, printed beside it).
        var importTimes = new List<double>(files.Count);
        var floorTimes = new List<double>(files.Count);
        var ratingsFloorTimes = new List<double>(files.Count);
        foreach (var (school, bytes) in files)
        {
            var t = Stopwatch.StartNew();
            var result = await workbooks.CommitAsync(admin, current, school, "bench.xlsx", bytes, default);
            importTimes.Add(t.Elapsed.TotalMilliseconds);
            if (result.Status != ReturnImportStatus.Committed || !result.Submitted)
                throw new InvalidOperationException($"{result.Status}: {result.Message} {string.Join("; ", result.Errors.Take(3).Select(e => $"{e.Cell} {e.Message}"))}");
            t.Restart();
            var read = RawRead(bytes);
            await CopyAsync(dataSource, school, read, bytes);
            floorTimes.Add(t.Elapsed.TotalMilliseconds);
            t.Restart();
            await CopyAsync(dataSource, school, RawRead(bytes), null);
            ratingsFloorTimes.Add(t.Elapsed.TotalMilliseconds);
            if (read.Ratings.Count != view.Standards.Count || read.SignOff.Count != 3)
                throw new InvalidOperationException($"The floor read {read.Ratings.Count} ratings and {read.SignOff.Count} sign-off fields, not {view.Standards.Count} and 3.");
        }
        var import = Median(importTimes);
        var floor = Median(floorTimes);
        var ratingsFloor = Median(ratingsFloorTimes);
        BenchContext.Figure("evidence_workbooks_imported", files.Count);
        BenchContext.Figure("evidence_workbook_import_median_ms", import);
        BenchContext.Figure("evidence_workbook_floor_read_plus_copy_median_ms", floor);
        BenchContext.Figure("evidence_workbook_ratio_to_floor", import / floor);
        BenchContext.Figure("evidence_workbook_floor_ratings_only_median_ms", ratingsFloor);
        BenchContext.Figure("evidence_workbook_ratio_to_ratings_only_floor", import / ratingsFloor);
    }

    /// <summary>Runs two actions alternately (after warm-ups) and returns each one's median in milliseconds.</summary>
    private static async Task<(double A, double B)> AlternatingMediansAsync(Func<Task> a, Func<Task> b, int runs = 15, int warmups = 3)
    {
        for (var i = 0; i < warmups; i++)
        {
            await a();
            await b();
        }
        var ta = new List<double>(runs);
        var tb = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await a();
            ta.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await b();
            tb.Add(sw.Elapsed.TotalMilliseconds);
        }
        return (Median(ta), Median(tb));
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<Actor> ActorAsync(NpgsqlDataSource dataSource, int partnershipId, string role)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (id, name) = await conn.QueryFirstAsync<(int, string)>(
            "select id, display_name from app_user where partnership_id = @partnershipId and role = @role order by id", new { partnershipId, role });
        return new Actor(partnershipId, id, name, DbEnum.Parse<Role>(role), null);
    }

    private static async Task<(int Current, int Previous)> CyclesAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        const string sql = "select id from assessment_cycle where partnership_id = @partnershipId and name = @name";
        return (await conn.ExecuteScalarAsync<int>(sql, new { partnershipId, name = CurrentCycle }),
            await conn.ExecuteScalarAsync<int>(sql, new { partnershipId, name = PreviousCycle }));
    }

    /// <summary>The floor of (a): the same rows the page needs (the cycle's agencies; both cycles' submitted ratings with
    /// their moderation), read column by column with a raw data reader and thrown away.</summary>
    private static async Task<(int Current, int Previous)> RawHeatMapAsync(NpgsqlDataSource dataSource, int partnershipId, int current, int previous)
    {
        const string sql = """
            select c.name, c.deadline, f.title from assessment_cycle c join framework f on f.partnership_id = c.partnership_id and f.id = c.framework_id
            where c.partnership_id = @p and c.id = @current;
            select st.id, st.code, st.title, st.what_good_looks_like, st.evidence_expected from framework_standard st
            join assessment_cycle c on c.partnership_id = st.partnership_id and c.framework_id = st.framework_id where c.partnership_id = @p and c.id = @current;
            select agency_id, id, version, status, submitted_at from self_assessment where partnership_id = @p and cycle_id = @current;
            select ca.agency_id, ag.short_name, ag.sector, ag.education_phase from cycle_agency ca
            join agency ag on ag.partnership_id = ca.partnership_id and ag.id = ca.agency_id
            where ca.partnership_id = @p and ca.cycle_id = @current;
            select s.cycle_id, s.agency_id, r.standard_id, st.code, r.rating, m.outcome, m.moderated_rating
            from self_assessment s
            join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id
            join framework_standard st on st.partnership_id = r.partnership_id and st.id = r.standard_id
            left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
            where s.partnership_id = @p and s.cycle_id in (@current, @previous) and s.status = 'submitted'
            """;
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("p", partnershipId);
        cmd.Parameters.AddWithValue("current", current);
        cmd.Parameters.AddWithValue("previous", previous);
        await using var reader = await cmd.ExecuteReaderAsync();
        for (var set = 0; set < 3; set++)
        {
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    _ = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            await reader.NextResultAsync();
        }
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt32(0);
            _ = reader.GetString(1);
            _ = reader.GetString(2);
            _ = reader.IsDBNull(3) ? null : reader.GetString(3);
        }
        await reader.NextResultAsync();
        int now = 0, before = 0;
        while (await reader.ReadAsync())
        {
            if (reader.GetInt32(0) == current) now++; else before++;
            _ = reader.GetInt32(1);
            _ = reader.GetInt32(2);
            _ = reader.GetString(3);
            _ = reader.IsDBNull(4) ? null : reader.GetString(4);
            _ = reader.IsDBNull(5) ? null : reader.GetString(5);
            _ = reader.IsDBNull(6) ? null : reader.GetString(6);
        }
        return (now, before);
    }

    private static readonly string[] Ratings = ["Met", "Partly met", "Not met"];

    private static byte[] Fill(byte[] template, int seed)
    {
        using var wb = new XLWorkbook(new MemoryStream(template));
        var ws = wb.Worksheet(SelfAssessmentWorkbookLayout.Sheet);
        var row = SelfAssessmentWorkbookLayout.FirstDataRow;
        for (; ws.Cell(row, 1).GetString() is { Length: > 0 } code && !code.StartsWith("Signed", StringComparison.Ordinal); row++)
        {
            ws.Cell(row, SelfAssessmentWorkbookLayout.RatingColumn).Value = Ratings[(seed + row) % 3 == 0 ? 1 : 0];
            ws.Cell(row, SelfAssessmentWorkbookLayout.EvidenceColumn).Value = $"Evidence for {code}: policy reviewed, training log, DSL supervision notes ({seed}).";
            ws.Cell(row, SelfAssessmentWorkbookLayout.ActionsColumn).Value = $"Action for {code}.";
        }
        ws.Cell(row + 1, 2).Value = "Head Teacher";
        ws.Cell(row + 2, 2).Value = "Headteacher";
        ws.Cell(row + 3, 2).Value = new DateTime(2025, 12, 1);
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    /// <summary>The floor's read: a bare XML read of the sheet's code, rating, evidence and actions, no checks at all.</summary>
    private static RawWorkbook RawRead(byte[] bytes)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        XmlReader Open(string path) => XmlReader.Create(zip.GetEntry(path)!.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
        var strings = new List<string>();
        if (zip.GetEntry("xl/sharedStrings.xml") is not null)
        {
            using var sst = Open("xl/sharedStrings.xml");
            sst.MoveToContent();
            while (!sst.EOF)
            {
                if (sst.NodeType == XmlNodeType.Element && sst.LocalName == "si")
                {
                    var si = (XElement)XNode.ReadFrom(sst);
                    strings.Add(string.Concat(si.Descendants(XName.Get("t", Main)).Select(t => t.Value)));
                }
                else
                {
                    sst.Read();
                }
            }
        }
        var result = new List<(string, string, string, string)>();
        var signOff = new Dictionary<string, string>();
        using var sheet = Open("xl/worksheets/sheet1.xml");
        var cells = new Dictionary<char, string>();
        var row = 0;
        while (sheet.Read())
        {
            if (sheet.NodeType == XmlNodeType.EndElement && sheet.LocalName == "row")
            {
                if (row >= SelfAssessmentWorkbookLayout.FirstDataRow && cells.TryGetValue('E', out var rating) && cells.TryGetValue('A', out var code))
                    result.Add((code, rating, cells.GetValueOrDefault('F', ""), cells.GetValueOrDefault('G', "")));
                else if (cells.TryGetValue('A', out var label) && label.StartsWith("Signed off by", StringComparison.Ordinal) | label.StartsWith("Role of", StringComparison.Ordinal) | label.StartsWith("Date signed", StringComparison.Ordinal)
                    && cells.TryGetValue('B', out var value))
                    signOff[label] = value;
                cells.Clear();
                continue;
            }
            if (sheet.NodeType != XmlNodeType.Element)
                continue;
            if (sheet.LocalName == "row")
            {
                row = int.TryParse(sheet.GetAttribute("r"), out var r) ? r : row + 1;
                continue;
            }
            if (sheet.LocalName != "c")
                continue;
            var reference = sheet.GetAttribute("r") ?? "";
            var type = sheet.GetAttribute("t");
            string? text = null;
            if (!sheet.IsEmptyElement)
            {
                var depth = sheet.Depth;
                sheet.Read();
                while (sheet.Depth > depth)
                {
                    if (sheet.NodeType == XmlNodeType.Element && sheet.LocalName is "v" or "t")
                        text = sheet.ReadElementContentAsString();
                    else
                        sheet.Read();
                }
            }
            if (type == "s" && int.TryParse(text, out var index))
                text = strings[index];
            if (reference.Length > 0 && text is not null)
                cells[reference[0]] = text;
        }
        return new RawWorkbook(result, signOff);
    }

    private sealed record RawWorkbook(List<(string Code, string Rating, string Evidence, string Actions)> Ratings, Dictionary<string, string> SignOff);

    /// <summary>The floor's write: in one committed transaction, a binary COPY of the workbook's ratings and, when the
    /// original file is given, of the submission (sign-off and file) and of one change-log row too.</summary>
    private static async Task CopyAsync(NpgsqlDataSource dataSource, int agencyId, RawWorkbook read, byte[]? file)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var writer = await conn.BeginBinaryImportAsync("copy bench_rating_floor (agency_id, code, rating, evidence, actions) from stdin (format binary)"))
        {
            foreach (var (code, rating, evidence, actions) in read.Ratings)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(agencyId, NpgsqlDbType.Integer);
                await writer.WriteAsync(code, NpgsqlDbType.Text);
                await writer.WriteAsync(rating, NpgsqlDbType.Text);
                await writer.WriteAsync(evidence, NpgsqlDbType.Text);
                await writer.WriteAsync(actions, NpgsqlDbType.Text);
            }
            await writer.CompleteAsync();
        }
        if (file is not null)
        {
            var fields = read.SignOff.Values.ToList();
            await using (var writer = await conn.BeginBinaryImportAsync("copy bench_submission_floor (agency_id, sign_off_name, sign_off_role, signed_off_on, file_name, file_bytes) from stdin (format binary)"))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(agencyId, NpgsqlDbType.Integer);
                await writer.WriteAsync(fields[0], NpgsqlDbType.Text);
                await writer.WriteAsync(fields[1], NpgsqlDbType.Text);
                await writer.WriteAsync(fields[2], NpgsqlDbType.Text);
                await writer.WriteAsync("bench.xlsx", NpgsqlDbType.Text);
                await writer.WriteAsync(file, NpgsqlDbType.Bytea);
                await writer.CompleteAsync();
            }
            await using (var writer = await conn.BeginBinaryImportAsync("copy bench_log_floor (agency_id, summary) from stdin (format binary)"))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(agencyId, NpgsqlDbType.Integer);
                await writer.WriteAsync($"{agencyId}: bench.xlsx imported", NpgsqlDbType.Text);
                await writer.CompleteAsync();
            }
        }
        await tx.CommitAsync();
    }
}
