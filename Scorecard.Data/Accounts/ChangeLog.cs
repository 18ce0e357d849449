using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Scorecard.Data.Accounts;

/// <summary>A row of the append-only change log.</summary>
public sealed record ChangeLogEntry(
    long Id, DateTime ChangedAt, int? UserId, string UserName, string Entity, string EntityId,
    string Action, string Summary, string? Before, string? After);

/// <summary>Writes who changed what, when, with the before and after state, in the caller's transaction.</summary>
public static class ChangeLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static Task WriteAsync(
        DbConnection conn, DbTransaction tx, Actor actor, string entity, object entityId, string action,
        string summary, object? before, object? after, CancellationToken ct)
    {
        const string sql = """
            insert into change_log (partnership_id, user_id, user_name, entity, entity_id, action, summary, before, after)
            values (@PartnershipId, @UserId, @UserName, @Entity, @EntityId, @Action, @Summary, @Before::jsonb, @After::jsonb)
            """;
        return conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            actor.PartnershipId,
            UserId = actor.UserId == 0 ? (int?)null : actor.UserId,
            UserName = actor.DisplayName,
            Entity = entity,
            EntityId = entityId.ToString(),
            Action = action,
            Summary = summary,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), Json),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), Json),
        }, tx, cancellationToken: ct));
    }
}

/// <summary>Reads the change log. Only admins may read it, and nobody can edit it.</summary>
public sealed class ChangeLogQueries(NpgsqlDataSource dataSource)
{
    public sealed record Filter(string? Entity = null, string? Search = null, int Skip = 0, int Take = 50);

    public sealed record Page(IReadOnlyList<ChangeLogEntry> Rows, int Total);

    public async Task<Page> ListAsync(Actor actor, Filter filter, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        const string sql = """
            select id, changed_at, user_id, user_name, entity, entity_id, action, summary, before::text as before, after::text as after
            from change_log
            where partnership_id = @PartnershipId
              and (@Entity::text is null or entity = @Entity)
              and (@Search::text is null or summary ilike '%' || @Search || '%' or user_name ilike '%' || @Search || '%')
            order by changed_at desc, id desc
            offset @Skip limit @Take;
            select count(*)::int
            from change_log
            where partnership_id = @PartnershipId
              and (@Entity::text is null or entity = @Entity)
              and (@Search::text is null or summary ilike '%' || @Search || '%' or user_name ilike '%' || @Search || '%');
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            actor.PartnershipId,
            filter.Entity,
            Search = string.IsNullOrWhiteSpace(filter.Search) ? null : filter.Search.Trim(),
            filter.Skip,
            Take = Math.Clamp(filter.Take, 1, 500),
        }, cancellationToken: ct));
        var rows = (await multi.ReadAsync<ChangeLogEntry>()).ToList();
        var total = await multi.ReadSingleAsync<int>();
        return new Page(rows, total);
    }

    public async Task<IReadOnlyList<string>> EntitiesAsync(Actor actor, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        const string sql = "select distinct entity from change_log where partnership_id = @PartnershipId order by entity";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }
}
