namespace Scorecard.Data.Analytics;

/// <summary>Which way a measure has to move to count as better (Making Data Count "improvement direction").</summary>
public enum ImprovementDirection
{
    /// <summary>Higher values are better.</summary>
    Increase,

    /// <summary>Lower values are better.</summary>
    Decrease,

    /// <summary>Neither direction is better; special causes are reported as neutral high or low.</summary>
    Neutral,
}

/// <summary>The classification of a single point, as NHSRplotthedots' <c>point_type</c> column.</summary>
public enum PointType
{
    /// <summary>No rule fired: common cause variation (<c>common_cause</c>).</summary>
    CommonCause,

    /// <summary>A rule fired in the better direction (<c>special_cause_improvement</c>).</summary>
    SpecialCauseImprovement,

    /// <summary>A rule fired in the worse direction (<c>special_cause_concern</c>).</summary>
    SpecialCauseConcern,

    /// <summary>A rule fired upwards on a measure with no better direction (<c>special_cause_neutral_high</c>).</summary>
    SpecialCauseNeutralHigh,

    /// <summary>A rule fired downwards on a measure with no better direction (<c>special_cause_neutral_low</c>).</summary>
    SpecialCauseNeutralLow,
}

/// <summary>The Making Data Count variation icon, chosen from the last point of the chart.</summary>
public enum VariationIcon
{
    /// <summary>Common cause variation.</summary>
    CommonCause,

    /// <summary>Special cause variation – improvement, measure significantly higher.</summary>
    ImprovementHigh,

    /// <summary>Special cause variation – improvement, measure significantly lower.</summary>
    ImprovementLow,

    /// <summary>Special cause variation – concern, measure significantly higher.</summary>
    ConcernHigh,

    /// <summary>Special cause variation – concern, measure significantly lower.</summary>
    ConcernLow,

    /// <summary>Special cause variation – neutral, measure significantly higher.</summary>
    NeutralHigh,

    /// <summary>Special cause variation – neutral, measure significantly lower.</summary>
    NeutralLow,
}

/// <summary>The Making Data Count assurance icon: can the process be relied on to meet its target?</summary>
public enum AssuranceIcon
{
    /// <summary>The target lies outside the limits on the good side: the process will consistently pass.</summary>
    ConsistentPass,

    /// <summary>The target lies outside the limits on the bad side: the process will consistently fail.</summary>
    ConsistentFail,

    /// <summary>The target lies within the limits (or there are no limits): hit and miss.</summary>
    Inconsistent,
}

/// <summary>Options for <see cref="Spc.Analyse"/>; the defaults are those of NHSRplotthedots' <c>ptd_spc()</c>.</summary>
/// <param name="Direction">Which way is better (<c>improvement_direction</c>).</param>
/// <param name="Target">Optional target, used only for the assurance icon (<c>target</c>).</param>
/// <param name="FixAfterPoints">
/// When set, the mean and moving ranges of each segment use only its first n points (<c>fix_after_n_points</c>);
/// the package requires n ≥ 12.
/// </param>
/// <param name="RebaseAfter">
/// 0-based indices of the last point of a segment; the next point starts a new segment with its own mean and
/// limits (the package's <c>rebase</c> dates name the first point of the new segment instead).
/// </param>
/// <param name="ScreenOutliers">Screen large moving ranges out of the limit calculation (<c>screen_outliers</c>).</param>
/// <param name="TrendLength">Points in a run of strict rises or falls that signals a trend (7 in the package).</param>
/// <param name="ShiftLength">Points in a run on one side of the mean that signals a shift (7 in the package).</param>
/// <param name="Ghosted">
/// 0-based indices of points a QA member has marked as a known special cause ("ghosted", as the Making Data Count
/// tools call it). A ghosted point is still returned (and drawn, hollow) but is left out of everything the chart
/// concludes: its segment's mean, its moving ranges (the range into it and the range out of it are both dropped,
/// never bridged), the <see cref="FixAfterPoints"/> count, the four rules (runs and trends are read over the
/// remaining points as if it were absent) and the variation icon. Its own type is common cause and
/// <see cref="SpcPointDetail.Ghosted"/> is set. NHSRplotthedots has no such option; this follows the NHS England
/// Making Data Count Excel tool's "ghost" column. A segment whose points are all ghosted ignores the ghosting, since
/// limits from no points would be no limits at all.
/// </param>
public sealed record SpcOptions(
    ImprovementDirection Direction = ImprovementDirection.Increase,
    double? Target = null,
    int? FixAfterPoints = null,
    IReadOnlyList<int>? RebaseAfter = null,
    bool ScreenOutliers = true,
    int TrendLength = 7,
    int ShiftLength = 7,
    IReadOnlyCollection<int>? Ghosted = null);

/// <summary>One analysed point.</summary>
/// <param name="Value">The input value.</param>
/// <param name="Mean">Its segment's mean (centre line).</param>
/// <param name="UpperLimit">Its segment's upper process limit, or null when no moving range was left to average.</param>
/// <param name="LowerLimit">Its segment's lower process limit, or null when no moving range was left to average.</param>
/// <param name="Type">The point's classification.</param>
/// <param name="Ghosted">The point was left out of the limits (<see cref="SpcOptions.Ghosted"/>); draw it hollow.</param>
public sealed record SpcPoint(double Value, double? Mean, double? UpperLimit, double? LowerLimit, PointType Type, bool Ghosted = false);

/// <summary>The result of <see cref="Spc.Analyse"/>.</summary>
/// <param name="Points">One entry per input value, in input order.</param>
/// <param name="Variation">The variation icon, from the last point.</param>
/// <param name="Assurance">The assurance icon; null without a target or when the direction is neutral.</param>
/// <param name="TrialLimits">True when the last segment has fewer than 13 points, so its limits are provisional.</param>
public sealed record SpcResult(IReadOnlyList<SpcPoint> Points, VariationIcon Variation, AssuranceIcon? Assurance, bool TrialLimits);

/// <summary>Which special cause rule decided a point's type (the package's <c>special_cause_type</c>).</summary>
public enum SpecialCauseRule
{
    /// <summary>No rule fired.</summary>
    None,

    /// <summary>Rule 1: the point is strictly beyond a process limit.</summary>
    OutsideLimits,

    /// <summary>Rule 2: the point is part of a run of strict rises or strict falls (a trend).</summary>
    Trend,

    /// <summary>Rule 3: two of three points beyond the two-sigma line on the same side of the mean.</summary>
    TwoOfThree,

    /// <summary>Rule 4: the point is part of a run on one side of the mean (a shift).</summary>
    Shift,
}

/// <summary>The direction of the rule that decided a point's type.</summary>
public enum SpecialCauseSide
{
    /// <summary>No rule fired.</summary>
    None,

    /// <summary>Above the mean or limit, or an increasing trend.</summary>
    High,

    /// <summary>Below the mean or limit, or a decreasing trend.</summary>
    Low,
}

/// <summary>One segment (the span between rebases) with its own centre line and limits.</summary>
/// <param name="Start">0-based index of the segment's first point.</param>
/// <param name="Count">Number of points in the segment.</param>
/// <param name="Mean">The segment mean (over its first <see cref="SpcOptions.FixAfterPoints"/> points when fixed).</param>
/// <param name="MeanMovingRange">The mean moving range after screening, or null when no moving range was left.</param>
/// <param name="UpperLimit">Mean + 2.66 × mean moving range, or null.</param>
/// <param name="LowerLimit">Mean − 2.66 × mean moving range, or null.</param>
/// <param name="UpperTwoSigma">Mean + (2/3) × 2.66 × mean moving range, or null.</param>
/// <param name="LowerTwoSigma">Mean − (2/3) × 2.66 × mean moving range, or null.</param>
/// <param name="TrialLimits">True when the segment has fewer than 13 points.</param>
public sealed record SpcSegment(
    int Start,
    int Count,
    double Mean,
    double? MeanMovingRange,
    double? UpperLimit,
    double? LowerLimit,
    double? UpperTwoSigma,
    double? LowerTwoSigma,
    bool TrialLimits);

/// <summary>One analysed point with everything the chart needs beyond <see cref="SpcPoint"/>.</summary>
/// <param name="Index">0-based position in the input.</param>
/// <param name="Segment">0-based index into <see cref="SpcAnalysis.Segments"/>.</param>
/// <param name="Value">The input value.</param>
/// <param name="Mean">The segment mean.</param>
/// <param name="UpperLimit">The segment's upper process limit, or null.</param>
/// <param name="LowerLimit">The segment's lower process limit, or null.</param>
/// <param name="UpperTwoSigma">The segment's upper two-sigma line, or null.</param>
/// <param name="LowerTwoSigma">The segment's lower two-sigma line, or null.</param>
/// <param name="Rule">The rule that decided the type (highest precedence among those that fired).</param>
/// <param name="Side">The direction of that rule.</param>
/// <param name="Type">The point's classification.</param>
/// <param name="SpecialCauseType">
/// The rule in plain English for a hover box (<see cref="SpcWords.RuleDescription"/>), e.g. "Two of three points
/// close to the upper limit".
/// </param>
/// <param name="Ghosted">The point was left out of the limits and the rules (<see cref="SpcOptions.Ghosted"/>).</param>
public sealed record SpcPointDetail(
    int Index,
    int Segment,
    double Value,
    double Mean,
    double? UpperLimit,
    double? LowerLimit,
    double? UpperTwoSigma,
    double? LowerTwoSigma,
    SpecialCauseRule Rule,
    SpecialCauseSide Side,
    PointType Type,
    string SpecialCauseType,
    bool Ghosted = false)
{
    /// <summary>The point as reported by <see cref="Spc.Analyse"/>.</summary>
    public SpcPoint ToPoint() => new(Value, Mean, UpperLimit, LowerLimit, Type, Ghosted);
}

/// <summary>The detailed result of <see cref="Spc.AnalyseDetailed"/>.</summary>
/// <param name="Points">One entry per input value, in input order.</param>
/// <param name="Segments">The segments, in order.</param>
/// <param name="Variation">The variation icon, from the last point.</param>
/// <param name="Assurance">The assurance icon; null without a target or when the direction is neutral.</param>
/// <param name="TrialLimits">True when the last segment has fewer than 13 points.</param>
public sealed record SpcAnalysis(
    IReadOnlyList<SpcPointDetail> Points,
    IReadOnlyList<SpcSegment> Segments,
    VariationIcon Variation,
    AssuranceIcon? Assurance,
    bool TrialLimits)
{
    /// <summary>The same analysis in the shape returned by <see cref="Spc.Analyse"/>.</summary>
    public SpcResult ToResult() => new(Points.Select(p => p.ToPoint()).ToArray(), Variation, Assurance, TrialLimits);
}

/// <summary>The rules each point breaks on its own (see <see cref="Spc.RuleFlags"/>).</summary>
/// <param name="Outside">Rule 1: strictly beyond a process limit.</param>
/// <param name="InTrend">Rule 2: part of a run of strict rises or strict falls.</param>
/// <param name="InShift">Rule 4: part of a run strictly on one side of the mean.</param>
public sealed record SpcRuleFlags(IReadOnlyList<bool> Outside, IReadOnlyList<bool> InTrend, IReadOnlyList<bool> InShift);

/// <summary>
/// XmR statistical process control, ported from the R package NHSRplotthedots 0.2.x (NHS England "Making Data
/// Count"): <c>ptd_spc_standard()</c> for the limits, <c>ptd_calculate_point_type()</c> for the rules,
/// <c>ptd_get_icons()</c> and <c>ptd_calculate_assurance_type()</c> for the icons and
/// <c>ptd_add_short_group_warnings()</c> for trial limits.
/// </summary>
public static class Spc
{
    /// <summary>Process limits sit this many mean moving ranges from the mean (3σ, as 3 / d2 with d2 = 1.128).</summary>
    public const double LimitFactor = 2.66;

    /// <summary>
    /// The two-sigma lines sit at two thirds of <see cref="LimitFactor"/>; written as the package writes it,
    /// <c>2 * (limit / 3)</c>, so the double is bit-identical.
    /// </summary>
    public const double TwoSigmaFactor = 2 * (LimitFactor / 3);

    /// <summary>A moving range is kept by screening only when strictly below this many times the mean moving range (Nelson 1982).</summary>
    public const double ScreeningFactor = 3.267;

    /// <summary>The smallest <see cref="SpcOptions.FixAfterPoints"/> the package accepts.</summary>
    public const int MinimumFixAfterPoints = 12;

    /// <summary>A segment with fewer points than this has trial limits (the package's default warning threshold).</summary>
    public const int TrialLimitThreshold = 13;

    /// <summary>Analyses a series of values and returns each point's limits and type and the chart's icons.</summary>
    /// <param name="values">The values in time order; every one must be finite. An empty list gives an empty result.</param>
    /// <param name="options">The options; see <see cref="SpcOptions"/>.</param>
    /// <returns>The analysis.</returns>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    /// <exception cref="ArgumentException">A value or the target is NaN or infinite, or an option is out of range.</exception>
    public static SpcResult Analyse(IReadOnlyList<double> values, SpcOptions options) =>
        AnalyseDetailed(values, options).ToResult();

    /// <summary>
    /// Which points break rules 1, 2 and 4 each on its own, before precedence picks one rule per point (for a whole
    /// series as one segment): beyond a process limit, part of a trend of <see cref="SpcOptions.TrendLength"/>, part
    /// of a run of <see cref="SpcOptions.ShiftLength"/> on one side of the mean. The demo generator checks its
    /// invented series with this.
    /// </summary>
    /// <param name="values">The values in time order; every one must be finite.</param>
    /// <param name="options">The options; rebasing and fixing are ignored.</param>
    /// <returns>One flag per value for each rule.</returns>
    public static SpcRuleFlags RuleFlags(IReadOnlyList<double> values, SpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);
        Validate(values, options);
        var y = values.ToArray();
        var segment = CalculateSegment(y, 0, y.Length, Enumerable.Range(0, y.Length).ToArray(), options with { FixAfterPoints = null, RebaseAfter = null });
        var relative = y.Select(v => Math.Sign(v - segment.Mean)).ToArray();
        var outside = y.Select(v => segment.UpperLimit is double upl && segment.LowerLimit is double lpl && (v > upl || v < lpl)).ToArray();
        return new SpcRuleFlags(
            outside,
            PartOfRun(TrendEnds(y, options.TrendLength), options.TrendLength),
            PartOfRun(ShiftEnds(relative, options.ShiftLength), options.ShiftLength));
    }

    /// <summary>As <see cref="Analyse"/>, adding the two-sigma lines, the segments and the rule behind each point.</summary>
    /// <param name="values">The values in time order; every one must be finite.</param>
    /// <param name="options">The options; see <see cref="SpcOptions"/>.</param>
    /// <returns>The detailed analysis.</returns>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    /// <exception cref="ArgumentException">A value or the target is NaN or infinite, or an option is out of range.</exception>
    public static SpcAnalysis AnalyseDetailed(IReadOnlyList<double> values, SpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);
        Validate(values, options);

        var n = values.Count;
        var y = values.ToArray();
        var segments = new List<SpcSegment>();
        var points = new SpcPointDetail[n];
        var ghosted = new bool[n];
        foreach (var g in options.Ghosted ?? [])
        {
            ghosted[g] = true;
        }

        foreach (var (start, count) in SegmentBounds(n, options.RebaseAfter))
        {
            // The points of the segment that count (all of them when every one is ghosted: see SpcOptions.Ghosted).
            var kept = Enumerable.Range(start, count).Where(i => !ghosted[i]).ToArray();
            if (kept.Length == 0)
            {
                kept = Enumerable.Range(start, count).ToArray();
            }

            var segment = CalculateSegment(y, start, count, kept, options);
            var segmentIndex = segments.Count;
            segments.Add(segment);
            ClassifySegment(y, segment, segmentIndex, kept, options, points);
        }

        if (n == 0)
        {
            // Nothing to chart: no point to take a variation from, no limits to judge a target against and no
            // limits to call trial (the package gives no rows, hence no icons and no short-group warning).
            return new SpcAnalysis(points, segments, VariationIcon.CommonCause, null, false);
        }

        // The variation icon speaks for the latest point that counts: a ghosted last point is a known special cause.
        var last = points.LastOrDefault(p => !p.Ghosted) ?? points[^1];
        var lastSegment = segments[^1];
        return new SpcAnalysis(
            points,
            segments,
            VariationFor(last.Type, options.Direction),
            AssuranceFor(lastSegment, options),
            lastSegment.TrialLimits);
    }

    private static void Validate(IReadOnlyList<double> values, SpcOptions options)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value at index {i} is {values[i]}; every value must be finite.", nameof(values));
            }
        }

        if (!Enum.IsDefined(options.Direction))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Direction, "Unknown improvement direction.");
        }

        if (options.Target is double target && !double.IsFinite(target))
        {
            throw new ArgumentException($"Target is {target}; it must be finite.", nameof(options));
        }

        // ptd_spc_options(): "fix_after_n_points must be a single numeric that is greater than or equal to 12."
        if (options.FixAfterPoints is int fix && fix < MinimumFixAfterPoints)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), fix, $"FixAfterPoints must be greater than or equal to {MinimumFixAfterPoints}.");
        }

        // A run needs at least one step (trend) or more than one point (shift) to mean anything.
        if (options.TrendLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TrendLength, "TrendLength must be at least 2.");
        }

        if (options.ShiftLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ShiftLength, "ShiftLength must be at least 2.");
        }

        if (options.Ghosted is { } ghosts)
        {
            foreach (var index in ghosts)
            {
                if (index < 0 || index >= values.Count)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(options), index, $"Ghosted index must be within 0..{values.Count - 1}.");
                }
            }
        }

        if (options.RebaseAfter is { } rebases)
        {
            foreach (var index in rebases)
            {
                // The package silently ignores rebase dates that are not in the data; an index outside the
                // series here is a caller's bug, so it is reported rather than ignored.
                if (index < 0 || index >= values.Count)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(options), index, $"RebaseAfter index must be within 0..{values.Count - 1}.");
                }
            }
        }
    }

    private static IEnumerable<(int Start, int Count)> SegmentBounds(int n, IReadOnlyList<int>? rebaseAfter)
    {
        var start = 0;
        // Duplicates are harmless and order is irrelevant, as with the package's `date %in% rebase`; a rebase
        // after the last point starts no new segment.
        foreach (var end in (rebaseAfter ?? []).Where(i => i < n - 1).Distinct().Order())
        {
            yield return (start, end + 1 - start);
            start = end + 1;
        }

        if (n > 0)
        {
            yield return (start, n - start);
        }
    }

    private static SpcSegment CalculateSegment(double[] y, int start, int count, int[] kept, SpcOptions options)
    {
        // ptd_spc_standard(): fix_y keeps the first fix_after_n_points of the segment, and both the mean and the
        // moving ranges come from fix_y only. Ghosted points are not in `kept`, so they neither count towards n nor
        // enter the mean; a moving range is taken only between two neighbouring points that are both kept (Making
        // Data Count: the ranges into and out of a ghosted point are dropped, not bridged across it).
        var baseCount = Math.Min(kept.Length, options.FixAfterPoints ?? int.MaxValue);
        var baseline = kept.Take(baseCount).Select(i => y[i]).ToArray();
        var mean = RMean(baseline);

        var ranges = new List<double>(Math.Max(0, baseCount - 1));
        for (var k = 1; k < baseCount; k++)
        {
            if (kept[k] == kept[k - 1] + 1)
            {
                ranges.Add(Math.Abs(baseline[k] - baseline[k - 1]));
            }
        }

        double? meanRange = ranges.Count == 0 ? null : RMean(ranges.ToArray());
        if (options.ScreenOutliers && meanRange is double unscreened)
        {
            // Screening (one pass): keep a moving range only if strictly below 3.267 × the mean of all of them
            // (`mr < 3.267 * amr`), then average what is left. In a flat series every range is 0 and none is
            // strictly below 0, so none is left and the limits are null, as R's mean of nothing is NaN.
            var cutoff = ScreeningFactor * unscreened;
            var keptRanges = ranges.Where(r => r < cutoff).ToArray();
            meanRange = keptRanges.Length == 0 ? null : RMean(keptRanges);
        }

        double? upper = null, lower = null, upperTwoSigma = null, lowerTwoSigma = null;
        if (meanRange is double amr)
        {
            lower = mean - (LimitFactor * amr);
            upper = mean + (LimitFactor * amr);
            lowerTwoSigma = mean - (TwoSigmaFactor * amr);
            upperTwoSigma = mean + (TwoSigmaFactor * amr);
        }

        return new SpcSegment(
            start, count, mean, meanRange, upper, lower, upperTwoSigma, lowerTwoSigma, count < TrialLimitThreshold);
    }

    private static void ClassifySegment(
        double[] y, SpcSegment segment, int segmentIndex, int[] kept, SpcOptions options, SpcPointDetail[] output)
    {
        // Ghosted points are drawn with the segment's lines but judged by no rule and break no run: the rules are
        // read over the kept points only, as if the ghosted ones were absent.
        for (var i = segment.Start; i < segment.Start + segment.Count; i++)
        {
            output[i] = new SpcPointDetail(
                i, segmentIndex, y[i], segment.Mean, segment.UpperLimit, segment.LowerLimit, segment.UpperTwoSigma,
                segment.LowerTwoSigma, SpecialCauseRule.None, SpecialCauseSide.None, PointType.CommonCause,
                SpcWords.GhostedDescription, Ghosted: true);
        }

        var m = kept.Length;
        var v = new ReadOnlySpan<double>(kept.Select(i => y[i]).ToArray());

        // Per-point facts, as the columns of ptd_spc_standard(). Null limits (R's NA) make "outside" and "close"
        // false: dplyr::case_when() treats an NA condition as not met.
        var outside = new bool[m];
        var close = new bool[m];
        var relative = new int[m];
        for (var j = 0; j < m; j++)
        {
            relative[j] = Math.Sign(v[j] - segment.Mean);
            if (segment.UpperLimit is double upl && segment.LowerLimit is double lpl
                && segment.UpperTwoSigma is double nupl && segment.LowerTwoSigma is double nlpl)
            {
                outside[j] = v[j] > upl || v[j] < lpl;
                close[j] = !outside[j] && (v[j] < nlpl || v[j] > nupl);
            }
        }

        var inTrend = PartOfRun(TrendEnds(v, options.TrendLength), options.TrendLength);
        var inShift = PartOfRun(ShiftEnds(relative, options.ShiftLength), options.ShiftLength);
        var inTwoOfThree = PartOfTwoOfThree(close, relative);

        for (var j = 0; j < m; j++)
        {
            SpecialCauseRule rule;
            bool high;
            if (outside[j])
            {
                // Making Data Count rule 1: a point strictly beyond a process limit ("Above UCL" / "Below LCL").
                rule = SpecialCauseRule.OutsideLimits;
                high = relative[j] == 1;
            }
            else if (inTrend[j])
            {
                // Making Data Count rule 2: a trend of 7 (TrendLength) points. Its direction is that of its
                // steps, not its side of the mean (package issue #171). The point takes the step to its right
                // when the next point is in a trend too, else the step from its left; anything but a strict rise
                // counts as decreasing (`ifelse(sdy == 1, "In", "De")`), so a shared peak reads as decreasing.
                var step = j + 1 < m && inTrend[j + 1]
                    ? Math.Sign(v[j + 1] - v[j])
                    : j > 0 ? Math.Sign(v[j] - v[j - 1]) : 0;
                rule = SpecialCauseRule.Trend;
                high = step == 1;
            }
            else if (inTwoOfThree[j])
            {
                // Making Data Count rule 3: two of three points beyond a two-sigma line on the same side of the
                // mean (package issue #143); only the points near the limit are flagged.
                rule = SpecialCauseRule.TwoOfThree;
                high = relative[j] > 0;
            }
            else if (inShift[j])
            {
                // Making Data Count rule 4: a shift of 7 (ShiftLength) points on one side of the mean.
                rule = SpecialCauseRule.Shift;
                high = relative[j] > 0;
            }
            else
            {
                rule = SpecialCauseRule.None;
                high = false;
            }

            var side = rule == SpecialCauseRule.None ? SpecialCauseSide.None
                : high ? SpecialCauseSide.High : SpecialCauseSide.Low;
            output[kept[j]] = new SpcPointDetail(
                kept[j],
                segmentIndex,
                v[j],
                segment.Mean,
                segment.UpperLimit,
                segment.LowerLimit,
                segment.UpperTwoSigma,
                segment.LowerTwoSigma,
                rule,
                side,
                TypeFor(side, options.Direction),
                SpcWords.RuleDescription(rule, side, options.TrendLength, options.ShiftLength));
        }
    }

    /// <summary>
    /// ptd_seven_point_trend(): +1 / −1 at the last point of <paramref name="length"/> consecutive points whose
    /// every step is a strict rise / a strict fall; a tie (sign 0) breaks it.
    /// </summary>
    private static int[] TrendEnds(ReadOnlySpan<double> v, int length)
    {
        var ends = new int[v.Length];
        for (var i = length - 1; i < v.Length; i++)
        {
            bool rising = true, falling = true;
            for (var k = i - length + 2; k <= i; k++)
            {
                var sign = Math.Sign(v[k] - v[k - 1]);
                rising &= sign == 1;
                falling &= sign == -1;
            }

            ends[i] = rising ? 1 : falling ? -1 : 0;
        }

        return ends;
    }

    /// <summary>
    /// ptd_seven_point_one_side_mean(): marks the last point of <paramref name="length"/> consecutive points
    /// strictly on the same side of the mean; a point on the mean (sign 0) breaks it.
    /// </summary>
    private static int[] ShiftEnds(int[] relative, int length)
    {
        var ends = new int[relative.Length];
        for (var i = length - 1; i < relative.Length; i++)
        {
            var all = relative[i] != 0;
            for (var k = i - length + 1; all && k < i; k++)
            {
                all = relative[k] == relative[i];
            }

            ends[i] = all ? 1 : 0;
        }

        return ends;
    }

    /// <summary>ptd_part_of_seven_trend(): a point is in a run when a run ends at it or at one of the next length − 1 points.</summary>
    private static bool[] PartOfRun(int[] ends, int length)
    {
        var part = new bool[ends.Length];
        for (var i = 0; i < ends.Length; i++)
        {
            for (var k = i; k < Math.Min(ends.Length, i + length); k++)
            {
                if (ends[k] != 0)
                {
                    part[i] = true;
                    break;
                }
            }
        }

        return part;
    }

    /// <summary>
    /// ptd_two_in_three() and ptd_part_of_two_in_three(): a point is flagged when it is itself close to a limit
    /// and lies in some window of 3 consecutive points of the segment that are all strictly on the same side of
    /// the mean and hold at least 2 close points (the package pads with zeros, so a window cannot hang off an end).
    /// </summary>
    private static bool[] PartOfTwoOfThree(bool[] close, int[] relative)
    {
        var m = close.Length;
        var inWindow = new bool[m];
        for (var w = 0; w + 2 < m; w++)
        {
            var closeCount = (close[w] ? 1 : 0) + (close[w + 1] ? 1 : 0) + (close[w + 2] ? 1 : 0);
            var sideSum = relative[w] + relative[w + 1] + relative[w + 2];
            if (closeCount >= 2 && Math.Abs(sideSum) == 3)
            {
                inWindow[w] = inWindow[w + 1] = inWindow[w + 2] = true;
            }
        }

        var part = new bool[m];
        for (var j = 0; j < m; j++)
        {
            part[j] = inWindow[j] && close[j];
        }

        return part;
    }

    /// <summary>ptd_point_type(): the rule's side against the improvement direction.</summary>
    private static PointType TypeFor(SpecialCauseSide side, ImprovementDirection direction) => (side, direction) switch
    {
        (SpecialCauseSide.None, _) => PointType.CommonCause,
        (SpecialCauseSide.High, ImprovementDirection.Neutral) => PointType.SpecialCauseNeutralHigh,
        (SpecialCauseSide.Low, ImprovementDirection.Neutral) => PointType.SpecialCauseNeutralLow,
        (SpecialCauseSide.High, ImprovementDirection.Increase) => PointType.SpecialCauseImprovement,
        (SpecialCauseSide.Low, ImprovementDirection.Decrease) => PointType.SpecialCauseImprovement,
        _ => PointType.SpecialCauseConcern,
    };

    /// <summary>
    /// ptd_get_icons(): the last point's type; improvement is "high" when increase is better and "low" otherwise,
    /// and concern the other way round.
    /// </summary>
    private static VariationIcon VariationFor(PointType type, ImprovementDirection direction) => type switch
    {
        PointType.SpecialCauseNeutralHigh => VariationIcon.NeutralHigh,
        PointType.SpecialCauseNeutralLow => VariationIcon.NeutralLow,
        PointType.SpecialCauseImprovement => direction == ImprovementDirection.Increase
            ? VariationIcon.ImprovementHigh
            : VariationIcon.ImprovementLow,
        PointType.SpecialCauseConcern => direction == ImprovementDirection.Increase
            ? VariationIcon.ConcernLow
            : VariationIcon.ConcernHigh,
        _ => VariationIcon.CommonCause,
    };

    /// <summary>
    /// ptd_calculate_assurance_type(): the target against the last segment's limits. The upper limit is tested
    /// first; comparisons are strict, and null limits (R's NA) fall through to inconsistent.
    /// </summary>
    private static AssuranceIcon? AssuranceFor(SpcSegment last, SpcOptions options)
    {
        if (options.Target is not double target || options.Direction == ImprovementDirection.Neutral)
        {
            return null;
        }

        var increasing = options.Direction == ImprovementDirection.Increase;
        if (last.UpperLimit is double upl && target > upl)
        {
            return increasing ? AssuranceIcon.ConsistentFail : AssuranceIcon.ConsistentPass;
        }

        if (last.LowerLimit is double lpl && target < lpl)
        {
            return increasing ? AssuranceIcon.ConsistentPass : AssuranceIcon.ConsistentFail;
        }

        return AssuranceIcon.Inconsistent;
    }

    /// <summary>
    /// The mean as R's <c>mean()</c> gives it, to the last bit in all but pathological cases. R sums in 80-bit long
    /// double and adds a correction pass, so its mean is (nearly always) the correctly rounded one, whereas a naive
    /// double sum can be an ulp or more away – which decides ties such as a point exactly on the mean (ten 0.1s
    /// have mean 0.1 in R, 0.09999999999999999 summed naively). The sum here is kept as a double-double (Knuth's
    /// two-sum) and divided with a fused multiply-add, giving the correctly rounded mean; where the values almost
    /// cancel to 0, R's 80-bit sum can be the one off in the last bit (an absolute difference near 1e-20).
    /// </summary>
    private static double RMean(ReadOnlySpan<double> xs)
    {
        double hi = 0, lo = 0;
        foreach (var x in xs)
        {
            var s = hi + x;
            var bb = s - hi;
            var err = (hi - (s - bb)) + (x - bb);
            lo += err;
            hi = s + lo;
            lo -= hi - s;
        }

        double n = xs.Length;
        var q = hi / n;
        // Remainder of (hi + lo) − q·n, exact thanks to the fused multiply-add.
        var remainder = Math.FusedMultiplyAdd(-q, n, hi) + lo;
        return q + (remainder / n);
    }
}
