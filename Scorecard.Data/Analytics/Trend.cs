using Scorecard.Data.Catalog;

namespace Scorecard.Data.Analytics;

public enum TrendDirection { None, Up, Down, Flat }

/// <summary>Better / worse by polarity; <see cref="NotJudged"/> for neutral measures; <see cref="NoData"/> when either value is missing.</summary>
public enum TrendJudgement { NoData, NoChange, Better, Worse, NotJudged }

/// <summary>A change between two quarters, judged by polarity.</summary>
public sealed record TrendResult(decimal? Change, TrendDirection Direction, TrendJudgement Judgement)
{
    public static readonly TrendResult NoData = new(null, TrendDirection.None, TrendJudgement.NoData);
}

public static class Trend
{
    /// <summary>
    /// The smallest change that counts as a change, so that noise does not flip arrows (DHIS2's scorecard calls it the
    /// effective gap): one percentage point for percentages; otherwise 5% of the earlier value, and never less than one
    /// step at the measure's decimal places.
    /// </summary>
    public static decimal MinimumEffectiveChange(MeasureUnit unit, int decimalPlaces, decimal previous)
    {
        var step = (decimal)Math.Pow(10, -Math.Clamp(decimalPlaces, 0, 6));
        if (unit == MeasureUnit.Percent)
            return Math.Max(1m, step);
        return Math.Max(step, Math.Abs(previous) * 0.05m);
    }

    /// <summary>Compares <paramref name="current"/> with <paramref name="previous"/> (the last quarter, or the same quarter a year ago).</summary>
    public static TrendResult Compare(decimal? current, decimal? previous, Polarity polarity, MeasureUnit unit, int decimalPlaces)
    {
        if (current is not { } c || previous is not { } p)
            return TrendResult.NoData;
        var change = c - p;
        var gap = MinimumEffectiveChange(unit, decimalPlaces, p);
        if (Math.Abs(change) < gap)
            return new TrendResult(change, TrendDirection.Flat, polarity == Polarity.Neutral ? TrendJudgement.NotJudged : TrendJudgement.NoChange);
        var direction = change > 0 ? TrendDirection.Up : TrendDirection.Down;
        var judgement = polarity switch
        {
            Polarity.Neutral => TrendJudgement.NotJudged,
            Polarity.HigherIsBetter => change > 0 ? TrendJudgement.Better : TrendJudgement.Worse,
            _ => change < 0 ? TrendJudgement.Better : TrendJudgement.Worse,
        };
        return new TrendResult(change, direction, judgement);
    }

    public static string Describe(TrendResult trend, string comparedWith) => trend.Judgement switch
    {
        TrendJudgement.NoData => $"No comparison with {comparedWith}",
        TrendJudgement.NoChange => $"No real change on {comparedWith}",
        TrendJudgement.Better => $"{(trend.Direction == TrendDirection.Up ? "Up" : "Down")}: better than {comparedWith}",
        TrendJudgement.Worse => $"{(trend.Direction == TrendDirection.Up ? "Up" : "Down")}: worse than {comparedWith}",
        _ => trend.Direction switch
        {
            TrendDirection.Up => $"Up on {comparedWith}",
            TrendDirection.Down => $"Down on {comparedWith}",
            _ => $"No real change on {comparedWith}",
        },
    };
}
