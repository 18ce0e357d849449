using ClosedXML.Excel;
using Scorecard.Data.Common;

namespace Scorecard.Data.Triangulation;

/// <summary>
/// Excel exports of the matrix and of one theme's evidence (issue 12 §2). Built from assessments made with
/// <c>forExport: true</c>, so every small number is a word whoever downloads; all text through <see cref="Excel.Text"/>
/// (formula-safe).
/// </summary>
public static class TriangulationExport
{
    public static byte[] Matrix(TriangulationMatrix matrix, string exportedBy, DateTimeOffset now)
    {
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add("Matrix");
        var row = Header(ws, "Triangulation matrix", matrix.AsAt, exportedBy, now);
        string[] headings = ["Line of enquiry", "Priority", .. DbEnum.All<Lens>().Select(TriangulationWords.Label), "Verdict", "Why", "Latest assurance judgement"];
        WriteRow(ws, row++, headings, bold: true);
        foreach (var r in matrix.Rows)
        {
            WriteRow(ws, row++,
            [
                r.Theme.Title, $"{r.Theme.PriorityCode} {r.Theme.PriorityTitle}", .. r.Lenses.Select(l => TriangulationWords.Label(l.Judgement)),
                r.Verdict.Label, r.Verdict.Reason, Judged(r),
            ]);
        }
        Excel.SetWidths(ws, [44, 30, 14, 14, 14, 14, 16, 14, 24, 60, 40]);
        Evidence(wb.Worksheets.Add("Evidence"), matrix.Rows, matrix.AsAt, exportedBy, now);
        return Excel.ToBytes(wb);
    }

    public static byte[] Theme(ThemeDetail detail, string exportedBy, DateTimeOffset now)
    {
        var a = detail.Current;
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add("Lenses");
        var row = Header(ws, a.Theme.Title, a.AsAt, exportedBy, now);
        WriteRow(ws, row++, ["Verdict", a.Verdict.Label, a.Verdict.Reason]);
        WriteRow(ws, row++, ["Latest assurance judgement", Judged(a)]);
        row++;
        WriteRow(ws, row++, ["Lens", "Judgement", "From the numbers", "Rule"], bold: true);
        foreach (var l in a.Lenses)
            WriteRow(ws, row++, [TriangulationWords.Label(l.Lens), TriangulationWords.Label(l.Judgement), l.Summary, a.Rules.Describe().First(r => r.Lens == l.Lens).Rule]);
        Excel.SetWidths(ws, [28, 18, 60, 90]);
        Evidence(wb.Worksheets.Add("Evidence"), [a], a.AsAt, exportedBy, now);

        var over = wb.Worksheets.Add("Over time");
        row = 1;
        WriteRow(over, row++, ["Lens", .. detail.OverTime.Select(o => o.AsAt.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")))], bold: true);
        foreach (var lens in DbEnum.All<Lens>())
            WriteRow(over, row++, [TriangulationWords.Label(lens), .. detail.OverTime.Select(o => TriangulationWords.Label(o.Lens(lens).Judgement))]);
        WriteRow(over, row, ["Verdict", .. detail.OverTime.Select(o => o.Verdict.Label)]);
        Excel.SetWidths(over, [24, .. detail.OverTime.Select(_ => 22.0)]);

        var history = wb.Worksheets.Add("Judgements");
        row = 1;
        WriteRow(history, row++, ["Meeting", "Computed verdict", "Assurance judgement", "Rationale", "Recorded by"], bold: true);
        foreach (var h in detail.History)
            WriteRow(history, row++, [h.MeetingDate.ToString("yyyy-MM-dd"), h.ComputedLabel, h.OverrideLabel ?? "Computed verdict accepted", h.Rationale, h.RecordedByName]);
        Excel.SetWidths(history, [14, 24, 28, 70, 24]);
        return Excel.ToBytes(wb);
    }

    private static void Evidence(IXLWorksheet ws, IEnumerable<ThemeAssessment> rows, DateOnly asAt, string exportedBy, DateTimeOffset now)
    {
        var row = Header(ws, "Evidence behind each cell", asAt, exportedBy, now);
        WriteRow(ws, row++, ["Line of enquiry", "Lens", "Evidence", "From", "Dated", "Figures", "Judgement"], bold: true);
        foreach (var a in rows)
            foreach (var l in a.Lenses)
                foreach (var i in l.Items)
                    WriteRow(ws, row++, [a.Theme.Title, TriangulationWords.Label(l.Lens), i.Label, i.Source, i.Dated?.ToString("yyyy-MM-dd") ?? "", i.Figures, TriangulationWords.Label(i.Judgement)]);
        Excel.SetWidths(ws, [40, 22, 60, 40, 12, 60, 14]);
    }

    private static string Judged(ThemeAssessment a) => a.LatestJudgement is { } j
        ? $"{j.MeetingDate:yyyy-MM-dd}: {j.OverrideLabel ?? j.ComputedLabel}{(j.OverrideLabel is null ? "" : $" (computed {j.ComputedLabel}): {j.Rationale}")}"
        : "";

    private static int Header(IXLWorksheet ws, string title, DateOnly asAt, string exportedBy, DateTimeOffset now)
    {
        Excel.Text(ws.Cell(1, 1), title).Style.Font.Bold = true;
        Excel.Text(ws.Cell(2, 1), $"Evidence to {asAt:yyyy-MM-dd}. Exported by {exportedBy} on {now:yyyy-MM-dd HH:mm} UTC. Counts of fewer than 5 about children are not shown.");
        return 4;
    }

    private static void WriteRow(IXLWorksheet ws, int row, IReadOnlyList<string> values, bool bold = false)
    {
        for (var c = 0; c < values.Count; c++)
        {
            var cell = Excel.Text(ws.Cell(row, c + 1), values[c]);
            if (bold)
                cell.Style.Font.Bold = true;
        }
    }
}
