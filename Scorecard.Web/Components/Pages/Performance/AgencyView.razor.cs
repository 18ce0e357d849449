using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Performance;

/// <summary>One agency's measures across quarters: the executive's "how is this partner doing".</summary>
public partial class AgencyView : LiveFiguresPage
{
    private const int QuartersShown = 8;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public int AgencyId { get; set; }
    [SupplyParameterFromQuery(Name = "quarter")] public string? Quarter { get; set; }

    private ScorecardView? view;
    private ScorecardAgency? agency;
    private IReadOnlyList<ScorecardPeriod> quarters = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private bool denied, notFound, canOpenReturns;
    private string? quarterError;

    protected override Task OnParametersSetAsync() => RefreshAsync();

    /// <summary>Builds the agency's view from the shared snapshot; the page keeps the view only.</summary>
    protected override async Task RefreshAsync()
    {
        var actor = await ViewerAsync();
        var snapshot = await SnapshotAsync(actor);
        var data = snapshot.Data;
        agency = data.Agencies.FirstOrDefault(a => a.Id == AgencyId);
        notFound = agency is null;
        if (agency is null)
            return;
        canOpenReturns = actor.CanSeeAgency(agency.Id);
        (var quarter, quarterError) = ScorecardFilter.ParseQuarter(Quarter, data);
        try
        {
            view = ScorecardViewBuilder.Build(snapshot, actor, new ScorecardScope(AgencyId: agency.Id), quarter);
        }
        catch (AccessDeniedException)
        {
            denied = true;
            return;
        }
        var history = view.Lines.FirstOrDefault()?.History.Select(h => h.Period).ToList() ?? [];
        quarters = history.Skip(Math.Max(0, history.Count - QuartersShown)).ToList();
        breadcrumbs = [new("Scorecard", "/scorecard"), new(agency.Name, null, disabled: true)];
    }
}
