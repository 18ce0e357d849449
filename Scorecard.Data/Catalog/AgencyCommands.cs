using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Catalog;

/// <summary>Creates and edits the partnership's agencies. Admin only; every change is logged.</summary>
public sealed class AgencyCommands(NpgsqlDataSource dataSource)
{
    public Task<Result<int>> CreateAsync(Actor actor, AgencyInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            const string sql = """
                insert into agency (partnership_id, name, short_name, sector, partner_type)
                values (@PartnershipId, @Name, @ShortName, @Sector, @PartnerType) returning id
                """;
            var clean = Clean(input);
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(sql, new
            {
                actor.PartnershipId, clean.Name, clean.ShortName, clean.Sector, clean.PartnerType,
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "agency", id, "create", $"Created agency {clean.Name}", null, clean, ct);
            return Result<int>.Ok(id);
        }, DuplicateName, ct);
    }

    public Task<Result<int>> UpdateAsync(Actor actor, int agencyId, AgencyInput input, bool active, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<AgencySnapshot>(new CommandDefinition(
                "select name, short_name, sector, partner_type, active from agency where partnership_id = @PartnershipId and id = @Id for update",
                new { actor.PartnershipId, Id = agencyId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<int>.Fail("", "That agency does not exist.");
            var clean = Clean(input);
            var after = new AgencySnapshot(clean.Name, clean.ShortName, clean.Sector, clean.PartnerType, active);
            if (after == before)
                return Result<int>.Ok(agencyId);
            await conn.ExecuteAsync(new CommandDefinition("""
                update agency set name = @Name, short_name = @ShortName, sector = @Sector, partner_type = @PartnerType, active = @Active
                where partnership_id = @PartnershipId and id = @Id
                """, new { actor.PartnershipId, Id = agencyId, after.Name, after.ShortName, after.Sector, after.PartnerType, after.Active },
                tx, cancellationToken: ct));
            var action = before.Active == active ? "update" : active ? "reactivate" : "deactivate";
            await ChangeLog.WriteAsync(conn, tx, actor, "agency", agencyId, action, $"Updated agency {after.Name}", before, after, ct);
            return Result<int>.Ok(agencyId);
        }, DuplicateName, ct);
    }

    private sealed record AgencySnapshot(string Name, string ShortName, string Sector, string PartnerType, bool Active);

    private static AgencyInput Clean(AgencyInput input) =>
        new(input.Name.Trim(), input.ShortName.Trim(), input.Sector, input.PartnerType);

    private static FieldError? DuplicateName(PostgresException e) =>
        new(nameof(AgencyInput.Name), "Another agency of this partnership already has this name.");

    private static Validator Validate(AgencyInput input)
    {
        var v = new Validator();
        v.Required(nameof(AgencyInput.Name), input.Name, "Name", minLength: 2);
        v.Required(nameof(AgencyInput.ShortName), input.ShortName, "Short name", 40);
        v.When(!Sectors.All.Contains(input.Sector), nameof(AgencyInput.Sector), "Choose a sector.");
        v.When(!DbEnum.TryParse<PartnerType>(input.PartnerType, out _), nameof(AgencyInput.PartnerType), "Choose statutory partner or relevant agency.");
        return v;
    }
}
