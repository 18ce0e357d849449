using Scorecard.Data.Analytics;

namespace Scorecard.Data.Performance;

/// <summary>Whose figures a scorecard shows: the whole partnership, one agency, or the agencies of one sector.</summary>
public sealed record ScorecardScope(int? AgencyId = null, string? Sector = null)
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
    /// <summary>Due, and not every expected agency has sent it.</summary>
    public bool HasMissingReturns => IsDue && Missing.Count > 0;
}

/// <summary>Why a row is an exception that the QA subgroup should look at.</summary>
public enum ExceptionReason { Red, SpecialCauseConcern, ConsistentlyFailing, MissingData, SpecialCauseImprovement }

public static class ExceptionReasons
{
    public static string Label(ExceptionReason reason) => reason switch
    {
        ExceptionReason.Red => "Red against target",
        ExceptionReason.SpecialCauseConcern => "Special cause concern",
        ExceptionReason.ConsistentlyFailing => "Consistently failing target",
        ExceptionReason.MissingData => "Missing data",
        ExceptionReason.SpecialCauseImprovement => "Special cause improvement: learn what worked",
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
    public VariationIcon? Variation => Spc?.Variation;
    public AssuranceIcon? Assurance => Spc?.Assurance;
    public bool TrialLimits => Spc?.TrialLimits ?? false;
    /// <summary>
    /// Shown under "exceptions only": red, special-cause concern, consistently failing its target, or missing data.
    /// Special-cause improvement is listed among the reasons as a note (Making Data Count asks that it be understood
    /// too) but does not make a row an exception by itself.
    /// </summary>
    public bool IsException => Exceptions.Any(e => e != ExceptionReason.SpecialCauseImprovement);
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
