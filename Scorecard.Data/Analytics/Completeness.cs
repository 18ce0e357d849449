namespace Scorecard.Data.Analytics;

/// <summary>
/// How many of the agencies due to report a quarter's figure have returned it. A partnership (or sector) figure
/// built from fewer agencies than are due is <em>incomplete</em>: "partial figures are not figures".
/// </summary>
/// <param name="Due">Agencies expected to report the measure for the quarter (and the quarter is due).</param>
/// <param name="Returned">Of those, how many have a current accepted value.</param>
public sealed record FigureCompleteness(int Due, int Returned)
{
    /// <summary>Every agency due has returned (a quarter nobody is due to report is complete by definition).</summary>
    public bool IsComplete => Returned >= Due;

    /// <summary>Some but not all agencies due have returned: the figure exists but is provisional.</summary>
    public bool IsIncomplete => Returned > 0 && Returned < Due;

    /// <summary>"1 of 2 agencies" for a marker beside the figure, or "" when complete.</summary>
    public string Label => IsComplete ? "" : $"{Returned} of {Plural.Of(Due, "agency", "agencies")}";

    /// <summary>The words for screen readers and hover boxes, e.g. "Incomplete: 1 of 2 agencies have returned".</summary>
    public string Description => IsComplete
        ? "Complete: every agency due has returned"
        : $"Incomplete: {Returned} of {Plural.Of(Due, "agency", "agencies")} {(Returned == 1 ? "has" : "have")} returned";
}

/// <summary>A RAG status with whether it is only provisional (the figure is incomplete).</summary>
/// <param name="Status">The status the figure would have if it were complete.</param>
/// <param name="Provisional">
/// True for an incomplete figure: the page must not colour the cell with <paramref name="Status"/> as if it were the
/// quarter's verdict (outline or hatch it, say "provisional"), and nothing may count it as red or green (exceptions,
/// exports' RAG column).
/// </param>
public sealed record JudgedRag(RagStatus Status, bool Provisional)
{
    /// <summary>The status to count and to colour with, or <see cref="RagStatus.NoData"/> when provisional.</summary>
    public RagStatus Counted => Provisional ? RagStatus.NoData : Status;

    /// <summary>"Provisional amber (1 of 2 agencies)" or the status's own label.</summary>
    public string Label(FigureCompleteness completeness) => Provisional
        ? $"Provisional {Rag.ShortLabel(Status).ToLowerInvariant()} ({completeness.Label})"
        : Rag.Label(Status);
}

/// <summary>One agency's contribution to a quarter's figure, for <see cref="Completeness.LikeForLike"/>.</summary>
/// <param name="AgencyId">The agency.</param>
/// <param name="Numerator">Its numerator (ratio measures).</param>
/// <param name="Denominator">Its denominator (ratio measures).</param>
/// <param name="Value">Its value (other measures).</param>
public sealed record AgencyContribution(int AgencyId, decimal? Numerator, decimal? Denominator, decimal? Value);

/// <summary>How agencies' values add up to the partnership's figure (as the scorecard builder aggregates).</summary>
public enum FigureAggregation
{
    /// <summary>Sum of numerators over sum of denominators, times the unit's scale (percentages, rates).</summary>
    Ratio,

    /// <summary>Sum of values (counts).</summary>
    Sum,

    /// <summary>Mean of values (days, scores).</summary>
    Mean,
}

/// <summary>A comparison over only the agencies that returned both quarters.</summary>
/// <param name="Current">The current quarter's figure over those agencies.</param>
/// <param name="Previous">The earlier quarter's figure over those agencies.</param>
/// <param name="AgencyIds">The agencies compared.</param>
/// <param name="Restricted">True when some agency was left out because it returned only one of the two quarters.</param>
/// <param name="Note">What to say beside the comparison, e.g. "Like for like: the 1 agency that returned both quarters".</param>
public sealed record LikeForLikeComparison(
    decimal? Current, decimal? Previous, IReadOnlyList<int> AgencyIds, bool Restricted, string Note);

/// <summary>
/// The rules for incomplete figures. How the scorecard builder is meant to use them, per quarter figure:
/// <list type="number">
/// <item><see cref="Assess"/> with the agencies due and those that returned → show <see cref="FigureCompleteness.Label"/>
/// ("1 of 2 agencies") beside an incomplete figure and its <see cref="FigureCompleteness.Description"/> for screen readers.</item>
/// <item><see cref="Judge"/> the RAG: an incomplete figure's RAG is provisional — no colour of its own, never counted as
/// red or green (exceptions, exports).</item>
/// <item><see cref="CountsForSpc"/>: pass only complete figures to <see cref="Spc"/> (an incomplete figure is drawn,
/// outlined, but is not an SPC point, so it moves no mean, limit, rule, variation or assurance icon).</item>
/// <item><see cref="CountsForTrend"/>: a trend arrow needs both ends complete; otherwise compare
/// <see cref="LikeForLike"/> (only agencies that returned both quarters) and show its <see cref="LikeForLikeComparison.Note"/>.</item>
/// </list>
/// The same rules apply to exports (a "provisional" column instead of a colour).
/// </summary>
public static class Completeness
{
    /// <summary>How complete a figure is, from the agencies due and the agencies that returned.</summary>
    /// <param name="dueAgencyIds">Agencies due to report the measure for the quarter (empty when the quarter is not yet due).</param>
    /// <param name="returnedAgencyIds">Agencies with a value; agencies not due are ignored.</param>
    /// <returns>The completeness.</returns>
    public static FigureCompleteness Assess(IReadOnlyCollection<int> dueAgencyIds, IReadOnlyCollection<int> returnedAgencyIds)
    {
        ArgumentNullException.ThrowIfNull(dueAgencyIds);
        ArgumentNullException.ThrowIfNull(returnedAgencyIds);
        var due = dueAgencyIds.ToHashSet();
        return new FigureCompleteness(due.Count, returnedAgencyIds.Where(due.Contains).Distinct().Count());
    }

    /// <summary>The RAG of a figure with its completeness: provisional when incomplete.</summary>
    /// <param name="status">The RAG the figure's value would have (<see cref="Rag.Assess"/>).</param>
    /// <param name="completeness">The figure's completeness.</param>
    /// <returns>The judged RAG.</returns>
    public static JudgedRag Judge(RagStatus status, FigureCompleteness completeness) =>
        new(status, completeness.IsIncomplete);

    /// <summary>Whether a figure may be an SPC point (and so feed the limits, rules and icons): only when complete.</summary>
    /// <param name="completeness">The figure's completeness.</param>
    /// <returns>True when the figure is complete.</returns>
    public static bool CountsForSpc(FigureCompleteness completeness) => completeness.IsComplete;

    /// <summary>Whether a trend between two quarters may be drawn from the two figures as they are.</summary>
    /// <param name="current">The later figure's completeness.</param>
    /// <param name="previous">The earlier figure's completeness.</param>
    /// <returns>True when both are complete.</returns>
    public static bool CountsForTrend(FigureCompleteness current, FigureCompleteness previous) =>
        current.IsComplete && previous.IsComplete;

    /// <summary>
    /// Compares two quarters over only the agencies that returned both (like for like), aggregating as the
    /// partnership figure does. With no agency in common both figures are null.
    /// </summary>
    /// <param name="current">Each agency's contribution to the later quarter.</param>
    /// <param name="previous">Each agency's contribution to the earlier quarter.</param>
    /// <param name="aggregation">How the contributions add up.</param>
    /// <param name="scale">The unit's scale for ratios (100 for percentages, 10,000 for rates per 10,000).</param>
    /// <returns>The like-for-like figures and what to say about them.</returns>
    public static LikeForLikeComparison LikeForLike(
        IReadOnlyList<AgencyContribution> current, IReadOnlyList<AgencyContribution> previous, FigureAggregation aggregation, decimal scale = 1m)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var now = current.Where(c => HasFigure(c, aggregation)).ToDictionary(c => c.AgencyId);
        var before = previous.Where(c => HasFigure(c, aggregation)).ToDictionary(c => c.AgencyId);
        var both = now.Keys.Where(before.ContainsKey).Order().ToList();
        var restricted = both.Count < now.Count || both.Count < before.Count;
        var note = both.Count == 0
            ? "No agency returned both quarters: no like-for-like comparison"
            : restricted
                ? $"Like for like: only the {Plural.Of(both.Count, "agency", "agencies")} that returned both quarters"
                : "";
        return new LikeForLikeComparison(
            Aggregate(both.Select(id => now[id]).ToList(), aggregation, scale),
            Aggregate(both.Select(id => before[id]).ToList(), aggregation, scale),
            both, restricted, note);
    }

    /// <summary>Aggregates agencies' contributions as the partnership figure does; null with nothing to aggregate.</summary>
    /// <param name="contributions">The agencies' contributions.</param>
    /// <param name="aggregation">How they add up.</param>
    /// <param name="scale">The unit's scale for ratios.</param>
    /// <returns>The figure, or null.</returns>
    public static decimal? Aggregate(IReadOnlyList<AgencyContribution> contributions, FigureAggregation aggregation, decimal scale = 1m)
    {
        var usable = contributions.Where(c => HasFigure(c, aggregation)).ToList();
        if (usable.Count == 0)
            return null;
        switch (aggregation)
        {
            case FigureAggregation.Ratio:
                var denominator = usable.Sum(c => c.Denominator!.Value);
                return denominator > 0 ? usable.Sum(c => c.Numerator!.Value) / denominator * scale : null;
            case FigureAggregation.Sum:
                return usable.Sum(c => c.Value!.Value);
            default:
                return usable.Average(c => c.Value!.Value);
        }
    }

    private static bool HasFigure(AgencyContribution c, FigureAggregation aggregation) =>
        aggregation == FigureAggregation.Ratio ? c.Numerator is not null && c.Denominator is not null : c.Value is not null;
}
