using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Performance;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Performance;

public partial class MeasurePage : LiveFiguresPage
{
    /// <summary>Quarters shown in the agency table (the chart shows them all).</summary>
    private const int RecentQuarters = 8;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public string Code { get; set; } = "";
    [SupplyParameterFromQuery(Name = "quarter")] public string? Quarter { get; set; }

    private MeasureDetail? detail;
    private bool notFound;
    private IReadOnlyList<ScorecardPeriod> allPeriods = [];
    private IReadOnlyList<ScorecardPeriod> recentPeriods = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private IReadOnlyList<(ScorecardPeriod Period, string Agency, string Text)> commentary = [];
    private IReadOnlyList<(ScorecardProcessChange Change, ScorecardPeriod Period)> changes = [];
    private IReadOnlyList<(ScorecardGhostedPoint Ghost, ScorecardPeriod Period)> ghosts = [];
    private bool canRecordChanges;
    private string? quarterError;

    protected override Task OnParametersSetAsync() => RefreshAsync();

    /// <summary>Builds the measure's view from the shared snapshot; the page keeps the view only.</summary>
    protected override async Task RefreshAsync()
    {
        var actor = await ViewerAsync();
        canRecordChanges = ProcessChangeCommands.CanRecord(actor);
        var snapshot = await SnapshotAsync(actor);
        var data = snapshot.Data;
        allPeriods = data.Periods.Reverse().ToList();
        // An unknown quarter in the URL falls back to the latest, rather than failing the page.
        (var quarter, quarterError) = ScorecardFilter.ParseQuarter(Quarter, data);
        detail = ScorecardViewBuilder.BuildMeasure(snapshot, actor, Code, quarter);
        notFound = detail is null;
        if (detail is null)
            return;
        var m = detail.Line.Measure;
        recentPeriods = detail.Periods.Skip(Math.Max(0, detail.Periods.Count - RecentQuarters)).ToList();
        // Keep only what is drawn: each agency's recent quarters (the table, small multiples and commentary show those),
        // not its whole history — 170 schools × 22 quarters held per viewer was most of a circuit (issue 10 §1).
        detail = detail with
        {
            Agencies = detail.Agencies
                .Select(s => s.Quarters.Count <= RecentQuarters ? s : s with { Quarters = s.Quarters.Skip(s.Quarters.Count - RecentQuarters).ToArray() })
                .ToArray(),
        };
        breadcrumbs =
        [
            new("Trends by priority", "/trends"),
            new($"{m.PriorityCode} {m.PriorityTitle}", $"/trends#priority-{m.PriorityCode}"),
            new(m.Title, null, disabled: true),
        ];
        var periodsById = data.Periods.ToDictionary(p => p.Id);
        changes = data.Changes.Where(c => c.MeasureId == m.Id && periodsById.ContainsKey(c.PeriodId))
            .Select(c => (c, periodsById[c.PeriodId]))
            .OrderBy(c => c.Item2.FiscalYear).ThenBy(c => c.Item2.Quarter)
            .ToList();
        ghosts = data.Ghosts.Where(g => g.MeasureId == m.Id && periodsById.ContainsKey(g.PeriodId))
            .Select(g => (g, periodsById[g.PeriodId]))
            .OrderBy(g => g.Item2.FiscalYear).ThenBy(g => g.Item2.Quarter)
            .ToList();
        commentary = detail.Agencies
            .SelectMany(s => s.Quarters.Where(q => !string.IsNullOrWhiteSpace(q.Commentary) && recentPeriods.Contains(q.Period))
                .Select(q => (q.Period, s.Agency.Name, q.Commentary)))
            .OrderByDescending(c => c.Period.FiscalYear).ThenByDescending(c => c.Period.Quarter).ThenBy(c => c.Name)
            .ToList();
    }
}
