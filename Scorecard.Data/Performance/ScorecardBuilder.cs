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

    /// <summary>
    /// The quarter a key names (2025-Q2), or when the key is empty the quarter the scorecard opens on
    /// (<see cref="ReportingCalendar.DefaultQuarter"/>: the latest due quarter holding a return, so an empty future or
    /// just-added quarter never becomes the default).
    /// </summary>
    public static ScorecardPeriod? SelectPeriod(ScorecardData data, string? periodKey) =>
        SelectPeriod(data, periodKey, DefaultPeriodKey(data));

    internal static ScorecardPeriod? SelectPeriod(ScorecardData data, string? periodKey, string? defaultKey)
    {
        var key = string.IsNullOrWhiteSpace(periodKey) ? defaultKey : periodKey.Trim();
        return key is null ? null : data.Periods.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The key of the quarter to open on (<see cref="ReportingCalendar.DefaultQuarter"/>), counting each quarter's returns.</summary>
    internal static string? DefaultPeriodKey(ScorecardData data)
    {
        var returns = data.Values.Select(v => (v.AgencyId, v.PeriodId)).Distinct().CountBy(x => x.PeriodId).ToDictionary(x => x.Key, x => x.Value);
        var quarters = data.Periods
            .Select(p => new CalendarQuarter(p.Key, p.FiscalYear, p.Quarter, p.DueDate, returns.GetValueOrDefault(p.Id)))
            .ToList();
        return ReportingCalendar.DefaultQuarter(quarters, data.Today);
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
        var ghosts = data.Ghosts.Where(g => g.MeasureId == measure.Id).ToDictionary(g => g.PeriodId);
        var figures = periods.Select(p =>
        {
            var f = Figure(snapshot, measure, agencies, p);
            return ghosts.TryGetValue(p.Id, out var g) ? f with { Ghosted = true, GhostReason = g.Reason } : f;
        }).ToList();

        // SPC over the quarters with a complete figure (Making Data Count XmR, NHSRplotthedots defaults): an incomplete
        // figure is no point, so it moves no mean, limit, rule or icon (issue 8 §1); ghosted quarters are points left
        // out of the limits and rules.
        var analysed = figures.Select((f, i) => (f, i))
            .Where(x => x.f.Value is not null && Completeness.CountsForSpc(x.f.Completeness)).ToList();
        SpcAnalysis? spc = null;
        ProcessChangeSuggestion? change = null;
        ScorecardPeriod? changeFrom = null;
        if (analysed.Count > 0)
        {
            var ghosted = analysed.Select((x, k) => (x.f.Ghosted, k)).Where(x => x.Ghosted).Select(x => x.k).ToList();
            spc = Spc.AnalyseDetailed(
                analysed.Select(x => (double)x.f.Value!.Value).ToList(),
                new SpcOptions(polarity.ToDirection(), polarity == Polarity.Neutral ? null : (double?)measure.Target,
                    RebaseAfter: RebaseAfter(data, measure, analysed.Select(x => x.f.Period).ToList()),
                    Ghosted: ghosted.Count > 0 ? ghosted : null));
            for (var k = 0; k < analysed.Count; k++)
                figures[analysed[k].i] = figures[analysed[k].i] with { PointType = spc.Points[k].Type };
            change = ProcessChange.Detect(spc);
            changeFrom = change is null ? null : analysed[change.StartIndex].f.Period;
        }

        for (var i = 0; i < figures.Count; i++)
            figures[i] = figures[i] with { Rag = Rag.Assess(figures[i].Value, measure.Target, measure.AmberTolerance, polarity, measure.DecimalPlaces) };

        var current = figures[^1];
        var previous = figures.Count >= 2 ? figures[^2] : null;
        var lastYear = figures.Count >= 5 ? figures[^5] : null;
        var window = figures.Skip(Math.Max(0, figures.Count - WindowQuarters)).ToList();
        var (vsPrevious, previousNote) = CompareQuarters(snapshot, measure, agencies, current, previous, "last quarter");
        var (vsLastYear, lastYearNote) = CompareQuarters(snapshot, measure, agencies, current, lastYear, "a year ago");
        var line = new ScorecardLine(
            measure, figures, window, current, vsPrevious, vsLastYear, spc,
            Benchmarks.Compare(current.Value, measure.EnglandValue, polarity, measure.DecimalPlaces),
            Benchmarks.Compare(current.Value, measure.NeighbourValue, polarity, measure.DecimalPlaces),
            [])
        {
            ProcessChange = change,
            ProcessChangeFrom = changeFrom,
            AssuranceVerdict = spc is null ? null : ProcessChange.Assurance(spc, change),
            TrendNote = string.Join(" ", new[] { previousNote, lastYearNote }.Where(n => n.Length > 0)),
        };
        return Judge(line);
    }

    /// <summary>
    /// The row's statements (<see cref="StatementPrecedence.Decide"/>) and the exceptions drawn from them, from the
    /// line as the viewer sees it: called again after the viewer's suppression so a hidden figure states nothing.
    /// </summary>
    internal static ScorecardLine Judge(ScorecardLine line)
    {
        var current = line.Current;
        var latestSpecial = line.Window.LastOrDefault(f => !f.Ghosted && !f.Suppressed && f.PointType is { } t && t != PointType.CommonCause)?.PointType;
        var signals = new MeasureSignals(
            current.Rag,
            current.Provisional,
            current.Suppressed,
            line.Variation,
            latestSpecial,
            line.Spc?.Assurance,
            line.ProcessChange is not null,
            current.Completeness.Label);
        var statements = StatementPrecedence.Decide(signals);
        var reasons = new List<ExceptionReason>();
        foreach (var s in statements)
        {
            switch (s.Kind)
            {
                case StatementKind.Red: reasons.Add(ExceptionReason.Red); break;
                case StatementKind.Concern: reasons.Add(ExceptionReason.SpecialCauseConcern); break;
                case StatementKind.ConsistentlyFailing: reasons.Add(ExceptionReason.ConsistentlyFailing); break;
            }
        }
        if (current.IsDue && (current.Value is null || current.Missing.Count > 0))
            reasons.Add(ExceptionReason.MissingData);
        if (statements.Any(s => s.Kind == StatementKind.Improvement))
            reasons.Add(ExceptionReason.SpecialCauseImprovement);
        return line with { Statements = statements, Exceptions = reasons };
    }

    /// <summary>
    /// The trend between the current quarter and an earlier one: an arrow only when both figures are complete
    /// (<see cref="Completeness.CountsForTrend"/>); otherwise no arrow, and the like-for-like comparison (only the
    /// agencies that returned both quarters) in words, unless its figures rest on a small number.
    /// </summary>
    private static (TrendResult Trend, string Note) CompareQuarters(
        ScorecardSnapshot snapshot, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies,
        QuarterFigure current, QuarterFigure? earlier, string comparedWith)
    {
        if (earlier is null || current.Value is null || earlier.Value is null)
            return (TrendResult.NoData, "");
        if (Completeness.CountsForTrend(current.Completeness, earlier.Completeness))
            return (Trend.Compare(current.Value, earlier.Value, measure.Polarity, measure.Unit, measure.DecimalPlaces), "");
        var incomplete = current.Provisional ? current : earlier;
        var note = $"No trend on {comparedWith}: {incomplete.Period.Label} is incomplete ({incomplete.Completeness.Label}).";
        var aggregation = measure.IsRatio ? FigureAggregation.Ratio : measure.Unit == MeasureUnit.Count ? FigureAggregation.Sum : FigureAggregation.Mean;
        var now = Contributions(snapshot, measure, agencies, current.Period);
        var before = Contributions(snapshot, measure, agencies, earlier.Period);
        var like = Completeness.LikeForLike(now, before, aggregation, Units.Scale(measure.Unit));
        if (like.Current is null || like.Previous is null)
            return (TrendResult.NoData, $"{note} {like.Note}.".Replace("..", "."));
        var ids = like.AgencyIds.ToHashSet();
        if (measure.SuppressSmallNumbers && (IsSmallBase(measure, now, ids) || IsSmallBase(measure, before, ids)))
            return (TrendResult.NoData, note);
        var likeTrend = Trend.Compare(like.Current, like.Previous, measure.Polarity, measure.Unit, measure.DecimalPlaces);
        var words = Trend.Describe(likeTrend, comparedWith);
        var who = Plural.Of(like.AgencyIds.Count, "agency", "agencies");
        return (TrendResult.NoData,
            $"{note} Like for like, over the {who} that returned both quarters: {words} ({FigureFormat.Change(likeTrend.Change, measure.Unit, measure.DecimalPlaces)}).");
    }

    private static List<AgencyContribution> Contributions(
        ScorecardSnapshot snapshot, ScorecardMeasure measure, IReadOnlyList<ScorecardAgency> agencies, ScorecardPeriod period) =>
        agencies.Select(a => snapshot.Value(measure.Id, a.Id, period.Id))
            .Where(v => v is not null)
            .Select(v => new AgencyContribution(v!.AgencyId, v.Numerator, v.Denominator, v.Value))
            .ToList();

    private static bool IsSmallBase(ScorecardMeasure measure, List<AgencyContribution> contributions, HashSet<int> ids)
    {
        var kept = contributions.Where(c => ids.Contains(c.AgencyId)).ToList();
        if (measure.IsRatio)
            return SmallNumbers.IsSmall(kept.Sum(c => c.Numerator ?? 0));
        return measure.Unit == MeasureUnit.Count && SmallNumbers.IsSmall(kept.Sum(c => c.Value ?? 0));
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
