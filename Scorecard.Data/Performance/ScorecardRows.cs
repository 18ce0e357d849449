using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Performance;

/// <summary>An active measure as the scorecard shows it, with its priority and owning agency.</summary>
public sealed record ScorecardMeasure(
    int Id, string Code, string Title, string Definition, MeasureUnit Unit, string? NumeratorLabel, string? DenominatorLabel,
    Polarity Polarity, int PriorityId, string PriorityCode, string PriorityTitle, int PrioritySortOrder,
    int OwnerAgencyId, string OwnerAgencyName, decimal? Target, decimal? AmberTolerance, short DecimalPlaces,
    decimal? EnglandValue, decimal? NeighbourValue, string BenchmarkNote, int SortOrder, bool SuppressSmallNumbers = true)
{
    public bool IsRatio => Units.IsRatio(NumeratorLabel, DenominatorLabel);
}

/// <summary>A reporting quarter. FiscalYear 2025 is 2025/26; Q1 is April to June.</summary>
public sealed record ScorecardPeriod(int Id, int FiscalYear, int Quarter, DateOnly StartDate, DateOnly EndDate, DateOnly DueDate)
{
    public string Label => Catalog.PeriodLabels.Format(FiscalYear, Quarter);

    /// <summary>The form used in URLs: 2025-Q2 is 2025/26 Q2.</summary>
    public string Key => $"{FiscalYear}-Q{Quarter}";
}

public sealed record ScorecardAgency(int Id, string Name, string ShortName, Sector Sector, bool Active);

public sealed record ScorecardReporter(int MeasureId, int AgencyId);

/// <summary>A value from an agency's current (latest accepted) return.</summary>
public sealed record ScorecardValue(
    int MeasureId, int AgencyId, int PeriodId, decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary, long ReturnId);

/// <summary>
/// A process change recorded for a measure: from <see cref="PeriodId"/> its SPC limits are recalculated, as a new
/// segment (Making Data Count: rebase only with a known reason).
/// </summary>
public sealed record ScorecardProcessChange(int Id, int MeasureId, int PeriodId, string Reason, string CreatedByName, DateTime CreatedAt);

/// <summary>Everything the scorecard, drill-down and export need for one partnership, read in one round trip.</summary>
public sealed record ScorecardData(
    int PartnershipId, DateOnly Today,
    IReadOnlyList<ScorecardMeasure> Measures,
    IReadOnlyList<ScorecardPeriod> Periods,
    IReadOnlyList<ScorecardAgency> Agencies,
    IReadOnlyList<ScorecardReporter> Reporters,
    IReadOnlyList<ScorecardValue> Values,
    IReadOnlyList<ScorecardProcessChange>? ProcessChanges = null,
    IReadOnlyList<ScorecardGhostedPoint>? GhostedPoints = null)
{
    public IReadOnlyList<ScorecardProcessChange> Changes => ProcessChanges ?? [];

    /// <summary>Quarters marked as known special causes (left out of the SPC mean and limits).</summary>
    public IReadOnlyList<ScorecardGhostedPoint> Ghosts => GhostedPoints ?? [];
}

/// <summary>
/// A quarter of a measure marked by the QA subgroup as a known special cause ("ghosting", as the Making Data Count
/// tools allow): drawn hollow and left out of the mean, limits and rules, so one outlier does not rewrite history.
/// </summary>
public sealed record ScorecardGhostedPoint(int Id, int MeasureId, int PeriodId, string Reason, string CreatedByName, DateTime CreatedAt);
