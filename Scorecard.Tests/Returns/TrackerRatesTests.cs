using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>
/// Statuses and DHIS2-style reporting rates on a partnership built by hand, where every return's timing is chosen:
/// completeness = received ÷ expected, timeliness = received by the due date ÷ expected, a quarter not yet due is not expected.
/// </summary>
public sealed class TrackerRatesTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>
{
    private static readonly DateTimeOffset Today = new(2025, 2, 15, 12, 0, 0, TimeSpan.Zero);

    private sealed record Built(TrackerTestData Data, int Alpha, int Bravo, int Charlie, int[] Periods);

    /// <summary>
    /// Alpha: on time, late, resubmitted (on time then a second version), early in the quarter not yet due.
    /// Bravo: on time, nothing, only a rejected version, nothing yet. Charlie: on the due date at 23:00, the next midnight,
    /// nothing, nothing yet. An inactive agency and one reporting no measure are not expected at all.
    /// </summary>
    private async Task<Built> BuildAsync(string code)
    {
        var data = await TrackerTestData.CreateAsync(db.DataSource, code);
        var alpha = await data.AddAgencyAsync("Alpha Council", "council");
        var bravo = await data.AddAgencyAsync("Bravo Police", "police");
        var charlie = await data.AddAgencyAsync("Charlie Health", "health");
        await data.AddAgencyAsync("Dormant School", "education", active: false);
        await data.AddAgencyAsync("Echo Charity", "voluntary", reports: false);
        DateOnly[] due = [new(2024, 7, 26), new(2024, 10, 25), new(2025, 1, 27), new(2025, 4, 28)];
        var periods = new int[4];
        for (var q = 0; q < 4; q++)
            periods[q] = await data.AddQuarterAsync(2024, q + 1, due[q]);

        DateTime At(int q, int days, int hour = 9) => due[q].ToDateTime(new TimeOnly(hour, 0)).AddDays(days);
        await data.AddReturnAsync(alpha, periods[0], 1, At(0, -3));
        await data.AddReturnAsync(alpha, periods[1], 1, At(1, 2));
        await data.AddReturnAsync(alpha, periods[2], 1, At(2, -1), ReturnStatus.Superseded);
        await data.AddReturnAsync(alpha, periods[2], 2, At(2, 10));
        await data.AddReturnAsync(alpha, periods[3], 1, new DateTime(2025, 2, 10, 9, 0, 0));
        await data.AddReturnAsync(bravo, periods[0], 1, At(0, -1));
        await data.AddReturnAsync(bravo, periods[2], 1, At(2, -2), ReturnStatus.Rejected);
        await data.AddReturnAsync(charlie, periods[0], 1, At(0, 0, 23));
        await data.AddReturnAsync(charlie, periods[1], 1, At(1, 1, 0));
        return new Built(data, alpha, bravo, charlie, periods);
    }

    private ReturnQueries Returns => new(db.DataSource, new FixedClock(Today));

    [Fact]
    public async Task EachCellIsClassifiedByWhenItsFirstVersionArrived()
    {
        var b = await BuildAsync("rates-cells");

        var matrix = await Returns.GetSubmissionMatrixAsync(b.Data.Admin, new SubmissionMatrixRequest(8));

        Assert.Equal(b.Periods, matrix.Periods.Select(p => p.PeriodId));
        SubmissionStatus[] Statuses(int agencyId) => matrix.Agencies.Single(a => a.AgencyId == agencyId).Cells.Select(c => c.Status).ToArray();
        Assert.Equal([SubmissionStatus.OnTime, SubmissionStatus.Late, SubmissionStatus.Resubmitted, SubmissionStatus.OnTime], Statuses(b.Alpha));
        Assert.Equal([SubmissionStatus.OnTime, SubmissionStatus.Missing, SubmissionStatus.Missing, SubmissionStatus.Awaited], Statuses(b.Bravo));
        Assert.Equal([SubmissionStatus.OnTime, SubmissionStatus.Late, SubmissionStatus.Missing, SubmissionStatus.Awaited], Statuses(b.Charlie));
        Assert.Equal(3, matrix.Agencies.Count);
    }

    [Fact]
    public async Task RatesAreReceivedAndOnTimeOverExpectedForThePartnershipAgencyAndQuarter()
    {
        var b = await BuildAsync("rates-sums");

        var matrix = await Returns.GetSubmissionMatrixAsync(b.Data.Admin, new SubmissionMatrixRequest(8));

        // Expected: 4 + 3 + 3 (the quarter not yet due counts only for Alpha, who has already returned).
        // Received: Alpha 4, Bravo 1 (the rejected version never counts), Charlie 2. On time: Alpha 3, Bravo 1, Charlie 1.
        Assert.Equal(new ReportingRates(10, 7, 5), matrix.Rates);
        Assert.Equal(0.7m, matrix.Rates.Completeness);
        Assert.Equal(0.5m, matrix.Rates.Timeliness);
        Assert.Equal(new ReportingRates(4, 4, 3), matrix.Agencies.Single(a => a.AgencyId == b.Alpha).Rates);
        Assert.Equal(new ReportingRates(3, 1, 1), matrix.Agencies.Single(a => a.AgencyId == b.Bravo).Rates);
        Assert.Equal(new ReportingRates(3, 2, 1), matrix.Agencies.Single(a => a.AgencyId == b.Charlie).Rates);
        Assert.Equal(new ReportingRates(3, 2, 0), matrix.RatesFor(b.Periods[1])); // Alpha and Charlie late, Bravo missing
        Assert.Equal(new ReportingRates(1, 1, 1), matrix.RatesFor(b.Periods[3]));
        Assert.Equal("67%", ReportingRates.Percent(matrix.RatesFor(b.Periods[1]).Completeness));
    }

    [Fact]
    public async Task OverdueAgenciesComeFirstAndASectorFilterNarrowsTheRates()
    {
        var b = await BuildAsync("rates-order");

        var matrix = await Returns.GetSubmissionMatrixAsync(b.Data.Admin, new SubmissionMatrixRequest(8));
        var police = await Returns.GetSubmissionMatrixAsync(b.Data.Admin, new SubmissionMatrixRequest(8, Sector.Police));

        // Bravo and Charlie both miss the latest overdue quarter and have two problems each (then by name); Alpha has none missing.
        Assert.Equal([b.Bravo, b.Charlie, b.Alpha], matrix.Agencies.Select(a => a.AgencyId));
        Assert.Equal([b.Bravo], police.Agencies.Select(a => a.AgencyId));
        Assert.Equal(new ReportingRates(3, 1, 1), police.Rates);
    }

    [Fact]
    public async Task TheLastNQuartersAreTheLatestThatHaveStarted()
    {
        var b = await BuildAsync("rates-window");
        await b.Data.AddQuarterAsync(2025, 1, new DateOnly(2025, 7, 28));

        var matrix = await Returns.GetSubmissionMatrixAsync(b.Data.Admin, new SubmissionMatrixRequest(2));

        Assert.Equal(b.Periods[2..], matrix.Periods.Select(p => p.PeriodId));
    }

    [Fact]
    public async Task AQuarterWithNoExpectedAgenciesHasNoRate()
    {
        var data = await TrackerTestData.CreateAsync(db.DataSource, "rates-empty");
        var period = await data.AddQuarterAsync(2024, 1, new DateOnly(2024, 7, 26));

        var single = await Returns.GetPeriodSubmissionsAsync(data.Admin, period);

        Assert.Empty(single!.Agencies);
        Assert.Null(single.Rates.Completeness);
        Assert.Equal("–", ReportingRates.Percent(single.Rates.Timeliness));
        Assert.Null(await Returns.GetPeriodSubmissionsAsync(data.Admin, period + 1000));
    }
}
