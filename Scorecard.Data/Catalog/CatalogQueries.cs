using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Data.Catalog;

/// <summary>Reads the partnership's catalogue. Every role may read it: the catalogue holds no agency's data.</summary>
public sealed class CatalogQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AgencyRow>> ListAgenciesAsync(Actor actor, CancellationToken ct = default)
    {
        const string sql = """
            select a.id, a.name, a.short_name, a.sector, a.partner_type, a.active,
                   (select count(*)::int from measure_reporter r where r.partnership_id = a.partnership_id and r.agency_id = a.id) as measure_count,
                   (select count(*)::int from app_user u where u.partnership_id = a.partnership_id and u.agency_id = a.id and u.active) as user_count
            from agency a
            where a.partnership_id = @PartnershipId
            order by case a.partner_type when 'statutory' then 0 else 1 end, a.sector, lower(a.name)
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AgencyRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<PriorityRow>> ListPrioritiesAsync(Actor actor, CancellationToken ct = default)
    {
        const string sql = """
            select p.id, p.code, p.title, p.description, p.sort_order, p.active,
                   (select count(*)::int from measure m where m.partnership_id = p.partnership_id and m.priority_id = p.id and m.active) as measure_count
            from priority p
            where p.partnership_id = @PartnershipId
            order by p.sort_order, p.code
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<PriorityRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    private const string MeasureSelect = """
        select m.id, m.code, m.title, m.definition, m.unit, m.numerator_label, m.denominator_label, m.polarity,
               m.priority_id, p.title as priority_title, m.owner_agency_id, a.name as owner_agency_name,
               m.target, m.amber_tolerance, m.decimal_places, m.england_value, m.neighbour_value, m.benchmark_note,
               m.sort_order, m.active,
               (select count(*)::int from measure_reporter r where r.partnership_id = m.partnership_id and r.measure_id = m.id) as reporter_count,
               m.suppress_small_numbers
        from measure m
        join priority p on p.partnership_id = m.partnership_id and p.id = m.priority_id
        join agency a on a.partnership_id = m.partnership_id and a.id = m.owner_agency_id
        """;

    public async Task<IReadOnlyList<MeasureRow>> ListMeasuresAsync(Actor actor, CancellationToken ct = default)
    {
        const string sql = MeasureSelect + " where m.partnership_id = @PartnershipId order by p.sort_order, m.sort_order, m.code";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<MeasureRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    public async Task<MeasureRow?> GetMeasureAsync(Actor actor, int measureId, CancellationToken ct = default)
    {
        const string sql = MeasureSelect + " where m.partnership_id = @PartnershipId and m.id = @Id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<MeasureRow>(new CommandDefinition(sql, new { actor.PartnershipId, Id = measureId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<int>> ListReporterIdsAsync(Actor actor, int measureId, CancellationToken ct = default)
    {
        const string sql = "select agency_id from measure_reporter where partnership_id = @PartnershipId and measure_id = @Id order by agency_id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<int>(new CommandDefinition(sql, new { actor.PartnershipId, Id = measureId }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<PeriodRow>> ListPeriodsAsync(Actor actor, CancellationToken ct = default)
    {
        const string sql = """
            select p.id, p.fiscal_year, p.quarter::int as quarter, p.start_date, p.end_date, p.due_date, p.is_open,
                   (select count(*)::int from data_return r where r.partnership_id = p.partnership_id and r.period_id = p.id and r.status = 'accepted') as return_count
            from reporting_period p
            where p.partnership_id = @PartnershipId
            order by p.fiscal_year desc, p.quarter desc
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<PeriodRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }
}
