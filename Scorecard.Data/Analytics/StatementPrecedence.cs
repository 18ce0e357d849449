namespace Scorecard.Data.Analytics;

/// <summary>What a statement is about; a row shows at most one statement of each category.</summary>
public enum StatementCategory
{
    /// <summary>The latest figure itself: its RAG, or that it is provisional or hidden.</summary>
    Figure,

    /// <summary>Special cause variation: improvement, concern or a change that is neither.</summary>
    Signal,

    /// <summary>Assurance against the target, or why none is given.</summary>
    Assurance,
}

/// <summary>Every statement a scorecard row, card, tooltip or export may make about a measure.</summary>
public enum StatementKind
{
    /// <summary>Green: on or better than target.</summary>
    Green,

    /// <summary>Amber: short of target, within tolerance.</summary>
    Amber,

    /// <summary>Red: short of target beyond tolerance.</summary>
    Red,

    /// <summary>No target set.</summary>
    NoTarget,

    /// <summary>Context measure, not judged.</summary>
    Context,

    /// <summary>No figure for the quarter.</summary>
    NoData,

    /// <summary>The figure is incomplete (not every agency due has returned): no RAG of its own.</summary>
    Provisional,

    /// <summary>The figure is hidden from this viewer (fewer than 5 children).</summary>
    Suppressed,

    /// <summary>Special cause improvement.</summary>
    Improvement,

    /// <summary>Special cause concern.</summary>
    Concern,

    /// <summary>Special cause on a measure with no better direction.</summary>
    NeutralChange,

    /// <summary>The process is expected to pass the target every time.</summary>
    ConsistentlyPassing,

    /// <summary>The process is expected to fail the target every time.</summary>
    ConsistentlyFailing,

    /// <summary>The process may pass or fail the target.</summary>
    HitAndMiss,

    /// <summary>No assurance verdict: the limits describe an old process, or disagree with the latest figure.</summary>
    AssuranceWithheld,
}

/// <summary>How a chip is coloured: good (blue/green), bad (orange/red), or neither.</summary>
public enum StatementTone
{
    /// <summary>Neither good nor bad.</summary>
    Neutral,

    /// <summary>Good news.</summary>
    Good,

    /// <summary>Warning.</summary>
    Warning,

    /// <summary>Bad news.</summary>
    Bad,
}

/// <summary>One chip or sentence about a measure.</summary>
/// <param name="Kind">What it says.</param>
/// <param name="Category">What it is about.</param>
/// <param name="Tone">How it is coloured.</param>
/// <param name="Text">The words (sentence case, from <see cref="SpcWords"/> and <see cref="Rag"/>).</param>
public sealed record Statement(StatementKind Kind, StatementCategory Category, StatementTone Tone, string Text);

/// <summary>Everything known about a measure's latest quarter that a statement could be made from.</summary>
/// <param name="Rag">The RAG of the latest figure's value (<see cref="Analytics.Rag.Assess"/>), provisional or not.</param>
/// <param name="Incomplete">The latest figure is incomplete (<see cref="FigureCompleteness.IsIncomplete"/>).</param>
/// <param name="Suppressed">The latest figure is hidden from this viewer (<see cref="Disclosure"/>).</param>
/// <param name="Variation">The variation icon (from the last SPC point), or null when there is no SPC.</param>
/// <param name="LatestSpecialCause">
/// The type of the most recent special-cause point in the row's window, or null when none: used when the last
/// point itself is common cause. Passing the most recent one (not "any in the window") is what keeps improvement
/// and concern from being stated at once.
/// </param>
/// <param name="Assurance">The assurance icon, or null without a target.</param>
/// <param name="AssuranceCaveated">The limits straddle a sustained shift or trend (<see cref="ProcessChange.Detect"/>).</param>
/// <param name="CompletenessLabel">"1 of 2 agencies" (<see cref="FigureCompleteness.Label"/>) for the provisional chip.</param>
public sealed record MeasureSignals(
    RagStatus Rag,
    bool Incomplete,
    bool Suppressed,
    VariationIcon? Variation,
    PointType? LatestSpecialCause,
    AssuranceIcon? Assurance,
    bool AssuranceCaveated,
    string CompletenessLabel = "");

/// <summary>
/// Decides the one non-contradictory set of statements to show for a measure. Cards, chips, tooltips, exports and the
/// scorecard's exception filter all take their statements from <see cref="Decide"/>; none composes its own. The rule
/// of which statement wins, in order:
/// <list type="number">
/// <item><b>Hidden beats everything.</b> A figure hidden from the viewer gives only "fewer than 5": no RAG colour,
/// no signal, no assurance (each could be worked back to the hidden figure or to its side of the target).</item>
/// <item><b>Incomplete beats RAG.</b> An incomplete figure gets "Provisional (1 of 2 agencies)" in place of its
/// RAG: no colour of its own.</item>
/// <item><b>The latest point beats the window.</b> A special cause on the last point (the variation icon) decides
/// the signal; only when the last point is common cause does the most recent special cause in the window speak.
/// So improvement and concern are never stated at once.</item>
/// <item><b>The latest figure beats a forecast.</b> Assurance is a forecast from the limits. When the limits straddle
/// a sustained shift or trend it is withheld ("the limits describe the old process"); when it contradicts the RAG of
/// the latest figure (consistently failing beside green; consistently passing beside amber or red, provisional or not)
/// it is withheld too. A withheld assurance is said in words, never drawn as a verdict.</item>
/// </list>
/// At most one statement per <see cref="StatementCategory"/> results.
/// </summary>
public static class StatementPrecedence
{
    /// <summary>The statements to show, in display order (figure, signal, assurance).</summary>
    /// <param name="signals">What is known about the measure.</param>
    /// <returns>The non-contradictory statements.</returns>
    public static IReadOnlyList<Statement> Decide(MeasureSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Suppressed)
        {
            return [new Statement(StatementKind.Suppressed, StatementCategory.Figure, StatementTone.Neutral,
                SpcWords.FewerThanFiveReason)];
        }

        var result = new List<Statement>(3);
        if (signals.Incomplete)
        {
            var label = string.IsNullOrEmpty(signals.CompletenessLabel) ? "" : $" ({signals.CompletenessLabel})";
            result.Add(new Statement(StatementKind.Provisional, StatementCategory.Figure, StatementTone.Neutral,
                $"Provisional: not every agency has returned{label}"));
        }
        else
        {
            result.Add(RagStatement(signals.Rag));
        }

        if (Signal(signals) is { } signal)
            result.Add(signal);

        if (AssuranceStatement(signals) is { } assurance)
            result.Add(assurance);

        return result;
    }

    /// <summary>
    /// Whether the statements make the row an exception the QA subgroup should look at (red, concern or consistently
    /// failing); special cause improvement is a note, not an exception.
    /// </summary>
    /// <param name="statements">The result of <see cref="Decide"/>.</param>
    /// <returns>True for an exception.</returns>
    public static bool IsException(IReadOnlyList<Statement> statements) =>
        statements.Any(s => s.Kind is StatementKind.Red or StatementKind.Concern or StatementKind.ConsistentlyFailing);

    private static Statement RagStatement(RagStatus rag) => rag switch
    {
        RagStatus.Green => new(StatementKind.Green, StatementCategory.Figure, StatementTone.Good, Rag.Label(rag)),
        RagStatus.Amber => new(StatementKind.Amber, StatementCategory.Figure, StatementTone.Warning, Rag.Label(rag)),
        RagStatus.Red => new(StatementKind.Red, StatementCategory.Figure, StatementTone.Bad, Rag.Label(rag)),
        RagStatus.NoTarget => new(StatementKind.NoTarget, StatementCategory.Figure, StatementTone.Neutral, Rag.Label(rag)),
        RagStatus.Context => new(StatementKind.Context, StatementCategory.Figure, StatementTone.Neutral, Rag.Label(rag)),
        _ => new(StatementKind.NoData, StatementCategory.Figure, StatementTone.Neutral, Rag.Label(rag)),
    };

    private static Statement? Signal(MeasureSignals signals)
    {
        PointType? type = signals.Variation switch
        {
            VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow => PointType.SpecialCauseImprovement,
            VariationIcon.ConcernHigh or VariationIcon.ConcernLow => PointType.SpecialCauseConcern,
            VariationIcon.NeutralHigh => PointType.SpecialCauseNeutralHigh,
            VariationIcon.NeutralLow => PointType.SpecialCauseNeutralLow,
            _ => signals.LatestSpecialCause,
        };
        return type switch
        {
            PointType.SpecialCauseImprovement =>
                new Statement(StatementKind.Improvement, StatementCategory.Signal, StatementTone.Good, SpcWords.Improvement),
            PointType.SpecialCauseConcern =>
                new Statement(StatementKind.Concern, StatementCategory.Signal, StatementTone.Bad, SpcWords.Concern),
            PointType.SpecialCauseNeutralHigh or PointType.SpecialCauseNeutralLow =>
                new Statement(StatementKind.NeutralChange, StatementCategory.Signal, StatementTone.Neutral, SpcWords.NeutralChange),
            _ => null,
        };
    }

    private static Statement? AssuranceStatement(MeasureSignals signals)
    {
        if (signals.Assurance is not { } icon)
            return null;
        if (signals.AssuranceCaveated)
            return Withheld(SpcWords.AssuranceOnOldProcess);
        var contradicts = icon switch
        {
            AssuranceIcon.ConsistentFail => signals.Rag == RagStatus.Green,
            AssuranceIcon.ConsistentPass => signals.Rag is RagStatus.Amber or RagStatus.Red,
            _ => false,
        };
        if (contradicts)
            return Withheld(SpcWords.AssuranceDisagreesWithLatest);
        return icon switch
        {
            AssuranceIcon.ConsistentPass => new Statement(
                StatementKind.ConsistentlyPassing, StatementCategory.Assurance, StatementTone.Good, SpcWords.ConsistentlyPassing),
            AssuranceIcon.ConsistentFail => new Statement(
                StatementKind.ConsistentlyFailing, StatementCategory.Assurance, StatementTone.Bad, SpcWords.ConsistentlyFailing),
            _ => new Statement(StatementKind.HitAndMiss, StatementCategory.Assurance, StatementTone.Neutral, SpcWords.HitAndMiss),
        };
    }

    private static Statement Withheld(string text) =>
        new(StatementKind.AssuranceWithheld, StatementCategory.Assurance, StatementTone.Neutral, text);
}
