using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Performance;

public partial class ScorecardPage : LiveFiguresPage
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "priority")] public string? PriorityParameter { get; set; }
    [SupplyParameterFromQuery(Name = "agency")] public string? AgencyParameter { get; set; }
    [SupplyParameterFromQuery(Name = "sector")] public string? SectorParameter { get; set; }
    [SupplyParameterFromQuery(Name = "rag")] public string? RagParameter { get; set; }
    [SupplyParameterFromQuery(Name = "exceptions")] public string? ExceptionsParameter { get; set; }
    [SupplyParameterFromQuery(Name = "quarter")] public string? QuarterParameter { get; set; }

    private Actor? actor;
    private ScorecardView? view;
    private string description = "Loading…";
    private string? scopeAgencyName;
    private IReadOnlyList<ScorecardLine> lines = [];
    private string tableHtml = "";
    private IReadOnlyList<ScorecardPriority> priorities = [];
    private IReadOnlyList<ScorecardAgency> reportingAgencies = [];
    private IReadOnlyList<string> filterErrors = [];
    private bool isAgencyUser;

    private ScorecardFilter Filter { get; set; } = ScorecardFilter.None;

    protected override Task OnParametersSetAsync() => RefreshAsync();

    /// <summary>Builds the view for the URL's filters from the shared snapshot; the page keeps the view only.</summary>
    protected override async Task RefreshAsync()
    {
        actor = await ViewerAsync();
        isAgencyUser = actor.Role == Role.AgencyUser;
        var snapshot = await SnapshotAsync(actor);
        var data = snapshot.Data;
        priorities = snapshot.Priorities;
        reportingAgencies = snapshot.ReportingAgencies;

        var (filter, errors) = ScorecardFilter.Parse(PriorityParameter, AgencyParameter, SectorParameter, RagParameter, ExceptionsParameter, QuarterParameter, data);
        var messages = errors.ToList();
        if (isAgencyUser && (filter.Sector is not null || (filter.AgencyId is { } id && id != actor.AgencyId)))
        {
            messages.Add("You can see the partnership's figures and your own agency's; showing the partnership.");
            filter = filter with { AgencyId = null, Sector = null };
        }
        Filter = filter;
        filterErrors = messages;
        view = ScorecardViewBuilder.Build(snapshot, actor, filter.Scope, filter.Quarter);
        description = filter.Describe(data, view.Period);
        scopeAgencyName = filter.AgencyId is { } agencyId ? data.Agencies.FirstOrDefault(a => a.Id == agencyId)?.Name : null;
        lines = filter.Apply(view.Lines);
        var windowPeriods = view.Lines.FirstOrDefault()?.Window.Select(f => f.Period).ToList() ?? [];
        var key = $"{ScorecardTable.ViewerClass(actor)}|{view.Period?.Key}|{filter.ToQueryString()}";
        tableHtml = lines.Count == 0 ? "" : ScorecardTable.Html(snapshot, key, lines, windowPeriods, priorities, view.Period?.Key);
    }

    private void Apply(ScorecardFilter filter) => Navigation.NavigateTo("/scorecard" + filter.ToQueryString());

    private string ScopeValue => Filter.AgencyId is { } id ? $"agency:{id}" : Filter.Sector is { } s ? $"sector:{s.ToDb()}" : "";

    private void ChangeScope(string? value)
    {
        value ??= "";
        if (value.StartsWith("agency:", StringComparison.Ordinal) && int.TryParse(value[7..], out var id))
            Apply(Filter with { AgencyId = id, Sector = null });
        else if (value.StartsWith("sector:", StringComparison.Ordinal) && Sectors.Parse(value[7..]) is { } sector)
            Apply(Filter with { AgencyId = null, Sector = sector });
        else
            Apply(Filter with { AgencyId = null, Sector = null });
    }

    /// <summary>Every scope a chair can pick: the partnership, each sector, each reporting agency, matched on their words.</summary>
    private Task<IEnumerable<string>> SearchScopesAsync(string? text, CancellationToken ct)
    {
        var all = new[] { "" }
            .Concat(Sectors.All.Select(s => $"sector:{s}"))
            .Concat(reportingAgencies.Select(a => $"agency:{a.Id}"));
        var words = (text ?? "").Trim();
        // An unchanged box (the current choice's own label) lists everything, as a select would.
        if (words.Length == 0 || words == ScopeLabel(ScopeValue))
            return Task.FromResult(all);
        return Task.FromResult(all.Where(k => ScopeLabel(k).Contains(words, StringComparison.OrdinalIgnoreCase)));
    }

    private string ScopeLabel(string? key)
    {
        if (string.IsNullOrEmpty(key))
            return "Whole partnership";
        if (key.StartsWith("sector:", StringComparison.Ordinal))
            return $"Sector: {Sectors.Label(key[7..])}";
        if (!int.TryParse(key.AsSpan(7), out var id))
            return key;
        return reportingAgencies.FirstOrDefault(a => a.Id == id)?.Name ?? (id == Filter.AgencyId ? scopeAgencyName : null) ?? key;
    }

    private static readonly RagStatus[] RagChoices = [RagStatus.Red, RagStatus.Amber, RagStatus.Green, RagStatus.NoTarget, RagStatus.Context, RagStatus.NoData];

    private void ToggleRag(RagStatus rag, bool on)
    {
        var chosen = Filter.RagStatuses.Where(r => r != rag).ToList();
        if (on)
            chosen.Add(rag);
        Apply(Filter with { Rag = RagChoices.Where(chosen.Contains).ToList() });
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private string ExportUrl => "/scorecard/export" + (Filter with { Quarter = view?.Period?.Key }).ToQueryString();
}
