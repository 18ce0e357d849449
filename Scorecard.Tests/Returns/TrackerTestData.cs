using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Tests.Returns;

/// <summary>
/// A small partnership built by hand in an empty database: agencies, one measure they report, quarters with due dates,
/// and returns received when the test says. Each test builds its own, so tests sharing a database do not meet.
/// </summary>
public sealed class TrackerTestData(NpgsqlDataSource dataSource, int partnershipId, Actor admin, int measureId)
{
    public int PartnershipId => partnershipId;
    public Actor Admin => admin;

    public static async Task<TrackerTestData> CreateAsync(NpgsqlDataSource dataSource, string code)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var partnershipId = await conn.ExecuteScalarAsync<int>(
            "insert into partnership (code, name, short_name) values (@code, @name, 'Test') returning id", new { code, name = $"Partnership {code}" });
        var owner = await conn.ExecuteScalarAsync<int>("""
            insert into agency (partnership_id, name, short_name, sector, partner_type) values (@partnershipId, 'Owner Council', 'Owner', 'council', 'statutory') returning id
            """, new { partnershipId });
        var priority = await conn.ExecuteScalarAsync<int>(
            "insert into priority (partnership_id, code, title) values (@partnershipId, 'P1', 'Priority one') returning id", new { partnershipId });
        var measureId = await conn.ExecuteScalarAsync<int>("""
            insert into measure (partnership_id, code, title, definition, unit, polarity, priority_id, owner_agency_id)
            values (@partnershipId, 'TEST-1', 'A test count', 'Counted for the test.', 'count', 'neutral', @priority, @owner) returning id
            """, new { partnershipId, priority, owner });
        var userId = await conn.ExecuteScalarAsync<int>("""
            insert into app_user (partnership_id, email, display_name, role) values (@partnershipId, @email, 'Ada Admin', 'admin') returning id
            """, new { partnershipId, email = $"admin@{code}.example" });
        return new TrackerTestData(dataSource, partnershipId, new Actor(partnershipId, userId, "Ada Admin", Role.Admin, null), measureId);
    }

    /// <summary>An agency; when <paramref name="reports"/> it reports the test measure, so it is expected to return.</summary>
    public async Task<int> AddAgencyAsync(string name, string sector, bool reports = true, bool active = true)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<int>("""
            insert into agency (partnership_id, name, short_name, sector, partner_type, active)
            values (@partnershipId, @name, left(@name, 40), @sector, 'relevant', @active) returning id
            """, new { partnershipId, name, sector, active });
        if (reports)
            await conn.ExecuteAsync("insert into measure_reporter (partnership_id, measure_id, agency_id) values (@partnershipId, @measureId, @id)",
                new { partnershipId, measureId, id });
        return id;
    }

    public async Task<int> AddQuarterAsync(int fiscalYear, int quarter, DateOnly dueDate)
    {
        var (start, end) = Scorecard.Data.Catalog.PeriodLabels.Dates(fiscalYear, quarter);
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("""
            insert into reporting_period (partnership_id, fiscal_year, quarter, start_date, end_date, due_date)
            values (@partnershipId, @fiscalYear, @quarter, @start, @end, @dueDate) returning id
            """, new { partnershipId, fiscalYear, quarter = (short)quarter, start, end, dueDate });
    }

    /// <summary>A version of a return received at <paramref name="at"/> with the given status (rejected ones carry a reason).</summary>
    public async Task<long> AddReturnAsync(int agencyId, int periodId, int version, DateTime at, ReturnStatus status = ReturnStatus.Accepted, decimal value = 1)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<long>("""
            insert into data_return (partnership_id, agency_id, period_id, version, status, submitted_at, value_count, rejected_reason)
            values (@partnershipId, @agencyId, @periodId, @version, @status, @at, 1, case when @status = 'rejected' then 'Test rejection' end) returning id
            """, new { partnershipId, agencyId, periodId, version, status = status.ToDb(), at = DateTime.SpecifyKind(at, DateTimeKind.Utc) });
        await conn.ExecuteAsync("""
            insert into measure_value (partnership_id, return_id, measure_id, value) values (@partnershipId, @id, @measureId, @value)
            """, new { partnershipId, id, measureId, value });
        return id;
    }
}
