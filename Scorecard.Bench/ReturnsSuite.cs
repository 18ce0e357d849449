using System.Diagnostics;
using ClosedXML.Excel;
using Dapper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Npgsql;
using NpgsqlTypes;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;

namespace Scorecard.Bench;

/// <summary>
/// Returns: (a) a typical return (the 33 demo measures) from upload bytes to commit; (b) a 10,000-row workbook's parse +
/// validate + commit against the floor of a streaming Open XML SDK read of the same file plus a binary COPY of the same rows.
/// </summary>
public static class ReturnsSuite
{
    private const int BulkRows = 10_000;

    public static async Task RunAsync(BenchContext context)
    {
        var cs = await context.CreateMigratedDatabaseAsync("returns");
        await using var dataSource = ScorecardDataSource.Create(cs);
        var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, DemoGenerator.Generate());
        var admin = await AdminAsync(dataSource, partnershipId);
        var imports = new ReturnImportService(dataSource, new ReturnUploadOptions());
        var templates = new ReturnTemplateService(dataSource);
        var periodId = await LatestPeriodAsync(dataSource, partnershipId);

        // (a) The council reports most demo measures; make it report all 33 so the return is a typical 30-60 rows.
        await using var lookup = await dataSource.OpenConnectionAsync();
        var councilId = await lookup.ExecuteScalarAsync<int>(
            "select id from agency where partnership_id = @partnershipId and name = 'Cheshire East Council'", new { partnershipId });
        await using (var conn = await dataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("""
                insert into measure_reporter (partnership_id, measure_id, agency_id)
                select partnership_id, id, @councilId from measure where partnership_id = @partnershipId
                on conflict do nothing
                """, new { partnershipId, councilId });
        var typicalTemplate = (await templates.BuildTemplateAsync(admin, councilId, periodId))!.Bytes;
        const int typicalRuns = 15, typicalWarmups = 3;
        var typicalFiles = Enumerable.Range(0, typicalRuns + typicalWarmups).Select(i => Fill(typicalTemplate, i)).ToArray();
        var rows = CountRows(typicalFiles[0]);
        var next = 0;
        var typical = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            var result = await imports.CommitAsync(admin, new ReturnUpload(councilId, periodId, "typical.xlsx", typicalFiles[next++]));
            Require(result);
        }, typicalRuns, typicalWarmups);
        Console.Error.WriteLine($"typical return: {rows} rows");
        BenchContext.Figure("returns_typical_rows", rows);
        BenchContext.Figure("returns_typical_upload_to_commit_ms", typical);

        // (b) 10,000 count measures reported by one bench agency.
        var bulkAgencyId = await CreateBulkAgencyAsync(dataSource, partnershipId);
        var sw = Stopwatch.StartNew();
        var bulkTemplate = (await templates.BuildTemplateAsync(admin, bulkAgencyId, periodId))!.Bytes;
        Console.Error.WriteLine($"10,000-row template generated in {sw.ElapsedMilliseconds} ms ({bulkTemplate.Length / 1024} KB)");
        const int bulkRuns = 5, bulkWarmups = 1;
        var bulkFiles = Enumerable.Range(0, bulkRuns + bulkWarmups).Select(i => Fill(bulkTemplate, i)).ToArray();
        next = 0;
        var bulk = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            var result = await imports.CommitAsync(admin, new ReturnUpload(bulkAgencyId, periodId, "bulk.xlsx", bulkFiles[next++]));
            Require(result);
        }, bulkRuns, bulkWarmups);

        var measureIds = await MeasureIdsAsync(dataSource, partnershipId, bulkAgencyId);
        var floorVersion = 1_000;
        // Two streaming reads compete for the floor and the faster one counts: the Open XML SDK's OpenXmlReader, and a
        // bare System.Xml reader over the zip entries with no checks at all (the fastest read this machine can do).
        // Both floor reads must see the same rows as the import, or the floor would be cheating.
        var expected = StreamingRead(bulkFiles[0]);
        var raw = RawXmlRead(bulkFiles[0]);
        if (expected.Count != BulkRows || !raw.SequenceEqual(expected))
        {
            var diff = raw.Zip(expected).FirstOrDefault(p => p.First != p.Second);
            throw new InvalidOperationException($"The two floor reads disagree about the workbook's rows: {raw.Count} and {expected.Count} rows, first difference {diff}.");
        }
        next = 0;
        var sdkFloor = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            var values = StreamingRead(bulkFiles[next++]);
            await CopyAsync(dataSource, partnershipId, bulkAgencyId, periodId, floorVersion++, values, measureIds);
        }, bulkRuns, bulkWarmups);
        next = 0;
        var rawFloor = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            var values = RawXmlRead(bulkFiles[next++]);
            await CopyAsync(dataSource, partnershipId, bulkAgencyId, periodId, floorVersion++, values, measureIds);
        }, bulkRuns, bulkWarmups);
        var floor = Math.Min(sdkFloor, rawFloor);

        BenchContext.Figure("returns_10k_parse_validate_commit_ms", bulk);
        BenchContext.Figure("returns_10k_floor_openxml_reader_plus_copy_ms", sdkFloor);
        BenchContext.Figure("returns_10k_floor_raw_xml_reader_plus_copy_ms", rawFloor);
        BenchContext.Figure("returns_10k_floor_stream_read_plus_copy_ms", floor);
        BenchContext.Figure("returns_10k_ratio_to_floor", bulk / floor);
    }

    private static void Require(ReturnImportResult result)
    {
        if (result.Status != ReturnImportStatus.Committed)
            throw new InvalidOperationException($"{result.Status}: {result.Message} {string.Join("; ", result.Errors.Take(3).Select(e => $"{e.Cell} {e.Message}"))}");
    }

    private static async Task<Actor> AdminAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (id, name) = await conn.QueryFirstAsync<(int, string)>(
            "select id, display_name from app_user where partnership_id = @partnershipId and role = 'admin' order by id", new { partnershipId });
        return new Actor(partnershipId, id, name, Role.Admin, null);
    }

    private static async Task<int> LatestPeriodAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(
            "select id from reporting_period where partnership_id = @partnershipId order by fiscal_year desc, quarter desc limit 1", new { partnershipId });
    }

    private static async Task<int> CreateBulkAgencyAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var agencyId = await conn.ExecuteScalarAsync<int>("""
            insert into agency (partnership_id, name, short_name, sector, partner_type)
            values (@partnershipId, 'Bench Bulk Agency', 'Bulk', 'other', 'relevant') returning id
            """, new { partnershipId });
        await conn.ExecuteAsync("""
            with m as (
                insert into measure (partnership_id, code, title, definition, unit, polarity, priority_id, owner_agency_id, decimal_places, sort_order)
                select @partnershipId, 'BULK' || lpad(n::text, 5, '0'), 'Bulk measure ' || n, 'A count reported by the bench agency.', 'count', 'neutral',
                       (select min(id) from priority where partnership_id = @partnershipId), @agencyId, 0, n
                from generate_series(1, @rows) as n
                returning partnership_id, id)
            insert into measure_reporter (partnership_id, measure_id, agency_id) select partnership_id, id, @agencyId from m
            """, new { partnershipId, agencyId, rows = BulkRows });
        return agencyId;
    }

    private static async Task<Dictionary<string, int>> MeasureIdsAsync(NpgsqlDataSource dataSource, int partnershipId, int agencyId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return (await conn.QueryAsync<(string Code, int Id)>("""
            select m.code, m.id from measure m join measure_reporter r on r.partnership_id = m.partnership_id and r.measure_id = m.id
            where m.partnership_id = @partnershipId and r.agency_id = @agencyId
            """, new { partnershipId, agencyId })).ToDictionary(r => r.Code, r => r.Id);
    }

    /// <summary>Fills a template's inputs (ratios as 45/100, typed values 7) with commentary on every row; run differs per file.</summary>
    private static byte[] Fill(byte[] template, int run)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        for (var row = ReturnTemplateLayout.FirstDataRow; !ws.Cell(row, ReturnTemplateLayout.CodeColumn).IsEmpty(); row++)
        {
            if (ws.Cell(row, ReturnTemplateLayout.ValueColumn).HasFormula)
            {
                ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 45;
                ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 100;
            }
            else
            {
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 7;
            }
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Value = $"Bench run {run}";
        }
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    private static int CountRows(byte[] workbookBytes)
    {
        using var workbook = new XLWorkbook(new MemoryStream(workbookBytes));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        var row = ReturnTemplateLayout.FirstDataRow;
        while (!ws.Cell(row, ReturnTemplateLayout.CodeColumn).IsEmpty())
            row++;
        return row - ReturnTemplateLayout.FirstDataRow;
    }

    /// <summary>The floor's read: the Open XML SDK's forward-only OpenXmlReader over the sheet, shared strings read once.</summary>
    private static List<(string Code, decimal Value, string Commentary)> StreamingRead(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbookPart = document.WorkbookPart!;
        var strings = new List<string>();
        if (workbookPart.SharedStringTablePart is { } sharedPart)
        {
            using var sst = DocumentFormat.OpenXml.OpenXmlReader.Create(sharedPart);
            while (sst.Read())
            {
                if (sst.ElementType == typeof(SharedStringItem) && sst.IsStartElement)
                    strings.Add(sst.LoadCurrentElement()!.InnerText);
            }
        }
        var sheet = workbookPart.Workbook.Descendants<Sheet>().First(s => s.Name == ReturnTemplateLayout.ReturnSheet);
        var worksheetPart = (WorksheetPart)workbookPart.GetPartById(sheet.Id!);
        var result = new List<(string, decimal, string)>(BulkRows);
        using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(worksheetPart);
        string? code = null, commentary = null;
        decimal? value = null;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row) && reader.IsEndElement)
            {
                if (code is not null && value is not null)
                    result.Add((code, value.Value, commentary ?? ""));
                (code, value, commentary) = (null, null, null);
            }
            if (reader.ElementType != typeof(Cell) || !reader.IsStartElement)
                continue;
            var cell = (Cell)reader.LoadCurrentElement()!;
            var reference = cell.CellReference?.Value ?? "";
            if (!int.TryParse(reference.AsSpan(1), out var rowNumber) || rowNumber < ReturnTemplateLayout.FirstDataRow)
                continue;
            var text = cell.CellValue?.Text;
            if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(text, out var index))
                text = strings[index];
            Assign(reference[0], text, ref code, ref value, ref commentary);
        }
        return result;
    }

    /// <summary>
    /// The other floor read: System.Xml's forward-only reader straight over the zip entries (workbook, its relationships,
    /// shared strings, the Return sheet), reading only what the floor needs and checking nothing.
    /// </summary>
    private static List<(string Code, decimal Value, string Commentary)> RawXmlRead(byte[] bytes)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes), System.IO.Compression.ZipArchiveMode.Read);
        System.Xml.XmlReader Open(string path) => System.Xml.XmlReader.Create(zip.GetEntry(path)!.Open(),
            new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, IgnoreWhitespace = true });
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

        string? relationId = null;
        using (var workbook = Open("xl/workbook.xml"))
            while (relationId is null && workbook.ReadToFollowing("sheet", Main))
                if (workbook.GetAttribute("name") == ReturnTemplateLayout.ReturnSheet)
                    relationId = workbook.GetAttribute("id", Relationships);
        string? target = null;
        using (var rels = Open("xl/_rels/workbook.xml.rels"))
            while (target is null && rels.ReadToFollowing("Relationship"))
                if (rels.GetAttribute("Id") == relationId)
                    target = rels.GetAttribute("Target");
        var sheetPath = target!.StartsWith('/') ? target[1..] : "xl/" + target;

        var strings = new List<string>();
        if (zip.GetEntry("xl/sharedStrings.xml") is not null)
        {
            using var sst = Open("xl/sharedStrings.xml");
            sst.MoveToContent();
            while (!sst.EOF)
            {
                // ReadFrom leaves the reader on the node after the item, which may be the next item.
                if (sst.NodeType == System.Xml.XmlNodeType.Element && sst.LocalName == "si")
                {
                    var si = (System.Xml.Linq.XElement)System.Xml.Linq.XNode.ReadFrom(sst);
                    strings.Add(string.Concat(si.Descendants(System.Xml.Linq.XName.Get("t", Main)).Select(t => t.Value)));
                }
                else
                {
                    sst.Read();
                }
            }
        }

        var result = new List<(string, decimal, string)>(BulkRows);
        using var sheet = Open(sheetPath);
        string? code = null, commentary = null;
        decimal? value = null;
        var inRow = false;
        while (sheet.Read())
        {
            if (sheet.NodeType == System.Xml.XmlNodeType.EndElement && sheet.LocalName == "row" && inRow)
            {
                if (code is not null && value is not null)
                    result.Add((code, value.Value, commentary ?? ""));
                (code, value, commentary, inRow) = (null, null, null, false);
                continue;
            }
            if (sheet.NodeType != System.Xml.XmlNodeType.Element)
                continue;
            if (sheet.LocalName == "row")
            {
                inRow = int.TryParse(sheet.GetAttribute("r"), out var r) && r >= ReturnTemplateLayout.FirstDataRow;
                continue;
            }
            if (!inRow || sheet.LocalName != "c")
                continue;
            var reference = sheet.GetAttribute("r") ?? "";
            var type = sheet.GetAttribute("t");
            string? text = null;
            if (!sheet.IsEmptyElement)
            {
                // Read the cell's children up to its end tag; ReadElementContentAsString moves past </v> by itself.
                var depth = sheet.Depth;
                sheet.Read();
                while (sheet.Depth > depth)
                {
                    if (sheet.NodeType == System.Xml.XmlNodeType.Element && sheet.LocalName == "v")
                        text = sheet.ReadElementContentAsString();
                    else
                        sheet.Read();
                }
            }
            if (type == "s" && int.TryParse(text, out var index))
                text = strings[index];
            Assign(reference[0], text, ref code, ref value, ref commentary);
        }
        return result;
    }

    /// <summary>Both floor reads keep the code (A), value (F) and commentary (G) of each row.</summary>
    private static void Assign(char column, string? text, ref string? code, ref decimal? value, ref string? commentary)
    {
        switch (column)
        {
            case 'A': code = text; break;
            case 'F': value = decimal.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null; break;
            case 'G': commentary = text; break;
        }
    }

    /// <summary>The floor's write: one return row and a binary COPY of its values, committed.</summary>
    private static async Task CopyAsync(NpgsqlDataSource dataSource, int partnershipId, int agencyId, int periodId, int version,
        List<(string Code, decimal Value, string Commentary)> values, Dictionary<string, int> measureIds)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var returnId = await conn.ExecuteScalarAsync<long>("""
            insert into data_return (partnership_id, agency_id, period_id, version, status, source, value_count)
            values (@partnershipId, @agencyId, @periodId, @version, 'superseded', 'upload', @count) returning id
            """, new { partnershipId, agencyId, periodId, version, count = values.Count }, tx);
        await using (var writer = await conn.BeginBinaryImportAsync(
            "copy measure_value (partnership_id, return_id, measure_id, value, commentary) from stdin (format binary)"))
        {
            foreach (var (code, value, commentary) in values)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(partnershipId, NpgsqlDbType.Integer);
                await writer.WriteAsync(returnId, NpgsqlDbType.Bigint);
                await writer.WriteAsync(measureIds[code], NpgsqlDbType.Integer);
                await writer.WriteAsync(value, NpgsqlDbType.Numeric);
                await writer.WriteAsync(commentary, NpgsqlDbType.Text);
            }
            await writer.CompleteAsync();
        }
        await tx.CommitAsync();
    }
}
