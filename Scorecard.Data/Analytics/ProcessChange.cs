namespace Scorecard.Data.Analytics;

/// <summary>What kind of sustained change ends the series.</summary>
public enum ProcessChangeKind
{
    /// <summary>A run of points on one side of the mean (Making Data Count: run of 7).</summary>
    Shift,

    /// <summary>A run of strict rises or strict falls (Making Data Count: trend of 7).</summary>
    Trend,
}

/// <summary>A suggestion that the limits describe an old process and should be recalculated.</summary>
/// <param name="Kind">A shift or a trend.</param>
/// <param name="Side">High (above the mean, or rising) or low.</param>
/// <param name="StartIndex">
/// 0-based index (into the series given to <see cref="Spc"/>) of the first point of the run: the quarter to
/// recalculate the limits from (a process change recorded there rebases the chart).
/// </param>
/// <param name="Length">Points in the run, up to and including the last point.</param>
/// <param name="CoversWholeSegment">
/// The run starts at the segment's first point, so recalculating from it changes nothing: the series has no stable
/// stretch to describe yet.
/// </param>
public sealed record ProcessChangeSuggestion(
    ProcessChangeKind Kind, SpecialCauseSide Side, int StartIndex, int Length, bool CoversWholeSegment)
{
    /// <summary>
    /// The sentence for the measure page and the scorecard row, given the label of the quarter at
    /// <see cref="StartIndex"/>: "The limits describe the old process: the last 9 quarters are all below the mean.
    /// Recalculate the limits from 2023/24 Q2."
    /// </summary>
    /// <param name="startQuarterLabel">The label of the quarter at <see cref="StartIndex"/>.</param>
    /// <returns>The sentence.</returns>
    public string Message(string startQuarterLabel)
    {
        var what = Kind == ProcessChangeKind.Shift
            ? $"the last {Length} quarters are all {(Side == SpecialCauseSide.High ? "above" : "below")} the mean"
            : $"the last {Length} quarters have each {(Side == SpecialCauseSide.High ? "risen" : "fallen")}";
        return CoversWholeSegment
            ? $"The limits do not describe a stable process: {what}."
            : $"The limits describe the old process: {what}. Recalculate the limits from {startQuarterLabel}.";
    }
}

/// <summary>The assurance to show: the icon, and whether it must carry a caveat instead of standing as a verdict.</summary>
/// <param name="Icon">The assurance icon as computed (null without a target).</param>
/// <param name="Caveated">
/// True when the icon was computed from limits that straddle a sustained shift or trend: it must not be shown as a
/// plain verdict (use <see cref="Text"/>, <see cref="SpcWords.AssuranceOnOldProcess"/>).
/// </param>
/// <param name="Text">What to write for the assurance.</param>
public sealed record AssuranceVerdict(AssuranceIcon? Icon, bool Caveated, string Text);

/// <summary>
/// Detects that the latest points show the process has changed (Making Data Count's guidance: recalculate the limits
/// when a sustained shift or trend shows a new process). How it is meant to be used: after
/// <see cref="Spc.AnalyseDetailed"/> on a measure's series, call <see cref="Detect"/>; when it returns a suggestion,
/// the measure page and the scorecard row show <see cref="ProcessChangeSuggestion.Message"/> with the quarter at
/// <see cref="ProcessChangeSuggestion.StartIndex"/> and offer QA members the existing "record a process change"
/// action for that quarter; and <see cref="Assurance"/> gives the assurance to show, caveated while the suggestion
/// stands. Recording the change rebases the chart, after which the run no longer straddles the limits and the
/// suggestion disappears by itself.
/// </summary>
public static class ProcessChange
{
    /// <summary>
    /// Whether the last segment ends in a run of <paramref name="shiftLength"/> or more points strictly on one side
    /// of its mean, or a trend of <paramref name="trendLength"/> or more points (strict rises or strict falls) ending
    /// at the last point. Ghosted points are skipped, as the rules skip them. When both hold, the longer run (the
    /// earlier start) is reported.
    /// </summary>
    /// <param name="analysis">The analysis of the series.</param>
    /// <param name="shiftLength">The run length (7 by default, as the rules).</param>
    /// <param name="trendLength">The trend length (7 by default, as the rules).</param>
    /// <returns>The suggestion, or null when the latest points show no sustained change.</returns>
    public static ProcessChangeSuggestion? Detect(SpcAnalysis analysis, int shiftLength = 7, int trendLength = 7)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Segments.Count == 0)
            return null;
        var segment = analysis.Segments[^1];
        var points = analysis.Points
            .Skip(segment.Start).Take(segment.Count)
            .Where(p => !p.Ghosted)
            .ToList();
        if (points.Count == 0)
            return null;

        ProcessChangeSuggestion? shift = null;
        var side = Math.Sign(points[^1].Value - segment.Mean);
        if (side != 0)
        {
            var k = points.Count - 1;
            while (k > 0 && Math.Sign(points[k - 1].Value - segment.Mean) == side)
                k--;
            var length = points.Count - k;
            if (length >= shiftLength)
            {
                shift = new ProcessChangeSuggestion(
                    ProcessChangeKind.Shift, side > 0 ? SpecialCauseSide.High : SpecialCauseSide.Low,
                    points[k].Index, length, points[k].Index == segment.Start);
            }
        }

        ProcessChangeSuggestion? trend = null;
        if (points.Count >= 2)
        {
            var direction = Math.Sign(points[^1].Value - points[^2].Value);
            if (direction != 0)
            {
                var k = points.Count - 1;
                while (k > 0 && Math.Sign(points[k].Value - points[k - 1].Value) == direction)
                    k--;
                var length = points.Count - k;
                if (length >= trendLength)
                {
                    trend = new ProcessChangeSuggestion(
                        ProcessChangeKind.Trend, direction > 0 ? SpecialCauseSide.High : SpecialCauseSide.Low,
                        points[k].Index, length, points[k].Index == segment.Start);
                }
            }
        }

        if (shift is null)
            return trend;
        if (trend is null)
            return shift;
        return trend.StartIndex < shift.StartIndex ? trend : shift;
    }

    /// <summary>
    /// The assurance to show: the plain icon when the limits describe the current process; a caveat (never a
    /// verdict) when a process change is suggested; "no target" when there is nothing to assure against.
    /// </summary>
    /// <param name="analysis">The analysis of the series.</param>
    /// <param name="change">The result of <see cref="Detect"/>.</param>
    /// <returns>The verdict.</returns>
    public static AssuranceVerdict Assurance(SpcAnalysis analysis, ProcessChangeSuggestion? change)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Assurance is not { } icon)
            return new AssuranceVerdict(null, false, "No target to assure against");
        return change is null
            ? new AssuranceVerdict(icon, false, SpcIcons.Label(icon))
            : new AssuranceVerdict(icon, true, SpcWords.AssuranceOnOldProcess);
    }
}
