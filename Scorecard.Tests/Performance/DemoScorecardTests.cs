using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Performance;

/// <summary>The scorecard built from the demo partnership in PostgreSQL finds every planted signal, and nothing the generator did not plant.</summary>
public sealed class DemoScorecardTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private async Task<(ScorecardData Data, Actor Qa)> LoadAsync()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        return (await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None), qa);
    }

    [Fact]
    public async Task TheDefaultQuarterIsTheLatestDueAndEveryActiveMeasureHasARow()
    {
        var (data, qa) = await LoadAsync();

        var view = ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership);

        Assert.Equal("2025-Q2", view.Period!.Key);
        Assert.Equal(Demo.Measures.Count, view.Lines.Count);
        Assert.All(view.Lines, l => Assert.Equal(22, l.History.Count));
        Assert.All(view.Lines, l => Assert.Equal(5, l.Window.Count));
    }

    [Fact]
    public async Task ExceptionsOnlyShowsEveryPlantedSignalWithItsReason()
    {
        var (data, qa) = await LoadAsync();
        var view = ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership);

        var exceptions = new ScorecardFilter(ExceptionsOnly: true).Apply(view.Lines).ToDictionary(l => l.Measure.Code);

        var s = Demo.Signals;
        Assert.Contains(ExceptionReason.SpecialCauseConcern, exceptions[s.ShiftMeasureCode].Exceptions);
        Assert.Contains(ExceptionReason.SpecialCauseConcern, exceptions[s.OutlierMeasureCode].Exceptions);
        Assert.Contains(ExceptionReason.ConsistentlyFailing, exceptions[s.NeverMetMeasureCode].Exceptions);
        Assert.Equal(VariationIcon.ConcernHigh, exceptions[s.ShiftMeasureCode].Variation);
        // The steady rise is green now and its limits describe the old process: an improvement to learn from, its
        // assurance withheld in words, and so no exception (it used to say "consistently failing" beside green).
        var trend = view.Lines.Single(l => l.Measure.Code == s.TrendMeasureCode);
        Assert.False(exceptions.ContainsKey(s.TrendMeasureCode));
        Assert.Equal(VariationIcon.ImprovementHigh, trend.Variation);
        Assert.Equal([ExceptionReason.SpecialCauseImprovement], trend.Exceptions);
        Assert.Equal(SpcWords.AssuranceOnOldProcess, trend.AssuranceStatement!.Text);
        Assert.True(exceptions.Count < view.Lines.Count, "exceptions only must leave some measures out");
        // Improvement is a note, never a reason on its own.
        Assert.All(exceptions.Values, l => Assert.Contains(l.Exceptions, e => e != ExceptionReason.SpecialCauseImprovement));
    }

    [Fact]
    public async Task TheOutlierIsAConcernBelowTheLowerLimitAndTheOnlySignalInTheQuartersShown()
    {
        var (data, qa) = await LoadAsync();
        var view = ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership);
        var line = view.Lines.Single(l => l.Measure.Code == Demo.Signals.OutlierMeasureCode);
        var firstShown = line.History.Count - line.Window.Count;

        var flagged = line.Window.Select((f, i) => (f, i)).Where(x => x.f.PointType != PointType.CommonCause).Select(x => firstShown + x.i).ToList();

        Assert.Equal([Demo.Signals.OutlierIndex], flagged);
        Assert.Equal(PointType.SpecialCauseConcern, line.History[Demo.Signals.OutlierIndex].PointType);
        Assert.Equal("Below the lower process limit", line.Spc!.Points[Demo.Signals.OutlierIndex].SpecialCauseType);
    }

    [Fact]
    public async Task TheLateAgencyIsNamedAsMissingOnTheMeasuresItReports()
    {
        var (data, qa) = await LoadAsync();
        var view = ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership);
        var late = Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey);
        var reported = Demo.Measures.Where(m => m.ReporterKeys.Contains(late.Key)).Select(m => m.Code).ToHashSet();

        var withLateMissing = view.Lines.Where(l => l.Current.Missing.Any(a => a.Name == late.Name)).Select(l => l.Measure.Code).ToHashSet();

        Assert.NotEmpty(reported);
        Assert.Equal(reported, withLateMissing);
        Assert.All(view.Lines.Where(l => reported.Contains(l.Measure.Code)), l => Assert.Contains(ExceptionReason.MissingData, l.Exceptions));
    }
}
