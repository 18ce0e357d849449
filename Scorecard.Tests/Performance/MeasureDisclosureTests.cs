using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Performance;

/// <summary>
/// Issue 8 §2 on the demo partnership in PostgreSQL: on every measure page, as the QA member sees it and as both exports
/// write it, every agency count of 1–4 is hidden and no total the product shows beside those cells (the partnership
/// figure, a sector's figure) gives a hidden one back, by subtraction or by ranges (<see cref="DisclosureAudit"/>).
/// </summary>
public sealed class MeasureDisclosureTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoMeasurePagesAgencyCellsLetATotalGiveASmallCountAway(bool forExport)
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None);
        var snapshot = ScorecardSnapshot.Create(data);
        var sectors = data.Agencies.Select(a => a.Sector).Distinct().ToList();
        // The totals the product shows beside the cells: the partnership's and each sector's, as the QA member's scorecard has them.
        var shownTotals = new[] { ScorecardScope.Partnership }.Concat(sectors.Select(s => new ScorecardScope(Sector: s)))
            .ToDictionary(scope => scope.Sector is { } s ? s.ToDb() : "", scope => ScorecardViewBuilder.Build(snapshot, qa, scope, forExport: forExport).Lines
                .ToDictionary(l => l.Measure.Id, l => l.History.ToDictionary(f => f.Period.Id)));
        var checkedQuarters = 0;

        foreach (var measure in data.Measures.Where(m => m.SuppressSmallNumbers))
        {
            var detail = ScorecardViewBuilder.BuildMeasure(snapshot, qa, measure.Code, forExport: forExport)!;
            var reporters = snapshot.ReportersInScope(measure.Id, ScorecardScope.Partnership);
            Assert.Equal(reporters.Count, detail.Agencies.Count);
            for (var q = 0; q < detail.Periods.Count; q++)
            {
                var period = detail.Periods[q];
                var counts = reporters.Select(a => snapshot.Value(measure.Id, a.Id, period.Id))
                    .Select(v => measure.IsRatio ? v?.Numerator : measure.Unit == MeasureUnit.Count ? v?.Value : null).ToList();
                var hidden = detail.Agencies.Select(s => s.Quarters[q].Suppressed).ToList();
                if (!counts.Any(SmallNumbers.IsSmall))
                    continue;
                checkedQuarters++;
                for (var i = 0; i < counts.Count; i++)
                {
                    if (SmallNumbers.IsSmall(counts[i]))
                        Assert.True(hidden[i], $"{measure.Code} {period.Label}: {reporters[i].Name}'s {counts[i]} is shown");
                }

                // Every total shown beside these cells, offered to one audit as a reader would add them up.
                var audit = new DisclosureAudit();
                var ids = counts.Select((c, i) => c is { } v ? audit.AddCount(v, hidden[i]) : -1).ToList();
                foreach (var (key, byMeasure) in shownTotals)
                {
                    if (!byMeasure.TryGetValue(measure.Id, out var history) || !history.TryGetValue(period.Id, out var figure)
                        || figure.Suppressed || figure.Value is null)
                        continue;
                    var members = Enumerable.Range(0, counts.Count).Where(i => ids[i] >= 0 && (key == "" || reporters[i].Sector.ToDb() == key)).ToList();
                    var decision = audit.Offer(members.Select(i => (ids[i], 1m)).ToList(), key == "" ? "the partnership" : key);
                    Assert.True(decision.Show, $"{measure.Code} {period.Label}: the {(key == "" ? "partnership" : key)} figure gives a hidden count away "
                        + $"({string.Join(", ", counts.Select((c, i) => $"{reporters[i].Sector}:{c}{(hidden[i] ? "*" : "")}"))})");
                }
            }
        }

        Assert.True(checkedQuarters > 0, "the demo has agency counts of 1–4 to protect");
    }

    [Fact]
    public async Task ASectorFigureThatWouldGiveAwayASmallSectorIsWithheld()
    {
        // CS-NRM in 2020/21 Q3 (demo): police 0 and 7, council 4. The partnership's 11 less the police's 7 would be the
        // council's 4, so the police sector's figure for that quarter is withheld.
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None);
        var snapshot = ScorecardSnapshot.Create(data);
        var police = data.Agencies.First(a => a.Name == "Cheshire Constabulary").Sector;

        var line = ScorecardViewBuilder.Build(snapshot, qa, new ScorecardScope(Sector: police)).Lines.Single(l => l.Measure.Code == "CS-NRM");
        var partnership = ScorecardViewBuilder.Build(snapshot, qa, ScorecardScope.Partnership).Lines.Single(l => l.Measure.Code == "CS-NRM");

        Assert.True(line.History.Single(f => f.Period.Label == "2020/21 Q3").Suppressed);
        Assert.False(partnership.History.Single(f => f.Period.Label == "2020/21 Q3").Suppressed);
    }

    [Fact]
    public async Task TheOwningAgencySeesItsOwnSmallCountsOnItsMeasurePage()
    {
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(police, CancellationToken.None);
        var snapshot = ScorecardSnapshot.Create(data);

        var own = data.Measures.Where(m => m.SuppressSmallNumbers)
            .Select(m => ScorecardViewBuilder.BuildMeasure(snapshot, police, m.Code)!)
            .SelectMany(d => d.Agencies)
            .Where(s => s.Agency.Id == police.AgencyId)
            .SelectMany(s => s.Quarters)
            .ToList();

        Assert.NotEmpty(own);
        Assert.All(own, f => Assert.False(f.Suppressed));
    }
}
