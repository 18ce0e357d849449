using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Home;

public sealed record PriorityMeasureCount(int PriorityId, string Code, string Title, int Measures);

/// <summary>The facts the home page shows: the latest quarter whose returns are due, measures by priority, returns received.</summary>
public sealed record HomeSummary(
    string PartnershipName, int Agencies, int Measures, int Periods,
    IReadOnlyList<PriorityMeasureCount> MeasuresByPriority,
    PeriodSubmissions? LatestQuarter);

public sealed class HomeQueries(NpgsqlDataSource dataSource, ReturnQueries returns, TimeProvider clock)
{
    public async Task<HomeSummary> GetSummaryAsync(Actor actor, CancellationToken ct = default)
    {
        const string sql = """
            select name from partnership where id = @PartnershipId;
            select (select count(*)::int from agency where partnership_id = @PartnershipId and active) as agencies,
                   (select count(*)::int from measure where partnership_id = @PartnershipId and active) as measures,
                   (select count(*)::int from reporting_period where partnership_id = @PartnershipId) as periods;
            select p.id as priority_id, p.code, p.title, count(m.id)::int as measures
            from priority p
            left join measure m on m.partnership_id = p.partnership_id and m.priority_id = p.id and m.active
            where p.partnership_id = @PartnershipId and p.active
            group by p.id, p.code, p.title, p.sort_order
            order by p.sort_order, p.code;
            -- The latest quarter whose returns were due by today; failing that, the latest quarter there is.
            select id from reporting_period
            where partnership_id = @PartnershipId
            order by (due_date <= @Today) desc, fiscal_year desc, quarter desc
            limit 1;
            """;
        int? latestPeriodId;
        HomeSummary summary;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, Today = today }, cancellationToken: ct));
            var name = await multi.ReadSingleAsync<string>();
            var counts = await multi.ReadSingleAsync<(int Agencies, int Measures, int Periods)>();
            var byPriority = (await multi.ReadAsync<PriorityMeasureCount>()).ToList();
            latestPeriodId = await multi.ReadSingleOrDefaultAsync<int?>();
            summary = new HomeSummary(name, counts.Agencies, counts.Measures, counts.Periods, byPriority, null);
        }
        if (latestPeriodId is { } periodId)
            summary = summary with { LatestQuarter = await returns.GetPeriodSubmissionsAsync(actor, periodId, ct) };
        return summary;
    }
}
