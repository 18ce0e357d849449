using ClosedXML.Excel;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>The chasing list, opened with ClosedXML as a reader would open it in Excel.</summary>
public sealed class TrackerExportTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private TrackerExport Export(TimeProvider? clock = null) =>
        new(new ReturnQueries(db.DataSource, clock ?? FixedClock.DemoToday), clock ?? FixedClock.DemoToday);

    /// <summary>The data rows under the header, as text.</summary>
    public static List<string[]> DataRows(IXLWorksheet sheet) =>
        sheet.RowsUsed().Where(r => r.RowNumber() > TrackerExport.HeaderRow)
            .Select(r => Enumerable.Range(1, TrackerExport.Columns.Count).Select(c => r.Cell(c).GetFormattedString()).ToArray())
            .ToList();

    [Fact]
    public async Task TheExportListsEveryMissingReturnWithItsDueDateAndDaysOverdue()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var matrix = await new ReturnQueries(db.DataSource, FixedClock.DemoToday).GetSubmissionMatrixAsync(qa, new SubmissionMatrixRequest(8));
        var lateName = Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey).Name;

        var file = await Export().BuildChasingListAsync(qa, new SubmissionMatrixRequest(8));

        Assert.EndsWith(".xlsx", file.FileName);
        using var workbook = new XLWorkbook(new MemoryStream(file.Bytes));
        var sheet = workbook.Worksheet(1);
        Assert.Equal(TrackerExport.Columns, sheet.Row(TrackerExport.HeaderRow).Cells(1, TrackerExport.Columns.Count).Select(c => c.GetString()));
        Assert.StartsWith($"Exported by {qa.DisplayName} on ", sheet.Cell(3, 1).GetString());
        var rows = DataRows(sheet);
        Assert.Equal(matrix.Agencies.Sum(a => a.MissingCount), rows.Count);
        var latest = matrix.Periods[^1];
        var late = rows.Single(r => r[0] == lateName);
        Assert.Equal(["Health", latest.Label], late[1..3]);
        var lateRow = sheet.RowsUsed().Single(r => r.Cell(1).GetString() == lateName);
        Assert.Equal(latest.DueDate.ToDateTime(TimeOnly.MinValue), lateRow.Cell(4).GetDateTime());
        Assert.Equal(matrix.Today.DayNumber - latest.DueDate.DayNumber, lateRow.Cell(5).GetValue<int>());
        Assert.DoesNotContain(sheet.CellsUsed(), c => c.HasFormula);
        Assert.All(sheet.ColumnsUsed(), c => Assert.True(c.Width >= 10));
    }

    [Fact]
    public async Task TextThatLooksLikeAFormulaIsWrittenAsText()
    {
        var data = await TrackerTestData.CreateAsync(db.DataSource, "export-injection");
        string[] names = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2 Trust", "-3 Service", "@SUM(A1) Agency"];
        foreach (var name in names)
            await data.AddAgencyAsync(name, "other");
        await data.AddQuarterAsync(2024, 1, new DateOnly(2024, 7, 26));

        var file = await Export().BuildChasingListAsync(data.Admin, new SubmissionMatrixRequest(4));

        using var workbook = new XLWorkbook(new MemoryStream(file.Bytes));
        var sheet = workbook.Worksheet(1);
        Assert.DoesNotContain(sheet.CellsUsed(), c => c.HasFormula);
        var agencyCells = DataRows(sheet).Select(r => r[0]).ToList();
        // The names are kept exactly; Excel's quote prefix (not a visible apostrophe) keeps them text when a cell is edited.
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), agencyCells.Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(sheet.RowsUsed().Where(r => r.RowNumber() > TrackerExport.HeaderRow), r =>
        {
            Assert.Equal(XLDataType.Text, r.Cell(1).DataType);
            Assert.True(r.Cell(1).Style.IncludeQuotePrefix, r.Cell(1).GetString());
        });
    }

    [Fact]
    public async Task TheSectorFilterAppliesToTheExportAndOnlyPartnershipRolesMayExport()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);

        var file = await Export().BuildChasingListAsync(exec, new SubmissionMatrixRequest(8, Sector.Health));

        using var workbook = new XLWorkbook(new MemoryStream(file.Bytes));
        var rows = DataRows(workbook.Worksheet(1));
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(Sectors.Label("health"), r[1]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Export().BuildChasingListAsync(police, new SubmissionMatrixRequest(8)));
    }
}
