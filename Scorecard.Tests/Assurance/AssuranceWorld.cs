using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Tests.Assurance;

/// <summary>A small hand-built partnership for the audit and self-assessment tests: three agencies, a quarter, and one
/// user of each role (two agency users), each a real <c>app_user</c> row.</summary>
public sealed record AssuranceWorld(
    int PartnershipId, int CouncilId, int PoliceId, int HealthId, int PeriodId,
    Actor Admin, Actor Qa, Actor Executive, Actor PoliceUser, Actor HealthUser)
{
    public static async Task<AssuranceWorld> CreateAsync(NpgsqlDataSource dataSource, string prefix)
    {
        // xunit builds the test class for each test, so every test gets partnerships of its own.
        var code = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await using var conn = await dataSource.OpenConnectionAsync();
        var p = await conn.ExecuteScalarAsync<int>(
            "insert into partnership (code, name, short_name) values (@code, @name, @code) returning id", new { code, name = $"{code} partnership" });
        async Task<int> Agency(string name, Sector sector) => await conn.ExecuteScalarAsync<int>(
            "insert into agency (partnership_id, name, short_name, sector, partner_type) values (@p, @name, @name, @sector, @type) returning id",
            new { p, name, sector = sector.ToDb(), type = PartnerType.Statutory.ToDb() });
        var council = await Agency("Council", Sector.Council);
        var police = await Agency("Police", Sector.Police);
        var health = await Agency("Health", Sector.Health);
        var period = await conn.ExecuteScalarAsync<int>("""
            insert into reporting_period (partnership_id, fiscal_year, quarter, start_date, end_date, due_date)
            values (@p, 2025, 1, '2025-04-01', '2025-06-30', '2025-07-31') returning id
            """, new { p });
        async Task<Actor> User(string name, Role role, int? agencyId) => new(p, await conn.ExecuteScalarAsync<int>("""
            insert into app_user (partnership_id, email, display_name, role, agency_id) values (@p, @email, @name, @role, @agencyId) returning id
            """, new { p, email = $"{name.Replace(' ', '.')}@{code}.example".ToLowerInvariant(), name, role = role.ToDb(), agencyId }), name, role, agencyId);
        return new AssuranceWorld(p, council, police, health, period,
            await User("Ada Admin", Role.Admin, null), await User("Quentin QA", Role.QaMember, null), await User("Eve Exec", Role.Executive, null),
            await User("Percy Police", Role.AgencyUser, police), await User("Hana Health", Role.AgencyUser, health));
    }

    public static async Task<long> LogCountAsync(NpgsqlDataSource dataSource, int partnershipId, string entity)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("select count(*) from change_log where partnership_id = @partnershipId and entity = @entity", new { partnershipId, entity });
    }
}
