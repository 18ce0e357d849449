using Scorecard.Data.Catalog;

namespace Scorecard.Data.Analytics;

/// <summary>
/// The one source of truth for the words the scorecard uses about its statistics: statement texts (cards, chips,
/// tooltips and exports all take them from here, so "Consistently failing the target" is written one way
/// everywhere), plain-English rule descriptions for a point's hover box, chart legend texts and axis labels.
/// Everything is in sentence case. Pages and exports must not spell these texts themselves: call these members (or
/// <see cref="SpcIcons"/>, <see cref="StatementPrecedence"/>, which take their texts from here).
/// </summary>
public static class SpcWords
{
    /// <summary>Assurance: the target lies outside the limits on the good side.</summary>
    public const string ConsistentlyPassing = "Consistently passing the target";

    /// <summary>Assurance: the target lies outside the limits on the bad side.</summary>
    public const string ConsistentlyFailing = "Consistently failing the target";

    /// <summary>Assurance: the target lies within the limits.</summary>
    public const string HitAndMiss = "Hit and miss: may pass or fail the target";

    /// <summary>Assurance shown when the limits describe a process that has since changed.</summary>
    public const string AssuranceOnOldProcess = "Assurance not judged: the limits describe the old process";

    /// <summary>Assurance withheld because it contradicts the latest figure's RAG.</summary>
    public const string AssuranceDisagreesWithLatest =
        "Assurance not judged: the latest figure is on the other side of the target from the limits";

    /// <summary>Variation: no rule fired on the latest point.</summary>
    public const string CommonCause = "Common cause: no significant change";

    /// <summary>Statement for special cause improvement.</summary>
    public const string Improvement = "Special cause improvement: learn what worked";

    /// <summary>Statement for special cause concern.</summary>
    public const string Concern = "Special cause concern: look into it";

    /// <summary>Statement for a special cause on a measure with no better direction.</summary>
    public const string NeutralChange = "Significant change (neither better nor worse)";

    /// <summary>The hover text of a ghosted point.</summary>
    public const string GhostedDescription = "Known special cause: left out of the mean and limits";

    /// <summary>The word shown instead of a count of 1 to 4 (never a number, never a colour).</summary>
    public const string FewerThanFive = "fewer than 5";

    /// <summary>Why a small count is hidden, for its hover box.</summary>
    public const string FewerThanFiveReason =
        "Fewer than 5 children: the figure is hidden so that no child can be identified";

    /// <summary>Trial limits (fewer than 13 points in the segment).</summary>
    public const string TrialLimits = "Trial limits: fewer than 13 quarters, so the limits may still move";

    /// <summary>
    /// A special cause rule in plain English, for a point's hover box: "Above the upper process limit", "Two of
    /// three points close to the upper limit", "Part of a run of 7 points above the mean", "Part of 7 rising points
    /// in a row".
    /// </summary>
    /// <param name="rule">The rule that decided the point.</param>
    /// <param name="side">Its side.</param>
    /// <param name="trendLength">The trend length in use (7 by default).</param>
    /// <param name="shiftLength">The run length in use (7 by default).</param>
    /// <returns>A sentence-case phrase.</returns>
    public static string RuleDescription(SpecialCauseRule rule, SpecialCauseSide side, int trendLength = 7, int shiftLength = 7)
    {
        var high = side == SpecialCauseSide.High;
        return rule switch
        {
            SpecialCauseRule.OutsideLimits => high ? "Above the upper process limit" : "Below the lower process limit",
            SpecialCauseRule.Trend => $"Part of {trendLength} {(high ? "rising" : "falling")} points in a row",
            SpecialCauseRule.TwoOfThree => $"Two of three points close to the {(high ? "upper" : "lower")} limit",
            SpecialCauseRule.Shift => $"Part of a run of {shiftLength} points {(high ? "above" : "below")} the mean",
            _ => "Common cause variation",
        };
    }

    /// <summary>The chart legend text for a point type, e.g. "Special cause: concern".</summary>
    /// <param name="type">The point type.</param>
    /// <returns>A sentence-case legend entry.</returns>
    public static string Legend(PointType type) => type switch
    {
        PointType.SpecialCauseImprovement => "Special cause: improvement",
        PointType.SpecialCauseConcern => "Special cause: concern",
        PointType.SpecialCauseNeutralHigh or PointType.SpecialCauseNeutralLow => "Special cause: neither better nor worse",
        _ => "Common cause",
    };

    /// <summary>The legend entry for ghosted (hollow) points.</summary>
    public const string GhostedLegend = "Known special cause (hollow): left out of the limits";

    /// <summary>The legend entry for incomplete (outlined) figures that are left out of the chart's judgement.</summary>
    public const string IncompleteLegend = "Incomplete: not every agency has returned (left out)";

    /// <summary>The legend entry for quarters not drawn because their figure is hidden from this viewer.</summary>
    public const string SuppressedLegend = "Not drawn: fewer than 5 children";

    /// <summary>The value axis title for a measure's unit.</summary>
    /// <param name="unit">The measure's unit.</param>
    /// <returns>E.g. "Percentage (%)".</returns>
    public static string AxisLabel(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Percent => "Percentage (%)",
        MeasureUnit.RatePer10k => "Rate per 10,000 children",
        MeasureUnit.Count => "Number",
        MeasureUnit.Days => "Days",
        MeasureUnit.Score => "Score",
        _ => "Value",
    };

    /// <summary>The time axis title.</summary>
    public const string QuarterAxis = "Quarter (financial year)";
}
