using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Scorecard.Data.Returns;

internal enum CellKind { Empty, Number, Text, Boolean, Error, FormulaWithoutValue }

/// <summary>
/// One cell's value as Excel saved it: formulas are represented by their cached result, with the formula's text beside it.
/// Text is kept only up to the reader's limit: <see cref="TextLength"/> is the length the sender wrote.
/// A <see cref="CellKind.Number"/> without <see cref="Number"/> is a number too large for any figure (beyond ±7.9 × 10²⁸).
/// </summary>
internal readonly record struct CellValue(string Address, CellKind Kind, string? Text, decimal? Number)
{
    /// <summary>How many characters the cell's text really has (its <see cref="Text"/> may be cut at the limit).</summary>
    public long TextLength { get; init; }

    /// <summary>The cell's formula (cut at the limit), or null when it has none.</summary>
    public string? Formula { get; init; }

    /// <summary>The cell's style shows it as a date or time (a number typed as a date is its serial number).</summary>
    public bool IsDate { get; init; }

    public bool Truncated => Text is not null && TextLength > Text.Length;

    public bool IsEmpty => Kind == CellKind.Empty || (Kind == CellKind.Text && string.IsNullOrWhiteSpace(Text) && !Truncated);
}

/// <summary>A data row of the return sheet: the cells the upload reads.</summary>
internal sealed record ReturnSheetRow(int RowNumber, CellValue Code, CellValue Numerator, CellValue Denominator, CellValue Value, CellValue Commentary);

/// <summary>
/// What the reader found: the template details (null when the workbook has none), the data rows, and problems found
/// while reading (formulas where the template has none), the first <see cref="ReturnUploadOptions.MaxErrors"/> of <see cref="IssueCount"/>.
/// </summary>
internal sealed record ReturnWorkbook(IReadOnlyDictionary<string, CellValue>? Details, IReadOnlyList<ReturnSheetRow> Rows,
    IReadOnlyList<ReturnIssue> Issues, int IssueCount);

/// <summary>A workbook read as a grid: its details sheet (null when none), the non-empty cells of one sheet by (row, column),
/// and the problems found while reading.</summary>
internal sealed record WorkbookGrid(IReadOnlyDictionary<string, CellValue>? Details, IReadOnlyDictionary<(int Row, int Column), CellValue> Cells,
    IReadOnlyList<ReturnIssue> Issues, int IssueCount);

/// <summary>A cell the reader cannot place (a reference past Excel's last cell): the file is damaged, and this says where.</summary>
internal sealed class WorkbookCellException(string sheet, string cell, string message) : Exception(message)
{
    public ReturnIssue Issue { get; } = new(sheet, cell, "", message);
}

/// <summary>
/// Reads a return workbook with forward-only XML readers over the sheet parts (shared strings read once), so a
/// 10,000-row return costs one pass and no object model. Reads values, never runs formulas: a formula's cached value is
/// used, and a formula without one is reported as such (ECMA-376 Part 1, 18.3.1.4 c, 18.3.1.96 v). Every piece of text
/// is read in chunks and kept only up to its limit (one more character than the longest text accepted), and the
/// workbook's kept text has one budget, so memory follows the rows kept, not the characters sent.
/// </summary>
internal static partial class ReturnWorkbookReader
{
    private const string RelationshipNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Excel's last column (XFD) and row (ECMA-376 Part 1, 18.3.1.4: A1 to XFD1048576).</summary>
    public const int MaxColumn = 16_384;
    public const int MaxRow = 1_048_576;

    /// <summary>The most characters kept of a cell's saved value or formula (a number needs a few dozen).</summary>
    private const int ValueKeep = 1_024;

    /// <summary>The most cell formats a workbook may define (Excel's own limit is 64,000).</summary>
    private const int MaxCellFormats = 65_536;

    private const string DamagedAdvice = "Download a fresh template, copy your figures in and upload that.";

    public static ReturnWorkbook Read(XlsxPackage package, ReturnUploadOptions options)
    {
        var workbookDir = package.WorkbookPart.Contains('/') ? package.WorkbookPart[..(package.WorkbookPart.LastIndexOf('/') + 1)] : "";
        var relsPart = $"{workbookDir}_rels/{Path.GetFileName(package.WorkbookPart)}.rels";
        var sheets = package.Read(package.WorkbookPart, ReadSheets);
        var rels = package.Read(relsPart, ReadRelationships);
        var state = new ReadState(options);

        string Resolve(string target) => target.StartsWith('/') ? target.TrimStart('/') : NormalisePath(workbookDir + target);
        string? PartOfType(string type) => rels.Values.FirstOrDefault(r => r.Type.EndsWith(type, StringComparison.Ordinal)).Target is { } t
            && package.Exists(Resolve(t)) ? Resolve(t) : null;

        if (PartOfType("/sharedStrings") is { } sharedStringsPart)
            package.Read(sharedStringsPart, r => ReadSharedStrings(r, state));
        if (PartOfType("/styles") is { } stylesPart)
            package.Read(stylesPart, r => ReadStyles(r, state));

        string? PartOf(string sheetName) =>
            sheets.FirstOrDefault(s => string.Equals(s.Name, sheetName, StringComparison.OrdinalIgnoreCase)) is { RelId: { } id }
            && rels.TryGetValue(id, out var rel) ? Resolve(rel.Target) : null;

        var returnPart = PartOf(ReturnTemplateLayout.ReturnSheet)
            ?? throw new UploadRefusedException($"The workbook has no sheet called \"{ReturnTemplateLayout.ReturnSheet}\", so it is not a Scorecard return template. " +
                "Download the return template from Scorecard, fill it in and upload that.");
        var detailsPart = PartOf(ReturnTemplateLayout.DetailsSheet);
        var details = detailsPart is null ? null : package.Read(detailsPart, r => ReadDetails(r, state));
        var rows = package.Read(returnPart, r => ReadReturnRows(r, state));

        // The template's other sheets (Instructions) have no formulas either; a formula there would be stored and served back.
        foreach (var (name, relId) in sheets)
        {
            if (relId is null || !rels.TryGetValue(relId, out var rel) || !rel.Type.EndsWith("/worksheet", StringComparison.Ordinal))
                continue;
            var part = Resolve(rel.Target);
            if (part == returnPart || part == detailsPart || !package.Exists(part))
                continue;
            if (package.Read(part, FirstFormula) is { } address)
                state.Issue(new ReturnIssue(SenderText.Excerpt(name), address, "", FormulaMessage(address)));
        }
        return new ReturnWorkbook(details, rows, state.Issues, state.IssueCount);
    }

    /// <summary>
    /// Reads another kind of Scorecard workbook through the same safe path (the self-assessment workbook, issue 11 §3): the
    /// details sheet (as for a return) and every non-empty cell of <paramref name="sheetName"/> by (row, column). No sheet
    /// of such a workbook needs a formula, so a formula anywhere is an issue. Throws <see cref="UploadRefusedException"/>
    /// when the sheet is missing, with <paramref name="whatItIs"/> naming the template to download instead.
    /// </summary>
    public static WorkbookGrid ReadGrid(XlsxPackage package, string sheetName, string whatItIs, ReturnUploadOptions options)
    {
        var workbookDir = package.WorkbookPart.Contains('/') ? package.WorkbookPart[..(package.WorkbookPart.LastIndexOf('/') + 1)] : "";
        var relsPart = $"{workbookDir}_rels/{Path.GetFileName(package.WorkbookPart)}.rels";
        var sheets = package.Read(package.WorkbookPart, ReadSheets);
        var rels = package.Read(relsPart, ReadRelationships);
        var state = new ReadState(options);

        string Resolve(string target) => target.StartsWith('/') ? target.TrimStart('/') : NormalisePath(workbookDir + target);
        string? PartOfType(string type) => rels.Values.FirstOrDefault(r => r.Type.EndsWith(type, StringComparison.Ordinal)).Target is { } t
            && package.Exists(Resolve(t)) ? Resolve(t) : null;
        if (PartOfType("/sharedStrings") is { } sharedStringsPart)
            package.Read(sharedStringsPart, r => ReadSharedStrings(r, state));
        if (PartOfType("/styles") is { } stylesPart)
            package.Read(stylesPart, r => ReadStyles(r, state));
        string? PartOf(string name) =>
            sheets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { RelId: { } id }
            && rels.TryGetValue(id, out var rel) ? Resolve(rel.Target) : null;

        var gridPart = PartOf(sheetName)
            ?? throw new UploadRefusedException($"The workbook has no sheet called \"{sheetName}\", so it is not {whatItIs}. Download it from Scorecard, fill it in and upload that.");
        var detailsPart = PartOf(ReturnTemplateLayout.DetailsSheet);
        var details = detailsPart is null ? null : package.Read(detailsPart, r => ReadDetails(r, state));
        var cells = package.Read(gridPart, r =>
        {
            var found = new Dictionary<(int Row, int Column), CellValue>();
            ReadCells(r, sheetName, state, (row, column, cell) =>
            {
                if (cell.Formula is not null)
                    state.Issue(new ReturnIssue(sheetName, cell.Address, "", FormulaMessage(cell.Address)));
                if (cell.Kind != CellKind.Empty)
                    found[(row, column)] = cell;
            });
            return found;
        });
        foreach (var (name, relId) in sheets)
        {
            if (relId is null || !rels.TryGetValue(relId, out var rel) || !rel.Type.EndsWith("/worksheet", StringComparison.Ordinal))
                continue;
            var part = Resolve(rel.Target);
            if (part == gridPart || part == detailsPart || !package.Exists(part))
                continue;
            if (package.Read(part, FirstFormula) is { } address)
                state.Issue(new ReturnIssue(SenderText.Excerpt(name), address, "", FormulaMessage(address)));
        }
        return new WorkbookGrid(details, cells, state.Issues, state.IssueCount);
    }

    /// <summary>
    /// The cells of a workbook's first worksheet, read with the same limits and checks as a return (rows, text budget, no
    /// formulas), for other uploads that take the same safe path (issue 12: voice results workbooks).
    /// </summary>
    public static IReadOnlyList<(int Row, int Column, CellValue Cell)> ReadFirstSheet(XlsxPackage package, ReturnUploadOptions options)
    {
        var workbookDir = package.WorkbookPart.Contains('/') ? package.WorkbookPart[..(package.WorkbookPart.LastIndexOf('/') + 1)] : "";
        var rels = package.Read($"{workbookDir}_rels/{Path.GetFileName(package.WorkbookPart)}.rels", ReadRelationships);
        var sheets = package.Read(package.WorkbookPart, ReadSheets);
        var state = new ReadState(options);
        string Resolve(string target) => target.StartsWith('/') ? target.TrimStart('/') : NormalisePath(workbookDir + target);
        if (rels.Values.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target is { } ss && package.Exists(Resolve(ss)))
            package.Read(Resolve(ss), r => ReadSharedStrings(r, state));
        var (name, relId) = sheets.FirstOrDefault(s => s.RelId is { } id && rels.TryGetValue(id, out var rel) && rel.Type.EndsWith("/worksheet", StringComparison.Ordinal));
        if (relId is null || !package.Exists(Resolve(rels[relId].Target)))
            throw new UploadRefusedException("The workbook has no worksheet to read.");
        var cells = new List<(int, int, CellValue)>();
        package.Read(Resolve(rels[relId].Target), r =>
        {
            ReadCells(r, name, state, (row, column, cell) =>
            {
                if (cell.Formula is not null)
                    throw new WorkbookCellException(name, cell.Address, FormulaMessage(cell.Address));
                cells.Add((row, column, cell));
            });
            return 0;
        });
        return cells;
    }

    /// <summary>The message for a formula in a cell that never needs one.</summary>
    public static string FormulaMessage(string address) =>
        $"{address} holds a formula. Type the figure or text itself: Scorecard does not accept formulas in a return " +
        "(a formula can link to other files or start programs when the stored file is opened). The template's own formulas are kept as they are.";

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

    /// <summary>What one read of a workbook holds between parts: shared strings, date styles, the text budget and the issues found.</summary>
    private sealed class ReadState(ReturnUploadOptions options)
    {
        private readonly List<ReturnIssue> issues = [];
        private long textKept;

        public ReturnUploadOptions Options { get; } = options;
        public List<(string Text, long Length)> SharedStrings { get; } = [];
        public List<bool> DateStyles { get; } = [];
        public char[] Buffer { get; } = new char[4096];
        public StringBuilder Text { get; } = new();

        /// <summary>The most characters kept of one cell's text: one more than the longest text accepted, so "too long" is still seen.</summary>
        public int TextKeep { get; } = Math.Max(options.MaxCommentaryLength, 255) + 1;

        public IReadOnlyList<ReturnIssue> Issues => issues;
        public int IssueCount { get; private set; }

        public void Issue(ReturnIssue issue)
        {
            if (++IssueCount <= Options.MaxErrors)
                issues.Add(issue);
        }

        public void Keep(int characters)
        {
            textKept += characters;
            if (textKept > Options.MaxTextCharacters)
                throw new UploadRefusedException(
                    $"The workbook holds more than {Options.MaxTextCharacters:N0} characters of text, far more than any return. {DamagedAdvice}");
        }

        public bool IsDateStyle(string? s) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < DateStyles.Count && DateStyles[index];
    }

    private static int ReadSharedStrings(XmlReader reader, ReadState state)
    {
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "si")
                continue;
            if (state.SharedStrings.Count >= state.Options.MaxSharedStrings)
                throw new UploadRefusedException(
                    $"The workbook holds more than {state.Options.MaxSharedStrings:N0} pieces of text, far more than any return. {DamagedAdvice}");
            state.SharedStrings.Add(ReadText(reader, state));
        }
        return state.SharedStrings.Count;
    }

    /// <summary>
    /// Reads which cell formats show numbers as dates or times: the built-in formats 14–22 and 45–47 (ECMA-376 Part 1,
    /// 18.8.30) and custom formats with a day, month, year, hour or second code outside quotes and brackets.
    /// </summary>
    private static int ReadStyles(XmlReader reader, ReadState state)
    {
        var custom = new Dictionary<int, bool>();
        var inCellXfs = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
                inCellXfs = false;
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    custom[id] = IsDateFormat(reader.GetAttribute("formatCode") ?? "");
                    break;
                case "cellXfs":
                    inCellXfs = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    if (state.DateStyles.Count >= MaxCellFormats)
                        throw new UploadRefusedException($"The workbook defines more than {MaxCellFormats:N0} cell formats, more than Excel allows, so it is damaged. {DamagedAdvice}");
                    var format = int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
                    state.DateStyles.Add(custom.TryGetValue(format, out var isDate) ? isDate : format is (>= 14 and <= 22) or (>= 45 and <= 47));
                    break;
            }
        }
        return state.DateStyles.Count;
    }

    /// <summary>Whether a number format code shows a date or time: d, m, y, h or s outside quoted text, [brackets] and escapes.</summary>
    public static bool IsDateFormat(string code)
    {
        for (var i = 0; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '"':
                    i = code.IndexOf('"', i + 1) is var q and >= 0 ? q : code.Length;
                    break;
                case '[':
                    i = code.IndexOf(']', i + 1) is var b and >= 0 ? b : code.Length;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case 'd' or 'D' or 'm' or 'M' or 'y' or 'Y' or 'h' or 'H' or 's' or 'S':
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads the text of an &lt;si&gt; or &lt;is&gt; element: its &lt;t&gt; runs, without phonetic (&lt;rPh&gt;) runs,
    /// keeping at most the cell limit and counting the rest. Leaves the reader on the element's end.
    /// </summary>
    private static (string Text, long Length) ReadText(XmlReader reader, ReadState state)
    {
        if (reader.IsEmptyElement)
            return ("", 0);
        var text = new StringBuilder();
        long length = 0;
        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (reader.LocalName == "t")
                {
                    var (run, runLength) = ReadContent(reader, state, state.TextKeep - text.Length, countKept: false);
                    text.Append(run);
                    length += runLength;
                }
                else if (reader.LocalName == "rPh")
                {
                    reader.Skip();
                    continue;
                }
            }
            reader.Read();
        }
        state.Keep(text.Length);
        return (text.ToString(), length);
    }

    /// <summary>
    /// Reads an element's text in chunks, keeping at most <paramref name="keep"/> characters and counting all of them.
    /// Leaves the reader on the element's end (or on the element itself when it is empty).
    /// </summary>
    private static (string Text, long Length) ReadContent(XmlReader reader, ReadState state, int keep, bool countKept = true)
    {
        if (reader.IsEmptyElement)
            return ("", 0);
        var text = state.Text.Clear();
        long length = 0;
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
                continue;
            int n;
            while ((n = reader.ReadValueChunk(state.Buffer, 0, state.Buffer.Length)) > 0)
            {
                length += n;
                var room = keep - text.Length;
                if (room > 0)
                    text.Append(state.Buffer, 0, Math.Min(room, n));
            }
        }
        if (countKept)
            state.Keep(text.Length);
        return (text.ToString(), length);
    }

    private static Dictionary<string, CellValue> ReadDetails(XmlReader reader, ReadState state)
    {
        var cells = new Dictionary<int, (CellValue Key, CellValue Value)>();
        ReadCells(reader, ReturnTemplateLayout.DetailsSheet, state, (row, column, cell) =>
        {
            if (cell.Formula is not null)
                state.Issue(new ReturnIssue(ReturnTemplateLayout.DetailsSheet, cell.Address, "", FormulaMessage(cell.Address)));
            if (column is not (1 or 2) || cell.Kind == CellKind.Empty)
                return;
            var entry = cells.GetValueOrDefault(row);
            cells[row] = column == 1 ? entry with { Key = cell } : entry with { Value = cell };
        });
        return cells.Values.Where(c => c.Key.Kind == CellKind.Text)
            .GroupBy(c => c.Key.Text!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
    }

    private static List<ReturnSheetRow> ReadReturnRows(XmlReader reader, ReadState state)
    {
        var rows = new SortedDictionary<int, CellValue[]>();
        ReadCells(reader, ReturnTemplateLayout.ReturnSheet, state, (row, column, cell) =>
        {
            // Only the value column of a data row may hold a formula (the template's own, for ratios: the validator checks which).
            if (cell.Formula is not null && !(column == ReturnTemplateLayout.ValueColumn && row >= ReturnTemplateLayout.FirstDataRow))
                state.Issue(new ReturnIssue(ReturnTemplateLayout.ReturnSheet, cell.Address, "", FormulaMessage(cell.Address)));
            if (row < ReturnTemplateLayout.FirstDataRow || cell.Kind == CellKind.Empty
                || column > ReturnTemplateLayout.CommentaryColumn || column == ReturnTemplateLayout.TitleColumn || column == ReturnTemplateLayout.UnitColumn)
                return;
            if (!rows.TryGetValue(row, out var cells))
                rows[row] = cells = new CellValue[ReturnTemplateLayout.CommentaryColumn + 1];
            cells[column] = cell;
        });
        var result = new List<ReturnSheetRow>(rows.Count);
        foreach (var (row, cells) in rows)
        {
            CellValue At(int column) => cells[column].Address is null
                ? new CellValue(Address(column, row), CellKind.Empty, null, null)
                : cells[column];
            var r = new ReturnSheetRow(row, At(ReturnTemplateLayout.CodeColumn), At(ReturnTemplateLayout.NumeratorColumn),
                At(ReturnTemplateLayout.DenominatorColumn), At(ReturnTemplateLayout.ValueColumn), At(ReturnTemplateLayout.CommentaryColumn));
            if (!(r.Code.IsEmpty && r.Numerator.IsEmpty && r.Denominator.IsEmpty && r.Value.IsEmpty && r.Commentary.IsEmpty))
                result.Add(r);
        }
        return result;
    }

    /// <summary>Streams a worksheet's &lt;sheetData&gt;, handing every cell (with a value or a formula) to <paramref name="onCell"/>.</summary>
    private static void ReadCells(XmlReader reader, string sheet, ReadState state, Action<int, int, CellValue> onCell)
    {
        var options = state.Options;
        var rowNumber = 0;
        var rowCount = 0;
        var column = 0;
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
                    if (reader.GetAttribute("r") is { } rowReference)
                        rowNumber = int.TryParse(rowReference, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= MaxRow
                            ? r
                            : throw new WorkbookCellException(sheet, "",
                                $"The sheet has a row numbered \"{SenderText.Excerpt(rowReference, 20)}\", which is not a row Excel has (rows run from 1 to {MaxRow:N0}), so the file is damaged. {DamagedAdvice}");
                    else
                        rowNumber++;
                    column = 0;
                    if (++rowCount > options.MaxRows || rowNumber > options.MaxRows)
                        throw new UploadRefusedException(
                            $"The sheet has more than {options.MaxRows:N0} rows, more than any return. Delete the rows below your figures (or download a fresh template), save and upload again.");
                    break;
                case "c":
                    var reference = reader.GetAttribute("r");
                    var (cellColumn, cellRow) = reference is null ? (column + 1, rowNumber) : ParseReference(reference)
                        ?? throw new WorkbookCellException(sheet, SenderText.Excerpt(reference, 20),
                            $"The cell reference \"{SenderText.Excerpt(reference, 20)}\" is not a cell Excel has (cells run from A1 to XFD1048576), so the file is damaged. {DamagedAdvice}");
                    if (cellColumn > MaxColumn)
                        throw new WorkbookCellException(sheet, "", $"A row of the sheet has more than {MaxColumn:N0} cells, more than Excel allows, so the file is damaged. {DamagedAdvice}");
                    column = cellColumn;
                    var cell = ReadCell(reader, Address(cellColumn, cellRow), state);
                    if (cell.Kind != CellKind.Empty || cell.Formula is not null)
                        onCell(cellRow, cellColumn, cell);
                    break;
            }
        }
    }

    /// <summary>The address of the first cell with a formula in a worksheet, or null.</summary>
    private static string? FirstFormula(XmlReader reader)
    {
        var rowNumber = 0;
        var column = 0;
        string? address = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            switch (reader.LocalName)
            {
                case "row":
                    rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= MaxRow ? r : rowNumber + 1;
                    column = 0;
                    break;
                case "c":
                    var (c, row) = reader.GetAttribute("r") is { } reference ? ParseReference(reference) ?? (column + 1, rowNumber) : (column + 1, rowNumber);
                    column = c;
                    address = Address(Math.Min(c, MaxColumn), row);
                    break;
                case "f":
                    return address ?? "A1";
            }
        }
        return null;
    }

    private static int LastRowOf(string dimension)
    {
        var last = dimension.Contains(':') ? dimension[(dimension.IndexOf(':') + 1)..] : dimension;
        var digits = new string(last.Where(char.IsAsciiDigit).Take(11).ToArray());
        return digits.Length == 0 ? 0 : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : int.MaxValue;
    }

    /// <summary>Parses an A1 reference within Excel's grid (A1 to XFD1048576), or null for anything else.</summary>
    public static (int Column, int Row)? ParseReference(string reference)
    {
        var match = ReferencePattern().Match(reference);
        if (!match.Success)
            return null;
        var column = 0;
        foreach (var letter in match.Groups[1].ValueSpan)
            column = column * 26 + (char.ToUpperInvariant(letter) - 'A' + 1);
        var row = int.Parse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        return column <= MaxColumn && row <= MaxRow ? (column, row) : null;
    }

    [GeneratedRegex("^([A-Za-z]{1,3})([1-9][0-9]{0,6})$")]
    private static partial Regex ReferencePattern();

    /// <summary>The A1 address of a cell (columns to XFD).</summary>
    public static string Address(int column, int row)
    {
        Span<char> letters = stackalloc char[3];
        var i = 3;
        for (var c = column; c > 0 && i > 0; c = (c - 1) / 26)
            letters[--i] = (char)('A' + (c - 1) % 26);
        return string.Concat(letters[i..], row.ToString(CultureInfo.InvariantCulture));
    }

    private static CellValue ReadCell(XmlReader reader, string address, ReadState state)
    {
        var type = reader.GetAttribute("t");
        var isDate = state.IsDateStyle(reader.GetAttribute("s"));
        if (reader.IsEmptyElement)
            return new CellValue(address, CellKind.Empty, null, null);
        string? v = null;
        long vLength = 0;
        (string Text, long Length)? inline = null;
        string? formula = null;
        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "f":
                        formula = ReadContent(reader, state, ValueKeep).Text;
                        break;
                    case "v":
                        (v, vLength) = ReadContent(reader, state, ValueKeep);
                        break;
                    case "is":
                        inline = ReadText(reader, state);
                        break;
                }
            }
            reader.Read();
        }

        CellValue Cell(CellKind kind, string? text, decimal? number = null, long? length = null) =>
            new(address, kind, text, number) { TextLength = length ?? text?.Length ?? 0, Formula = formula, IsDate = isDate };

        if (type == "inlineStr")
            return inline is { } s ? Cell(CellKind.Text, s.Text, length: s.Length) : Cell(CellKind.Empty, null);
        if (v is null)
            return Cell(formula is null ? CellKind.Empty : CellKind.FormulaWithoutValue, null);
        switch (type)
        {
            case "s":
                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < state.SharedStrings.Count
                    ? Cell(CellKind.Text, state.SharedStrings[index].Text, length: state.SharedStrings[index].Length)
                    : Cell(CellKind.Error, "a missing shared string");
            case "str":
                return Cell(vLength == 0 ? CellKind.Empty : CellKind.Text, v, length: vLength);
            case "b":
                return Cell(CellKind.Boolean, v == "1" ? "TRUE" : "FALSE");
            case "e":
                return Cell(CellKind.Error, SenderText.Excerpt(v, 20));
            default:
                if (vLength <= ValueKeep && decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return Cell(CellKind.Number, v, number);
                // A number beyond decimal's range (Excel itself goes to 1.8 × 10³⁰⁸) is still a number: too large, not text.
                if (vLength <= ValueKeep && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && double.IsFinite(big))
                    return Cell(CellKind.Number, v);
                return Cell(CellKind.Text, v, length: vLength);
        }
    }
}
