using ClosedXML.Excel;
using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Triangulation;

/// <summary>The matrix and theme exports: every cell and its evidence, small numbers hidden whoever downloads.</summary>
public sealed class TriangulationExportTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private TriangulationQueries Queries => new(db.DataSource, new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System));

    private static string AllText(byte[] bytes)
    {
        using var wb = new XLWorkbook(new MemoryStream(bytes));
        return string.Join("\n", wb.Worksheets.SelectMany(ws => ws.CellsUsed().Select(c => c.GetString())));
    }

    [Fact]
    public async Task TheMatrixExportHasEveryThemeAndVerdictAndHidesSmallNumbersEvenFromQa()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var onScreen = await Queries.MatrixAsync(qa, null, null, default);
        var exported = await Queries.MatrixAsync(qa, null, null, default, forExport: true);

        var text = AllText(TriangulationExport.Matrix(exported, qa.DisplayName, DateTimeOffset.UtcNow));

        using var wb = new XLWorkbook(new MemoryStream(TriangulationExport.Matrix(exported, qa.DisplayName, DateTimeOffset.UtcNow)));
        var matrix = wb.Worksheet("Matrix");
        Assert.Equal(TriangulationDemo.ContestedTheme, matrix.Cell(5, 1).GetString());
        Assert.Equal("Contested", matrix.Cell(5, 9).GetString());
        Assert.All(onScreen.Rows, r => Assert.Contains(r.Theme.Title, text));
        // QA sees the young carers' 79% on screen; the export shows the reason instead.
        Assert.Contains(onScreen.Rows.SelectMany(r => r.Lenses).SelectMany(l => l.Items), i => i.Figures.StartsWith("79%", StringComparison.Ordinal));
        Assert.DoesNotContain("79% (", text);
        Assert.Contains(Scorecard.Data.Voice.VoiceDisclosure.SmallAnswer, text);
    }

    [Fact]
    public async Task AThemeExportHasItsLensesEvidenceOverTimeAndJudgements()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var id = (await Queries.MatrixAsync(exec, null, null, default)).Rows.Single(r => r.Theme.Title == TriangulationDemo.CorroboratedTheme).Theme.Id;
        var detail = await Queries.ThemeAsync(exec, id, null, default, forExport: true);

        using var wb = new XLWorkbook(new MemoryStream(TriangulationExport.Theme(detail!, exec.DisplayName, DateTimeOffset.UtcNow)));

        Assert.Equal(["Lenses", "Evidence", "Over time", "Judgements"], wb.Worksheets.Select(w => w.Name));
        Assert.Equal("Corroborated (positive)", wb.Worksheet("Lenses").Cell(4, 2).GetString());
        Assert.Contains(wb.Worksheet("Evidence").CellsUsed(), c => c.GetString().StartsWith("CS-CE-SCREEN", StringComparison.Ordinal));
    }
}
