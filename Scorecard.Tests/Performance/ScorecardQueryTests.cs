using ClosedXML.Excel;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Performance;

/// <summary>
/// The scorecard query and builder on a small hand-built partnership in a real PostgreSQL: ratio measures aggregate as
/// sum of numerators over sum of denominators, missing returns show as missing, only accepted returns count, another
/// partnership's rows never appear, and small numbers are hidden from viewers outside the owning agency.
/// </summary>
public sealed class ScorecardQueryTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private Fixture home = default!;
    private Fixture other = default!;

    private sealed record Fixture(int PartnershipId, int CouncilId, int HealthId, int RatioMeasureId, int CountMeasureId, int[] PeriodIds);

    public async Task InitializeAsync()
    {
        home = await CreatePartnershipAsync(db.DataSource, "HOME");
        other = await CreatePartnershipAsync(db.DataSource, "OTHER");
        // Home: council 9 of 10, health 1 of 90 in the first quarter; later quarters similar; health misses the latest.
        for (var q = 0; q < home.PeriodIds.Length; q++)
        {
            var council = await AddReturnAsync(db.DataSource, home.PartnershipId, home.CouncilId, home.PeriodIds[q], 1, ReturnStatus.Accepted);
            await AddValueAsync(db.DataSource, home.PartnershipId, council, home.RatioMeasureId, 9 + q % 2, 10, (9m + q % 2) / 10 * 100);
            await AddValueAsync(db.DataSource, home.PartnershipId, council, home.CountMeasureId, null, null, q == 0 ? 3 : 40 + q);
            if (q == home.PeriodIds.Length - 1)
                continue;
            var health = await AddReturnAsync(db.DataSource, home.PartnershipId, home.HealthId, home.PeriodIds[q], 1, ReturnStatus.Accepted);
            await AddValueAsync(db.DataSource, home.PartnershipId, health, home.RatioMeasureId, 1, 90, 1m / 90 * 100);
        }
        // A superseded version with very different figures must not count.
        var old = await AddReturnAsync(db.DataSource, home.PartnershipId, home.HealthId, home.PeriodIds[0], 0, ReturnStatus.Superseded);
        await AddValueAsync(db.DataSource, home.PartnershipId, old, home.RatioMeasureId, 90, 90, 100);
        // The other partnership has the same measure codes and far larger figures.
        foreach (var period in other.PeriodIds)
        {
            var r = await AddReturnAsync(db.DataSource, other.PartnershipId, other.CouncilId, period, 1, ReturnStatus.Accepted);
            await AddValueAsync(db.DataSource, other.PartnershipId, r, other.RatioMeasureId, 500, 1000, 50);
            await AddValueAsync(db.DataSource, other.PartnershipId, r, other.CountMeasureId, null, null, 9999);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Actor Qa(Fixture f) => new(f.PartnershipId, 1, "QA", Role.QaMember, null);

    private async Task<ScorecardData> LoadAsync(Fixture f) =>
        await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(Qa(f), CancellationToken.None);

    [Fact]
    public async Task ARatioMeasureIsTheSumOfNumeratorsOverTheSumOfDenominatorsNotAnAverageOfPercentages()
    {
        var data = await LoadAsync(home);

        var line = ScorecardBuilder.Build(data, Qa(home), ScorecardScope.Partnership, "2024-Q1").Lines.Single(l => l.Measure.Code == "T-RATIO");

        // (9 + 1) / (10 + 90) = 10%, where the mean of 90% and 1.1% would be 45.6%.
        Assert.Equal(10m, line.Current.Value);
        Assert.Equal(10m, line.Current.Numerator);
        Assert.Equal(100m, line.Current.Denominator);
        Assert.Equal(2, line.Current.Received);
    }

    [Fact]
    public async Task AMissingReturnShowsAsMissingWithTheAgencyNamedAndIsNotCountedAsZero()
    {
        var data = await LoadAsync(home);
        var view = ScorecardBuilder.Build(data, Qa(home), ScorecardScope.Partnership);
        var line = view.Lines.Single(l => l.Measure.Code == "T-RATIO");

        Assert.Equal("2025-Q2", view.Period!.Key);
        Assert.Equal(["Home Health Trust"], line.Current.Missing.Select(a => a.Name));
        Assert.Equal(1, line.Current.Received);
        Assert.Equal(100m, line.Current.Value); // the council's 10 of 10 alone
        Assert.Contains(ExceptionReason.MissingData, line.Exceptions);
    }

    [Fact]
    public async Task AnotherPartnershipsRowsNeverAppear()
    {
        var data = await LoadAsync(home);

        Assert.All(data.Values, v => Assert.DoesNotContain(v.Value, new decimal?[] { 50m, 9999m }));
        Assert.DoesNotContain(data.Agencies, a => a.Name.StartsWith("Other", StringComparison.Ordinal));
        Assert.Equal(2, data.Measures.Count);
        Assert.All(data.Periods, p => Assert.Contains(p.Id, home.PeriodIds));
    }

    [Fact]
    public async Task ACountOfOneToFourIsHiddenFromViewersOutsideTheOwningAgency()
    {
        var data = await LoadAsync(home);
        var councilUser = new Actor(home.PartnershipId, 2, "Council user", Role.AgencyUser, home.CouncilId);
        var healthUser = new Actor(home.PartnershipId, 3, "Health user", Role.AgencyUser, home.HealthId);

        QuarterFigure First(Actor viewer, bool forExport = false) =>
            ScorecardBuilder.Build(data, viewer, ScorecardScope.Partnership, forExport: forExport).Lines.Single(l => l.Measure.Code == "T-COUNT").History[0];

        Assert.True(First(Qa(home)).Suppressed);
        Assert.True(First(healthUser).Suppressed);
        Assert.False(First(councilUser).Suppressed);
        Assert.True(First(councilUser, forExport: true).Suppressed);
        Assert.Equal(SpcWords.FewerThanFive, FigureFormat.Figure(First(Qa(home)), data.Measures.Single(m => m.Code == "T-COUNT")));
    }

    [Fact]
    public async Task AMeasureThatCountsNoPeopleShowsItsSmallNumbers()
    {
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("update measure set suppress_small_numbers = false where partnership_id = @P and id = @M",
                new { P = home.PartnershipId, M = home.CountMeasureId });
        var data = await LoadAsync(home);

        var first = ScorecardBuilder.Build(data, Qa(home), ScorecardScope.Partnership, forExport: true).Lines.Single(l => l.Measure.Code == "T-COUNT").History[0];

        Assert.False(first.Suppressed);
        Assert.Equal(3m, first.Value);
    }

    [Fact]
    public async Task AnAgencyUserMaySeeThePartnershipAndTheirOwnAgencyOnly()
    {
        var data = await LoadAsync(home);
        var healthUser = new Actor(home.PartnershipId, 3, "Health user", Role.AgencyUser, home.HealthId);

        Assert.Throws<AccessDeniedException>(() => ScorecardBuilder.Build(data, healthUser, new ScorecardScope(AgencyId: home.CouncilId)));
        Assert.Throws<AccessDeniedException>(() => ScorecardBuilder.Build(data, healthUser, new ScorecardScope(Sector: Sector.Council)));
        var own = ScorecardBuilder.Build(data, healthUser, new ScorecardScope(AgencyId: home.HealthId));
        Assert.Equal(["T-RATIO"], own.Lines.Select(l => l.Measure.Code));
        var detail = ScorecardBuilder.BuildMeasure(data, healthUser, "T-RATIO")!;
        Assert.Equal(["Home Health Trust"], detail.Agencies.Select(a => a.Agency.Name));
        Assert.Equal(1, detail.HiddenAgencies);
    }

    [Fact]
    public async Task TheAgencyScopeShowsThatAgencysOwnFigures()
    {
        var data = await LoadAsync(home);

        var line = ScorecardBuilder.Build(data, Qa(home), new ScorecardScope(AgencyId: home.HealthId), "2024-Q1").Lines.Single();

        Assert.Equal(1m, line.Current.Numerator);
        Assert.Equal(90m, line.Current.Denominator);
    }

    [Fact]
    public async Task TheMeasureExportWritesCommentaryThatLooksLikeAFormulaAsText()
    {
        await db.DataSource.OpenConnection().ExecuteAsync(
            "update measure_value set commentary = '=HYPERLINK(\"http://evil.example\",\"click\")' where partnership_id = @P and measure_id = @M",
            new { P = home.PartnershipId, M = home.RatioMeasureId });
        var data = await LoadAsync(home);
        var detail = ScorecardBuilder.BuildMeasure(data, Qa(home), "T-RATIO", forExport: true)!;

        var bytes = ScorecardExport.MeasureHistory(detail, "=cmd|' /C calc'!A0", DateTimeOffset.UtcNow);

        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var cells = workbook.Worksheets.SelectMany(w => w.CellsUsed()).ToList();
        Assert.DoesNotContain(cells, c => c.HasFormula);
        var commentary = cells.First(c => c.GetString().StartsWith("=HYPERLINK", StringComparison.Ordinal));
        Assert.Equal(XLDataType.Text, commentary.DataType);
        Assert.True(commentary.Style.IncludeQuotePrefix);
    }

    private static async Task<Fixture> CreatePartnershipAsync(NpgsqlDataSource ds, string code)
    {
        await using var conn = await ds.OpenConnectionAsync();
        // xunit makes a class instance per test, so each test builds its own pair of partnerships.
        var name = code == "HOME" ? "Home" : "Other";
        var p = await conn.ExecuteScalarAsync<int>("insert into partnership (code, name, short_name) values (@code, @name, @name) returning id",
            new { code = $"{code.ToLowerInvariant()}-{Guid.NewGuid():N}"[..30], name = name + " partnership" });
        async Task<int> Agency(string agencyName, string sector) => await conn.ExecuteScalarAsync<int>(
            "insert into agency (partnership_id, name, short_name, sector, partner_type) values (@p, @agencyName, @agencyName, @sector, 'statutory') returning id",
            new { p, agencyName, sector });
        var council = await Agency($"{name} Council", "council");
        var health = await Agency($"{name} Health Trust", "health");
        var priority = await conn.ExecuteScalarAsync<int>(
            "insert into priority (partnership_id, code, title, description, sort_order) values (@p, 'P1', 'Priority one', '', 1) returning id", new { p });
        async Task<int> Measure(string measureCode, MeasureUnit unit, string? num, string? den, Polarity polarity, decimal? target) => await conn.ExecuteScalarAsync<int>("""
            insert into measure (partnership_id, code, title, definition, unit, numerator_label, denominator_label, polarity, priority_id,
                owner_agency_id, target, amber_tolerance, decimal_places, benchmark_note, sort_order)
            values (@p, @measureCode, @measureCode, 'A test measure', @unit, @num, @den, @polarity, @priority, @council, @target, 5, 1, '', 1)
            returning id
            """, new { p, measureCode, unit = unit.ToDb(), num, den, polarity = polarity.ToDb(), priority, council, target });
        var ratio = await Measure("T-RATIO", MeasureUnit.Percent, "Done in time", "Done", Polarity.HigherIsBetter, 80m);
        var count = await Measure("T-COUNT", MeasureUnit.Count, null, null, Polarity.Neutral, null);
        await conn.ExecuteAsync("insert into measure_reporter (partnership_id, measure_id, agency_id) values (@p, @ratio, @council), (@p, @ratio, @health), (@p, @count, @council)",
            new { p, ratio, count, council, health });
        var periods = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var fy = 2024 + (i / 4);
            var q = i % 4 + 1;
            var start = new DateOnly(fy, 4, 1).AddMonths(3 * (q - 1));
            var end = start.AddMonths(3).AddDays(-1);
            periods.Add(await conn.ExecuteScalarAsync<int>(
                "insert into reporting_period (partnership_id, fiscal_year, quarter, start_date, end_date, due_date) values (@p, @fy, @q, @start, @end, @due) returning id",
                new { p, fy, q = (short)q, start, end, due = end.AddDays(30) }));
        }
        return new Fixture(p, council, health, ratio, count, periods.ToArray());
    }

    private static async Task<long> AddReturnAsync(NpgsqlDataSource ds, int p, int agency, int period, int version, ReturnStatus status)
    {
        await using var conn = await ds.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>(
            "insert into data_return (partnership_id, agency_id, period_id, version, status, source) values (@p, @agency, @period, @version, @status, 'demo') returning id",
            new { p, agency, period, version = version == 0 ? 5 : version, status = status.ToDb() });
    }

    private static async Task AddValueAsync(NpgsqlDataSource ds, int p, long returnId, int measure, decimal? numerator, decimal? denominator, decimal value)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await conn.ExecuteAsync(
            "insert into measure_value (partnership_id, return_id, measure_id, numerator, denominator, value) values (@p, @returnId, @measure, @numerator, @denominator, @value)",
            new { p, returnId, measure, numerator, denominator, value });
    }
}
