using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Data.Performance;

/// <summary>
/// Reads one partnership's scorecard data in one round trip: the catalogue, the quarters, who reports what, and the
/// values of every current (accepted) return. Every statement filters on the signed-in user's partnership first, which
/// is how every index starts (design.md, Tenancy). The analytics are pure and run on the result (<see cref="ScorecardBuilder"/>).
/// </summary>
public sealed class ScorecardQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    internal const string MeasuresSql = """
        select m.id, m.code, m.title, m.definition, m.unit, m.numerator_label, m.denominator_label, m.polarity,
               p.id as priority_id, p.code as priority_code, p.title as priority_title, p.sort_order as priority_sort_order,
               a.id as owner_agency_id, a.name as owner_agency_name, m.target, m.amber_tolerance, m.decimal_places,
               m.england_value, m.neighbour_value, m.benchmark_note, m.sort_order, m.suppress_small_numbers
        from measure m
        join priority p on p.partnership_id = m.partnership_id and p.id = m.priority_id
        join agency a on a.partnership_id = m.partnership_id and a.id = m.owner_agency_id
        where m.partnership_id = @PartnershipId and m.active
        order by p.sort_order, p.code, m.sort_order, m.code;
        """;

    internal const string PeriodsSql = """
        select id, fiscal_year, quarter::int as quarter, start_date, end_date, due_date
        from reporting_period
        where partnership_id = @PartnershipId and start_date <= @Today
        order by fiscal_year, quarter;
        """;

    internal const string AgenciesSql = """
        select id, name, short_name, sector, active from agency where partnership_id = @PartnershipId order by name;
        """;

    internal const string ReportersSql = """
        select mr.measure_id, mr.agency_id
        from measure_reporter mr
        join agency a on a.partnership_id = mr.partnership_id and a.id = mr.agency_id and a.active
        where mr.partnership_id = @PartnershipId;
        """;

    /// <summary>The values of current returns: the accepted version of each agency and quarter (data_return_current_key).</summary>
    internal const string ValuesSql = """
        select v.measure_id, r.agency_id, r.period_id, v.numerator, v.denominator, v.value, v.commentary, r.id as return_id
        from data_return r
        join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
        where r.partnership_id = @PartnershipId and r.status = 'accepted';
        """;

    internal const string ProcessChangesSql = """
        select c.id, c.measure_id, c.period_id, c.reason, u.display_name as created_by_name, c.created_at
        from spc_process_change c
        join app_user u on u.partnership_id = c.partnership_id and u.id = c.created_by
        where c.partnership_id = @PartnershipId;
        """;

    internal const string GhostedPointsSql = """
        select g.id, g.measure_id, g.period_id, g.reason, u.display_name as created_by_name, g.created_at
        from spc_ghosted_point g
        join app_user u on u.partnership_id = g.partnership_id and u.id = g.created_by
        where g.partnership_id = @PartnershipId;
        """;

    /// <summary>All seven statements, in the order <see cref="LoadAsync(int, CancellationToken)"/> reads them.</summary>
    public const string Sql = MeasuresSql + "\n" + PeriodsSql + "\n" + AgenciesSql + "\n" + ReportersSql + "\n" + ValuesSql + "\n" + ProcessChangesSql + "\n" + GhostedPointsSql;

    /// <summary>Loads the partnership's scorecard data. Every role may read it; agency scope is applied when it is built.</summary>
    public Task<ScorecardData> LoadAsync(Actor actor, CancellationToken ct) => LoadAsync(actor.PartnershipId, ct);

    /// <summary>
    /// Loads one partnership's scorecard data for the shared read model (<see cref="ScorecardReadModel"/>), which
    /// serves it to every viewer of that partnership; the viewer's scope is applied by <see cref="ScorecardViewBuilder"/>.
    /// </summary>
    public async Task<ScorecardData> LoadAsync(int partnershipId, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(Sql, new { PartnershipId = partnershipId, Today = today }, cancellationToken: ct));
        var measures = (await multi.ReadAsync<ScorecardMeasure>()).AsList();
        var periods = (await multi.ReadAsync<ScorecardPeriod>()).AsList();
        var agencies = (await multi.ReadAsync<ScorecardAgency>()).AsList();
        var reporters = (await multi.ReadAsync<ScorecardReporter>()).AsList();
        var values = (await multi.ReadAsync<ScorecardValue>()).AsList();
        var changes = (await multi.ReadAsync<ScorecardProcessChange>()).AsList();
        var ghosts = (await multi.ReadAsync<ScorecardGhostedPoint>()).AsList();
        return new ScorecardData(partnershipId, today, measures, periods, agencies, reporters, values, changes, ghosts);
    }
}
