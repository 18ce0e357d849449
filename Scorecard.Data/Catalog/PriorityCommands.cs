using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Catalog;

/// <summary>Creates and edits the partnership's priorities. Admin only; every change is logged.</summary>
public sealed partial class PriorityCommands(NpgsqlDataSource dataSource)
{
    public Task<Result<int>> CreateAsync(Actor actor, PriorityInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var clean = Clean(input);
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into priority (partnership_id, code, title, description, sort_order)
                values (@PartnershipId, @Code, @Title, @Description, @SortOrder) returning id
                """, new { actor.PartnershipId, clean.Code, clean.Title, clean.Description, clean.SortOrder }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "priority", id, "create", $"Created priority {clean.Code} {clean.Title}", null, clean, ct);
            return Result<int>.Ok(id);
        }, DuplicateCode, ct);
    }

    public Task<Result<int>> UpdateAsync(Actor actor, int priorityId, PriorityInput input, bool active, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<PrioritySnapshot>(new CommandDefinition(
                "select code, title, description, sort_order, active from priority where partnership_id = @PartnershipId and id = @Id for update",
                new { actor.PartnershipId, Id = priorityId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<int>.Fail("", "That priority does not exist.");
            var clean = Clean(input);
            var after = new PrioritySnapshot(clean.Code, clean.Title, clean.Description, clean.SortOrder, active);
            if (after == before)
                return Result<int>.Ok(priorityId);
            await conn.ExecuteAsync(new CommandDefinition("""
                update priority set code = @Code, title = @Title, description = @Description, sort_order = @SortOrder, active = @Active
                where partnership_id = @PartnershipId and id = @Id
                """, new { actor.PartnershipId, Id = priorityId, after.Code, after.Title, after.Description, after.SortOrder, after.Active },
                tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "priority", priorityId, "update", $"Updated priority {after.Code} {after.Title}", before, after, ct);
            return Result<int>.Ok(priorityId);
        }, DuplicateCode, ct);
    }

    private sealed record PrioritySnapshot(string Code, string Title, string Description, int SortOrder, bool Active);

    private static PriorityInput Clean(PriorityInput input) =>
        new(input.Code.Trim().ToUpperInvariant(), input.Title.Trim(), (input.Description ?? "").Trim(), input.SortOrder);

    private static FieldError? DuplicateCode(PostgresException e) =>
        new(nameof(PriorityInput.Code), "Another priority already has this code.");

    [GeneratedRegex("^[A-Z0-9]{1,10}$")]
    private static partial Regex CodePattern();

    private static Validator Validate(PriorityInput input)
    {
        var v = new Validator();
        v.Required(nameof(PriorityInput.Code), input.Code, "Code", 10);
        v.When(!string.IsNullOrWhiteSpace(input.Code) && !CodePattern().IsMatch(input.Code.Trim().ToUpperInvariant()),
            nameof(PriorityInput.Code), "Code is 1 to 10 letters or digits, like P1.");
        v.Required(nameof(PriorityInput.Title), input.Title, "Title", minLength: 2);
        v.When((input.Description ?? "").Length > 2000, nameof(PriorityInput.Description), "Description must be at most 2,000 characters.");
        v.When(input.SortOrder is < 0 or > 10_000, nameof(PriorityInput.SortOrder), "Order must be between 0 and 10,000.");
        return v;
    }
}
