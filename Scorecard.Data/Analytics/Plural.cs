using System.Globalization;

namespace Scorecard.Data.Analytics;

/// <summary>
/// Counts with their noun in the right number ("1 agency", "2 agencies", "1 day", "12 days"): the one helper every
/// page and export uses, so "1 agencies" cannot come back.
/// </summary>
public static class Plural
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"1 agency" / "3 agencies"; counts are written with thousands separators.</summary>
    /// <param name="count">The count.</param>
    /// <param name="singular">The noun for exactly one.</param>
    /// <param name="plural">The noun for any other count (including 0).</param>
    /// <returns>The count and its noun.</returns>
    public static string Of(long count, string singular, string plural) =>
        count.ToString("N0", Uk) + " " + Noun(count, singular, plural);

    /// <summary>The noun alone, for when the number is written elsewhere.</summary>
    /// <param name="count">The count.</param>
    /// <param name="singular">The noun for exactly one.</param>
    /// <param name="plural">The noun for any other count.</param>
    /// <returns><paramref name="singular"/> when the count is 1 (or −1), else <paramref name="plural"/>.</returns>
    public static string Noun(long count, string singular, string plural) => Math.Abs(count) == 1 ? singular : plural;

    /// <summary>"1 day", "14 days": a number of days with its unit.</summary>
    /// <param name="days">The number of days.</param>
    /// <returns>The days with their unit.</returns>
    public static string Days(long days) => Of(days, "day", "days");
}
