using ClosedXML.Excel;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// Excel exports of the scorecard as filtered and of one measure's history (ClosedXML). Exports always apply the
/// small-number rule, whoever exports (design.md: counts of 1–4 are "&lt;5" in exports: build with forExport), and every text cell is written
/// as text, with a quote prefix where it starts like a formula, so no cell is ever evaluated.
/// </summary>
public static class ScorecardExport
{
    public static byte[] Scorecard(ScorecardData data, ScorecardView view, ScorecardFilter filter, IReadOnlyList<ScorecardLine> lines, string exportedBy, DateTimeOffset exportedAt)
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.AddWorksheet("Scorecard");
        Excel.Text(ws.Cell(1, 1), "Multi-agency safeguarding scorecard").Style.Font.SetBold().Font.SetFontSize(14);
        Excel.Text(ws.Cell(2, 1), "Filters: " + filter.Describe(data, view.Period));
        Excel.Text(ws.Cell(3, 1), $"Exported by {exportedBy} on {exportedAt:d MMMM yyyy HH:mm} (UTC). Counts of 1 to 4 are shown as \"{SpcWords.FewerThanFive}\"; incomplete figures are marked provisional.");

        var window = lines.FirstOrDefault()?.Window.Select(w => w.Period).ToList() ?? [];
        var headers = new List<string> { "Priority", "Code", "Measure", "Owner", "Unit", "Polarity", "Target" };
        headers.AddRange(window.Select(p => p.Label));
        headers.AddRange(["RAG", "Trend on last quarter", "Trend on a year ago", "Variation (SPC)", "Assurance (SPC)",
            "England", "vs England", "Statistical neighbours", "vs neighbours", "Missing returns", "Exceptions"]);
        const int headerRow = 5;
        for (var c = 0; c < headers.Count; c++)
            Excel.Text(ws.Cell(headerRow, c + 1), headers[c]).Style.Font.SetBold().Fill.SetBackgroundColor(XLColor.FromHtml("#DCE6F1"));

        var row = headerRow + 1;
        foreach (var line in lines)
        {
            var m = line.Measure;
            var c = 1;
            Excel.Text(ws.Cell(row, c++), m.PriorityCode + " " + m.PriorityTitle);
            Excel.Text(ws.Cell(row, c++), m.Code);
            Excel.Text(ws.Cell(row, c++), m.Title);
            Excel.Text(ws.Cell(row, c++), m.OwnerAgencyName);
            Excel.Text(ws.Cell(row, c++), Units.Label(m.Unit));
            Excel.Text(ws.Cell(row, c++), Polarities.Label(m.Polarity));
            Number(ws.Cell(row, c++), m.Target, m.DecimalPlaces);
            foreach (var period in window)
            {
                var figure = line.Window.FirstOrDefault(f => f.Period.Id == period.Id);
                var cell = ws.Cell(row, c++);
                if (figure is null)
                    continue;
                if (figure.Suppressed || figure.Value is null)
                    Excel.Text(cell, FigureFormat.Figure(figure, m));
                else
                    Number(cell, figure.Value, m.DecimalPlaces);
                Fill(cell, figure.ShownRag);
                if (figure.Provisional && !figure.Suppressed)
                    cell.Comment.AddText(figure.Completeness.Description);
            }
            // The statements' own words (StatementPrecedence, SpcWords): the export says what the page says.
            Excel.Text(ws.Cell(row, c++), line.Statements.FirstOrDefault(st => st.Category == StatementCategory.Figure)?.Text ?? Rag.ShortLabel(line.Current.Rag));
            Excel.Text(ws.Cell(row, c++), TrendText(line.VsPreviousQuarter, "last quarter", line.TrendNote));
            Excel.Text(ws.Cell(row, c++), TrendText(line.VsLastYear, "a year ago", line.TrendNote));
            Excel.Text(ws.Cell(row, c++), line.Statements.FirstOrDefault(st => st.Category == StatementCategory.Signal)?.Text
                ?? (line.Variation is { } v ? SpcIcons.Label(v) : "Not enough data"));
            Excel.Text(ws.Cell(row, c++), line.AssuranceStatement?.Text ?? "No target");
            Number(ws.Cell(row, c++), m.EnglandValue, m.DecimalPlaces);
            Excel.Text(ws.Cell(row, c++), Benchmarks.Label(line.England, "England"));
            Number(ws.Cell(row, c++), m.NeighbourValue, m.DecimalPlaces);
            Excel.Text(ws.Cell(row, c++), Benchmarks.Label(line.Neighbour, "neighbours"));
            Excel.Text(ws.Cell(row, c++), string.Join("; ", line.Current.Missing.Select(x => x.Name)));
            Excel.Text(ws.Cell(row, c++), string.Join("; ", line.Exceptions.Select(ExceptionReasons.Label)
                .Concat(line.ProcessChangeMessage.Length > 0 ? [line.ProcessChangeMessage] : [])));
            row++;
        }
        if (lines.Count == 0)
            Excel.Text(ws.Cell(row, 1), "No measures match these filters.");

        var widths = new List<double> { 28, 16, 50, 28, 16, 18, 10 };
        widths.AddRange(window.Select(_ => 12d));
        widths.AddRange([10, 30, 30, 34, 30, 10, 22, 12, 24, 40, 50]);
        Excel.SetWidths(ws, widths);
        ws.SheetView.FreezeRows(headerRow);
        AddKey(workbook);
        return Excel.ToBytes(workbook);
    }

    public static byte[] MeasureHistory(MeasureDetail detail, string exportedBy, DateTimeOffset exportedAt)
    {
        var m = detail.Line.Measure;
        using var workbook = new XLWorkbook();
        var ws = workbook.AddWorksheet("History");
        Excel.Text(ws.Cell(1, 1), $"{m.Code} {m.Title}").Style.Font.SetBold().Font.SetFontSize(14);
        Excel.Text(ws.Cell(2, 1), m.Definition);
        Excel.Text(ws.Cell(3, 1), $"Exported by {exportedBy} on {exportedAt:d MMMM yyyy HH:mm} (UTC). Counts of 1 to 4 are shown as \"{SpcWords.FewerThanFive}\"; incomplete figures are marked provisional.");
        string[] headers = ["Quarter", m.NumeratorLabel ?? "Numerator", m.DenominatorLabel ?? "Denominator", "Partnership value", "RAG",
            "Point type (SPC)", "Mean", "Lower process limit", "Upper process limit", "Target", "Agencies returned", "Missing returns"];
        const int headerRow = 5;
        for (var c = 0; c < headers.Length; c++)
            Excel.Text(ws.Cell(headerRow, c + 1), headers[c]).Style.Font.SetBold().Fill.SetBackgroundColor(XLColor.FromHtml("#DCE6F1"));
        var row = headerRow + 1;
        var spcPoints = detail.Line.Spc?.Points ?? [];
        var k = 0;
        foreach (var f in detail.Line.History)
        {
            var c = 1;
            Excel.Text(ws.Cell(row, c++), f.Period.Label);
            if (f.Suppressed)
            {
                Excel.Text(ws.Cell(row, c++), SpcWords.FewerThanFive);
                Number(ws.Cell(row, c++), f.Denominator, 0);
                Excel.Text(ws.Cell(row, c++), SpcWords.FewerThanFive);
            }
            else
            {
                Number(ws.Cell(row, c++), f.Numerator, 0);
                Number(ws.Cell(row, c++), f.Denominator, 0);
                if (f.Value is null) Excel.Text(ws.Cell(row, c++), FigureFormat.Figure(f, m));
                else Number(ws.Cell(row, c++), f.Value, m.DecimalPlaces);
            }
            Fill(ws.Cell(row, c - 1), f.ShownRag);
            Excel.Text(ws.Cell(row, c++), f.Suppressed ? SpcWords.FewerThanFive
                : f.Provisional ? $"Provisional {Rag.ShortLabel(f.Rag).ToLowerInvariant()} ({f.Completeness.Label})" : Rag.ShortLabel(f.Rag));
            // The SPC series is the complete figures (those with a point type); ghosted quarters are said as such.
            var point = f.PointType is not null && k < spcPoints.Count ? spcPoints[k++] : null;
            Excel.Text(ws.Cell(row, c++), point is null ? (f.Provisional ? SpcWords.IncompleteLegend : "")
                : f.Ghosted ? $"{SpcWords.GhostedDescription}: {f.GhostReason}"
                : f.Suppressed ? "" : SpcIcons.Label(point.Type));
            // No mean or limits drawn from hidden quarters (Disclosure.SpcLines).
            var lines = detail.Line.SpcLinesWithheld.Length == 0 ? point : null;
            Number(ws.Cell(row, c++), (decimal?)lines?.Mean, m.DecimalPlaces + 1);
            Number(ws.Cell(row, c++), (decimal?)lines?.LowerLimit, m.DecimalPlaces + 1);
            Number(ws.Cell(row, c++), (decimal?)lines?.UpperLimit, m.DecimalPlaces + 1);
            Number(ws.Cell(row, c++), m.Target, m.DecimalPlaces);
            Excel.Text(ws.Cell(row, c++), $"{f.Received} of {f.Expected}");
            Excel.Text(ws.Cell(row, c++), string.Join("; ", f.Missing.Select(x => x.Name)));
            row++;
        }
        if (detail.Line.SpcLinesWithheld.Length > 0)
            Excel.Text(ws.Cell(row + 1, 1), detail.Line.SpcLinesWithheld);
        Excel.SetWidths(ws, [14, 22, 22, 16, 10, 30, 10, 14, 14, 10, 16, 40]);
        ws.SheetView.FreezeRows(headerRow);

        var agencies = workbook.AddWorksheet("Agencies");
        string[] agencyHeaders = ["Agency", "Sector", "Quarter", "Numerator", "Denominator", "Value", "Status", "Commentary"];
        for (var c = 0; c < agencyHeaders.Length; c++)
            Excel.Text(agencies.Cell(1, c + 1), agencyHeaders[c]).Style.Font.SetBold();
        row = 2;
        foreach (var s in detail.Agencies)
        {
            foreach (var q in s.Quarters.Where(q => q.Status != FigureStatus.Awaited))
            {
                Excel.Text(agencies.Cell(row, 1), s.Agency.Name);
                Excel.Text(agencies.Cell(row, 2), Sectors.Label(s.Agency.Sector));
                Excel.Text(agencies.Cell(row, 3), q.Period.Label);
                if (q.Suppressed)
                {
                    Excel.Text(agencies.Cell(row, 4), SpcWords.FewerThanFive);
                    Number(agencies.Cell(row, 5), q.Denominator, 0);
                    Excel.Text(agencies.Cell(row, 6), SpcWords.FewerThanFive);
                }
                else
                {
                    Number(agencies.Cell(row, 4), q.Numerator, 0);
                    Number(agencies.Cell(row, 5), q.Denominator, 0);
                    Number(agencies.Cell(row, 6), q.Value, m.DecimalPlaces);
                }
                Excel.Text(agencies.Cell(row, 7), q.Status.ToDb());
                Excel.Text(agencies.Cell(row, 8), q.Commentary);
                row++;
            }
        }
        Excel.SetWidths(agencies, [40, 14, 12, 12, 12, 10, 10, 80]);
        agencies.SheetView.FreezeRows(1);
        AddKey(workbook);
        return Excel.ToBytes(workbook);
    }

    private static string TrendText(TrendResult trend, string comparedWith, string note) =>
        trend.Judgement == TrendJudgement.NoData && note.Length > 0 ? note : Trend.Describe(trend, comparedWith);

    private static void Number(IXLCell cell, decimal? value, int decimalPlaces)
    {
        if (value is not { } v)
            return;
        cell.SetValue(v);
        cell.Style.NumberFormat.Format = decimalPlaces <= 0 ? "#,##0" : "#,##0." + new string('0', Math.Min(decimalPlaces, 6));
    }

    private static void Fill(IXLCell cell, RagStatus rag)
    {
        var colour = rag switch
        {
            RagStatus.Red => "#F4B6B6",
            RagStatus.Amber => "#FCE4B6",
            RagStatus.Green => "#C6E8C6",
            RagStatus.NoTarget => "#E0E0E0",
            _ => null,
        };
        if (colour is not null)
            cell.Style.Fill.SetBackgroundColor(XLColor.FromHtml(colour));
    }

    private static void AddKey(XLWorkbook workbook)
    {
        var key = workbook.AddWorksheet("Key");
        string[] lines =
        [
            "RAG: green is on or better than target; amber is short of target within the measure's tolerance; red is further away; grey has no target; context measures are not judged.",
            "Partnership figures for ratio measures are the sum of the agencies' numerators over the sum of their denominators, never an average of percentages.",
            "Variation and assurance follow NHS England's Making Data Count (XmR charts, as NHSRplotthedots 0.2.2 calculates them).",
            .. Enum.GetValues<VariationIcon>().Select(v => $"{SpcIcons.Label(v)}: {SpcIcons.Description(v)}"),
            .. Enum.GetValues<AssuranceIcon>().Select(a => $"{SpcIcons.Label(a)}: {SpcIcons.Description(a)}"),
            "Trends count a change only when it is at least 1 percentage point (percentages) or 5% of the earlier value (other units).",
            $"Small numbers: counts of 1 to 4 are shown as \"{SpcWords.FewerThanFive}\", with no RAG colour, and one more figure is hidden where a total would reveal them; no trend, mean or limit is given from a hidden figure.",
            "Provisional: a figure from fewer agencies than are due (\"1 of 2 agencies\") has no RAG colour of its own and is left out of trends and the SPC limits until complete.",
            $"{SpcWords.GhostedLegend}.",
        ];
        for (var i = 0; i < lines.Length; i++)
            Excel.Text(key.Cell(i + 1, 1), lines[i]);
        key.Column(1).Width = 140;
    }
}
