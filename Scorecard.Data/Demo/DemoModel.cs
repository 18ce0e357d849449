using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Demo;

/// <summary>An agency of the demo partnership. <see cref="Key"/> is a stable slug used to link the other records.</summary>
public sealed record DemoAgency(string Key, string Name, string ShortName, string Sector, string PartnerType);

/// <summary>A partnership priority; measures belong to one.</summary>
public sealed record DemoPriority(string Code, string Title, string Description, int SortOrder);

/// <summary>A scorecard measure with its definition, polarity, target and benchmarks.</summary>
/// <param name="ReporterKeys">The agencies that send a value for this measure in their quarterly return.</param>
public sealed record DemoMeasure(
    string Code, string Title, string Definition, MeasureUnit Unit,
    string? NumeratorLabel, string? DenominatorLabel, Polarity Polarity,
    string PriorityCode, string OwnerAgencyKey,
    decimal? Target, decimal? AmberTolerance, int DecimalPlaces,
    decimal? EnglandValue, decimal? NeighbourValue, string BenchmarkNote,
    IReadOnlyList<string> ReporterKeys, int SortOrder, bool SuppressSmallNumbers = true);

/// <summary>A financial-year quarter: FiscalYear 2020 is 2020/21 and Q1 is April to June.</summary>
public sealed record DemoPeriod(int FiscalYear, int Quarter, DateOnly Start, DateOnly End, DateOnly Due);

/// <summary>One agency's accepted return for one quarter, and when it arrived.</summary>
public sealed record DemoReturn(string AgencyKey, int FiscalYear, int Quarter, DateTimeOffset SubmittedAt);

/// <summary>One value in a return. For ratio measures Value is computed from Numerator and Denominator.</summary>
public sealed record DemoValue(
    string MeasureCode, string AgencyKey, int FiscalYear, int Quarter,
    decimal? Numerator, decimal? Denominator, decimal Value, string Commentary);

/// <summary>A demo sign-in. Passwords are for the demo only and are shown in the README.</summary>
public sealed record DemoUser(string Email, string DisplayName, string Role, string? AgencyKey, string Password);

/// <summary>The signals deliberately planted in the demo values, so that tests and reviewers can find them.</summary>
public sealed record DemoSignals(
    string ShiftMeasureCode, int ShiftStartsAtIndex,
    string TrendMeasureCode, int TrendStartsAtIndex,
    string OutlierMeasureCode, int OutlierIndex,
    string NeverMetMeasureCode,
    string LateAgencyKey, int LateFromIndex, int MissingFromIndex);

public sealed record DemoPartnership(
    string Code, string Name, string ShortName,
    IReadOnlyList<DemoAgency> Agencies,
    IReadOnlyList<DemoPriority> Priorities,
    IReadOnlyList<DemoMeasure> Measures,
    IReadOnlyList<DemoPeriod> Periods,
    IReadOnlyList<DemoReturn> Returns,
    IReadOnlyList<DemoValue> Values,
    IReadOnlyList<DemoUser> Users,
    DemoSignals Signals);
