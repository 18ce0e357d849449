using ClosedXML.Excel;

namespace Scorecard.Data.Common;

/// <summary>The few things every workbook the app writes (templates, exports, chasing lists) does the same way.</summary>
public static class Excel
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '−'];

    /// <summary>
    /// Writes text as text, never as a formula. Text that starts like one (= + - @, OWASP formula injection) also gets
    /// Excel's quote prefix, so it stays text when someone edits the cell; the text itself is kept exactly.
    /// </summary>
    public static IXLCell Text(IXLCell cell, string? text)
    {
        var value = text ?? "";
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
        if (value.Length > 0 && FormulaStarts.Contains(value[0]))
            cell.Style.IncludeQuotePrefix = true;
        return cell;
    }

    /// <summary>Sets column widths from the first column on. ClosedXML 0.95.4's AdjustToContents needs System.Drawing, which fails on Linux.</summary>
    public static void SetWidths(IXLWorksheet ws, IReadOnlyList<double> widths)
    {
        for (var i = 0; i < widths.Count; i++)
            ws.Column(i + 1).Width = widths[i];
    }

    public static byte[] ToBytes(XLWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }
}
