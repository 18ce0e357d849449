using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Performance;

/// <summary>
/// Issue 8 §1 for figures from many agencies, over the demo partnership in PostgreSQL: the schools' measures (170 due)
/// are complete when 90% have returned, so they have SPC points; the count of missing schools stays shown; trends between
/// quarters with missing schools compare only the schools present in both and say so. The strict rule shows the difference.
/// </summary>
public sealed class SectorCompletenessTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(ScorecardData Data, Actor Qa)> LoadAsync()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        return (await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None), qa);
    }

    private static ScorecardLine Line(ScorecardData data, Actor viewer, string code, CompletenessRule? rule = null) =>
        ScorecardViewBuilder.Build(ScorecardSnapshot.Create(data, completeness: rule), viewer, ScorecardScope.Partnership)
            .Lines.Single(l => l.Measure.Code == code);

    [Theory]
    [InlineData("EDU-CP-ATTEND")]
    [InlineData("EDU-DSL-TRAINING")]
    public async Task ASchoolsMeasureWithNinetyPercentReturnedIsCompleteAndHasSpcPoints(string code)
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, code);

        var current = line.Current;
        Assert.True(current.Expected >= 10, $"{code} is due from {current.Expected} agencies");
        Assert.True(current.Received >= 0.9 * current.Expected, $"{current.Received} of {current.Expected}");
        Assert.True(current.Completeness.IsComplete);
        Assert.False(current.Provisional);
        Assert.NotNull(current.PointType);
        Assert.NotNull(line.Spc);
        Assert.NotNull(line.Variation);
        Assert.DoesNotContain(line.Statements, s => s.Kind == StatementKind.Provisional);
    }

    [Fact]
    public async Task TheCountOfMissingSchoolsStaysVisibleBesideACompleteFigure()
    {
        var (data, qa) = await LoadAsync();

        var current = Line(data, qa, "EDU-CP-ATTEND").Current;

        Assert.True(current.HasMissingReturns);
        Assert.Equal($"{current.Received} of {current.Expected} agencies", current.Completeness.Label);
        Assert.StartsWith("Complete enough:", current.Completeness.Description);
    }

    [Fact]
    public async Task ATrendBetweenQuartersWithMissingSchoolsComparesTheSchoolsInBothAndSaysSo()
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, "EDU-CP-ATTEND");

        Assert.NotEqual(TrendJudgement.NoData, line.VsPreviousQuarter.Judgement);
        Assert.Contains("Trend on last quarter like for like, over the", line.TrendNote);
        // The arrow is the like-for-like change, not the change between the two headline figures.
        var history = line.History;
        var headline = history[^1].Value!.Value - history[^2].Value!.Value;
        Assert.NotEqual(Math.Round(headline, 1), Math.Round(line.VsPreviousQuarter.Change!.Value, 1));
    }

    [Fact]
    public async Task UnderTheStrictRuleTheSameFigureIsProvisionalWithNoSpcPoint()
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, "EDU-CP-ATTEND", CompletenessRule.EveryAgency);

        Assert.True(line.Current.Provisional);
        Assert.Null(line.Current.PointType);
        Assert.Equal(TrendJudgement.NoData, line.VsPreviousQuarter.Judgement);
    }
}
