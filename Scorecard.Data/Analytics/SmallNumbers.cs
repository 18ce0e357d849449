namespace Scorecard.Data.Analytics;

/// <summary>
/// Small-number suppression (design.md, Analytics): counts of 1 to 4 are shown as "&lt;5" in exports and to viewers
/// outside the owning agency, and never in a way that lets a total reveal them.
/// </summary>
public static class SmallNumbers
{
    public const string Suppressed = "<5";

    /// <summary>A count from 1 to 4 (zero is not disclosive: it says nothing happened).</summary>
    public static bool IsSmall(decimal? count) => count is >= 1m and < 5m;

    /// <summary>
    /// Which cells of a breakdown to hide when its total is shown: every small count (primary suppression), and when
    /// exactly one cell is hidden, the smallest other non-zero cell too (secondary suppression), because total minus
    /// the other cells would give the hidden one away.
    /// </summary>
    public static bool[] CellsToSuppress(IReadOnlyList<decimal?> cells)
    {
        var hide = cells.Select(IsSmall).ToArray();
        if (hide.Count(h => h) != 1)
            return hide;
        var next = cells
            .Select((value, index) => (value, index))
            .Where(c => !hide[c.index] && c.value is > 0m)
            .OrderBy(c => c.value)
            .Select(c => (int?)c.index)
            .FirstOrDefault();
        if (next is { } i)
            hide[i] = true;
        return hide;
    }
}
