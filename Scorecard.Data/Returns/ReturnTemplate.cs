using System.Globalization;
using ClosedXML.Excel;
using Scorecard.Data.Common;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>
/// Where things are in a return template. The upload reads the same cells back, so a change here is a new
/// <see cref="CurrentVersion"/>; versions the reader no longer understands leave <see cref="AcceptedVersions"/>.
/// </summary>
public static class ReturnTemplateLayout
{
    public const int CurrentVersion = 1;
    public static readonly IReadOnlySet<int> AcceptedVersions = new HashSet<int> { 1 };

    public const string ReturnSheet = "Return";
    public const string InstructionsSheet = "Instructions";

    /// <summary>A very hidden sheet (not listed by Excel's Unhide) holding which agency, quarter and partnership the template is for.</summary>
    public const string DetailsSheet = "Scorecard";

    public const int HeaderRow = 5;
    public const int FirstDataRow = 6;

    public const int CodeColumn = 1;         // A
    public const int TitleColumn = 2;        // B
    public const int UnitColumn = 3;         // C
    public const int NumeratorColumn = 4;    // D
    public const int DenominatorColumn = 5;  // E
    public const int ValueColumn = 6;        // F
    public const int CommentaryColumn = 7;   // G
    public const int PreviousColumn = 8;     // H
    public const int DefinitionColumn = 9;   // I

    /// <summary>Keys in column A of the details sheet, with their values in column B, in this order from row 1.</summary>
    public static readonly IReadOnlyList<string> DetailKeys = ["template_version", "partnership_id", "agency_id", "period_id"];

    public static string ColumnLetter(int column) => ((char)('A' + column - 1)).ToString();

    public static string FileName(string agencyShortName, int fiscalYear, int quarter)
    {
        var safe = new string(agencyShortName.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return $"return-{safe}-{fiscalYear}-{(fiscalYear + 1) % 100:00}-Q{quarter}.xlsx";
    }
}

/// <summary>A generated template: the file name to offer and its bytes.</summary>

/// <summary>Generates the return template (ClosedXML) for one agency and quarter: agency users for their own agency, admins for any.</summary>
public sealed class ReturnTemplateService(NpgsqlDataSource dataSource)
{
    /// <summary>Builds the template, or returns null when the agency or quarter does not exist in the actor's partnership.</summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin or a user of that agency.</exception>
    public async Task<FileDownload?> BuildTemplateAsync(Actor actor, int agencyId, int periodId, CancellationToken ct = default)
    {
        actor.RequireAnyRole(Role.Admin, Role.AgencyUser);
        actor.RequireAgency(agencyId);
        ReturnContext context;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            context = await ReturnContext.LoadAsync(conn, actor.PartnershipId, agencyId, periodId, ct);
        if (context.Period is not { } period || context.Agency is not { } agency)
            return null;
        var bytes = Build(actor.PartnershipId, agency, period, context);
        return new FileDownload(ReturnTemplateLayout.FileName(agency.ShortName, period.FiscalYear, period.Quarter), bytes);
    }

    private static byte[] Build(int partnershipId, ReturnAgency agency, ReturnPeriod period, ReturnContext context)
    {
        using var workbook = new XLWorkbook();
        AddInstructions(workbook, agency, period);
        AddReturnSheet(workbook, agency, period, context);
        AddDetails(workbook, partnershipId, agency, period);
        workbook.Worksheet(ReturnTemplateLayout.ReturnSheet).SetTabActive();
        workbook.Properties.Title = $"Quarterly return: {agency.Name}, {period.Label}";
        workbook.Properties.Author = "Scorecard";
        return Excel.ToBytes(workbook);
    }

    private static void AddReturnSheet(XLWorkbook workbook, ReturnAgency agency, ReturnPeriod period, ReturnContext context)
    {
        var ws = workbook.Worksheets.Add(ReturnTemplateLayout.ReturnSheet);
        ws.Cell(1, 1).Value = $"Quarterly return: {agency.Name}";
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        ws.Cell(2, 1).Value = $"Quarter: {period.Label}";
        ws.Cell(3, 1).Value = "Fill in the yellow cells only. For a ratio, enter the numerator and denominator; the value is worked out for you. See the Instructions sheet.";
        ws.Cell(3, 1).Style.Font.Italic = true;

        string[] headers = ["Code", "Measure", "Unit", "Numerator", "Denominator", "Value", "Commentary", $"Previous quarter ({PeriodLabels.Format(period.Previous.FiscalYear, period.Previous.Quarter)})", "Definition"];
        for (var i = 0; i < headers.Length; i++)
            ws.Cell(ReturnTemplateLayout.HeaderRow, i + 1).Value = headers[i];
        var header = ws.Range(ReturnTemplateLayout.HeaderRow, 1, ReturnTemplateLayout.HeaderRow, headers.Length);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#1F3864");
        header.Style.Font.FontColor = XLColor.White;

        var row = ReturnTemplateLayout.FirstDataRow;
        foreach (var m in context.ReportedMeasures)
        {
            ws.Cell(row, ReturnTemplateLayout.CodeColumn).Value = m.Code;
            Excel.Text(ws.Cell(row, ReturnTemplateLayout.TitleColumn), m.Title);
            ws.Cell(row, ReturnTemplateLayout.UnitColumn).Value = Units.Label(m.Unit);
            var definition = m.IsRatio ? $"{m.Definition} Numerator: {m.NumeratorLabel}. Denominator: {m.DenominatorLabel}." : m.Definition;
            Excel.Text(ws.Cell(row, ReturnTemplateLayout.DefinitionColumn), definition);
            if (context.PreviousValues.TryGetValue(m.Id, out var previous) && previous is { } p)
                ws.Cell(row, ReturnTemplateLayout.PreviousColumn).Value = p;

            var commentary = ws.Cell(row, ReturnTemplateLayout.CommentaryColumn);
            Unlock(commentary);
            commentary.SetDataValidation().TextLength.EqualOrLessThan(2000);

            if (m.IsRatio)
            {
                foreach (var column in new[] { ReturnTemplateLayout.NumeratorColumn, ReturnTemplateLayout.DenominatorColumn })
                {
                    var cell = ws.Cell(row, column);
                    Unlock(cell);
                    var validation = cell.SetDataValidation();
                    validation.WholeNumber.EqualOrGreaterThan(0);
                    validation.ErrorTitle = "Whole number";
                    validation.ErrorMessage = "Enter a whole number, 0 or more.";
                    validation.InputTitle = column == ReturnTemplateLayout.NumeratorColumn ? "Numerator" : "Denominator";
                    validation.InputMessage = Truncate(column == ReturnTemplateLayout.NumeratorColumn ? m.NumeratorLabel! : m.DenominatorLabel!, 250);
                }
                var n = $"D{row}";
                var d = $"E{row}";
                var scale = Units.Scale(m.Unit).ToString(CultureInfo.InvariantCulture);
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).FormulaA1 = $"IF(AND(ISNUMBER({n}),ISNUMBER({d}),{d}>0),ROUND({n}/{d}*{scale},{m.DecimalPlaces}),\"\")";
                ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Style.Fill.BackgroundColor = XLColor.LightYellow;
                ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Style.Fill.BackgroundColor = XLColor.LightYellow;
                ws.Range(row, ReturnTemplateLayout.NumeratorColumn, row, ReturnTemplateLayout.DenominatorColumn).Style.NumberFormat.Format = "0";
            }
            else
            {
                var cell = ws.Cell(row, ReturnTemplateLayout.ValueColumn);
                Unlock(cell);
                cell.Style.Fill.BackgroundColor = XLColor.LightYellow;
                var validation = cell.SetDataValidation();
                if (m.IsCount)
                {
                    validation.WholeNumber.EqualOrGreaterThan(0);
                    validation.ErrorMessage = "Enter a whole number, 0 or more.";
                }
                else if (m.Unit == MeasureUnit.Percent)
                {
                    validation.Decimal.Between(0, 100);
                    validation.ErrorMessage = "Enter a percentage from 0 to 100.";
                }
                else
                {
                    validation.Decimal.EqualOrGreaterThan(0);
                    validation.ErrorMessage = "Enter a number, 0 or more.";
                }
                validation.ErrorTitle = "Value";
                validation.InputTitle = m.Code;
                validation.InputMessage = Truncate(m.Title, 250);
            }
            row++;
        }

        ws.Column(ReturnTemplateLayout.CodeColumn).Width = 16;
        ws.Column(ReturnTemplateLayout.TitleColumn).Width = 48;
        ws.Column(ReturnTemplateLayout.UnitColumn).Width = 16;
        ws.Column(ReturnTemplateLayout.NumeratorColumn).Width = 13;
        ws.Column(ReturnTemplateLayout.DenominatorColumn).Width = 13;
        ws.Column(ReturnTemplateLayout.ValueColumn).Width = 11;
        ws.Column(ReturnTemplateLayout.CommentaryColumn).Width = 50;
        ws.Column(ReturnTemplateLayout.PreviousColumn).Width = 22;
        ws.Column(ReturnTemplateLayout.DefinitionColumn).Width = 80;
        ws.Range(ReturnTemplateLayout.FirstDataRow, ReturnTemplateLayout.TitleColumn, Math.Max(row - 1, ReturnTemplateLayout.FirstDataRow), ReturnTemplateLayout.TitleColumn).Style.Alignment.WrapText = true;
        ws.Range(ReturnTemplateLayout.FirstDataRow, ReturnTemplateLayout.CommentaryColumn, Math.Max(row - 1, ReturnTemplateLayout.FirstDataRow), ReturnTemplateLayout.CommentaryColumn).Style.Alignment.WrapText = true;
        ws.SheetView.FreezeRows(ReturnTemplateLayout.HeaderRow);
        // Only the yellow input cells and the commentary are unlocked; there is no password, since the protection is a
        // guard against slips, not a security boundary (the upload checks every cell anyway).
        ws.Protect();
    }

    private static void Unlock(IXLCell cell) => cell.Style.Protection.SetLocked(false);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static void AddInstructions(XLWorkbook workbook, ReturnAgency agency, ReturnPeriod period)
    {
        var ws = workbook.Worksheets.Add(ReturnTemplateLayout.InstructionsSheet);
        string[] lines =
        [
            $"Quarterly return for {agency.Name}, {period.Label}",
            "",
            "1. Go to the Return sheet. Each row is one measure your agency reports. Do not add, remove or reorder rows, and do not change the codes.",
            "2. Fill in the yellow cells only. Other cells are locked.",
            "3. Counts are whole numbers, 0 or more. Percentages are from 0 to 100.",
            "4. For a ratio (a percentage or a rate), enter the numerator and the denominator. The value is worked out for you; do not type it.",
            "5. The numerator of a percentage or rate cannot be greater than its denominator.",
            "6. Every measure needs a value. If there were none this quarter, enter 0.",
            "7. Use the commentary column to explain anything unusual. If Scorecard warns that a value is outside its usual range, or has moved a lot since last quarter, commentary is required before you can submit.",
            "8. Save the file as an Excel Workbook (.xlsx) and upload it on the \"Our returns\" page of Scorecard. You will see a preview and must confirm before anything is saved.",
            "",
            "This template is for this agency and this quarter only. A template for another agency or quarter is refused. Files with macros (.xlsm), old Excel files (.xls), CSV files and password-protected files cannot be accepted.",
            "Sending the return again creates a new version; every version is kept.",
        ];
        for (var i = 0; i < lines.Length; i++)
            ws.Cell(i + 1, 1).Value = lines[i];
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        ws.Column(1).Width = 140;
        ws.Column(1).Style.Alignment.WrapText = true;
        ws.Protect();
    }

    private static void AddDetails(XLWorkbook workbook, int partnershipId, ReturnAgency agency, ReturnPeriod period)
    {
        var ws = workbook.Worksheets.Add(ReturnTemplateLayout.DetailsSheet);
        int[] values = [ReturnTemplateLayout.CurrentVersion, partnershipId, agency.Id, period.Id];
        for (var i = 0; i < values.Length; i++)
        {
            ws.Cell(i + 1, 1).Value = ReturnTemplateLayout.DetailKeys[i];
            ws.Cell(i + 1, 2).Value = values[i];
        }
        ws.Column(1).Width = 20;
        ws.Column(2).Width = 12;
        ws.Protect();
        ws.Visibility = XLWorksheetVisibility.VeryHidden;
    }
}
