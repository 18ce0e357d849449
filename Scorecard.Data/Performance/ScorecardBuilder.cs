using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Performance;

/// <summary>
/// The viewer-independent analytics of the scorecard: partnership (or agency, or sector) figures per quarter, RAG,
/// trend, SPC and benchmarks, computed over a <see cref="ScorecardSnapshot"/>. Pure: no database, no clock. What a
/// viewer may see is decided in <see cref="ScorecardViewBuilder"/>; <see cref="Build"/> and <see cref="BuildMeasure"/>
/// are the shortcut for data that is not shared (tests, one-off tools).
/// </summary>
public static class ScorecardBuilder
{
    /// <summary>Quarters shown on the scorecard row (the "last 5 quarters").</summary>
    public const int WindowQuarters = 5;

    /// <summary>Builds a viewer's scorecard from unshared data: <see cref="ScorecardViewBuilder.Build"/> over a fresh snapshot.</summary>
    public static ScorecardView Build(ScorecardData data, Actor viewer, ScorecardScope scope, string? periodKey = null, bool forExport = false) =>
        ScorecardViewBuilder.Build(ScorecardSnapshot.Create(data), viewer, scope, periodKey, forExport);

    /// <summary>A viewer's measure page from unshared data: <see cref="ScorecardViewBuilder.BuildMeasure"/> over a fresh snapshot.</summary>
    public static MeasureDetail? BuildMeasure(ScorecardData data, Actor viewer, string measureCode, string? periodKey = null, bool forExport = false) =>
        ScorecardViewBuilder.BuildMeasure(ScorecardSnapshot.Create(data), viewer, measureCode, periodKey, forExport);

    /// <summary>Every measure reported in the scope, as lines up to <paramref name="selected"/>, nothing suppressed.</summary>
    internal static IReadOnlyList<ScorecardLine> BuildSharedLines(ScorecardSnapshot snapshot, ScorecardScope scope, ScorecardPeriod selected)
    {
        var lines = new List<ScorecardLine>();
        foreach (var measure in snapshot.Data.Measures)
        {
            var agencies = snapshot.ReportersInScope(measure.Id, scope);
            if (agencies.Count == 0)
                continue;
            lines.Add(BuildLine(snapshot, measure, agencies, selected));
        }
        return lines;
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

    internal static ScorecardLine BuildLine(
        ScorecardSnapshot snapshot, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies, ScorecardPeriod selected)
    {
        var data = snapshot.Data;
        var polarity = measure.Polarity;
        var periods = data.Periods.Where(p => Compare(p, selected) <= 0).ToList();
        var figures = periods.Select(p => Figure(snapshot, measure, agencies, p)).ToList();

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

        for (var i = 0; i < figures.Count; i++)
            figures[i] = figures[i] with { Rag = Rag.Assess(figures[i].Value, measure.Target, measure.AmberTolerance, polarity, measure.DecimalPlaces) };

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
        ScorecardSnapshot snapshot, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies, ScorecardPeriod period)
    {
        decimal numerator = 0, denominator = 0, sum = 0;
        var received = 0;
        var missing = new List<ScorecardAgency>();
        foreach (var agency in agencies)
        {
            var v = snapshot.Value(measure.Id, agency.Id, period.Id);
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
        var due = period.DueDate < snapshot.Today;
        return new QuarterFigure(
            period,
            measure.IsRatio && received > 0 ? numerator : null,
            measure.IsRatio && received > 0 ? denominator : null,
            result, received, agencies.Count, due ? missing : [], due, RagStatus.NoData, null, false);
    }

    private static int Compare(ScorecardPeriod a, ScorecardPeriod b) =>
        a.FiscalYear != b.FiscalYear ? a.FiscalYear.CompareTo(b.FiscalYear) : a.Quarter.CompareTo(b.Quarter);
}
