using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Performance;

/// <summary>Whose figures a scorecard shows: the whole partnership, one agency, or the agencies of one sector.</summary>
public sealed record ScorecardScope(int? AgencyId = null, Sector? Sector = null)
{
    public static readonly ScorecardScope Partnership = new();
    public bool IsPartnership => AgencyId is null && Sector is null;
}

/// <summary>
/// One measure's figure for one quarter within a scope. For ratio measures it is the sum of numerators over the sum of
/// denominators of the agencies that returned (never an average of percentages); for counts the sum; for other
/// units (days, scores) the mean of the agencies' values.
/// </summary>
/// <param name="Missing">Agencies expected to report that sent nothing for this quarter although it is due.</param>
/// <param name="Suppressed">The figure is a count of 1–4 (or rests on a numerator of 1–4) that this viewer may not see exactly.</param>
public sealed record QuarterFigure(
    ScorecardPeriod Period, decimal? Numerator, decimal? Denominator, decimal? Value,
    int Received, int Expected, IReadOnlyList<ScorecardAgency> Missing, bool IsDue,
    RagStatus Rag, PointType? PointType, bool Suppressed)
{
    /// <summary>Due, and not every expected agency has sent it (whether or not the figure counts as complete).</summary>
    public bool HasMissingReturns => IsDue && Missing.Count > 0;

    /// <summary>How many of the agencies expected to report the figure have returned it (issue 8 §1: partial figures are not figures).</summary>
    public FigureCompleteness Completeness => new(Expected, Received, Rule);

    /// <summary>When the figure counts as complete (the setting <c>Scorecard:Completeness</c>, through the snapshot).</summary>
    public CompletenessRule Rule { get; init; } = CompletenessRule.Default;

    /// <summary>
    /// The figure exists but not every agency has returned it: its RAG is provisional (no colour of its own, never
    /// counted as red or green) and it is no SPC point and no end of a trend (<see cref="Analytics.Completeness"/>).
    /// </summary>
    public bool Provisional => Value is not null && Completeness.IsIncomplete;

    /// <summary>The RAG to colour and count with: none when provisional or hidden from the viewer.</summary>
    public RagStatus ShownRag => Provisional || Suppressed ? RagStatus.NoData : Rag;

    /// <summary>A QA member marked the quarter as a known special cause: drawn hollow, left out of the mean and limits.</summary>
    public bool Ghosted { get; init; }

    /// <summary>Why the quarter was ghosted (for its hover box), or empty.</summary>
    public string GhostReason { get; init; } = "";
}

/// <summary>Why a row is an exception that the QA subgroup should look at.</summary>
public enum ExceptionReason { Red, SpecialCauseConcern, ConsistentlyFailing, MissingData, SpecialCauseImprovement }

public static class ExceptionReasons
{
    /// <summary>The chip's words: the statements' own (<see cref="SpcWords"/>, <see cref="Analytics.Rag"/>), so a chip says what the card and export say.</summary>
    public static string Label(ExceptionReason reason) => reason switch
    {
        ExceptionReason.Red => Analytics.Rag.Label(RagStatus.Red),
        ExceptionReason.SpecialCauseConcern => SpcWords.Concern,
        ExceptionReason.ConsistentlyFailing => SpcWords.ConsistentlyFailing,
        ExceptionReason.MissingData => "Missing data",
        ExceptionReason.SpecialCauseImprovement => SpcWords.Improvement,
        _ => reason.ToString(),
    };
}

/// <summary>One row of the scorecard: a measure's figures, RAG, trend, SPC icons and benchmarks in a scope.</summary>
/// <param name="History">Every quarter up to the selected one, oldest first (the SPC series).</param>
/// <param name="Window">The last <see cref="ScorecardBuilder.WindowQuarters"/> quarters of <paramref name="History"/>.</param>
public sealed record ScorecardLine(
    ScorecardMeasure Measure,
    IReadOnlyList<QuarterFigure> History,
    IReadOnlyList<QuarterFigure> Window,
    QuarterFigure Current,
    TrendResult VsPreviousQuarter,
    TrendResult VsLastYear,
    SpcAnalysis? Spc,
    BenchmarkComparison England,
    BenchmarkComparison Neighbour,
    IReadOnlyList<ExceptionReason> Exceptions)
{
    /// <summary>
    /// The variation icon of the selected quarter: none when that quarter is no SPC point (missing, incomplete) or is
    /// hidden from the viewer (the icon would give away its side of the mean).
    /// </summary>
    public VariationIcon? Variation => Current.PointType is not null && !Current.Suppressed ? Spc?.Variation : null;

    /// <summary>The assurance icon as computed; what to show is the assurance statement in <see cref="Statements"/>.</summary>
    public AssuranceIcon? Assurance => Current.Suppressed ? null : Spc?.Assurance;

    /// <summary>The assurance statement to show (a verdict, or a withheld assurance in words), or null.</summary>
    public Statement? AssuranceStatement => Statements.FirstOrDefault(s => s.Category == StatementCategory.Assurance);
    public bool TrialLimits => Spc?.TrialLimits ?? false;
    /// <summary>
    /// Shown under "exceptions only": red, special-cause concern, consistently failing its target, or missing data.
    /// Special-cause improvement is listed among the reasons as a note (Making Data Count asks that it be understood
    /// too) but does not make a row an exception by itself.
    /// </summary>
    public bool IsException => Exceptions.Any(e => e != ExceptionReason.SpecialCauseImprovement);

    /// <summary>
    /// The one non-contradictory set of statements about the selected quarter (<see cref="StatementPrecedence.Decide"/>):
    /// what the chips, cards, tooltips and exports say; <see cref="Exceptions"/> are drawn from them.
    /// </summary>
    public IReadOnlyList<Statement> Statements { get; init; } = [];

    /// <summary>The latest points show the process has changed (<see cref="ProcessChange.Detect"/>), or null.</summary>
    public ProcessChangeSuggestion? ProcessChange { get; init; }

    /// <summary>The quarter <see cref="ProcessChange"/> suggests recalculating the limits from.</summary>
    public ScorecardPeriod? ProcessChangeFrom { get; init; }

    /// <summary>"The limits describe the old process: … Recalculate the limits from 2023/24 Q2.", or empty.</summary>
    public string ProcessChangeMessage => ProcessChange is { } c && ProcessChangeFrom is { } p ? c.Message(p.Label) : "";

    /// <summary>The assurance to show: caveated while a process change is suggested (<see cref="ProcessChange.Assurance"/>).</summary>
    public AssuranceVerdict? AssuranceVerdict { get; init; }

    /// <summary>
    /// Why there is no trend arrow although both quarters have figures (an incomplete end, with the like-for-like
    /// comparison in words; or a hidden end), or empty.
    /// </summary>
    public string TrendNote { get; init; } = "";

    /// <summary>Why the chart draws no mean or limits for this viewer (<see cref="Disclosure.SpcLines"/>), or empty.</summary>
    public string SpcLinesWithheld { get; init; } = "";

    /// <summary>Quarters of the history hidden from the viewer (not drawn on the chart).</summary>
    public int HiddenPoints => History.Count(f => f.Suppressed);
}

/// <summary>A scorecard for one scope and quarter.</summary>
public sealed record ScorecardView(
    ScorecardScope Scope, ScorecardPeriod? Period, IReadOnlyList<ScorecardPeriod> Periods,
    IReadOnlyList<ScorecardLine> Lines);

/// <summary>Whether an agency's figure for a quarter is in: received, missing (due, nothing sent) or awaited (not yet due).</summary>
public enum FigureStatus { Received, Missing, Awaited }

/// <summary>One agency's value of a measure for a quarter, as the drill-down shows it.</summary>
public sealed record AgencyFigure(
    ScorecardPeriod Period, decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary, FigureStatus Status,
    RagStatus Rag, bool Suppressed);

public sealed record AgencySeries(ScorecardAgency Agency, IReadOnlyList<AgencyFigure> Quarters);

/// <summary>A measure page: the partnership line, each visible reporting agency's values, and the agencies' commentary.</summary>
public sealed record MeasureDetail(ScorecardLine Line, IReadOnlyList<AgencySeries> Agencies, IReadOnlyList<ScorecardPeriod> Periods, int HiddenAgencies);
