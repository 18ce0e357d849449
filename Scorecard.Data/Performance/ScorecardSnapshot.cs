using System.Collections.Concurrent;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// One partnership's scorecard data as every viewer shares it (design.md, The read path): the catalogue, quarters,
/// reporters and current values, with lookups over them and the analytics that do not depend on the viewer (each
/// scope's figures per quarter, RAG, trend, SPC, benchmarks, exceptions), computed once per scope and quarter on first
/// use. Immutable once built; <see cref="ScorecardReadModel"/> replaces it whole when the data under it changes.
/// Agency scope and small-number suppression are applied per viewer by <see cref="ScorecardViewBuilder"/>.
/// </summary>
public sealed class ScorecardSnapshot
{
    /// <summary>
    /// At most this many (scope, quarter) results are kept: the partnership and sector scopes for every quarter fit many
    /// times over; beyond it (a chair touring 191 agencies) lines are computed for the request and not kept.
    /// </summary>
    public const int MaxCachedScopes = 512;

    private readonly Dictionary<(int Measure, int Agency, int Period), ScorecardValue> values;
    private readonly ILookup<int, ScorecardAgency> reporters;
    private readonly ConcurrentDictionary<(int? AgencyId, Sector? Sector, int PeriodId), Lazy<IReadOnlyList<ScorecardLine>>> lines = new();
    private readonly ConcurrentDictionary<(int MeasureId, int PeriodId), CellDisclosure> cellDisclosures = new();

    private ScorecardSnapshot(ScorecardData data, long version, CompletenessRule completeness)
    {
        Data = data;
        Version = version;
        Completeness = completeness;
        values = new Dictionary<(int, int, int), ScorecardValue>(data.Values.Count);
        foreach (var v in data.Values)
            values[(v.MeasureId, v.AgencyId, v.PeriodId)] = v;
        var agencies = data.Agencies.ToDictionary(a => a.Id);
        reporters = data.Reporters
            .Where(r => agencies.ContainsKey(r.AgencyId))
            .Select(r => (r.MeasureId, Agency: agencies[r.AgencyId]))
            .OrderBy(r => r.Agency.Name, StringComparer.OrdinalIgnoreCase)
            .ToLookup(r => r.MeasureId, r => r.Agency);
        var reporting = data.Reporters.Select(r => r.AgencyId).ToHashSet();
        ReportingAgencies = data.Agencies.Where(a => a.Active && reporting.Contains(a.Id)).ToList();
        Priorities = data.Measures.Select(m => new ScorecardPriority(m.PriorityCode, m.PriorityTitle)).Distinct().ToList();
        DefaultPeriodKey = ScorecardBuilder.DefaultPeriodKey(data);
    }

    /// <summary>The quarter the scorecard opens on when the URL names none (<see cref="Analytics.ReportingCalendar.DefaultQuarter"/>).</summary>
    public string? DefaultPeriodKey { get; }

    /// <summary>The quarter a key names, or <see cref="DefaultPeriodKey"/>'s quarter when the key is empty.</summary>
    public ScorecardPeriod? SelectPeriod(string? periodKey) => ScorecardBuilder.SelectPeriod(Data, periodKey, DefaultPeriodKey);

    /// <summary>Wraps loaded data. <paramref name="version"/> grows with each snapshot the read model builds;
    /// <paramref name="completeness"/>: when a figure from many agencies is complete (default: <see cref="CompletenessRule.Default"/>).</summary>
    public static ScorecardSnapshot Create(ScorecardData data, long version = 0, CompletenessRule? completeness = null) =>
        new(data, version, completeness ?? CompletenessRule.Default);

    /// <summary>When a partnership or sector figure counts as complete (<c>Scorecard:Completeness</c>).</summary>
    public CompletenessRule Completeness { get; }

    public ScorecardData Data { get; }

    public int PartnershipId => Data.PartnershipId;

    /// <summary>The day the snapshot was built for: what is due depends on it, so a new day needs a new snapshot.</summary>
    public DateOnly Today => Data.Today;

    public long Version { get; }

    /// <summary>Active agencies that report at least one measure, by name.</summary>
    public IReadOnlyList<ScorecardAgency> ReportingAgencies { get; }

    /// <summary>The priorities that have active measures, in the catalogue's order.</summary>
    public IReadOnlyList<ScorecardPriority> Priorities { get; }

    public ScorecardValue? Value(int measureId, int agencyId, int periodId) =>
        values.GetValueOrDefault((measureId, agencyId, periodId));

    public IReadOnlyList<ScorecardAgency> ReportersInScope(int measureId, ScorecardScope scope) =>
        reporters[measureId]
            .Where(a => scope.AgencyId is null || a.Id == scope.AgencyId)
            .Where(a => scope.Sector is null || a.Sector == scope.Sector)
            .ToList();

    /// <summary>
    /// Which agency cells of a measure's quarter are hidden from viewers who may not see small counts, and which totals
    /// are withheld beside them (<see cref="Disclosure.CellsToHide"/> over every reporter of the partnership, in
    /// <see cref="ReportersInScope"/>'s order, grouped by sector). Only counts are children (a ratio's numerator, a count
    /// measure's value): a score or a number of days of 1–4 is no small number. The same for every such viewer, so worked out once.
    /// </summary>
    internal CellDisclosure CellDisclosureFor(ScorecardMeasure measure, ScorecardPeriod period) =>
        cellDisclosures.GetOrAdd((measure.Id, period.Id), _ =>
        {
            var reporting = ReportersInScope(measure.Id, ScorecardScope.Partnership);
            var counts = reporting.Select(a => Value(measure.Id, a.Id, period.Id))
                .Select(v => measure.IsRatio ? v?.Numerator : measure.Unit == MeasureUnit.Count ? v?.Value : null).ToList();
            return Disclosure.CellsToHide(counts, reporting.Select(a => a.Sector.ToDb()).ToList());
        });

    /// <summary>
    /// Every measure's line for a scope up to a quarter, before any viewer's suppression (figures are never marked
    /// suppressed here). Shared: callers must not hand these lines to a viewer without <see cref="ScorecardViewBuilder"/>.
    /// </summary>
    internal IReadOnlyList<ScorecardLine> SharedLines(ScorecardScope scope, ScorecardPeriod selected)
    {
        var key = (scope.AgencyId, scope.Sector, selected.Id);
        if (lines.TryGetValue(key, out var cached))
            return cached.Value;
        if (lines.Count >= MaxCachedScopes)
            return ScorecardBuilder.BuildSharedLines(this, scope, selected);
        // One build per scope and quarter however many circuits ask at once (after a live update, every open page asks
        // together): the others wait for it rather than each building the same lines.
        return lines.GetOrAdd(key, _ => new Lazy<IReadOnlyList<ScorecardLine>>(
            () => ScorecardBuilder.BuildSharedLines(this, scope, selected), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}

public sealed record ScorecardPriority(string Code, string Title);
