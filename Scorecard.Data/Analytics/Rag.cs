namespace Scorecard.Data.Analytics;

/// <summary>Which way is better for a measure. Stored as higher_is_better, lower_is_better or neutral (see <c>Common.DbEnum</c>).</summary>
public enum Polarity
{
    HigherIsBetter,
    LowerIsBetter,
    Neutral,

    /// <summary>Dapper reads text into an enum with <c>Enum.Parse</c> and ignores type handlers for enums, so the stored
    /// names that are not a member's name ignoring case are declared as aliases here. Never use them in code.</summary>
    [Obsolete("The stored name, for Dapper only: use HigherIsBetter.")]
    higher_is_better = HigherIsBetter,

    [Obsolete("The stored name, for Dapper only: use LowerIsBetter.")]
    lower_is_better = LowerIsBetter,
}

public static class PolarityDirection
{
    /// <summary>The SPC improvement direction that matches a polarity (Making Data Count: "improvement direction").</summary>
    public static ImprovementDirection ToDirection(this Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => ImprovementDirection.Increase,
        Polarity.LowerIsBetter => ImprovementDirection.Decrease,
        _ => ImprovementDirection.Neutral,
    };
}

/// <summary>
/// A cell's status against target. <see cref="NoData"/> is shown blank (white), <see cref="NoTarget"/> grey and
/// <see cref="Context"/> marks a neutral measure, which is context only and never judged (design.md, Analytics).
/// </summary>
public enum RagStatus { NoData, NoTarget, Context, Red, Amber, Green }

public static class Rag
{
    /// <summary>
    /// RAG against target by polarity: on or past the target is green; short of it by no more than the amber tolerance is
    /// amber; further away is red. The value is first rounded to the measure's decimal places, so a cell never shows a
    /// figure equal to the target in red.
    /// </summary>
    public static RagStatus Assess(decimal? value, decimal? target, decimal? amberTolerance, Polarity polarity, int decimalPlaces)
    {
        if (value is not { } raw)
            return RagStatus.NoData;
        if (polarity == Polarity.Neutral)
            return RagStatus.Context;
        if (target is not { } t)
            return RagStatus.NoTarget;
        var v = Math.Round(raw, Math.Clamp(decimalPlaces, 0, 6), MidpointRounding.AwayFromZero);
        var tolerance = amberTolerance ?? 0m;
        var shortfall = polarity == Polarity.HigherIsBetter ? t - v : v - t;
        if (shortfall <= 0)
            return RagStatus.Green;
        return shortfall <= tolerance ? RagStatus.Amber : RagStatus.Red;
    }

    public static string Label(RagStatus status) => status switch
    {
        RagStatus.Green => "Green: on or better than target",
        RagStatus.Amber => "Amber: short of target, within tolerance",
        RagStatus.Red => "Red: short of target beyond tolerance",
        RagStatus.NoTarget => "No target set",
        RagStatus.Context => "Context measure: not judged against a target",
        _ => "No data",
    };

    public static string ShortLabel(RagStatus status) => status switch
    {
        RagStatus.Green => "Green",
        RagStatus.Amber => "Amber",
        RagStatus.Red => "Red",
        RagStatus.NoTarget => "No target",
        RagStatus.Context => "Context",
        _ => "No data",
    };
}
