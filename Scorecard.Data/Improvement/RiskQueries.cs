using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>One risk as the register lists it.</summary>
public sealed record RiskRow(
    int Id, string Title, string Cause, string Effect, Subgroup Subgroup, string Owner, int Likelihood, int Impact, int Score, string Controls,
    int TargetScore, DateOnly ReviewDate, RiskStatus Status, bool Escalated, DateOnly? EscalatedOn, string? CloseReason, int OpenActions, int Actions)
{
    public bool ReviewOverdue { get; init; }

    public RiskBand Band => RiskRules.Band(Score);
}

public sealed record RiskReviewRow(int Id, DateOnly ReviewedOn, int Likelihood, int Impact, int Score, string Note, DateOnly NextReviewDate, string ReviewedByName);

public sealed record RiskEscalationRow(int Id, EscalationDirection Direction, int Score, DateOnly OccurredOn);

public sealed record RiskDetail(RiskRow Risk, IReadOnlyList<RiskReviewRow> Reviews, IReadOnlyList<RiskEscalationRow> Escalations);

/// <summary>The 5×5 heat map of open risks: the count in each likelihood × impact cell, with the risks' ids.</summary>
public sealed record RiskHeatMap(IReadOnlyDictionary<(int Likelihood, int Impact), IReadOnlyList<int>> Cells)
{
    public int Count(int likelihood, int impact) => Cells.TryGetValue((likelihood, impact), out var ids) ? ids.Count : 0;

    public IReadOnlyList<int> RiskIds(int likelihood, int impact) => Cells.TryGetValue((likelihood, impact), out var ids) ? ids : [];

    public int Total => Cells.Values.Sum(c => c.Count);

    /// <summary>Open risks only: a closed risk is no longer a risk to the partnership.</summary>
    public static RiskHeatMap From(IEnumerable<RiskRow> risks) => new(risks
        .Where(r => r.Status == RiskStatus.Open)
        .GroupBy(r => (r.Likelihood, r.Impact))
        .ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.Select(r => r.Id).OrderBy(i => i).ToList()));
}

/// <summary>Reads the risk register: everyone but agency users (checked here).</summary>
public sealed class RiskQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    private const string RowSql = """
        select r.id, r.title, r.cause, r.effect, r.subgroup, r.owner, r.likelihood::int as likelihood, r.impact::int as impact, r.score::int as score,
               r.controls, r.target_score::int as target_score, r.review_date, r.status, r.escalated,
               (select e.occurred_on from risk_escalation e where e.partnership_id = r.partnership_id and e.risk_id = r.id and r.escalated order by e.id desc limit 1) as escalated_on,
               r.close_reason,
               (select count(*)::int from improvement_action a where a.partnership_id = r.partnership_id and a.source_kind = 'risk' and a.source_key = r.id::text and a.status <> 'closed') as open_actions,
               (select count(*)::int from improvement_action a where a.partnership_id = r.partnership_id and a.source_kind = 'risk' and a.source_key = r.id::text) as actions
        from risk r

        """;

    /// <summary>The register: open risks by score (highest first), then closed ones when asked for.</summary>
    public async Task<IReadOnlyList<RiskRow>> RegisterAsync(Actor actor, bool includeClosed, CancellationToken ct, Subgroup? subgroup = null)
    {
        ImprovementAccess.RequireOversight(actor);
        const string sql = RowSql + """
            where r.partnership_id = @PartnershipId and (@IncludeClosed or r.status = 'open') and (@Subgroup::text is null or r.subgroup = @Subgroup)
            order by (r.status = 'open') desc, r.score desc, r.review_date, r.id
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<RiskRow>(new CommandDefinition(sql, new
        {
            actor.PartnershipId, IncludeClosed = includeClosed, Subgroup = subgroup is { } sg ? sg.ToDb() : null,
        }, cancellationToken: ct));
        var today = Today;
        return rows.Select(r => r with { ReviewOverdue = RiskRules.IsReviewOverdue(r.Status, r.ReviewDate, today) }).ToList();
    }

    /// <summary>A risk with its reviews (oldest first) and its escalations; null when there is none of this partnership.</summary>
    public async Task<RiskDetail?> GetAsync(Actor actor, int riskId, CancellationToken ct)
    {
        ImprovementAccess.RequireOversight(actor);
        const string sql = RowSql + """
             where r.partnership_id = @PartnershipId and r.id = @riskId;
            select id, reviewed_on, likelihood::int as likelihood, impact::int as impact, score::int as score, note, next_review_date, reviewed_by_name
            from risk_review where partnership_id = @PartnershipId and risk_id = @riskId order by reviewed_on, id;
            select id, direction, score::int as score, occurred_on from risk_escalation where partnership_id = @PartnershipId and risk_id = @riskId order by id;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, riskId }, cancellationToken: ct));
        var row = (await grid.ReadAsync<RiskRow>()).SingleOrDefault();
        if (row is null)
            return null;
        var reviews = (await grid.ReadAsync<RiskReviewRow>()).ToList();
        var escalations = (await grid.ReadAsync<RiskEscalationRow>()).ToList();
        return new RiskDetail(row with { ReviewOverdue = RiskRules.IsReviewOverdue(row.Status, row.ReviewDate, Today) }, reviews, escalations);
    }
}
