namespace Scorecard.Data.Analytics;

/// <summary>How a single figure is to be shown to a viewer.</summary>
/// <param name="Hidden">The figure is hidden: show <see cref="Text"/>, no number, no RAG colour.</param>
/// <param name="Text">"fewer than 5" when hidden; empty otherwise (format the number as usual).</param>
/// <param name="Rag">The RAG to colour with: <see cref="RagStatus.NoData"/> (no colour) when hidden.</param>
/// <param name="Reason">The reason for the hover box when hidden; empty otherwise.</param>
public sealed record DisclosedCell(bool Hidden, string Text, RagStatus Rag, string Reason)
{
    /// <summary>A figure that may be shown as it is.</summary>
    public static DisclosedCell Shown(RagStatus rag) => new(false, "", rag, "");

    /// <summary>A figure that must be hidden.</summary>
    public static DisclosedCell Suppressed { get; } =
        new(true, SpcWords.FewerThanFive, RagStatus.NoData, SpcWords.FewerThanFiveReason);
}

/// <summary>Whether a derived figure (change, total, rate, mean, limit, small multiple) may be shown.</summary>
/// <param name="Show">True when it may be shown.</param>
/// <param name="Reason">Why not, in words for the page; empty when shown.</param>
public sealed record DisclosureDecision(bool Show, string Reason)
{
    /// <summary>Shown.</summary>
    public static DisclosureDecision Allowed { get; } = new(true, "");

    /// <summary>Withheld, with a reason.</summary>
    public static DisclosureDecision Withheld(string reason) => new(false, reason);
}

/// <summary>
/// Disclosure control that cannot be undone by arithmetic (design.md, Disclosure). A count of 1–4 about children,
/// and any figure from which such a count can be worked out, is shown only to those who may see it; to everyone else
/// it is a word, never a number or a colour. How the scorecard builder, the measure page, small multiples and the
/// exports are meant to use it, per viewer:
/// <list type="number">
/// <item><b>Cells.</b> <see cref="Cell"/> for every count, or every ratio whose numerator is a count: a hidden cell
/// shows "fewer than 5", has no RAG colour (<see cref="RagStatus.NoData"/>) and carries its reason for the hover box.
/// Exports pass <c>viewerMaySee: false</c>, so an export cell is hidden whoever downloads it.</item>
/// <item><b>Changes and trends.</b> <see cref="Change"/>: withheld when either end is hidden (the other end plus the
/// change gives the hidden end back).</item>
/// <item><b>SPC mean and limits.</b> <see cref="SpcLines"/>: not drawn, with a stated reason, when any point they are
/// computed from is hidden from the viewer (a mean of n points less the n − 1 shown gives the hidden one back, and
/// moving ranges do the same for neighbours); <see cref="MissingPointsNote"/> says why points are missing.</item>
/// <item><b>Everything else derived</b> (totals beside their cells, a sector or agency small multiple beside the
/// partnership total, a rate beside its denominator): offer each figure, in the order the page shows them, to one
/// <see cref="DisclosureAudit"/> per page view; it withholds any figure that, together with what is already shown,
/// would let the viewer work out a hidden count exactly.</item>
/// </list>
/// </summary>
public static class Disclosure
{
    /// <summary>The reason given when a change is withheld.</summary>
    public const string ChangeReason = "No change shown: one of the two quarters has fewer than 5 children";

    /// <summary>The reason given when the SPC mean and limits are not drawn.</summary>
    public const string SpcLinesReason =
        "The mean and process limits are not drawn: they are worked out from quarters with fewer than 5 children, which are hidden";

    /// <summary>Whether a count must be hidden from a viewer: a count of 1–4 that the viewer may not see exactly.</summary>
    /// <param name="count">The count (for a ratio, its numerator).</param>
    /// <param name="viewerMaySee">The viewer may see this count exactly (e.g. the owning agency's own users; never an export).</param>
    /// <returns>True when the count must be hidden.</returns>
    public static bool MustHide(decimal? count, bool viewerMaySee) => !viewerMaySee && SmallNumbers.IsSmall(count);

    /// <summary>How to show a cell: hidden ("fewer than 5", no colour, reason) or as it is with its RAG.</summary>
    /// <param name="count">The count behind the cell (for a ratio, its numerator).</param>
    /// <param name="rag">The RAG the cell would have.</param>
    /// <param name="viewerMaySee">The viewer may see this count exactly.</param>
    /// <returns>The cell's display.</returns>
    public static DisclosedCell Cell(decimal? count, RagStatus rag, bool viewerMaySee) =>
        MustHide(count, viewerMaySee) ? DisclosedCell.Suppressed : DisclosedCell.Shown(rag);

    /// <summary>Whether the change between two quarters may be shown.</summary>
    /// <param name="earlierHidden">The earlier quarter's figure is hidden from the viewer.</param>
    /// <param name="laterHidden">The later quarter's figure is hidden from the viewer.</param>
    /// <returns>Withheld when either end is hidden.</returns>
    public static DisclosureDecision Change(bool earlierHidden, bool laterHidden) =>
        earlierHidden || laterHidden ? DisclosureDecision.Withheld(ChangeReason) : DisclosureDecision.Allowed;

    /// <summary>Whether the SPC mean and limits may be drawn, given which points feed them.</summary>
    /// <param name="pointHidden">Per point that feeds the mean and limits (the segment's baseline): hidden from the viewer.</param>
    /// <returns>Withheld when any is hidden.</returns>
    public static DisclosureDecision SpcLines(IReadOnlyList<bool> pointHidden)
    {
        ArgumentNullException.ThrowIfNull(pointHidden);
        return pointHidden.Any(h => h) ? DisclosureDecision.Withheld(SpcLinesReason) : DisclosureDecision.Allowed;
    }

    /// <summary>The note under a chart that leaves points out: "3 of 22 quarters are not drawn: fewer than 5 children."</summary>
    /// <param name="hidden">Points not drawn.</param>
    /// <param name="total">Points in the series.</param>
    /// <returns>The note, or empty when nothing is hidden.</returns>
    public static string MissingPointsNote(int hidden, int total) => hidden <= 0
        ? ""
        : $"{hidden} of {Plural.Of(total, "quarter", "quarters")} {(hidden == 1 ? "is" : "are")} not drawn: fewer than 5 children, hidden so that no child can be identified.";
}

/// <summary>
/// Checks derived figures against secondary disclosure for one viewer and one page view (or one export). Add every
/// underlying count with <see cref="AddCount"/> (hidden or not), then <see cref="Offer"/> each derived figure as a
/// linear combination of counts, in the order the page shows them. A figure is shown only when, together with every
/// figure already shown and every count the viewer can see, it does not let the viewer work out a hidden count:
/// <list type="bullet">
/// <item>exactly, by linear algebra (the hidden count's unit vector lies in the span of the shown figures'
/// hidden parts: e.g. a total beside all but one of its cells, a rate beside its denominator, a change beside one
/// end); or</item>
/// <item>by ranges: a hidden small count is known to lie in 1–4 (a hidden count of 5 or more, hidden to protect a
/// neighbour, in 0 upwards); bounds are propagated through the shown figures until nothing changes, and a hidden
/// count whose range narrows to a single whole number is disclosed (e.g. two hidden cells whose shown total is 8
/// must both be 4).</item>
/// </list>
/// Rounded figures (a percentage to one decimal place) are treated as exact, which errs on the side of withholding.
/// Range propagation is a sound but not complete test (it can miss a disclosure only a search would find); the
/// linear test is exact.
/// </summary>
public sealed class DisclosureAudit
{
    private const double Epsilon = 1e-9;
    private readonly List<(double Value, bool Hidden, double Min, double Max)> counts = [];
    private readonly List<(double[] Coefficients, double Value)> shown = [];

    /// <summary>Adds an underlying count.</summary>
    /// <param name="value">The true count.</param>
    /// <param name="hidden">The count is hidden from this viewer.</param>
    /// <returns>The count's id, for <see cref="Offer"/>.</returns>
    public int AddCount(decimal value, bool hidden)
    {
        var small = SmallNumbers.IsSmall(value);
        counts.Add(((double)value, hidden, small ? 1 : 0, small ? 4 : double.PositiveInfinity));
        return counts.Count - 1;
    }

    /// <summary>Offers a derived figure Σ coefficient × count; records it as shown when it may be shown.</summary>
    /// <param name="terms">Count id and coefficient for each term (a total: 1 each; a rate: 100 / denominator; a change: +1 and −1; a mean: 1 / n).</param>
    /// <param name="what">What the figure is, for the reason ("the partnership total").</param>
    /// <returns>The decision.</returns>
    public DisclosureDecision Offer(IReadOnlyList<(int Count, decimal Coefficient)> terms, string what)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var row = new double[counts.Count];
        double value = 0;
        foreach (var (id, coefficient) in terms)
        {
            if (id < 0 || id >= counts.Count)
                throw new ArgumentOutOfRangeException(nameof(terms), id, "Unknown count id.");
            if (!counts[id].Hidden)
                continue; // the viewer knows this term; it moves the figure's value but hides nothing
            row[id] += (double)coefficient;
            value += (double)coefficient * counts[id].Value;
        }

        if (row.All(c => Math.Abs(c) < Epsilon))
            return DisclosureDecision.Allowed;

        var candidate = shown.Append((row, value)).ToList();
        if (Discloses(candidate))
        {
            return DisclosureDecision.Withheld(
                $"Not shown: {what}, together with the figures beside it, would give away a count of fewer than 5 children");
        }

        shown.Add((row, value));
        return DisclosureDecision.Allowed;
    }

    private bool Discloses(List<(double[] Coefficients, double Value)> system)
    {
        var hidden = Enumerable.Range(0, counts.Count).Where(i => counts[i].Hidden).ToArray();
        var reduced = ReducedRowEchelon(system, counts.Count);
        foreach (var (coefficients, _) in reduced)
        {
            var nonZero = hidden.Where(j => Math.Abs(coefficients[j]) > Epsilon).Take(2).Count();
            if (nonZero == 1)
                return true; // a row that names a single hidden count: it is determined exactly
        }

        return RangesPin(system.Concat(reduced).ToList(), hidden);
    }

    private bool RangesPin(List<(double[] Coefficients, double Value)> equations, int[] hidden)
    {
        var lo = counts.Select(c => c.Min).ToArray();
        var hi = counts.Select(c => c.Max).ToArray();
        for (var pass = 0; pass < 50; pass++)
        {
            var changed = false;
            foreach (var (a, v) in equations)
            {
                foreach (var j in hidden)
                {
                    if (Math.Abs(a[j]) < Epsilon)
                        continue;
                    // a_j x_j = v − Σ_{k≠j} a_k x_k: the others' ranges bound x_j.
                    double restLo = 0, restHi = 0;
                    foreach (var k in hidden)
                    {
                        if (k == j || Math.Abs(a[k]) < Epsilon)
                            continue;
                        restLo += a[k] > 0 ? a[k] * lo[k] : a[k] * hi[k];
                        restHi += a[k] > 0 ? a[k] * hi[k] : a[k] * lo[k];
                    }

                    if (double.IsNaN(restLo) || double.IsNaN(restHi))
                        continue;
                    var b1 = (v - restHi) / a[j];
                    var b2 = (v - restLo) / a[j];
                    var newLo = Math.Ceiling(Math.Min(b1, b2) - 1e-7);
                    var newHi = Math.Floor(Math.Max(b1, b2) + 1e-7);
                    if (!double.IsNaN(newLo) && newLo > lo[j])
                    {
                        lo[j] = newLo;
                        changed = true;
                    }

                    if (!double.IsNaN(newHi) && newHi < hi[j])
                    {
                        hi[j] = newHi;
                        changed = true;
                    }
                }
            }

            if (!changed)
                break;
        }

        return hidden.Any(j => hi[j] - lo[j] < 0.5);
    }

    private static List<(double[] Coefficients, double Value)> ReducedRowEchelon(
        List<(double[] Coefficients, double Value)> system, int width)
    {
        var rows = system.Select(r => (Coefficients: (double[])r.Coefficients.Clone(), r.Value)).ToList();
        var pivotRow = 0;
        for (var col = 0; col < width && pivotRow < rows.Count; col++)
        {
            var best = pivotRow;
            for (var r = pivotRow + 1; r < rows.Count; r++)
            {
                if (Math.Abs(rows[r].Coefficients[col]) > Math.Abs(rows[best].Coefficients[col]))
                    best = r;
            }

            if (Math.Abs(rows[best].Coefficients[col]) < Epsilon)
                continue;
            (rows[pivotRow], rows[best]) = (rows[best], rows[pivotRow]);
            var pivot = rows[pivotRow].Coefficients[col];
            var scaled = rows[pivotRow].Coefficients.Select(c => c / pivot).ToArray();
            rows[pivotRow] = (scaled, rows[pivotRow].Value / pivot);
            for (var r = 0; r < rows.Count; r++)
            {
                if (r == pivotRow || Math.Abs(rows[r].Coefficients[col]) < Epsilon)
                    continue;
                var factor = rows[r].Coefficients[col];
                var updated = rows[r].Coefficients.Select((c, k) => c - (factor * scaled[k])).ToArray();
                rows[r] = (updated, rows[r].Value - (factor * rows[pivotRow].Value));
            }

            pivotRow++;
        }

        return rows.Take(pivotRow).Select(r =>
        {
            for (var k = 0; k < r.Coefficients.Length; k++)
            {
                if (Math.Abs(r.Coefficients[k]) < Epsilon)
                    r.Coefficients[k] = 0;
            }

            return r;
        }).ToList();
    }
}
