using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Performance;

public partial class MeasurePage
{
    /// <summary>Quarters shown in the agency table (the chart shows them all).</summary>
    private const int RecentQuarters = 8;

    [Inject] private ScorecardQueries Queries { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ProcessChangeCommands ProcessChanges { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public string Code { get; set; } = "";
    [SupplyParameterFromQuery(Name = "quarter")] public string? Quarter { get; set; }

    private MeasureDetail? detail;
    private bool notFound;
    private IReadOnlyList<ScorecardPeriod> allPeriods = [];
    private IReadOnlyList<ScorecardPeriod> recentPeriods = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private IReadOnlyList<(ScorecardPeriod Period, string Agency, string Text)> commentary = [];
    private IReadOnlyList<(ScorecardProcessChange Change, ScorecardPeriod Period)> changes = [];
    private bool canRecordChanges;
    private string? changeQuarter;
    private string changeReason = "";
    private readonly FormErrors changeErrors = new();
    private bool savingChange;
    private string? quarterError;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        canRecordChanges = ProcessChangeCommands.CanRecord(actor);
        var data = await Queries.LoadAsync(actor);
        allPeriods = data.Periods.Reverse().ToList();
        // An unknown quarter in the URL falls back to the latest, rather than failing the page.
        (var quarter, quarterError) = ScorecardFilter.ParseQuarter(Quarter, data);
        detail = ScorecardBuilder.BuildMeasure(data, actor, Code, quarter);
        notFound = detail is null;
        if (detail is null)
            return;
        var m = detail.Line.Measure;
        recentPeriods = detail.Periods.Skip(Math.Max(0, detail.Periods.Count - RecentQuarters)).ToList();
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
        commentary = detail.Agencies
            .SelectMany(s => s.Quarters.Where(q => !string.IsNullOrWhiteSpace(q.Commentary) && recentPeriods.Contains(q.Period))
                .Select(q => (q.Period, s.Agency.Name, q.Commentary)))
            .OrderByDescending(c => c.Period.FiscalYear).ThenByDescending(c => c.Period.Quarter).ThenBy(c => c.Name)
            .ToList();
    }

    private async Task RecordChangeAsync()
    {
        if (detail is null)
            return;
        savingChange = true;
        try
        {
            var actor = await CurrentUser.GetActorAsync();
            var period = detail.Periods.FirstOrDefault(p => p.Key == changeQuarter);
            if (period is null)
            {
                changeErrors.Set([new("Quarter", "Choose the first quarter of the changed process.")]);
                return;
            }
            var result = await ProcessChanges.AddAsync(actor, detail.Line.Measure.Id, period.Id, changeReason);
            changeErrors.Set(result.Errors);
            if (result.Succeeded)
            {
                Snackbar.Add($"Limits recalculated from {period.Label}.", Severity.Success);
                (changeQuarter, changeReason) = (null, "");
                await LoadAsync();
            }
        }
        finally
        {
            savingChange = false;
        }
    }

    private async Task RemoveChangeAsync(ScorecardProcessChange change)
    {
        var actor = await CurrentUser.GetActorAsync();
        var result = await ProcessChanges.RemoveAsync(actor, change.Id);
        if (result.Succeeded)
            Snackbar.Add("Process change removed: the limits run on as before.", Severity.Success);
        else
            Snackbar.Add(result.Errors[0].Message, Severity.Warning);
        await LoadAsync();
    }

    private string AgencyUrl(ScorecardAgency agency) =>
        $"/scorecard/agencies/{agency.Id}?quarter={detail?.Line.Current.Period.Key}#measure-{Uri.EscapeDataString(detail?.Line.Measure.Code ?? "")}";

    private static string AgencyValue(AgencyFigure q, ScorecardMeasure m) =>
        q.Status != FigureStatus.Received ? (q.Status == FigureStatus.Missing ? "Missing" : "Awaited")
        : q.Suppressed ? SmallNumbers.Suppressed
        : FigureFormat.Value(q.Value, m.Unit, m.DecimalPlaces);
}
