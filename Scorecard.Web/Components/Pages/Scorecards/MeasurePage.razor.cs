using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Analytics;
using Scorecard.Data.Scorecard;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Scorecards;

public partial class MeasurePage
{
    /// <summary>Quarters shown in the agency table (the chart shows them all).</summary>
    private const int RecentQuarters = 8;

    [Inject] private ScorecardQueries Queries { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public string Code { get; set; } = "";
    [SupplyParameterFromQuery(Name = "quarter")] public string? Quarter { get; set; }

    private MeasureDetail? detail;
    private bool notFound;
    private IReadOnlyList<ScorecardPeriod> allPeriods = [];
    private IReadOnlyList<ScorecardPeriod> recentPeriods = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private IReadOnlyList<(ScorecardPeriod Period, string Agency, string Text)> commentary = [];

    protected override async Task OnParametersSetAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        var data = await Queries.LoadAsync(actor);
        allPeriods = data.Periods.Reverse().ToList();
        // An unknown quarter in the URL falls back to the latest, rather than failing the page.
        var quarter = data.Periods.Any(p => string.Equals(p.Key, Quarter, StringComparison.OrdinalIgnoreCase)) ? Quarter : null;
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
        commentary = detail.Agencies
            .SelectMany(s => s.Quarters.Where(q => !string.IsNullOrWhiteSpace(q.Commentary) && recentPeriods.Contains(q.Period))
                .Select(q => (q.Period, s.Agency.Name, q.Commentary)))
            .OrderByDescending(c => c.Period.FiscalYear).ThenByDescending(c => c.Period.Quarter).ThenBy(c => c.Name)
            .ToList();
    }

    private string AgencyUrl(ScorecardAgency agency) =>
        $"/scorecard/agencies/{agency.Id}?quarter={detail?.Line.Current.Period.Key}#measure-{Uri.EscapeDataString(detail?.Line.Measure.Code ?? "")}";

    private static string AgencyValue(AgencyFigure q, ScorecardMeasure m) =>
        q.Status != "received" ? (q.Status == "missing" ? "Missing" : "Awaited")
        : q.Suppressed ? SmallNumbers.Suppressed
        : FigureFormat.Value(q.Value, m.Unit, m.DecimalPlaces);
}
