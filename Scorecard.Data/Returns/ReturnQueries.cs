using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>One version of an agency's return for a quarter.</summary>
public sealed record ReturnVersionRow(
    long Id, int AgencyId, string AgencyName, int PeriodId, int FiscalYear, short Quarter, int Version, ReturnStatus Status,
    ReturnSource Source, DateTime SubmittedAt, string? SubmittedByName, string? FileName, int ValueCount);

/// <summary>A value in an agency's current (accepted) return.</summary>
public sealed record AgencyValueRow(
    int MeasureId, string MeasureCode, string MeasureTitle, MeasureUnit Unit, decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary);

/// <summary>Whether an agency that is expected to return for a quarter has done so, and when.</summary>
/// <param name="Status">On time, late, resubmitted, missing (due date passed, nothing received) or awaited (not yet due).</param>
public sealed record SubmissionRow(
    int AgencyId, string AgencyName, string Sector, int ExpectedMeasures, DateTime? FirstSubmittedAt, int Versions, SubmissionStatus Status);

public sealed record PeriodSubmissions(int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate, IReadOnlyList<SubmissionRow> Agencies)
{
    public int Expected => Agencies.Count;
    public int Received => Agencies.Count(a => a.Status.IsReceived());
    public ReportingRates Rates => ReportingRates.From(Agencies.Select(a => a.Status));
    public IEnumerable<SubmissionRow> Overdue => Agencies.Where(a => a.Status == SubmissionStatus.Missing);
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
    /// Who was expected to return for a quarter (active agencies reporting at least one active measure) and how they did:
    /// one column of <see cref="GetSubmissionMatrixAsync"/>, so the home page and the tracker always agree.
    /// Agency users see the partnership-wide picture of who has returned (not what), as the home page shows everyone.
    /// </summary>
    public async Task<PeriodSubmissions?> GetPeriodSubmissionsAsync(Actor actor, int periodId, CancellationToken ct = default)
    {
        var matrix = await GetSubmissionMatrixAsync(actor, new SubmissionMatrixRequest(PeriodIds: [periodId]), ct);
        return matrix.ForPeriod(periodId);
    }

    /// <summary>
    /// The submission tracker: every agency expected to return (active, reporting at least one active measure; optionally
    /// one sector) × the last N quarters that have started (or the quarters asked for), each cell classified by
    /// <see cref="SubmissionStatuses.Classify"/>, with DHIS2-style reporting rates. Statuses only, never values, so every
    /// role may read it; the tracker page itself is for the partnership roles.
    /// </summary>
    public async Task<SubmissionMatrix> GetSubmissionMatrixAsync(Actor actor, SubmissionMatrixRequest request, CancellationToken ct = default)
    {
        const string periodsSql = """
            select id as period_id, fiscal_year, quarter::int as quarter, due_date
            from reporting_period
            where partnership_id = @PartnershipId
              and case when @PeriodIds::int[] is null then start_date <= @Today else id = any(@PeriodIds) end
            order by fiscal_year desc, quarter desc
            limit @Take
            """;
        const string cellsSql = """
            select a.id as agency_id, a.name as agency_name, a.sector, count(*)::int as expected_measures
            from agency a
            join measure_reporter mr on mr.partnership_id = a.partnership_id and mr.agency_id = a.id
            join measure m on m.partnership_id = mr.partnership_id and m.id = mr.measure_id and m.active
            where a.partnership_id = @PartnershipId and a.active and (@Sector::text is null or a.sector = @Sector)
            group by a.id, a.name, a.sector;

            select r.agency_id, r.period_id, min(r.submitted_at) as first_submitted_at, count(*)::int as versions
            from data_return r
            where r.partnership_id = @PartnershipId and r.period_id = any(@PeriodIds) and r.status = any(@ReceivedStatuses)
            group by r.agency_id, r.period_id;
            """;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var take = request.PeriodIds is { } ids ? ids.Count : Math.Clamp(request.LastQuarters, 1, SubmissionMatrixRequest.MaxQuarters);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var periods = (await conn.QueryAsync<TrackerPeriod>(new CommandDefinition(periodsSql,
                new { actor.PartnershipId, PeriodIds = request.PeriodIds?.ToArray(), Today = today, Take = take }, cancellationToken: ct)))
            .Reverse().ToList();
        if (periods.Count == 0)
            return new SubmissionMatrix([], [], today);

        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(cellsSql, new
        {
            actor.PartnershipId,
            Sector = request.Sector.ToDb(),
            PeriodIds = periods.Select(p => p.PeriodId).ToArray(),
            ReceivedStatuses = ReturnStatuses.Received.ToDb(),
        }, cancellationToken: ct));
        var expected = (await multi.ReadAsync<(int AgencyId, string AgencyName, string Sector, int ExpectedMeasures)>()).ToList();
        var received = (await multi.ReadAsync<(int AgencyId, int PeriodId, DateTime FirstSubmittedAt, int Versions)>())
            .ToDictionary(r => (r.AgencyId, r.PeriodId));

        var agencies = expected.Select(a =>
        {
            var cells = periods.Select(p => received.TryGetValue((a.AgencyId, p.PeriodId), out var r)
                    ? new SubmissionCell(p.PeriodId, r.FirstSubmittedAt, r.Versions, SubmissionStatuses.Classify(r.Versions, r.FirstSubmittedAt, p.DueDate, today))
                    : new SubmissionCell(p.PeriodId, null, 0, SubmissionStatuses.Classify(0, null, p.DueDate, today)))
                .ToList();
            return new AgencySubmissions(a.AgencyId, a.AgencyName, a.Sector, a.ExpectedMeasures, cells, ReportingRates.From(cells.Select(c => c.Status)));
        });
        return new SubmissionMatrix(periods, SubmissionMatrix.Order(agencies), today);
    }
}
