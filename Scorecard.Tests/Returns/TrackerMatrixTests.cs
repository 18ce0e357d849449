using Scorecard.Data.Catalog;
using Scorecard.Data.Demo;
using Scorecard.Data.Home;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>The tracker's agency × quarter matrix over the demo partnership, and its agreement with the home page.</summary>
public sealed class TrackerMatrixTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();
    private ReturnQueries Returns => new(db.DataSource, FixedClock.DemoToday);
    private static string LateAgencyName => Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey).Name;

    private async Task<IReadOnlyList<PeriodRow>> PeriodsOldestFirstAsync()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        return (await new CatalogQueries(db.DataSource).ListPeriodsAsync(admin)).OrderBy(p => p.FiscalYear).ThenBy(p => p.Quarter).ToList();
    }

    [Fact]
    public async Task TheLateAgencyIsLateInItsLateQuartersAndMissingInTheLatest()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var periods = await PeriodsOldestFirstAsync();

        var matrix = await Returns.GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8));

        Assert.Equal(periods.TakeLast(8).Select(p => p.Id), matrix.Periods.Select(p => p.PeriodId));
        var row = matrix.Agencies.Single(a => a.AgencyName == LateAgencyName);
        for (var i = 0; i < matrix.Periods.Count; i++)
        {
            var index = periods.Count - matrix.Periods.Count + i;
            var expected = index >= Demo.Signals.MissingFromIndex ? SubmissionStatus.Missing : index >= Demo.Signals.LateFromIndex ? SubmissionStatus.Late : (SubmissionStatus?)null;
            if (expected is not null)
                Assert.Equal(expected, row.Cells[i].Status);
        }
        Assert.True(row.IsOverdue);
        Assert.Equal(periods.Count - Demo.Signals.MissingFromIndex, row.MissingCount);
        Assert.Equal(Demo.Signals.MissingFromIndex - Demo.Signals.LateFromIndex, row.LateCount);
    }

    [Fact]
    public async Task AgenciesMissingTheLatestQuarterComeFirstWithTheLateAgencyAtTheTop()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        var matrix = await Returns.GetSubmissionMatrixAsync(qa, new SubmissionMatrixRequest(8));

        var missingLatest = matrix.Agencies.TakeWhile(a => a.Cells[^1].Status == SubmissionStatus.Missing).Count();
        Assert.True(missingLatest > 0);
        Assert.DoesNotContain(matrix.Agencies.Skip(missingLatest), a => a.Cells[^1].Status == SubmissionStatus.Missing);
        Assert.Equal(LateAgencyName, matrix.Agencies[0].AgencyName);
    }

    [Fact]
    public async Task EveryCellAgreesWithThePeriodQueryTheHomePageUses()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);

        var matrix = await Returns.GetSubmissionMatrixAsync(exec, new SubmissionMatrixRequest(4));

        foreach (var (period, index) in matrix.Periods.Select((p, i) => (p, i)))
        {
            var single = await Returns.GetPeriodSubmissionsAsync(exec, period.PeriodId);
            var byAgency = single!.Agencies.ToDictionary(a => a.AgencyId, a => a.Status);
            Assert.Equal(matrix.Agencies.Count, byAgency.Count);
            Assert.All(matrix.Agencies, a => Assert.Equal(byAgency[a.AgencyId], a.Cells[index].Status));
            Assert.Equal(single.Received, matrix.RatesFor(period.PeriodId).Received);
        }
    }

    [Fact]
    public async Task TheHomePageShowsTheTrackersNumbersForTheLatestDueQuarter()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        var home = await new HomeQueries(db.DataSource, Returns, FixedClock.DemoToday).GetSummaryAsync(qa);
        var matrix = await Returns.GetSubmissionMatrixAsync(qa, new SubmissionMatrixRequest(8));

        var latest = home.LatestQuarter!;
        Assert.Equal(matrix.Periods[^1].PeriodId, latest.PeriodId);
        var column = matrix.RatesFor(latest.PeriodId);
        Assert.Equal(column.Received, latest.Received);
        Assert.Equal(matrix.Agencies.Count, latest.Expected);
        Assert.Equal(matrix.Agencies.Count(a => a.Cells[^1].Status == SubmissionStatus.Missing), latest.Overdue.Count());
        Assert.Equal(column.Completeness, latest.Rates.Completeness);
    }

    [Fact]
    public async Task TheSectorFilterKeepsOnlyThatSectorsAgencies()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);

        var all = await Returns.GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8));
        var health = await Returns.GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8, Sector.Health));

        Assert.NotEmpty(health.Agencies);
        Assert.All(health.Agencies, a => Assert.Equal("health", a.Sector));
        Assert.Equal(all.Agencies.Count(a => a.Sector == "health"), health.Agencies.Count);
        Assert.Contains(health.Agencies, a => a.AgencyName == LateAgencyName);
    }

    [Fact]
    public async Task AskingForMoreQuartersThanExistGivesEveryQuarter()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var periods = await PeriodsOldestFirstAsync();

        var matrix = await Returns.GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(SubmissionMatrixRequest.MaxQuarters));

        Assert.Equal(periods.Select(p => p.Id), matrix.Periods.Select(p => p.PeriodId));
        Assert.All(matrix.Agencies, a => Assert.Equal(periods.Count, a.Cells.Count));
    }
}
