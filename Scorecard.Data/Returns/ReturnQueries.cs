using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;

namespace Scorecard.Data.Returns;

/// <summary>One version of an agency's return for a quarter.</summary>
public sealed record ReturnVersionRow(
    long Id, int AgencyId, string AgencyName, int PeriodId, int FiscalYear, short Quarter, int Version, string Status,
    string Source, DateTime SubmittedAt, string? SubmittedByName, string? FileName, int ValueCount);

/// <summary>A value in an agency's current (accepted) return.</summary>
public sealed record AgencyValueRow(
    int MeasureId, string MeasureCode, string MeasureTitle, string Unit, decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary);

/// <summary>Whether an agency that is expected to return for a quarter has done so, and when.</summary>
/// <param name="Status">on_time, late, resubmitted, missing (due date passed, nothing received) or awaited (not yet due).</param>
public sealed record SubmissionRow(
    int AgencyId, string AgencyName, string Sector, int ExpectedMeasures, DateTime? FirstSubmittedAt, int Versions, string Status);

public sealed record PeriodSubmissions(int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate, IReadOnlyList<SubmissionRow> Agencies)
{
    public int Expected => Agencies.Count;
    public int Received => Agencies.Count(a => a.Versions > 0);
    public IEnumerable<SubmissionRow> Overdue => Agencies.Where(a => a.Status == "missing");
}

/// <summary>
/// Reads returns. An agency user may read only their own agency's returns and values; every other role reads all.
/// The rule is enforced here, whatever the page asked for (design.md, Roles).
/// </summary>
public sealed class ReturnQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReturnVersionRow>> ListVersionsAsync(Actor actor, int agencyId, int? periodId = null, CancellationToken ct = default)
    {
        actor.RequireAgency(agencyId);
        const string sql = """
            select r.id, r.agency_id, a.name as agency_name, r.period_id, p.fiscal_year, p.quarter, r.version, r.status, r.source,
                   r.submitted_at, u.display_name as submitted_by_name, r.file_name, r.value_count
            from data_return r
            join agency a on a.partnership_id = r.partnership_id and a.id = r.agency_id
            join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
            left join app_user u on u.partnership_id = r.partnership_id and u.id = r.submitted_by
            where r.partnership_id = @PartnershipId and r.agency_id = @AgencyId and (@PeriodId::int is null or r.period_id = @PeriodId)
            order by p.fiscal_year desc, p.quarter desc, r.version desc
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ReturnVersionRow>(new CommandDefinition(sql, new { actor.PartnershipId, AgencyId = agencyId, PeriodId = periodId }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<AgencyValueRow>> GetCurrentValuesAsync(Actor actor, int agencyId, int periodId, CancellationToken ct = default)
    {
        actor.RequireAgency(agencyId);
        const string sql = """
            select m.id as measure_id, m.code as measure_code, m.title as measure_title, m.unit, v.numerator, v.denominator, v.value, v.commentary
            from data_return r
            join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
            join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
            where r.partnership_id = @PartnershipId and r.agency_id = @AgencyId and r.period_id = @PeriodId and r.status = 'accepted'
            order by m.sort_order, m.code
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AgencyValueRow>(new CommandDefinition(sql, new { actor.PartnershipId, AgencyId = agencyId, PeriodId = periodId }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// Who was expected to return for a quarter (active agencies reporting at least one active measure) and how they did.
    /// Agency users see the partnership-wide picture of who has returned (not what), as the home page shows everyone.
    /// </summary>
    public async Task<PeriodSubmissions?> GetPeriodSubmissionsAsync(Actor actor, int periodId, CancellationToken ct = default)
    {
        const string sql = """
            select id as period_id, fiscal_year, quarter::int as quarter, due_date
            from reporting_period where partnership_id = @PartnershipId and id = @PeriodId;

            with expected as (
                select a.id as agency_id, a.name as agency_name, a.sector, count(*)::int as expected_measures
                from agency a
                join measure_reporter mr on mr.partnership_id = a.partnership_id and mr.agency_id = a.id
                join measure m on m.partnership_id = mr.partnership_id and m.id = mr.measure_id and m.active
                where a.partnership_id = @PartnershipId and a.active
                group by a.id, a.name, a.sector
            ), received as (
                select r.agency_id, min(r.submitted_at) as first_submitted_at, count(*)::int as versions
                from data_return r
                where r.partnership_id = @PartnershipId and r.period_id = @PeriodId and r.status in ('accepted', 'superseded')
                group by r.agency_id
            )
            select e.agency_id, e.agency_name, e.sector, e.expected_measures, r.first_submitted_at, coalesce(r.versions, 0) as versions
            from expected e left join received r on r.agency_id = e.agency_id
            order by e.agency_name;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, PeriodId = periodId }, cancellationToken: ct));
        var period = await multi.ReadSingleOrDefaultAsync<(int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate)>();
        if (period == default)
            return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // A return is on time when it arrives by the end of its due date (UK working day; UTC is close enough for a date).
        var dueEnd = period.DueDate.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = (await multi.ReadAsync<(int AgencyId, string AgencyName, string Sector, int ExpectedMeasures, DateTime? FirstSubmittedAt, int Versions)>())
            .Select(r => new SubmissionRow(r.AgencyId, r.AgencyName, r.Sector, r.ExpectedMeasures, r.FirstSubmittedAt, r.Versions,
                r.Versions == 0
                    ? (today > period.DueDate ? "missing" : "awaited")
                    : r.FirstSubmittedAt >= dueEnd ? "late" : r.Versions > 1 ? "resubmitted" : "on_time"))
            .OrderBy(r => r.Status switch { "missing" => 0, "late" => 1, "awaited" => 2, _ => 3 })
            .ThenBy(r => r.AgencyName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new PeriodSubmissions(period.PeriodId, period.FiscalYear, period.Quarter, period.DueDate, rows);
    }
}
