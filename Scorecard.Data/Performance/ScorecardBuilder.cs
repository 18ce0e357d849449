using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Performance;

/// <summary>
/// Turns <see cref="ScorecardData"/> into scorecard rows: partnership (or agency, or sector) figures per quarter, RAG,
/// trend, SPC and benchmarks, with small numbers suppressed for the viewer. Pure: no database, no clock.
/// </summary>
public static class ScorecardBuilder
{
    /// <summary>Quarters shown on the scorecard row (the "last 5 quarters").</summary>
    public const int WindowQuarters = 5;

    /// <summary>
    /// Builds every measure's row for a scope and a quarter (<paramref name="periodKey"/> such as 2025-Q2; null means the
    /// latest quarter that is due). Agency users may see the partnership or their own agency only. Exports pass
    /// <paramref name="forExport"/>, which hides every small number whoever the viewer is.
    /// </summary>
    public static ScorecardView Build(ScorecardData data, Actor viewer, ScorecardScope scope, string? periodKey = null, bool forExport = false)
    {
        RequireScope(viewer, scope);
        var selected = SelectPeriod(data, periodKey);
        if (selected is null)
            return new ScorecardView(scope, null, data.Periods, []);
        var index = new DataIndex(data);
        var lines = new List<ScorecardLine>();
        foreach (var measure in data.Measures)
        {
            var agencies = index.ReportersInScope(measure.Id, scope);
            if (agencies.Count == 0)
                continue;
            lines.Add(BuildLine(data, index, measure, agencies, selected, forExport ? null : OwnerOf(measure, scope), viewer));
        }
        return new ScorecardView(scope, selected, data.Periods, lines);
    }

    /// <summary>One measure for the measure page: the partnership line and each reporting agency the viewer may see.</summary>
    public static MeasureDetail? BuildMeasure(ScorecardData data, Actor viewer, string measureCode, string? periodKey = null, bool forExport = false)
    {
        var measure = data.Measures.FirstOrDefault(m => string.Equals(m.Code, measureCode, StringComparison.OrdinalIgnoreCase));
        var selected = SelectPeriod(data, periodKey);
        if (measure is null || selected is null)
            return null;
        var index = new DataIndex(data);
        var reporters = index.ReportersInScope(measure.Id, ScorecardScope.Partnership);
        var line = BuildLine(data, index, measure, reporters, selected, forExport ? null : measure.OwnerAgencyId, viewer);
        var periods = line.History.Select(h => h.Period).ToList();

        var visible = reporters.Where(a => viewer.CanSeeAgency(a.Id)).ToList();
        var figures = visible.Select(a => periods.Select(p =>
        {
            var v = index.Value(measure.Id, a.Id, p.Id);
            var due = p.DueDate < data.Today;
            var status = v is not null ? FigureStatus.Received : due ? FigureStatus.Missing : FigureStatus.Awaited;
            var rag = Rag.Assess(v?.Value, measure.Target, measure.AmberTolerance, measure.Polarity, measure.DecimalPlaces);
            return new AgencyFigure(p, v?.Numerator, v?.Denominator, v?.Value, v?.Commentary ?? "", status, rag, false);
        }).ToArray()).ToArray();

        // Small numbers: hide counts (or numerators) of 1-4 from viewers outside the agency, and one more cell per
        // quarter when only one is hidden, so the partnership total cannot give it away.
        if (measure.SuppressSmallNumbers)
        {
            for (var q = 0; q < periods.Count; q++)
            {
                var hide = SmallNumbers.CellsToSuppress(figures.Select(f => measure.IsRatio ? f[q].Numerator : f[q].Value).ToList());
                for (var i = 0; i < figures.Length; i++)
                {
                    if (hide[i] && (forExport || !SeesExact(viewer, visible[i].Id)))
                        figures[i][q] = figures[i][q] with { Suppressed = true };
                }
            }
        }
        var series = visible.Select((a, i) => new AgencySeries(a, figures[i])).ToList();
        return new MeasureDetail(line, series, periods, reporters.Count - visible.Count);
    }

    /// <summary>The quarter a key names (2025-Q2), or the latest quarter that is due when the key is empty.</summary>
    public static ScorecardPeriod? SelectPeriod(ScorecardData data, string? periodKey)
    {
        if (!string.IsNullOrWhiteSpace(periodKey))
            return data.Periods.FirstOrDefault(p => string.Equals(p.Key, periodKey.Trim(), StringComparison.OrdinalIgnoreCase));
        return data.Periods.LastOrDefault(p => p.DueDate < data.Today) ?? data.Periods.LastOrDefault();
    }

    /// <summary>Only the owning agency's own users see its counts of 1–4 exactly (design.md, Analytics).</summary>
    public static bool SeesExact(Actor viewer, int owningAgencyId) =>
        viewer.Role == Role.AgencyUser && viewer.AgencyId == owningAgencyId;

    private static void RequireScope(Actor viewer, ScorecardScope scope)
    {
        if (viewer.Role != Role.AgencyUser)
            return;
        if (scope.Sector is not null)
            throw new AccessDeniedException("Agency users see the partnership's figures and their own agency's, not other sectors'.");
        if (scope.AgencyId is { } id && id != viewer.AgencyId)
            throw new AccessDeniedException("Agency users can see only their own agency's figures.");
    }

    private static int OwnerOf(ScorecardMeasure measure, ScorecardScope scope) => scope.AgencyId ?? measure.OwnerAgencyId;

    private static ScorecardLine BuildLine(
        ScorecardData data, DataIndex index, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies,
        ScorecardPeriod selected, int? owningAgencyId, Actor viewer)
    {
        var polarity = measure.Polarity;
        var periods = data.Periods.Where(p => Compare(p, selected) <= 0).ToList();
        var figures = periods.Select(p => Figure(data, index, measure, agencies, p)).ToList();

        // SPC over the quarters that have a figure (Making Data Count XmR, NHSRplotthedots defaults).
        var withValues = figures.Select((f, i) => (f, i)).Where(x => x.f.Value is not null).ToList();
        SpcAnalysis? spc = null;
        if (withValues.Count > 0)
        {
            spc = Spc.AnalyseDetailed(
                withValues.Select(x => (double)x.f.Value!.Value).ToList(),
                new SpcOptions(polarity.ToDirection(), polarity == Polarity.Neutral ? null : (double?)measure.Target,
                    RebaseAfter: RebaseAfter(data, measure, withValues.Select(x => x.f.Period).ToList())));
            for (var k = 0; k < withValues.Count; k++)
                figures[withValues[k].i] = figures[withValues[k].i] with { PointType = spc.Points[k].Type };
        }

        var exact = owningAgencyId is { } owner && SeesExact(viewer, owner);
        for (var i = 0; i < figures.Count; i++)
        {
            var f = figures[i];
            var small = measure.SuppressSmallNumbers &&
                (measure.IsRatio ? SmallNumbers.IsSmall(f.Numerator) : measure.Unit == MeasureUnit.Count && SmallNumbers.IsSmall(f.Value));
            figures[i] = f with
            {
                Rag = Rag.Assess(f.Value, measure.Target, measure.AmberTolerance, polarity, measure.DecimalPlaces),
                Suppressed = small && !exact,
            };
        }

        var current = figures[^1];
        var previous = figures.Count >= 2 ? figures[^2] : null;
        var lastYear = figures.Count >= 5 ? figures[^5] : null;
        var window = figures.Skip(Math.Max(0, figures.Count - WindowQuarters)).ToList();
        var line = new ScorecardLine(
            measure, figures, window, current,
            Trend.Compare(current.Value, previous?.Value, polarity, measure.Unit, measure.DecimalPlaces),
            Trend.Compare(current.Value, lastYear?.Value, polarity, measure.Unit, measure.DecimalPlaces),
            spc,
            Benchmarks.Compare(current.Value, measure.EnglandValue, polarity, measure.DecimalPlaces),
            Benchmarks.Compare(current.Value, measure.NeighbourValue, polarity, measure.DecimalPlaces),
            []);
        return line with { Exceptions = ExceptionsOf(line) };
    }

    /// <summary>
    /// The SPC engine's RebaseAfter: for each recorded process change, the index of the last analysed point before its
    /// quarter (a change at the first point, or after the last, starts no new segment).
    /// </summary>
    internal static IReadOnlyList<int>? RebaseAfter(ScorecardData data, ScorecardMeasure measure, IReadOnlyList<ScorecardPeriod> analysed)
    {
        var starts = data.Changes.Where(c => c.MeasureId == measure.Id).Select(c => c.PeriodId).ToHashSet();
        if (starts.Count == 0)
            return null;
        var periodOrder = data.Periods.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var result = new SortedSet<int>();
        foreach (var start in starts)
        {
            if (!periodOrder.TryGetValue(start, out var startOrder))
                continue;
            var first = analysed.Select((p, i) => (p, i)).FirstOrDefault(x => periodOrder[x.p.Id] >= startOrder);
            if (first.p is not null && first.i > 0)
                result.Add(first.i - 1);
        }
        return result.Count == 0 ? null : result.ToList();
    }

    private static IReadOnlyList<ExceptionReason> ExceptionsOf(ScorecardLine line)
    {
        var reasons = new List<ExceptionReason>();
        if (line.Current.Rag == RagStatus.Red)
            reasons.Add(ExceptionReason.Red);
        if (line.Window.Any(f => f.PointType == PointType.SpecialCauseConcern))
            reasons.Add(ExceptionReason.SpecialCauseConcern);
        if (line.Assurance == AssuranceIcon.ConsistentFail)
            reasons.Add(ExceptionReason.ConsistentlyFailing);
        if (line.Current.IsDue && (line.Current.Value is null || line.Current.Missing.Count > 0))
            reasons.Add(ExceptionReason.MissingData);
        if (line.Window.Any(f => f.PointType == PointType.SpecialCauseImprovement))
            reasons.Add(ExceptionReason.SpecialCauseImprovement);
        return reasons;
    }

    private static QuarterFigure Figure(
        ScorecardData data, DataIndex index, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies, ScorecardPeriod period)
    {
        decimal numerator = 0, denominator = 0, sum = 0;
        var received = 0;
        var missing = new List<ScorecardAgency>();
        foreach (var agency in agencies)
        {
            var v = index.Value(measure.Id, agency.Id, period.Id);
            if (v is null)
            {
                missing.Add(agency);
                continue;
            }
            if (measure.IsRatio)
            {
                if (v.Numerator is not { } n || v.Denominator is not { } d)
                    continue;
                numerator += n;
                denominator += d;
            }
            else if (v.Value is { } value)
            {
                sum += value;
            }
            else
            {
                continue;
            }
            received++;
        }

        decimal? result = null;
        if (measure.IsRatio)
            result = denominator > 0 ? numerator / denominator * Units.Scale(measure.Unit) : null;
        else if (received > 0)
            result = measure.Unit == MeasureUnit.Count ? sum : sum / received;
        var due = period.DueDate < data.Today;
        return new QuarterFigure(
            period,
            measure.IsRatio && received > 0 ? numerator : null,
            measure.IsRatio && received > 0 ? denominator : null,
            result, received, agencies.Count, due ? missing : [], due, RagStatus.NoData, null, false);
    }

    private static int Compare(ScorecardPeriod a, ScorecardPeriod b) =>
        a.FiscalYear != b.FiscalYear ? a.FiscalYear.CompareTo(b.FiscalYear) : a.Quarter.CompareTo(b.Quarter);

    /// <summary>Lookups over the loaded rows, built once per call.</summary>
    private sealed class DataIndex
    {
        private readonly Dictionary<(int Measure, int Agency, int Period), ScorecardValue> values;
        private readonly ILookup<int, ScorecardAgency> reporters;

        public DataIndex(ScorecardData data)
        {
            values = new Dictionary<(int, int, int), ScorecardValue>(data.Values.Count);
            foreach (var v in data.Values)
                values[(v.MeasureId, v.AgencyId, v.PeriodId)] = v;
            var agencies = data.Agencies.ToDictionary(a => a.Id);
            reporters = data.Reporters
                .Where(r => agencies.ContainsKey(r.AgencyId))
                .Select(r => (r.MeasureId, Agency: agencies[r.AgencyId]))
                .OrderBy(r => r.Agency.Name, StringComparer.OrdinalIgnoreCase)
                .ToLookup(r => r.MeasureId, r => r.Agency);
        }

        public ScorecardValue? Value(int measureId, int agencyId, int periodId) =>
            values.GetValueOrDefault((measureId, agencyId, periodId));

        public IReadOnlyList<ScorecardAgency> ReportersInScope(int measureId, ScorecardScope scope) =>
            reporters[measureId]
                .Where(a => scope.AgencyId is null || a.Id == scope.AgencyId)
                .Where(a => scope.Sector is null || a.Sector == scope.Sector)
                .ToList();
    }
}
