using Scorecard.Data.Analytics;
using Scorecard.Data.Common;

namespace Scorecard.Data.Catalog;

/// <summary>An agency's sector (design.md, Data model). Stored as its lower-case name (<see cref="Common.DbEnum"/>).</summary>
public enum Sector { Council, Police, Health, Education, Justice, Voluntary, Other }

/// <summary>Whether an agency is one of the three statutory safeguarding partners or a relevant agency (Working Together 2023).</summary>
public enum PartnerType { Statutory, Relevant }

public static class PartnerTypes
{
    /// <summary>How the pages name a partner type: "Statutory partner", "Relevant agency".</summary>
    public static string Label(PartnerType type) => type == PartnerType.Statutory ? "Statutory partner" : "Relevant agency";

    /// <summary>The partner type a word names (its stored name, any case), or null.</summary>
    public static PartnerType? Parse(string? word) =>
        Common.DbEnum.TryParse<PartnerType>(word?.Trim().ToLowerInvariant(), out var type) ? type : null;
}

public static class Sectors
{
    /// <summary>The stored names, for pages and queries not yet moved to <see cref="Sector"/>.</summary>
    public static readonly IReadOnlyList<string> All = Common.DbEnum.All<Sector>().Select(s => Common.DbEnum.ToDb(s)).ToList();

    /// <summary>Every sector in the catalogue's order.</summary>
    public static IReadOnlyList<Sector> Values => Common.DbEnum.All<Sector>();

    public static string Label(Sector sector) => Label(Common.DbEnum.ToDb(sector));

    /// <summary>The sector a word names (its stored name, any case, e.g. a URL's <c>sector=health</c>), or null.</summary>
    public static Sector? Parse(string? word) =>
        Common.DbEnum.TryParse<Sector>(word?.Trim().ToLowerInvariant(), out var sector) ? sector : null;

    public static string Label(string sector) => sector switch
    {
        "council" => "Local authority",
        "police" => "Police",
        "health" => "Health",
        "education" => "Education",
        "justice" => "Criminal justice",
        "voluntary" => "Voluntary sector",
        _ => "Other",
    };
}

/// <summary>How a measure's value is expressed. Stored as count, percent, rate_per_10k, days or score (see <see cref="Common.DbEnum"/>).</summary>
public enum MeasureUnit
{
    Count,
    Percent,
    RatePer10k,
    Days,
    Score,

    /// <summary>Dapper reads text into an enum with <c>Enum.Parse</c> and ignores type handlers for enums, so the one
    /// stored name that is not the member's name ignoring case is declared as an alias here. Never use it in code.</summary>
    [Obsolete("The stored name, for Dapper only: use RatePer10k.")]
    rate_per_10k = RatePer10k,
}

public static class Units
{
    public static IReadOnlyList<MeasureUnit> All => DbEnum.All<MeasureUnit>();

    public static string Label(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Percent => "%",
        MeasureUnit.RatePer10k => "Rate per 10,000",
        MeasureUnit.Count => "Count",
        MeasureUnit.Days => "Days",
        MeasureUnit.Score => "Score",
        _ => unit.ToDb(),
    };

    /// <summary>What a ratio's numerator over denominator is multiplied by to give the value.</summary>
    public static decimal Scale(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Percent => 100m,
        MeasureUnit.RatePer10k => 10_000m,
        _ => 1m,
    };

    /// <summary>A measure is a ratio when it has numerator and denominator labels (the schema requires both or neither,
    /// and never for a count). The one definition every row's <c>IsRatio</c> uses.</summary>
    public static bool IsRatio(string? numeratorLabel, string? denominatorLabel) => numeratorLabel is not null && denominatorLabel is not null;
}

public static class Polarities
{
    public static IReadOnlyList<Polarity> All => DbEnum.All<Polarity>();

    public static string Label(Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => "Higher is better",
        Polarity.LowerIsBetter => "Lower is better",
        _ => "Neutral (context only)",
    };
}

public sealed record AgencyRow(int Id, string Name, string ShortName, string Sector, string PartnerType, bool Active, int MeasureCount, int UserCount);

public sealed record AgencyInput(string Name, string ShortName, string Sector, string PartnerType);

public sealed record PriorityRow(int Id, string Code, string Title, string Description, int SortOrder, bool Active, int MeasureCount);

public sealed record PriorityInput(string Code, string Title, string Description, int SortOrder);

public sealed record MeasureRow(
    int Id, string Code, string Title, string Definition, MeasureUnit Unit, string? NumeratorLabel, string? DenominatorLabel,
    Polarity Polarity, int PriorityId, string PriorityTitle, int OwnerAgencyId, string OwnerAgencyName,
    decimal? Target, decimal? AmberTolerance, short DecimalPlaces, decimal? EnglandValue, decimal? NeighbourValue,
    string BenchmarkNote, int SortOrder, bool Active, int ReporterCount, bool SuppressSmallNumbers = true)
{
    public bool IsRatio => Units.IsRatio(NumeratorLabel, DenominatorLabel);
}

/// <summary>Every field of a measure that an admin edits, with the agencies that report it.</summary>
public sealed record MeasureInput(
    string Code, string Title, string Definition, MeasureUnit Unit, string? NumeratorLabel, string? DenominatorLabel,
    Polarity Polarity, int? PriorityId, int? OwnerAgencyId, decimal? Target, decimal? AmberTolerance, int DecimalPlaces,
    decimal? EnglandValue, decimal? NeighbourValue, string BenchmarkNote, int SortOrder, bool Active, IReadOnlyList<int> ReporterIds,
    bool SuppressSmallNumbers = true);

public sealed record PeriodRow(int Id, int FiscalYear, int Quarter, DateOnly StartDate, DateOnly EndDate, DateOnly DueDate, bool IsOpen, int ReturnCount)
{
    public string Label => PeriodLabels.Format(FiscalYear, Quarter);
}

public sealed record PeriodInput(int FiscalYear, int Quarter, DateOnly DueDate, bool IsOpen);

public static class PeriodLabels
{
    /// <summary>"2024/25 Q3": financial years run April to March.</summary>
    public static string Format(int fiscalYear, int quarter) => $"{fiscalYear}/{(fiscalYear + 1) % 100:00} Q{quarter}";

    /// <summary>The quarter after the given one (Q4 is followed by Q1 of the next financial year).</summary>
    public static (int FiscalYear, int Quarter) Next(int fiscalYear, int quarter) =>
        quarter >= 4 ? (fiscalYear + 1, 1) : (fiscalYear, quarter + 1);

    public static (DateOnly Start, DateOnly End) Dates(int fiscalYear, int quarter)
    {
        var start = new DateOnly(fiscalYear, 4, 1).AddMonths(3 * (quarter - 1));
        return (start, start.AddMonths(3).AddDays(-1));
    }

    /// <summary>The default return due date: 20 working days (Monday to Friday) after the quarter ends.</summary>
    public static DateOnly DefaultDueDate(DateOnly quarterEnd)
    {
        var d = quarterEnd;
        for (var worked = 0; worked < 20;)
        {
            d = d.AddDays(1);
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                worked++;
        }
        return d;
    }
}
