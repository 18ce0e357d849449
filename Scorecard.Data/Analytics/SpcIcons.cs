namespace Scorecard.Data.Analytics;

/// <summary>
/// Text and colours for the Making Data Count icons and point types. Colours are NHSRplotthedots 0.2.x's
/// <c>ptd_spc_colours()</c> defaults (standardised with the MDC Power BI team, package issue #196); icon file names
/// are those of the package's <c>inst/icons</c> folder. The icons use the point colours here so that a chart and
/// its icons agree; the package's own SVG artwork is drawn in slightly different shades (blue #0072C6, orange
/// #FF6600, purple #8000C0, grey #BFBFBF).
/// </summary>
public static class SpcIcons
{
    /// <summary>Common cause points and lines: grey (<c>ptd_spc_colours(common_cause = "#a6a6a6")</c>).</summary>
    public const string CommonCauseColour = "#A6A6A6";

    /// <summary>Special cause improvement: blue (<c>special_cause_improvement = "#00b0f0"</c>).</summary>
    public const string ImprovementColour = "#00B0F0";

    /// <summary>Special cause concern: orange (<c>special_cause_concern = "#e46c0a"</c>).</summary>
    public const string ConcernColour = "#E46C0A";

    /// <summary>Special cause neutral, high or low: purple (<c>special_cause_neutral = "#490092"</c>).</summary>
    public const string NeutralColour = "#490092";

    /// <summary>The colour the package gives a point of this type.</summary>
    /// <param name="type">The point type.</param>
    /// <returns>A <c>#RRGGBB</c> colour.</returns>
    public static string Colour(PointType type) => type switch
    {
        PointType.SpecialCauseImprovement => ImprovementColour,
        PointType.SpecialCauseConcern => ConcernColour,
        PointType.SpecialCauseNeutralHigh or PointType.SpecialCauseNeutralLow => NeutralColour,
        _ => CommonCauseColour,
    };

    /// <summary>The colour of a variation icon: that of the point type it stands for.</summary>
    /// <param name="icon">The variation icon.</param>
    /// <returns>A <c>#RRGGBB</c> colour.</returns>
    public static string Colour(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow => ImprovementColour,
        VariationIcon.ConcernHigh or VariationIcon.ConcernLow => ConcernColour,
        VariationIcon.NeutralHigh or VariationIcon.NeutralLow => NeutralColour,
        _ => CommonCauseColour,
    };

    /// <summary>The colour of an assurance icon: pass as improvement, fail as concern, hit and miss as common cause.</summary>
    /// <param name="icon">The assurance icon.</param>
    /// <returns>A <c>#RRGGBB</c> colour.</returns>
    public static string Colour(AssuranceIcon icon) => icon switch
    {
        AssuranceIcon.ConsistentPass => ImprovementColour,
        AssuranceIcon.ConsistentFail => ConcernColour,
        _ => CommonCauseColour,
    };

    /// <summary>The chart legend text for a point type (<see cref="SpcWords.Legend"/>).</summary>
    /// <param name="type">The point type.</param>
    /// <returns>E.g. "Special cause: improvement".</returns>
    public static string Label(PointType type) => SpcWords.Legend(type);

    /// <summary>A short label for a variation icon.</summary>
    /// <param name="icon">The variation icon.</param>
    /// <returns>E.g. "Special cause improvement: significantly higher".</returns>
    public static string Label(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh => "Special cause improvement: significantly higher",
        VariationIcon.ImprovementLow => "Special cause improvement: significantly lower",
        VariationIcon.ConcernHigh => "Special cause concern: significantly higher",
        VariationIcon.ConcernLow => "Special cause concern: significantly lower",
        VariationIcon.NeutralHigh => "Significantly higher (neither better nor worse)",
        VariationIcon.NeutralLow => "Significantly lower (neither better nor worse)",
        _ => SpcWords.CommonCause,
    };

    /// <summary>The Making Data Count description of a variation icon.</summary>
    /// <param name="icon">The variation icon.</param>
    /// <returns>A sentence for a tooltip or screen reader.</returns>
    public static string Description(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh => "Special cause variation of an improving nature where the measure is significantly higher.",
        VariationIcon.ImprovementLow => "Special cause variation of an improving nature where the measure is significantly lower.",
        VariationIcon.ConcernHigh => "Special cause variation of a concerning nature where the measure is significantly higher.",
        VariationIcon.ConcernLow => "Special cause variation of a concerning nature where the measure is significantly lower.",
        VariationIcon.NeutralHigh => "Special cause variation of an increasing nature where up is neither improvement nor concern.",
        VariationIcon.NeutralLow => "Special cause variation of a decreasing nature where down is neither improvement nor concern.",
        _ => "Common cause variation: no significant change.",
    };

    /// <summary>A short label for an assurance icon.</summary>
    /// <param name="icon">The assurance icon.</param>
    /// <returns>E.g. "Consistently failing the target" (<see cref="SpcWords"/>).</returns>
    public static string Label(AssuranceIcon icon) => icon switch
    {
        AssuranceIcon.ConsistentPass => SpcWords.ConsistentlyPassing,
        AssuranceIcon.ConsistentFail => SpcWords.ConsistentlyFailing,
        _ => SpcWords.HitAndMiss,
    };

    /// <summary>The Making Data Count description of an assurance icon.</summary>
    /// <param name="icon">The assurance icon.</param>
    /// <returns>A sentence for a tooltip or screen reader.</returns>
    public static string Description(AssuranceIcon icon) => icon switch
    {
        AssuranceIcon.ConsistentPass => "The system is expected to consistently pass the target.",
        AssuranceIcon.ConsistentFail => "The system is expected to consistently fail the target.",
        _ => "The system may achieve or fail the target subject to random variation.",
    };

    /// <summary>The package's icon file (<c>inst/icons/variation/…</c>) for a variation icon.</summary>
    /// <param name="icon">The variation icon.</param>
    /// <returns>E.g. "improvement_high.svg".</returns>
    public static string FileName(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh => "improvement_high.svg",
        VariationIcon.ImprovementLow => "improvement_low.svg",
        VariationIcon.ConcernHigh => "concern_high.svg",
        VariationIcon.ConcernLow => "concern_low.svg",
        VariationIcon.NeutralHigh => "neutral_high.svg",
        VariationIcon.NeutralLow => "neutral_low.svg",
        _ => "common_cause.svg",
    };

    /// <summary>The package's icon file (<c>inst/icons/assurance/…</c>) for an assurance icon.</summary>
    /// <param name="icon">The assurance icon.</param>
    /// <returns>E.g. "pass.svg".</returns>
    public static string FileName(AssuranceIcon icon) => icon switch
    {
        AssuranceIcon.ConsistentPass => "pass.svg",
        AssuranceIcon.ConsistentFail => "fail.svg",
        _ => "inconsistent.svg",
    };
}
