using ClosedXML.Excel;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>A generated workbook: its file name and bytes.</summary>

/// <summary>
/// The chasing list: every return in the tracker's window that is past its due date and has not arrived, as an Excel
/// workbook (agency, sector, quarter, due date, days overdue), saying who exported it and when. Partnership roles only.
/// </summary>
public sealed class TrackerExport(ReturnQueries returns, TimeProvider clock)
{
    /// <summary>The row where the table's header is; the rows above say what the list is and who exported it.</summary>
    public const int HeaderRow = 5;

    public static readonly IReadOnlyList<string> Columns = ["Agency", "Sector", "Quarter", "Due date", "Days overdue"];

    public async Task<FileDownload> BuildChasingListAsync(Actor actor, SubmissionMatrixRequest request, CancellationToken ct = default)
    {
        actor.RequireAnyRole(Role.Admin, Role.QaMember, Role.Executive);
        var matrix = await returns.GetSubmissionMatrixAsync(actor, request, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var missing = matrix.Agencies
            .SelectMany(a => a.Cells.Select((c, i) => (Agency: a, Cell: c, Period: matrix.Periods[i])))
            .Where(x => x.Cell.Status == SubmissionStatus.Missing)
            .OrderByDescending(x => x.Period.DueDate)
            .ThenBy(x => x.Agency.AgencyName, StringComparer.OrdinalIgnoreCase)
            .ToList();

        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Missing returns");
        Excel.Text(sheet.Cell(1, 1), "Returns missing: for chasing").Style.Font.SetBold().Font.SetFontSize(14);
        var window = matrix.Periods.Count == 0 ? "no quarters" : $"{matrix.Periods[0].Label} to {matrix.Periods[^1].Label}";
        Excel.Text(sheet.Cell(2, 1), $"Quarters {window}; sector: {(request.Sector is { } s ? Sectors.Label(s) : "all")}; {missing.Count} missing");
        Excel.Text(sheet.Cell(3, 1), $"Exported by {actor.DisplayName} on {now:d MMMM yyyy HH:mm} UTC");
        for (var c = 0; c < Columns.Count; c++)
            Excel.Text(sheet.Cell(HeaderRow, c + 1), Columns[c]).Style.Font.SetBold().Fill.SetBackgroundColor(XLColor.FromHtml("#DCE6F2"));

        var row = HeaderRow + 1;
        foreach (var x in missing)
        {
            Excel.Text(sheet.Cell(row, 1), x.Agency.AgencyName);
            Excel.Text(sheet.Cell(row, 2), Sectors.Label(x.Agency.Sector));
            Excel.Text(sheet.Cell(row, 3), x.Period.Label);
            sheet.Cell(row, 4).SetValue(x.Period.DueDate.ToDateTime(TimeOnly.MinValue)).Style.DateFormat.SetFormat("d mmm yyyy");
            sheet.Cell(row, 5).SetValue(matrix.Today.DayNumber - x.Period.DueDate.DayNumber);
            row++;
        }
        Excel.SetWidths(sheet, [52, 20, 14, 14, 14]);
        sheet.SheetView.FreezeRows(HeaderRow);
        if (missing.Count > 0)
            sheet.Range(HeaderRow, 1, row - 1, Columns.Count).SetAutoFilter();

        return new FileDownload($"missing-returns-{now:yyyy-MM-dd}.xlsx", Excel.ToBytes(workbook));
    }

}
