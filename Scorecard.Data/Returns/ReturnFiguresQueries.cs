using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>One measure's figures in the current version of an agency's return, as the return history page shows them.</summary>
/// <param name="Warnings">What the upload checks would warn about this value today (outside the usual range, a large move).</param>
public sealed record ReturnFigure(
    string MeasureCode, string MeasureTitle, MeasureUnit Unit, int DecimalPlaces,
    decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary, RagStatus Rag, IReadOnlyList<string> Warnings);

/// <summary>The figures of the current version of a return, with their RAG and warnings.</summary>
/// <param name="Version">The version shown: the current accepted one, else the latest.</param>
/// <param name="Status">That version's status.</param>
public sealed record ReturnFigures(int Version, ReturnStatus Status, IReadOnlyList<ReturnFigure> Figures);

/// <summary>
/// Reads the figures an agency sent for a quarter, so that the drill path (priority → measure → agency → quarter)
/// ends on figures. An agency user may read only their own agency's (checked here as in every query).
/// </summary>
public sealed class ReturnFiguresQueries(NpgsqlDataSource dataSource, ReturnUploadOptions options)
{
    private const string Sql = """
        select r.version, r.status, m.id as measure_id, m.code as measure_code, m.title as measure_title, m.unit,
               m.decimal_places::int as decimal_places, m.polarity, m.target, m.amber_tolerance,
               v.numerator, v.denominator, v.value, coalesce(v.commentary, '') as commentary
        from data_return r
        join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
        join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
        where r.partnership_id = @PartnershipId and r.id = (
            select id from data_return
            where partnership_id = @PartnershipId and agency_id = @AgencyId and period_id = @PeriodId
            order by (status = 'accepted') desc, version desc
            limit 1)
        order by m.sort_order, m.code
        """;

    private sealed record Row(
        int Version, ReturnStatus Status, int MeasureId, string MeasureCode, string MeasureTitle, MeasureUnit Unit, int DecimalPlaces,
        Polarity Polarity, decimal? Target, decimal? AmberTolerance, decimal? Numerator, decimal? Denominator, decimal? Value,
        string Commentary);

    /// <summary>
    /// The current version's figures (the latest accepted version, else the latest of any status), or null when the
    /// agency has sent nothing for the quarter. Throws <see cref="AccessDeniedException"/> when an agency user asks
    /// for another agency.
    /// </summary>
    public async Task<ReturnFigures?> GetCurrentAsync(Actor actor, int agencyId, int periodId, CancellationToken ct = default)
    {
        actor.RequireAgency(agencyId);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(
            Sql, new { actor.PartnershipId, AgencyId = agencyId, PeriodId = periodId }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
            return null;
        var context = await ReturnContext.LoadAsync(conn, actor.PartnershipId, agencyId, periodId, ct);
        var figures = rows.Select(r =>
        {
            var measure = context.Measures.FirstOrDefault(m => m.Id == r.MeasureId);
            var warnings = measure is not null && r.Value is { } value
                ? ReturnValidator.Warnings(measure, value, context, options)
                : [];
            return new ReturnFigure(r.MeasureCode, r.MeasureTitle, r.Unit, r.DecimalPlaces, r.Numerator, r.Denominator, r.Value,
                r.Commentary, Rag.Assess(r.Value, r.Target, r.AmberTolerance, r.Polarity, r.DecimalPlaces), warnings);
        }).ToList();
        return new ReturnFigures(rows[0].Version, rows[0].Status, figures);
    }
}
