using System.Globalization;
using System.Text;
using System.Xml;

namespace Scorecard.Data.Returns;

internal enum CellKind { Empty, Number, Text, Boolean, Error, FormulaWithoutValue }

/// <summary>One cell's value as Excel saved it: formulas are represented by their cached result only.</summary>
internal readonly record struct CellValue(string Address, CellKind Kind, string? Text, decimal? Number)
{
    public bool IsEmpty => Kind == CellKind.Empty || (Kind == CellKind.Text && string.IsNullOrWhiteSpace(Text));
}

/// <summary>A data row of the return sheet: the cells the upload reads.</summary>
internal sealed record ReturnSheetRow(int RowNumber, CellValue Code, CellValue Numerator, CellValue Denominator, CellValue Value, CellValue Commentary);

/// <summary>What the reader found: the template details (null when the workbook has none) and the data rows.</summary>
internal sealed record ReturnWorkbook(IReadOnlyDictionary<string, CellValue>? Details, IReadOnlyList<ReturnSheetRow> Rows);

/// <summary>
/// Reads a return workbook with forward-only XML readers over the sheet parts (shared strings read once), so a
/// 10,000-row return costs one pass and no object model. Reads values, never formulas: a formula's cached value is
/// used, and a formula without one is reported as such (ECMA-376 Part 1, 18.3.1.4 c, 18.3.1.96 v).
/// </summary>
internal static class ReturnWorkbookReader
{
    private const string RelationshipNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static ReturnWorkbook Read(XlsxPackage package, ReturnUploadOptions options)
    {
        var workbookDir = package.WorkbookPart.Contains('/') ? package.WorkbookPart[..(package.WorkbookPart.LastIndexOf('/') + 1)] : "";
        var relsPart = $"{workbookDir}_rels/{Path.GetFileName(package.WorkbookPart)}.rels";
        var sheets = package.Read(package.WorkbookPart, ReadSheets);
        var rels = package.Read(relsPart, ReadRelationships);

        string Resolve(string target) => target.StartsWith('/') ? target.TrimStart('/') : NormalisePath(workbookDir + target);

        var sharedStringsTarget = rels.Values.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
        var sharedStrings = sharedStringsTarget is not null && package.Exists(Resolve(sharedStringsTarget))
            ? package.Read(Resolve(sharedStringsTarget), r => ReadSharedStrings(r, options))
            : [];

        string? PartOf(string sheetName) =>
            sheets.FirstOrDefault(s => string.Equals(s.Name, sheetName, StringComparison.OrdinalIgnoreCase)) is { RelId: { } id }
            && rels.TryGetValue(id, out var rel) ? Resolve(rel.Target) : null;

        var returnPart = PartOf(ReturnTemplateLayout.ReturnSheet)
            ?? throw new UploadRefusedException($"The workbook has no sheet called \"{ReturnTemplateLayout.ReturnSheet}\", so it is not a Scorecard return template. " +
                "Download the return template from Scorecard, fill it in and upload that.");
        var detailsPart = PartOf(ReturnTemplateLayout.DetailsSheet);
        var details = detailsPart is null ? null : package.Read(detailsPart, r => ReadDetails(r, sharedStrings, options));
        var rows = package.Read(returnPart, r => ReadReturnRows(r, sharedStrings, options));
        return new ReturnWorkbook(details, rows);
    }

    private static string NormalisePath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static List<(string Name, string? RelId)> ReadSheets(XmlReader reader)
    {
        var sheets = new List<(string, string?)>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
                sheets.Add((reader.GetAttribute("name") ?? "", reader.GetAttribute("id", RelationshipNs)));
        }
        return sheets;
    }

    private static Dictionary<string, (string Type, string Target)> ReadRelationships(XmlReader reader)
    {
        var rels = new Dictionary<string, (string, string)>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                rels[id] = (reader.GetAttribute("Type") ?? "", target);
        }
        return rels;
    }

    private static List<string> ReadSharedStrings(XmlReader reader, ReturnUploadOptions options)
    {
        var strings = new List<string>();
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            if (reader.LocalName == "si")
            {
                if (strings.Count >= options.MaxRows * 10)
                    throw new UploadRefusedException("The workbook holds far more text than a return can. Download a fresh template and upload that.");
                strings.Add(ReadText(reader, text));
            }
        }
        return strings;
    }

    /// <summary>Reads the text of an &lt;si&gt; or &lt;is&gt; element: its &lt;t&gt; runs, without phonetic (&lt;rPh&gt;) runs.</summary>
    private static string ReadText(XmlReader reader, StringBuilder text)
    {
        text.Clear();
        if (reader.IsEmptyElement)
            return "";
        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (reader.LocalName == "t")
                {
                    text.Append(reader.ReadElementContentAsString());
                    continue;
                }
                if (reader.LocalName == "rPh")
                {
                    reader.Skip();
                    continue;
                }
            }
            reader.Read();
        }
        return text.ToString();
    }

    private static Dictionary<string, CellValue> ReadDetails(XmlReader reader, List<string> sharedStrings, ReturnUploadOptions options)
    {
        var cells = new Dictionary<int, (CellValue Key, CellValue Value)>();
        ReadCells(reader, sharedStrings, options, firstRow: 1, (row, column, cell) =>
        {
            var entry = cells.GetValueOrDefault(row);
            cells[row] = column == 1 ? entry with { Key = cell } : column == 2 ? entry with { Value = cell } : entry;
        });
        return cells.Values.Where(c => c.Key.Kind == CellKind.Text)
            .GroupBy(c => c.Key.Text!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
    }

    private static List<ReturnSheetRow> ReadReturnRows(XmlReader reader, List<string> sharedStrings, ReturnUploadOptions options)
    {
        var rows = new SortedDictionary<int, CellValue[]>();
        ReadCells(reader, sharedStrings, options, ReturnTemplateLayout.FirstDataRow, (row, column, cell) =>
        {
            if (column > ReturnTemplateLayout.CommentaryColumn || column == ReturnTemplateLayout.TitleColumn || column == ReturnTemplateLayout.UnitColumn)
                return;
            if (!rows.TryGetValue(row, out var cells))
                rows[row] = cells = new CellValue[ReturnTemplateLayout.CommentaryColumn + 1];
            cells[column] = cell;
        });
        var result = new List<ReturnSheetRow>(rows.Count);
        foreach (var (row, cells) in rows)
        {
            CellValue At(int column) => cells[column].Address is null
                ? new CellValue($"{ReturnTemplateLayout.ColumnLetter(column)}{row}", CellKind.Empty, null, null)
                : cells[column];
            var r = new ReturnSheetRow(row, At(ReturnTemplateLayout.CodeColumn), At(ReturnTemplateLayout.NumeratorColumn),
                At(ReturnTemplateLayout.DenominatorColumn), At(ReturnTemplateLayout.ValueColumn), At(ReturnTemplateLayout.CommentaryColumn));
            if (!(r.Code.IsEmpty && r.Numerator.IsEmpty && r.Denominator.IsEmpty && r.Value.IsEmpty && r.Commentary.IsEmpty))
                result.Add(r);
        }
        return result;
    }

    /// <summary>Streams a worksheet's &lt;sheetData&gt;, handing each non-empty cell at or below <paramref name="firstRow"/> to <paramref name="onCell"/>.</summary>
    private static void ReadCells(XmlReader reader, List<string> sharedStrings, ReturnUploadOptions options, int firstRow, Action<int, int, CellValue> onCell)
    {
        var rowNumber = 0;
        var rowCount = 0;
        var column = 0;
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            switch (reader.LocalName)
            {
                case "dimension":
                    if (reader.GetAttribute("ref") is { } dimension && LastRowOf(dimension) is var last && last > options.MaxRows)
                        throw new UploadRefusedException(
                            $"The sheet says it uses {last:N0} rows; a return has at most {options.MaxRows:N0}. " +
                            "Delete the empty rows below your figures (or download a fresh template), save and upload again.");
                    break;
                case "row":
                    rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                    column = 0;
                    if (++rowCount > options.MaxRows || rowNumber > options.MaxRows)
                        throw new UploadRefusedException(
                            $"The sheet has more than {options.MaxRows:N0} rows, more than any return. Delete the rows below your figures (or download a fresh template), save and upload again.");
                    break;
                case "c":
                    var reference = reader.GetAttribute("r");
                    var (cellColumn, cellRow) = reference is null ? (column + 1, rowNumber) : ParseReference(reference, rowNumber);
                    column = cellColumn;
                    if (cellRow < firstRow)
                    {
                        reader.Skip();
                        continue;
                    }
                    var cell = ReadCell(reader, reference ?? $"{ReturnTemplateLayout.ColumnLetter(cellColumn)}{cellRow}", sharedStrings, text);
                    if (cell.Kind != CellKind.Empty)
                        onCell(cellRow, cellColumn, cell);
                    break;
            }
        }
    }

    private static int LastRowOf(string dimension)
    {
        var last = dimension.Contains(':') ? dimension[(dimension.IndexOf(':') + 1)..] : dimension;
        var digits = new string(last.Where(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : 0;
    }

    private static (int Column, int Row) ParseReference(string reference, int fallbackRow)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
            column = column * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        var row = int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : fallbackRow;
        return (column, row);
    }

    private static CellValue ReadCell(XmlReader reader, string address, List<string> sharedStrings, StringBuilder text)
    {
        var type = reader.GetAttribute("t");
        if (reader.IsEmptyElement)
            return new CellValue(address, CellKind.Empty, null, null);
        string? v = null;
        string? inline = null;
        var hasFormula = false;
        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "f":
                        hasFormula = true;
                        reader.Skip();
                        continue;
                    case "v":
                        v = reader.ReadElementContentAsString();
                        continue;
                    case "is":
                        inline = ReadText(reader, text);
                        reader.Read();
                        continue;
                }
            }
            reader.Read();
        }

        if (type == "inlineStr")
            return new CellValue(address, inline is null ? CellKind.Empty : CellKind.Text, inline, null);
        if (v is null)
            return new CellValue(address, hasFormula ? CellKind.FormulaWithoutValue : CellKind.Empty, null, null);
        switch (type)
        {
            case "s":
                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sharedStrings.Count
                    ? new CellValue(address, CellKind.Text, sharedStrings[index], null)
                    : new CellValue(address, CellKind.Error, "a missing shared string", null);
            case "str":
                return new CellValue(address, v.Length == 0 ? CellKind.Empty : CellKind.Text, v, null);
            case "b":
                return new CellValue(address, CellKind.Boolean, v == "1" ? "TRUE" : "FALSE", null);
            case "e":
                return new CellValue(address, CellKind.Error, v, null);
            default:
                return decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? new CellValue(address, CellKind.Number, v, number)
                    : new CellValue(address, CellKind.Text, v, null);
        }
    }
}
