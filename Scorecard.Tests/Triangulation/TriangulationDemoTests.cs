using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scorecard.Tests.Triangulation;

/// <summary>The demo matrix on a real PostgreSQL: the planted contested, corroborated and insufficient themes.</summary>
public sealed class TriangulationDemoTests(DatabaseFixture db, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    private TriangulationQueries Queries => new(db.DataSource, new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System));

    [Fact]
    public async Task ThePlantedThemesComeOutAsPlanted()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var matrix = await Queries.MatrixAsync(qa, null, null, default);
        foreach (var row in matrix.Rows)
        {
            output.WriteLine($"{row.Theme.Title}: {row.Verdict.Label} — {row.Verdict.Reason}");
            foreach (var l in row.Lenses)
            {
                output.WriteLine($"   {l.Lens}: {l.Judgement} — {l.Summary}");
                foreach (var i in l.Items)
                    output.WriteLine($"        {i.Judgement} {i.Label} | {i.Source} | {i.Figures}");
            }
        }
        Assert.Equal(8, matrix.Rows.Count);
        Assert.Equal(TriangulationDemo.ContestedTheme, matrix.Rows[0].Theme.Title);
        Assert.Equal(Verdict.Contested, matrix.Rows[0].Verdict.Verdict);
        var exploitation = matrix.Rows.Single(r => r.Theme.Title == TriangulationDemo.CorroboratedTheme);
        Assert.Equal((Verdict.Corroborated, Side.Positive), (exploitation.Verdict.Verdict, exploitation.Verdict.Side));
        Assert.Equal(Verdict.InsufficientEvidence, matrix.Rows.Single(r => r.Theme.Title == TriangulationDemo.InsufficientTheme).Verdict.Verdict);
    }
}
