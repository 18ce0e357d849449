using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Catalog;

public sealed class CatalogCommandTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(Actor Admin, MeasureRow Measure)> AdminAndAMeasureAsync()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var measure = (await new CatalogQueries(db.DataSource).ListMeasuresAsync(admin)).First(m => m.Unit == MeasureUnit.Percent && m.IsRatio);
        return (admin, measure);
    }

    private static MeasureInput InputFrom(MeasureRow m, IReadOnlyList<int> reporters) =>
        new(m.Code, m.Title, m.Definition, m.Unit, m.NumeratorLabel, m.DenominatorLabel, m.Polarity, m.PriorityId, m.OwnerAgencyId,
            m.Target, m.AmberTolerance, m.DecimalPlaces, m.EnglandValue, m.NeighbourValue, m.BenchmarkNote, m.SortOrder, m.Active, reporters);

    [Fact]
    public async Task AMeasureWithBadFieldsIsRefusedFieldByFieldAndNothingIsWritten()
    {
        var (admin, m) = await AdminAndAMeasureAsync();
        var logBefore = await Actors.CountAsync(db.DataSource, "change_log");
        var bad = InputFrom(m, []) with
        {
            Code = "1bad code", Title = "", NumeratorLabel = "Children seen", DenominatorLabel = null, Target = 140m,
            AmberTolerance = -1m, DecimalPlaces = 7,
        };

        var result = await new MeasureCommands(db.DataSource).CreateAsync(admin, bad);

        Assert.False(result.Succeeded);
        Assert.Contains("capital letters", result.ErrorFor("Code"));
        Assert.Equal("Title is required.", result.ErrorFor("Title"));
        Assert.Contains("both a numerator and a denominator", result.ErrorFor("DenominatorLabel"));
        Assert.Contains("from 0 to 100", result.ErrorFor("Target"));
        Assert.Equal("Amber tolerance cannot be negative.", result.ErrorFor("AmberTolerance"));
        Assert.Equal("Decimal places must be between 0 and 4.", result.ErrorFor("DecimalPlaces"));
        Assert.Equal(logBefore, await Actors.CountAsync(db.DataSource, "change_log"));
    }

    [Fact]
    public async Task ANeutralMeasureCannotHaveATargetAndACountIsNeverARatio()
    {
        var (admin, m) = await AdminAndAMeasureAsync();
        var neutral = InputFrom(m, []) with { Code = "NEW-01", Polarity = Polarity.Neutral, Target = 50m };
        var countRatio = InputFrom(m, []) with { Code = "NEW-02", Unit = MeasureUnit.Count, Target = 3m };

        var r1 = await new MeasureCommands(db.DataSource).CreateAsync(admin, neutral);
        var r2 = await new MeasureCommands(db.DataSource).CreateAsync(admin, countRatio);

        Assert.Contains("context only", r1.ErrorFor("Target"));
        Assert.Contains("A count is not a ratio", r2.ErrorFor("Unit"));
    }

    [Fact]
    public async Task ADuplicateCodeIsAFieldErrorNotACrash()
    {
        var (admin, m) = await AdminAndAMeasureAsync();
        var other = (await new CatalogQueries(db.DataSource).ListMeasuresAsync(admin)).First(x => x.Id != m.Id);

        var result = await new MeasureCommands(db.DataSource).UpdateAsync(admin, other.Id, InputFrom(other, []) with { Code = m.Code });

        Assert.Equal("Another measure already has this code.", result.ErrorFor("Code"));
    }

    [Fact]
    public async Task EditingAMeasureLogsWhoWhenBeforeAndAfter()
    {
        var (admin, m) = await AdminAndAMeasureAsync();
        var queries = new CatalogQueries(db.DataSource);
        var reporters = await queries.ListReporterIdsAsync(admin, m.Id);
        var newTarget = (m.Target ?? 50m) == 77m ? 78m : 77m;

        var result = await new MeasureCommands(db.DataSource).UpdateAsync(admin, m.Id, InputFrom(m, reporters) with { Target = newTarget });

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(newTarget, (await queries.GetMeasureAsync(admin, m.Id))!.Target);
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("measure"))).Rows.First();
        Assert.Equal(m.Id.ToString(), log.EntityId);
        Assert.Equal(admin.DisplayName, log.UserName);
        Assert.Equal(admin.UserId, log.UserId);
        Assert.Equal("update", log.Action);
        Assert.Contains($"target {m.Target?.ToString() ?? "none"} → {newTarget}", log.Summary);
        Assert.Equal(newTarget, System.Text.Json.JsonDocument.Parse(log.After!).RootElement.GetProperty("target").GetDecimal());
        Assert.Equal(m.Target, System.Text.Json.JsonDocument.Parse(log.Before!).RootElement.GetProperty("target").GetDecimal());
        Assert.True(DateTime.UtcNow - log.ChangedAt.ToUniversalTime() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SavingAMeasureUnchangedWritesNoLogRow()
    {
        var (admin, m) = await AdminAndAMeasureAsync();
        var reporters = await new CatalogQueries(db.DataSource).ListReporterIdsAsync(admin, m.Id);
        var before = await Actors.CountAsync(db.DataSource, "change_log");

        var result = await new MeasureCommands(db.DataSource).UpdateAsync(admin, m.Id, InputFrom(m, reporters));

        Assert.True(result.Succeeded);
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "change_log"));
    }

    [Fact]
    public async Task AgenciesPrioritiesAndPeriodsAreValidatedAndLogged()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);

        var badAgency = await new AgencyCommands(db.DataSource).CreateAsync(admin, new AgencyInput("X", "", "space", "other"));
        var agency = await new AgencyCommands(db.DataSource).CreateAsync(admin, new AgencyInput("Cheshire Youth Sports Trust", "CYST", "voluntary", "relevant"));
        var dupAgency = await new AgencyCommands(db.DataSource).CreateAsync(admin, new AgencyInput("cheshire youth sports trust", "CYST2", "voluntary", "relevant"));
        var badPriority = await new PriorityCommands(db.DataSource).CreateAsync(admin, new PriorityInput("p 9", "", "", -1));
        var badPeriod = await new PeriodCommands(db.DataSource).CreateAsync(admin, new PeriodInput(2026, 5, new DateOnly(2026, 1, 1), true));
        var earlyDue = await new PeriodCommands(db.DataSource).CreateAsync(admin, new PeriodInput(2026, 1, new DateOnly(2026, 6, 1), true));
        var period = await new PeriodCommands(db.DataSource).CreateAsync(admin, new PeriodInput(2025, 3, new DateOnly(2026, 1, 28), true));

        Assert.Equal("Name must be at least 2 characters.", badAgency.ErrorFor("Name"));
        Assert.Equal("Short name is required.", badAgency.ErrorFor("ShortName"));
        Assert.Equal("Choose a sector.", badAgency.ErrorFor("Sector"));
        Assert.True(agency.Succeeded);
        Assert.Equal("Another agency of this partnership already has this name.", dupAgency.ErrorFor("Name"));
        Assert.Contains("like P1", badPriority.ErrorFor("Code"));
        Assert.Equal("Quarter is 1 to 4 (Q1 is April to June).", badPeriod.ErrorFor("Quarter"));
        Assert.Contains("cannot be before the quarter ends", earlyDue.ErrorFor("DueDate"));
        Assert.True(period.Succeeded);
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter())).Rows;
        Assert.Contains(log, e => e.Entity == "agency" && e.EntityId == agency.Value.ToString() && e.Action == "create");
        Assert.Contains(log, e => e.Entity == "reporting_period" && e.Summary.Contains("2025/26 Q3"));
    }

    [Fact]
    public async Task QuartersThatOverlapComeBeforeTheLatestOrLeaveAGapAreRefused()
    {
        // The demo calendar ends at 2025/26 Q2 (another test in this class may add Q3: both are "taken" below).
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var periods = new PeriodCommands(db.DataSource);
        var before = await Actors.CountAsync(db.DataSource, "reporting_period");

        var duplicate = await periods.CreateAsync(admin, new PeriodInput(2025, 2, new DateOnly(2025, 11, 28), true));
        var earlier = await periods.CreateAsync(admin, new PeriodInput(2019, 4, new DateOnly(2020, 5, 1), true));
        var gap = await periods.CreateAsync(admin, new PeriodInput(2027, 1, new DateOnly(2027, 8, 1), true));

        Assert.Matches("^2025/26 Q[23] (already exists|is before the latest quarter)", duplicate.ErrorFor("Quarter"));
        Assert.Contains("quarters are added in order", earlier.ErrorFor("Quarter"));
        Assert.Contains("would leave a gap after 2025/26 Q", gap.ErrorFor("Quarter"));
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "reporting_period"));
    }

    [Theory]
    [InlineData(2025, 2, 2025, 3, null)]
    [InlineData(2025, 4, 2026, 1, null)]
    [InlineData(2025, 2, 2025, 2, "2025/26 Q2 already exists. The next quarter to add is 2025/26 Q3.")]
    [InlineData(2025, 2, 2025, 1, "2025/26 Q1 is before the latest quarter (2025/26 Q2): quarters are added in order. The next quarter to add is 2025/26 Q3.")]
    [InlineData(2025, 2, 2025, 4, "2025/26 Q4 would leave a gap after 2025/26 Q2. Add 2025/26 Q3 first.")]
    public void OnlyTheQuarterStraightAfterTheLatestMayBeAdded(int latestYear, int latestQuarter, int year, int quarter, string? error) =>
        Assert.Equal(error, PeriodCommands.OrderError((latestYear, latestQuarter), new PeriodInput(year, quarter, new DateOnly(2030, 1, 1), true)));

    [Fact]
    public void TheFirstQuarterMayBeAnyQuarter() =>
        Assert.Null(PeriodCommands.OrderError(null, new PeriodInput(2019, 3, new DateOnly(2030, 1, 1), true)));

    [Fact]
    public async Task TheChangeLogCannotBeEditedOrDeletedEvenByTheDatabaseOwner()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("update change_log set summary = 'rewritten'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("delete from change_log"));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }

    [Theory]
    [InlineData(Actors.QaEmail)]
    [InlineData(Actors.ExecutiveEmail)]
    [InlineData(Actors.PoliceEmail)]
    public async Task OnlyAnAdminMayChangeTheCatalogueOrReadTheLog(string email)
    {
        var (_, m) = await AdminAndAMeasureAsync();
        var actor = await Actors.ForAsync(db.DataSource, email);

        await Assert.ThrowsAsync<AccessDeniedException>(() => new MeasureCommands(db.DataSource).UpdateAsync(actor, m.Id, InputFrom(m, [])));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new AgencyCommands(db.DataSource).CreateAsync(actor, new AgencyInput("Any agency", "A", "other", "relevant")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new PriorityCommands(db.DataSource).CreateAsync(actor, new PriorityInput("P9", "Any", "", 9)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new PeriodCommands(db.DataSource).CreateAsync(actor, new PeriodInput(2030, 1, new DateOnly(2030, 8, 1), true)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new UserCommands(db.DataSource).ListAsync(actor));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new ChangeLogQueries(db.DataSource).ListAsync(actor, new ChangeLogQueries.Filter()));
    }

    [Fact]
    public async Task AnotherPartnershipsCatalogueNeverAppears()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var outsider = await Actors.OtherPartnershipAdminAsync(db.DataSource);

        var agencies = await new CatalogQueries(db.DataSource).ListAgenciesAsync(admin);
        var theirs = await new CatalogQueries(db.DataSource).ListAgenciesAsync(outsider);

        Assert.DoesNotContain(agencies, a => a.Name == "Other Council");
        Assert.Equal(["Other Council"], theirs.Select(a => a.Name));
        Assert.Empty(await new CatalogQueries(db.DataSource).ListMeasuresAsync(outsider));
    }
}
