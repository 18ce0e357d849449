using System.Data.Common;
using Dapper;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>A measure as a return sees it: whether this agency reports it, and how its value is given.</summary>
internal sealed record ReturnMeasure(
    int Id, string Code, string Title, string Definition, MeasureUnit Unit, string? NumeratorLabel, string? DenominatorLabel,
    Polarity Polarity, short DecimalPlaces, bool Active, int SortOrder, bool Reported)
{
    public bool IsRatio => Units.IsRatio(NumeratorLabel, DenominatorLabel);

    /// <summary>Counts, numerators and denominators are whole numbers.</summary>
    public bool IsCount => Unit == MeasureUnit.Count;
}

internal sealed record ReturnPeriod(int Id, int FiscalYear, int Quarter, bool IsOpen)
{
    public string Label => PeriodLabels.Format(FiscalYear, Quarter);

    public (int FiscalYear, int Quarter) Previous => Quarter == 1 ? (FiscalYear - 1, 4) : (FiscalYear, Quarter - 1);
}

internal sealed record ReturnAgency(int Id, string Name, string ShortName, bool Active);

internal sealed record HistoryPoint(int MeasureId, int FiscalYear, int Quarter, decimal? Value, bool IsCurrent);

internal sealed record CurrentVersion(long Id, int Version, byte[]? FileSha256);

/// <summary>
/// Everything a template or an upload needs to know about one agency and quarter, read in one round trip: the period,
/// the agency, every measure of the partnership (to tell an unknown code from one this agency does not report), the
/// agency's accepted values up to and including the quarter, and its current accepted version.
/// </summary>
internal sealed class ReturnContext
{
    private ReturnContext(ReturnPeriod? period, ReturnAgency? agency, IReadOnlyList<ReturnMeasure> measures,
        IReadOnlyList<HistoryPoint> history, CurrentVersion? current)
    {
        Period = period;
        Agency = agency;
        Measures = measures;
        MeasuresByCode = measures.ToDictionary(m => m.Code, StringComparer.OrdinalIgnoreCase);
        Current = current;
        var previous = period?.Previous;
        foreach (var group in history.GroupBy(h => h.MeasureId))
        {
            var past = new List<double>();
            foreach (var point in group)
            {
                if (point.IsCurrent)
                    CurrentValues[group.Key] = point.Value;
                else if (point.Value is { } v)
                    past.Add((double)v);
                if ((point.FiscalYear, point.Quarter) == previous)
                    PreviousValues[group.Key] = point.Value;
            }
            PastValues[group.Key] = past;
        }
    }

    public ReturnPeriod? Period { get; }
    public ReturnAgency? Agency { get; }
    public IReadOnlyList<ReturnMeasure> Measures { get; }
    public IReadOnlyDictionary<string, ReturnMeasure> MeasuresByCode { get; }
    public CurrentVersion? Current { get; }

    /// <summary>The value in the agency's accepted return for this quarter (what an upload would replace).</summary>
    public Dictionary<int, decimal?> CurrentValues { get; } = [];

    /// <summary>The value in the agency's accepted return for the quarter before.</summary>
    public Dictionary<int, decimal?> PreviousValues { get; } = [];

    /// <summary>Accepted values of earlier quarters, oldest first, for the SPC limits.</summary>
    public Dictionary<int, List<double>> PastValues { get; } = [];

    public IEnumerable<ReturnMeasure> ReportedMeasures => Measures.Where(m => m.Reported && m.Active).OrderBy(m => m.SortOrder).ThenBy(m => m.Code);

    public static async Task<ReturnContext> LoadAsync(DbConnection conn, int partnershipId, int agencyId, int periodId, CancellationToken ct)
    {
        const string sql = """
            select id, fiscal_year, quarter::int as quarter, is_open from reporting_period where partnership_id = @PartnershipId and id = @PeriodId;

            select id, name, short_name, active from agency where partnership_id = @PartnershipId and id = @AgencyId;

            select m.id, m.code, m.title, m.definition, m.unit, m.numerator_label, m.denominator_label, m.polarity, m.decimal_places,
                   m.active, m.sort_order, false as reported
            from measure m
            where m.partnership_id = @PartnershipId;

            -- Read apart from the measures (not joined) so the plan stays an index scan however fresh the statistics are.
            select measure_id from measure_reporter where partnership_id = @PartnershipId and agency_id = @AgencyId;

            select v.measure_id, p.fiscal_year, p.quarter::int as quarter, v.value, (p.id = @PeriodId) as is_current
            from data_return r
            join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
            join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
            where r.partnership_id = @PartnershipId and r.agency_id = @AgencyId and r.status = 'accepted'
              and (p.fiscal_year, p.quarter) <= (select fiscal_year, quarter from reporting_period where partnership_id = @PartnershipId and id = @PeriodId)
            order by v.measure_id, p.fiscal_year, p.quarter;

            select id, version, file_sha256 from data_return
            where partnership_id = @PartnershipId and agency_id = @AgencyId and period_id = @PeriodId and status = 'accepted';
            """;
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql,
            new { PartnershipId = partnershipId, AgencyId = agencyId, PeriodId = periodId }, cancellationToken: ct));
        var period = await multi.ReadSingleOrDefaultAsync<ReturnPeriod>();
        var agency = await multi.ReadSingleOrDefaultAsync<ReturnAgency>();
        var allMeasures = await multi.ReadAsync<ReturnMeasure>();
        var reported = (await multi.ReadAsync<int>()).ToHashSet();
        var measures = allMeasures.Select(m => reported.Contains(m.Id) ? m with { Reported = true } : m).ToList();
        var history = (await multi.ReadAsync<HistoryPoint>()).ToList();
        var current = await multi.ReadSingleOrDefaultAsync<CurrentVersion>();
        return new ReturnContext(period, agency, measures, history, current);
    }
}
