using Dapper;
using Scorecard.Data.Catalog;
using Scorecard.Data.Demo;
using Scorecard.Data.Home;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>The demo partnership as loaded into PostgreSQL: complete, and with its planted signals where the home page and scorecard read them.</summary>
public sealed class DemoDataTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    [Fact]
    public async Task EveryGeneratedRecordIsInTheDatabase()
    {
        Assert.Equal(Demo.Agencies.Count, await Actors.CountAsync(db.DataSource, "agency"));
        Assert.Equal(Demo.Measures.Count, await Actors.CountAsync(db.DataSource, "measure"));
        Assert.Equal(22, await Actors.CountAsync(db.DataSource, "reporting_period"));
        Assert.Equal(Demo.Returns.Count, await Actors.CountAsync(db.DataSource, "data_return", "status = 'accepted'"));
        Assert.Equal(Demo.Values.Count, await Actors.CountAsync(db.DataSource, "measure_value"));
        Assert.Equal(5, await Actors.CountAsync(db.DataSource, "app_user"));
        Assert.Equal(4, await Actors.CountAsync(db.DataSource, "priority"));
    }

    [Fact]
    public async Task LoadingTheDemoAgainChangesNothing()
    {
        var before = await Actors.CountAsync(db.DataSource, "measure_value");

        var (_, loaded) = await DemoLoader.LoadAsync(db.DataSource, Demo);

        Assert.False(loaded);
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "measure_value"));
    }

    [Fact]
    public async Task TheLateAgencyIsMissingForTheLatestQuarterAndLateBeforeIt()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var periods = (await new CatalogQueries(db.DataSource).ListPeriodsAsync(admin)).OrderBy(p => p.FiscalYear).ThenBy(p => p.Quarter).ToList();
        var returns = new ReturnQueries(db.DataSource, FixedClock.DemoToday);
        var lateName = Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey).Name;

        var latest = await returns.GetPeriodSubmissionsAsync(admin, periods[Demo.Signals.MissingFromIndex].Id);
        var earlier = await returns.GetPeriodSubmissionsAsync(admin, periods[Demo.Signals.LateFromIndex].Id);

        Assert.Equal(SubmissionStatus.Missing, latest!.Agencies.Single(a => a.AgencyName == lateName).Status);
        Assert.Equal(SubmissionStatus.Late, earlier!.Agencies.Single(a => a.AgencyName == lateName).Status);
        Assert.Equal(SubmissionStatus.Missing, latest.Agencies[0].Status);
        Assert.True(latest.Received < latest.Expected);
    }

    [Fact]
    public async Task TheHomeSummaryShowsTheLatestDueQuarterAndWhoIsOverdue()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var returns = new ReturnQueries(db.DataSource, FixedClock.DemoToday);

        var summary = await new HomeQueries(db.DataSource, returns, FixedClock.DemoToday).GetSummaryAsync(qa);

        Assert.Equal("Cheshire East Safeguarding Children Partnership", summary.PartnershipName);
        Assert.Equal((2025, 2), (summary.LatestQuarter!.FiscalYear, summary.LatestQuarter.Quarter));
        Assert.Equal(Demo.Measures.Count, summary.MeasuresByPriority.Sum(p => p.Measures));
        Assert.Equal(Demo.Returns.Count(r => r.FiscalYear == 2025 && r.Quarter == 2), summary.LatestQuarter.Received);
        Assert.Contains(summary.LatestQuarter.Overdue, a => a.AgencyName == Demo.Agencies.Single(x => x.Key == Demo.Signals.LateAgencyKey).Name);
    }

    [Fact]
    public async Task RatioValuesAreStoredWithNumeratorAndDenominator()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var wrong = await conn.ExecuteScalarAsync<long>("""
            select count(*) from measure_value v join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
            where m.numerator_label is not null
              and (v.numerator is null or v.denominator is null or v.denominator = 0
                   or abs(v.value - round(v.numerator / v.denominator * case m.unit when 'percent' then 100 when 'rate_per_10k' then 10000 else 1 end, m.decimal_places)) > 0.0001)
            """);
        Assert.Equal(0, wrong);
    }
}
