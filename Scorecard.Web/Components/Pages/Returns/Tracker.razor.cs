using Microsoft.AspNetCore.Components;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Returns;

public partial class Tracker
{
    private const string AllSectors = "";
    private static readonly int[] QuarterChoices = [4, 8, 12, 22];
    private static readonly SubmissionStatus[] LegendStatuses =
        [SubmissionStatus.OnTime, SubmissionStatus.Resubmitted, SubmissionStatus.Late, SubmissionStatus.Missing, SubmissionStatus.Awaited];

    [Inject] private ReturnQueries Returns { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    private SubmissionMatrix? matrix;
    private int quarters = 8;
    private string sector = AllSectors;
    private string? search;

    private TrackerPeriod Latest => matrix!.Periods[^1];

    private ReportingRates LatestRates => matrix!.RatesFor(Latest.PeriodId);

    private int OverdueAgencies => matrix!.Agencies.Count(a => a.IsOverdue);

    private int MissingReturns => matrix!.Agencies.Sum(a => a.MissingCount);

    private IEnumerable<AgencySubmissions> VisibleAgencies => string.IsNullOrWhiteSpace(search)
        ? matrix!.Agencies
        : matrix!.Agencies.Where(a => a.AgencyName.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));

    private string ExportHref => $"/returns/tracker/export?quarters={quarters}&sector={Uri.EscapeDataString(sector)}";

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        matrix = await Returns.GetSubmissionMatrixAsync(actor, new SubmissionMatrixRequest(quarters, sector));
    }

    private async Task QuartersChangedAsync(int value)
    {
        quarters = value;
        await LoadAsync();
    }

    private async Task SectorChangedAsync(string value)
    {
        sector = value ?? AllSectors;
        await LoadAsync();
    }

    private static string? CellDetail(SubmissionCell cell) => cell.FirstSubmittedAt is { } at
        ? $"first received {at.ToLocalTime():d MMM yyyy}{(cell.Versions > 1 ? $", {cell.Versions} versions" : "")}"
        : null;
}
