using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Tests.Infrastructure;

/// <summary>The demo partnership's sign-ins (passwords as in the README) and the actors they act as.</summary>
public static class Actors
{
    public const string AdminEmail = "admin@cescp.example";
    public const string QaEmail = "qa@cescp.example";
    public const string ExecutiveEmail = "exec@cescp.example";
    public const string PoliceEmail = "police@cescp.example";
    public const string SchoolEmail = "school@cescp.example";

    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        [AdminEmail] = "Demo-admin-2026!",
        [QaEmail] = "Demo-qa-2026!",
        [ExecutiveEmail] = "Demo-exec-2026!",
        [PoliceEmail] = "Demo-police-2026!",
        [SchoolEmail] = "Demo-school-2026!",
    };

    public static async Task<Actor> ForAsync(NpgsqlDataSource dataSource, string email)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var row = await conn.QuerySingleAsync<(int PartnershipId, int Id, string DisplayName, string Role, int? AgencyId)>(
            "select partnership_id, id, display_name, role, agency_id from app_user where lower(email) = lower(@email)", new { email });
        return new Actor(row.PartnershipId, row.Id, row.DisplayName, Roles.Parse(row.Role), row.AgencyId);
    }

    /// <summary>
    /// The administrator of a second, real partnership in the same database (created on first use, with one agency of
    /// its own), for tenancy tests: what this actor may see of the demo partnership is what any other tenant may.
    /// </summary>
    public static async Task<Actor> OtherPartnershipAdminAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("lock table partnership in share row exclusive mode", transaction: tx);
        var partnershipId = await conn.ExecuteScalarAsync<int?>("select id from partnership where code = 'other-lscp'", transaction: tx)
            ?? await conn.ExecuteScalarAsync<int>(
                "insert into partnership (code, name, short_name) values ('other-lscp', 'Other Safeguarding Children Partnership', 'OSCP') returning id",
                transaction: tx);
        await conn.ExecuteAsync("""
            insert into agency (partnership_id, name, short_name, sector, partner_type)
            select @partnershipId, 'Other Council', 'OC', 'council', 'statutory'
            where not exists (select 1 from agency where partnership_id = @partnershipId)
            """, new { partnershipId }, tx);
        var userId = await conn.ExecuteScalarAsync<int?>("select id from app_user where partnership_id = @partnershipId", new { partnershipId }, tx)
            ?? await conn.ExecuteScalarAsync<int>("""
                insert into app_user (partnership_id, email, display_name, role) values (@partnershipId, 'admin@other-lscp.example', 'Olive Other', 'admin')
                returning id
                """, new { partnershipId }, tx);
        await tx.CommitAsync();
        return new Actor(partnershipId, userId, "Olive Other", Role.Admin, null);
    }

    public static async Task<int> AgencyIdAsync(NpgsqlDataSource dataSource, string nameStartsWith)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.QueryFirstAsync<int>("select id from agency where name ilike @p || '%' order by id", new { p = nameStartsWith });
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table, string where = "true")
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>($"select count(*) from {table} where {where}");
    }
}
