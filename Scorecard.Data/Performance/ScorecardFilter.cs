using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// The filters a chair uses live in a meeting, kept in the URL so that a link shows the same view:
/// <c>?priority=P1&amp;agency=12&amp;sector=health&amp;rag=red,amber&amp;exceptions=true&amp;quarter=2025-Q2</c>.
/// </summary>
public sealed record ScorecardFilter(
    string? Priority = null, int? AgencyId = null, Sector? Sector = null,
    IReadOnlyList<RagStatus>? Rag = null, bool ExceptionsOnly = false, string? Quarter = null)
{
    public static readonly ScorecardFilter None = new();

    public IReadOnlyList<RagStatus> RagStatuses => Rag ?? [];

    public ScorecardScope Scope => new(AgencyId, AgencyId is null ? Sector : null);

    public static readonly IReadOnlyDictionary<string, RagStatus> RagNames = new Dictionary<string, RagStatus>(StringComparer.OrdinalIgnoreCase)
    {
        ["red"] = RagStatus.Red, ["amber"] = RagStatus.Amber, ["green"] = RagStatus.Green,
        ["grey"] = RagStatus.NoTarget, ["context"] = RagStatus.Context, ["nodata"] = RagStatus.NoData,
    };

    public static string RagName(RagStatus status) => RagNames.First(kv => kv.Value == status).Key;

    /// <summary>
    /// Reads the filters from URL parameters, checking each against the partnership's catalogue. A value that does not
    /// fit is dropped and reported in plain words, so a mistyped link still shows a scorecard and says what was ignored.
    /// </summary>
    public static (ScorecardFilter Filter, IReadOnlyList<string> Errors) Parse(
        string? priority, string? agency, string? sector, string? rag, string? exceptions, string? quarter, ScorecardData data)
    {
        var errors = new List<string>();
        string? priorityCode = null;
        if (!string.IsNullOrWhiteSpace(priority))
        {
            priorityCode = data.Measures.Select(m => m.PriorityCode).FirstOrDefault(c => string.Equals(c, priority.Trim(), StringComparison.OrdinalIgnoreCase));
            if (priorityCode is null)
                errors.Add($"There is no priority \"{priority}\"; showing every priority.");
        }

        int? agencyId = null;
        if (!string.IsNullOrWhiteSpace(agency))
        {
            if (int.TryParse(agency, out var id) && data.Agencies.Any(a => a.Id == id))
                agencyId = id;
            else
                errors.Add($"There is no agency \"{agency}\"; showing the partnership.");
        }

        Sector? sectorName = null;
        if (!string.IsNullOrWhiteSpace(sector))
        {
            // Today's words, in any case: sector=health, sector=Council.
            sectorName = Sectors.Parse(sector);
            if (sectorName is null)
                errors.Add($"There is no sector \"{sector}\"; showing every sector.");
        }

        var statuses = new List<RagStatus>();
        foreach (var part in (rag ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RagNames.TryGetValue(part, out var status))
            {
                if (!statuses.Contains(status))
                    statuses.Add(status);
            }
            else
            {
                errors.Add($"\"{part}\" is not a RAG status (use red, amber, green, grey, context or nodata).");
            }
        }

        var exceptionsOnly = false;
        if (!string.IsNullOrWhiteSpace(exceptions) && !bool.TryParse(exceptions, out exceptionsOnly))
            errors.Add($"\"{exceptions}\" is not true or false for exceptions only.");

        var (quarterKey, quarterError) = ParseQuarter(quarter, data);
        if (quarterError is not null)
            errors.Add(quarterError);

        return (new ScorecardFilter(priorityCode, agencyId, sectorName, statuses, exceptionsOnly, quarterKey), errors);
    }

    /// <summary>
    /// A quarter named in a URL (2025-Q2): its key, or null and what to tell the user when the partnership has no such
    /// quarter (the page then shows the latest). No quarter asked for is no error.
    /// </summary>
    public static (string? Key, string? Error) ParseQuarter(string? asked, ScorecardData data)
    {
        if (string.IsNullOrWhiteSpace(asked))
            return (null, null);
        var key = data.Periods.FirstOrDefault(p => string.Equals(p.Key, asked.Trim(), StringComparison.OrdinalIgnoreCase))?.Key;
        return key is null
            ? (null, $"There is no quarter \"{asked}\" (use the form 2025-Q2 for 2025/26 Q2); showing the latest quarter.")
            : (key, null);
    }

    /// <summary>The URL query for this filter, without empty parts (the inverse of <see cref="Parse"/>).</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        if (Priority is not null) parts.Add($"priority={Uri.EscapeDataString(Priority)}");
        if (AgencyId is not null) parts.Add($"agency={AgencyId}");
        else if (Sector is { } s) parts.Add($"sector={Uri.EscapeDataString(s.ToDb())}");
        if (RagStatuses.Count > 0) parts.Add($"rag={string.Join(',', RagStatuses.Select(RagName))}");
        if (ExceptionsOnly) parts.Add("exceptions=true");
        if (Quarter is not null) parts.Add($"quarter={Uri.EscapeDataString(Quarter)}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The rows of a built scorecard that pass the priority, RAG and exceptions filters.</summary>
    public IReadOnlyList<ScorecardLine> Apply(IEnumerable<ScorecardLine> lines) => lines
        .Where(l => Priority is null || l.Measure.PriorityCode == Priority)
        .Where(l => RagStatuses.Count == 0 || RagStatuses.Contains(l.Current.Rag))
        .Where(l => !ExceptionsOnly || l.IsException)
        .ToList();

    /// <summary>Plain words for the filters in use, for the export and the page heading.</summary>
    public string Describe(ScorecardData data, ScorecardPeriod? period)
    {
        var parts = new List<string> { period is null ? "no quarter" : period.Label };
        parts.Add(AgencyId is { } id ? data.Agencies.First(a => a.Id == id).Name : Sector is { } sector ? $"{Sectors.Label(sector)} sector" : "whole partnership");
        if (Priority is not null) parts.Add($"priority {Priority}");
        if (RagStatuses.Count > 0) parts.Add("RAG " + string.Join(", ", RagStatuses.Select(Analytics.Rag.ShortLabel)));
        if (ExceptionsOnly) parts.Add("exceptions only");
        return string.Join("; ", parts);
    }
}
