using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>Builds the files the return tests upload: real templates filled with ClosedXML, and a corpus of bad files.</summary>
public static class ReturnFiles
{
    public const int FirstRow = ReturnTemplateLayout.FirstDataRow;

    /// <summary>The police agency, the latest quarter, and the actors the tests use.</summary>
    public sealed record Setup(int PoliceId, int SchoolId, int PeriodId, int PreviousPeriodId, Actor Police, Actor School, Actor Admin);

    public static async Task<Setup> SetupAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var periods = (await conn.QueryAsync<int>("select id from reporting_period order by fiscal_year desc, quarter desc limit 2")).ToList();
        var police = await Actors.ForAsync(dataSource, Actors.PoliceEmail);
        var school = await Actors.ForAsync(dataSource, Actors.SchoolEmail);
        return new Setup(police.AgencyId!.Value, school.AgencyId!.Value, periods[0], periods[1], police, school,
            await Actors.ForAsync(dataSource, Actors.AdminEmail));
    }

    /// <summary>A zip whose one sheet declares 80 MB of zeros: every template kind's upload must refuse it before inflating it.</summary>
    public static byte[] ZipBomb()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("[Content_Types].xml").Open())
                s.Write(Encoding.UTF8.GetBytes("<Types/>"));
            using var big = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 80; i++)
                big.Write(zeros);
        }
        return ms.ToArray();
    }

    public static async Task<byte[]> TemplateAsync(NpgsqlDataSource dataSource, Actor actor, int agencyId, int periodId) =>
        (await new ReturnTemplateService(dataSource).BuildTemplateAsync(actor, agencyId, periodId))!.Bytes;

    /// <summary>
    /// Fills every input of a template as a person would in Excel: ratios from last quarter's value (numerator over a
    /// denominator of 100,000), typed values equal to last quarter's, and a line of commentary on every row so that no
    /// warning blocks the commit. Then applies <paramref name="edit"/> to the Return sheet.
    /// </summary>
    public static byte[] Fill(byte[] template, Action<IXLWorksheet>? edit = null, bool commentary = true)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        foreach (var row in DataRows(ws))
        {
            var previous = ws.Cell(row, ReturnTemplateLayout.PreviousColumn).IsEmpty() ? 10m : ws.Cell(row, ReturnTemplateLayout.PreviousColumn).GetValue<decimal>();
            if (IsRatio(ws, row))
            {
                var scale = ws.Cell(row, ReturnTemplateLayout.UnitColumn).GetString() == "%" ? 100m : 10_000m;
                ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = Math.Round(previous * 100_000m / scale);
                ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 100_000;
            }
            else
            {
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = ws.Cell(row, ReturnTemplateLayout.UnitColumn).GetString() == "Count" ? Math.Round(previous) : previous;
            }
            if (commentary)
                ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Value = $"Checked by the test for {ws.Cell(row, 1).GetString()}.";
        }
        edit?.Invoke(ws);
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    public static IEnumerable<int> DataRows(IXLWorksheet ws)
    {
        for (var row = FirstRow; !ws.Cell(row, ReturnTemplateLayout.CodeColumn).IsEmpty(); row++)
            yield return row;
    }

    public static bool IsRatio(IXLWorksheet ws, int row) => ws.Cell(row, ReturnTemplateLayout.ValueColumn).HasFormula;

    public static int FirstRatioRow(IXLWorksheet ws) => DataRows(ws).First(r => IsRatio(ws, r));

    public static int FirstCountRow(IXLWorksheet ws) => DataRows(ws).First(r => ws.Cell(r, ReturnTemplateLayout.UnitColumn).GetString() == "Count");

    public static string CodeAt(byte[] workbook, Func<IXLWorksheet, int> row)
    {
        using var wb = new XLWorkbook(new MemoryStream(workbook));
        var ws = wb.Worksheet(ReturnTemplateLayout.ReturnSheet);
        return ws.Cell(row(ws), ReturnTemplateLayout.CodeColumn).GetString();
    }

    /// <summary>Edits the template details on the very hidden sheet (as someone tampering with the file might).</summary>
    public static byte[] EditDetails(byte[] workbookBytes, string key, int value)
    {
        using var workbook = new XLWorkbook(new MemoryStream(workbookBytes));
        var ws = workbook.Worksheet(ReturnTemplateLayout.DetailsSheet);
        var row = ReturnTemplateLayout.DetailKeys.ToList().IndexOf(key) + 1;
        ws.Cell(row, 2).Value = value;
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    /// <summary>Replaces one part of a zip package with new text, leaving the rest byte for byte.</summary>
    public static byte[] ReplacePart(byte[] package, string partName, Func<string, string> change)
    {
        using var stream = new MemoryStream();
        stream.Write(package);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(partName) ?? throw new InvalidOperationException($"no {partName}");
            string text;
            using (var reader = new StreamReader(entry.Open()))
                text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(partName).Open(), new UTF8Encoding(false));
            writer.Write(change(text));
        }
        return stream.ToArray();
    }

    public static string SheetPart(byte[] package, string sheetName)
    {
        using var zip = new ZipArchive(new MemoryStream(package));
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        var workbook = Read("xl/workbook.xml");
        var relId = System.Text.RegularExpressions.Regex.Match(workbook, $"<x:sheet name=\"{sheetName}\"[^>]*r:id=\"([^\"]+)\"|<sheet name=\"{sheetName}\"[^>]*r:id=\"([^\"]+)\"");
        var id = relId.Groups[1].Success ? relId.Groups[1].Value : relId.Groups[2].Value;
        var rels = Read("xl/_rels/workbook.xml.rels");
        var target = System.Text.RegularExpressions.Regex.Match(rels, $"Id=\"{id}\"[^>]*Target=\"([^\"]+)\"|Target=\"([^\"]+)\"[^>]*Id=\"{id}\"");
        var path = target.Groups[1].Success ? target.Groups[1].Value : target.Groups[2].Value;
        return path.StartsWith('/') ? path.TrimStart('/') : "xl/" + path;
    }

    /// <summary>Replaces what a cell of a sheet part holds (its formula and value elements) with raw XML, keeping its attributes but its type.</summary>
    public static byte[] SetCellXml(byte[] package, string sheetName, string address, Func<string, string> inner)
    {
        var part = SheetPart(package, sheetName);
        return ReplacePart(package, part, xml =>
        {
            var pattern = new System.Text.RegularExpressions.Regex($"<(x:)?c r=\"{address}\"([^>]*?)(/>|>(.*?)</(x:)?c>)");
            var match = pattern.Match(xml);
            if (!match.Success)
                throw new InvalidOperationException($"no cell {address} in {part}");
            var prefix = match.Groups[1].Value;
            var attributes = System.Text.RegularExpressions.Regex.Replace(match.Groups[2].Value, " t=\"[^\"]*\"", "");
            return xml[..match.Index] + $"<{prefix}c r=\"{address}\"{attributes}>{inner(prefix)}</{prefix}c>" + xml[(match.Index + match.Length)..];
        });
    }

    /// <summary>Adds one zip entry with the given name and text, leaving the rest byte for byte (duplicates and odd names included).</summary>
    public static byte[] AddEntry(byte[] package, string name, string text)
    {
        using var stream = new MemoryStream();
        stream.Write(package);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Rebuilds a package entry by entry as a plain (stored, uncompressed) zip written by hand, giving the entry named
    /// <paramref name="target"/> the extra field <paramref name="extra"/> in both its local header and the central directory.
    /// </summary>
    public static byte[] WithExtraField(byte[] package, string target, byte[] extra)
    {
        var parts = new List<(byte[] Name, byte[] Data)>();
        using (var zip = new ZipArchive(new MemoryStream(package)))
        {
            foreach (var entry in zip.Entries)
            {
                using var data = new MemoryStream();
                using (var s = entry.Open())
                    s.CopyTo(data);
                parts.Add((Encoding.UTF8.GetBytes(entry.FullName), data.ToArray()));
            }
        }
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        var offsets = new List<uint>();
        foreach (var (name, data) in parts)
        {
            offsets.Add((uint)output.Position);
            var field = Encoding.UTF8.GetString(name) == target ? extra : [];
            writer.Write(0x04034B50u); writer.Write((ushort)20); writer.Write((ushort)0x0800); writer.Write((ushort)0);
            writer.Write(0u); writer.Write(Crc32(data)); writer.Write((uint)data.Length); writer.Write((uint)data.Length);
            writer.Write((ushort)name.Length); writer.Write((ushort)field.Length); writer.Write(name); writer.Write(field); writer.Write(data);
        }
        var directory = (uint)output.Position;
        for (var i = 0; i < parts.Count; i++)
        {
            var (name, data) = parts[i];
            var field = Encoding.UTF8.GetString(name) == target ? extra : [];
            writer.Write(0x02014B50u); writer.Write((ushort)20); writer.Write((ushort)20); writer.Write((ushort)0x0800); writer.Write((ushort)0);
            writer.Write(0u); writer.Write(Crc32(data)); writer.Write((uint)data.Length); writer.Write((uint)data.Length);
            writer.Write((ushort)name.Length); writer.Write((ushort)field.Length); writer.Write((ushort)0); writer.Write((ushort)0);
            writer.Write((ushort)0); writer.Write(0u); writer.Write(offsets[i]); writer.Write(name); writer.Write(field);
        }
        var size = (uint)output.Position - directory;
        writer.Write(0x06054B50u); writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)parts.Count); writer.Write((ushort)parts.Count);
        writer.Write(size); writer.Write(directory); writer.Write((ushort)0);
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>An Info-ZIP Unicode Path extra field (0x7075) naming <paramref name="name"/> (APPNOTE.TXT 4.6.9).</summary>
    public static byte[] UnicodePathField(string name, string replacedName)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        var body = new List<byte> { 1 };
        body.AddRange(BitConverter.GetBytes(Crc32(Encoding.UTF8.GetBytes(replacedName))));
        body.AddRange(utf8);
        return [.. BitConverter.GetBytes((ushort)0x7075), .. BitConverter.GetBytes((ushort)body.Count), .. body];
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    // ------------------------------------------------------------------ the bad-file corpus

    /// <summary>A zip whose one entry inflates to <paramref name="megabytes"/> MB of zeros (a zip bomb).</summary>
    public static byte[] ZipBomb(int megabytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var block = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++)
                entry.Write(block);
        }
        return stream.ToArray();
    }

    /// <summary>A template whose central directory and local header understate an entry's size (a lying zip header).</summary>
    public static byte[] LyingSizes(byte[] template, string partName)
    {
        var bytes = (byte[])template.Clone();
        var name = Encoding.UTF8.GetBytes(partName);
        for (var i = 0; i < bytes.Length - 46; i++)
        {
            var central = BitConverter.ToUInt32(bytes, i) == 0x02014B50 && bytes.AsSpan(i + 46, Math.Min(name.Length, bytes.Length - i - 46)).SequenceEqual(name);
            var local = BitConverter.ToUInt32(bytes, i) == 0x04034B50 && bytes.AsSpan(i + 30, Math.Min(name.Length, bytes.Length - i - 30)).SequenceEqual(name);
            if (central)
                BitConverter.GetBytes(100u).CopyTo(bytes, i + 24);
            if (local)
                BitConverter.GetBytes(100u).CopyTo(bytes, i + 22);
        }
        return bytes;
    }

    public static byte[] RenamedExe()
    {
        var bytes = new byte[4096];
        "MZ"u8.CopyTo(bytes);
        new Random(7).NextBytes(bytes.AsSpan(2));
        return bytes;
    }

    /// <summary>An OLE compound file header (as a legacy .xls or an encrypted .xlsx starts), with the given stream names in its directory.</summary>
    public static byte[] CompoundFile(params string[] streamNames)
    {
        var bytes = new byte[1536];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        var offset = 512;
        foreach (var name in new[] { "Root Entry" }.Concat(streamNames))
        {
            Encoding.Unicode.GetBytes(name).CopyTo(bytes, offset);
            offset += 128;
        }
        return bytes;
    }

    public static byte[] Csv() => Encoding.UTF8.GetBytes("Code,Value,Commentary\nPOL-ARRESTS,12,\nPOL-MISSING,40,fine\n");
}
