using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// The one place where a viewer's view is made from the shared <see cref="ScorecardSnapshot"/>: agency scope (agency
/// users see the partnership and their own agency) and small-number suppression (counts of 1–4 hidden from everyone
/// but the owning agency's users, and from every export). Pure: no database, no clock. What a page keeps is what this
/// returns, never the snapshot.
/// </summary>
public static class ScorecardViewBuilder
{
    /// <summary>
    /// Every measure's row for a scope and a quarter (<paramref name="periodKey"/> such as 2025-Q2; null means the
    /// latest quarter that is due). Exports pass <paramref name="forExport"/>, which hides every small number whoever the viewer is.
    /// </summary>
    public static ScorecardView Build(ScorecardSnapshot snapshot, Actor viewer, ScorecardScope scope, string? periodKey = null, bool forExport = false)
    {
        RequireScope(viewer, scope);
        var selected = snapshot.SelectPeriod(periodKey);
        if (selected is null)
            return new ScorecardView(scope, null, snapshot.Data.Periods, []);
        var shared = snapshot.SharedLines(scope, selected);
        var lines = new ScorecardLine[shared.Count];
        for (var i = 0; i < shared.Count; i++)
        {
            var line = shared[i];
            int? owner = forExport ? null : scope.AgencyId ?? line.Measure.OwnerAgencyId;
            var exact = owner is { } o && ScorecardBuilder.SeesExact(viewer, o);
            lines[i] = Suppress(line, exact, exact ? null : f => WithheldBesideCells(snapshot, line.Measure, scope, f));
        }
        return new ScorecardView(scope, selected, snapshot.Data.Periods, lines);
    }

    /// <summary>One measure for the measure page: the partnership line and each reporting agency the viewer may see.</summary>
    public static MeasureDetail? BuildMeasure(ScorecardSnapshot snapshot, Actor viewer, string measureCode, string? periodKey = null, bool forExport = false)
    {
        var data = snapshot.Data;
        var measure = data.Measures.FirstOrDefault(m => string.Equals(m.Code, measureCode, StringComparison.OrdinalIgnoreCase));
        var selected = snapshot.SelectPeriod(periodKey);
        if (measure is null || selected is null)
            return null;
        var shared = snapshot.SharedLines(ScorecardScope.Partnership, selected).FirstOrDefault(l => l.Measure.Id == measure.Id);
        var reporters = snapshot.ReportersInScope(measure.Id, ScorecardScope.Partnership);
        shared ??= ScorecardBuilder.BuildLine(snapshot, measure, reporters, selected);
        var exactLine = !forExport && ScorecardBuilder.SeesExact(viewer, measure.OwnerAgencyId);
        var line = Suppress(shared, exactLine, exactLine ? null : f => WithheldBesideCells(snapshot, measure, ScorecardScope.Partnership, f));
        var periods = line.History.Select(h => h.Period).ToList();

        var visible = reporters.Where(a => viewer.CanSeeAgency(a.Id)).ToList();
        var figures = visible.Select(a => periods.Select(p =>
        {
            var v = snapshot.Value(measure.Id, a.Id, p.Id);
            var due = p.DueDate < data.Today;
            var status = v is not null ? FigureStatus.Received : due ? FigureStatus.Missing : FigureStatus.Awaited;
            var rag = Rag.Assess(v?.Value, measure.Target, measure.AmberTolerance, measure.Polarity, measure.DecimalPlaces);
            return new AgencyFigure(p, v?.Numerator, v?.Denominator, v?.Value, v?.Commentary ?? "", status, rag, false);
        }).ToArray()).ToArray();

        // Small numbers: hide counts (or numerators) of 1-4 from viewers outside the agency, and then, as the disclosure
        // audit decides, more cells until neither the partnership figure nor any sector's gives a hidden one away
        // (Disclosure.CellsToHide, issue 8 §2). The audit sees every reporter, not only those this viewer may see: the
        // totals are made from all of them.
        if (measure.SuppressSmallNumbers)
        {
            var index = reporters.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i);
            var row = visible.Select(a => index[a.Id]).ToArray();
            for (var q = 0; q < periods.Count; q++)
            {
                var hide = snapshot.CellDisclosureFor(measure, periods[q]).HiddenCells;
                for (var i = 0; i < figures.Length; i++)
                {
                    if (hide[row[i]] && (forExport || !ScorecardBuilder.SeesExact(viewer, visible[i].Id)))
                        figures[i][q] = figures[i][q] with { Suppressed = true, Rag = RagStatus.NoData }; // a hidden cell has no colour (issue 8 §2)
                }
            }
        }
        var series = visible.Select((a, i) => new AgencySeries(a, figures[i])).ToList();
        return new MeasureDetail(line, series, periods, reporters.Count - visible.Count);
    }

    private static void RequireScope(Actor viewer, ScorecardScope scope)
    {
        if (viewer.Role != Role.AgencyUser)
            return;
        if (scope.Sector is not null)
            throw new AccessDeniedException("Agency users see the partnership's figures and their own agency's, not other sectors'.");
        if (scope.AgencyId is { } id && id != viewer.AgencyId)
            throw new AccessDeniedException("Agency users can see only their own agency's figures.");
    }

    /// <summary>
    /// The shared line as this viewer may see it: a quarter whose figure is a count of 1–4 (or rests on a numerator of
    /// 1–4) is marked suppressed unless the viewer sees the owning agency's figures exactly; then no derived figure
    /// gives it back (issue 8 §2, <see cref="Disclosure"/>): no trend or change with a hidden end, no benchmark
    /// comparison of a hidden figure, no SPC mean or limits drawn from hidden points, and no statement (RAG, signal,
    /// assurance) about a hidden figure. Lines without a small number are handed on as they are, so most of a view is
    /// shared with every other viewer.
    /// </summary>
    internal static ScorecardLine Suppress(ScorecardLine line, bool exact, Func<QuarterFigure, bool>? withheld = null)
    {
        var measure = line.Measure;
        bool Hidden(QuarterFigure f) => IsSmall(measure, f) || (withheld is not null && f.Value is not null && withheld(f));
        if (exact || !measure.SuppressSmallNumbers || !line.History.Any(Hidden))
            return line;
        var history = line.History.Select(f => Hidden(f) ? f with { Suppressed = true } : f).ToList();
        var window = history.Skip(history.Count - line.Window.Count).ToList();
        var current = history[^1];
        var previous = history.Count >= 2 ? history[^2] : null;
        var lastYear = history.Count >= 5 ? history[^5] : null;
        var notes = new List<string>();
        var vsPrevious = line.VsPreviousQuarter;
        var vsLastYear = line.VsLastYear;
        if (previous is not null && !Disclosure.Change(previous.Suppressed, current.Suppressed).Show)
        {
            vsPrevious = TrendResult.NoData;
            notes.Add(Disclosure.ChangeReason);
        }
        if (lastYear is not null && !Disclosure.Change(lastYear.Suppressed, current.Suppressed).Show)
        {
            vsLastYear = TrendResult.NoData;
            if (notes.Count == 0)
                notes.Add(Disclosure.ChangeReason);
        }
        var feeding = history.Where(f => f.PointType is not null && !f.Ghosted).Select(f => f.Suppressed).ToList();
        var lines = Disclosure.SpcLines(feeding);
        var hidden = line with
        {
            History = history,
            Window = window,
            Current = current,
            VsPreviousQuarter = vsPrevious,
            VsLastYear = vsLastYear,
            England = current.Suppressed ? BenchmarkComparison.NotComparable : line.England,
            Neighbour = current.Suppressed ? BenchmarkComparison.NotComparable : line.Neighbour,
            TrendNote = notes.Count > 0 ? string.Join(" ", notes) : line.TrendNote,
            SpcLinesWithheld = lines.Show ? "" : lines.Reason,
        };
        return ScorecardBuilder.Judge(hidden);
    }

    /// <summary>
    /// A scope's figure that the disclosure audit withholds beside the measure page's agency cells (issue 8 §2): the
    /// partnership's or a sector's total when it would give a hidden count away, an agency's figure when its cell is hidden
    /// there (a complementary cell shown here would undo the protection).
    /// </summary>
    private static bool WithheldBesideCells(ScorecardSnapshot snapshot, ScorecardMeasure measure, ScorecardScope scope, QuarterFigure figure)
    {
        var decided = snapshot.CellDisclosureFor(measure, figure.Period);
        if (scope.AgencyId is { } agencyId)
        {
            var reporting = snapshot.ReportersInScope(measure.Id, ScorecardScope.Partnership);
            for (var i = 0; i < reporting.Count; i++)
            {
                if (reporting[i].Id == agencyId)
                    return decided.HiddenCells[i];
            }
            return false;
        }
        return scope.Sector is { } sector ? decided.WithheldGroups.Contains(sector.ToDb()) : decided.PartnershipWithheld;
    }

    private static bool IsSmall(ScorecardMeasure measure, QuarterFigure f) =>
        measure.IsRatio ? SmallNumbers.IsSmall(f.Numerator) : measure.Unit == MeasureUnit.Count && SmallNumbers.IsSmall(f.Value);
}
