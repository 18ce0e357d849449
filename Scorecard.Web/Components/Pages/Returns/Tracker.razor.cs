using Microsoft.AspNetCore.Components;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Returns;

/// <summary>The submission tracker; live: a return committed or rejected anywhere redraws it (issue 10 §1).</summary>
public partial class Tracker : LiveFiguresPage
{
    private static readonly int[] QuarterChoices = [4, 8, 12, 22];
    private static readonly SubmissionStatus[] LegendStatuses =
        [SubmissionStatus.OnTime, SubmissionStatus.Resubmitted, SubmissionStatus.Late, SubmissionStatus.Missing, SubmissionStatus.Awaited];

    [Inject] private ReturnQueries Returns { get; set; } = default!;

    private SubmissionMatrix? matrix;
    private int quarters = 8;
    private Sector? sector;
    private string? search;

    private TrackerPeriod Latest => matrix!.Periods[^1];

    private ReportingRates LatestRates => matrix!.RatesFor(Latest.PeriodId);

    private int OverdueAgencies => matrix!.Agencies.Count(a => a.IsOverdue);

    private int MissingReturns => matrix!.Agencies.Sum(a => a.MissingCount);

    /// <summary>The agencies matching the search box, made once per search or load (not per render: Virtualize keeps its place).</summary>
    private List<AgencySubmissions> VisibleAgencies { get; set; } = [];

    private string? Search
    {
        get => search;
        set
        {
            search = value;
            Filter();
        }
    }

    private void Filter() => VisibleAgencies = matrix is null ? []
        : string.IsNullOrWhiteSpace(search) ? matrix.Agencies.ToList()
        : matrix.Agencies.Where(a => a.AgencyName.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();

    private string ExportHref => $"/returns/tracker/export?quarters={quarters}&sector={Uri.EscapeDataString(sector.ToDb() ?? "")}";

    protected override Task OnInitializedAsync() => RefreshAsync();

    protected override async Task RefreshAsync()
    {
        var actor = await ViewerAsync();
        matrix = await Returns.GetSubmissionMatrixAsync(actor, new SubmissionMatrixRequest(quarters, sector), PageToken);
        Filter();
    }

    private async Task QuartersChangedAsync(int value)
    {
        quarters = value;
        await RefreshAsync();
    }

    /// <summary>The select's value is the sector's word ("" for every sector).</summary>
    private async Task SectorChangedAsync(string value)
    {
        sector = Sectors.Parse(value);
        await RefreshAsync();
    }

    private static string? CellDetail(SubmissionCell cell) => cell.FirstSubmittedAt is { } at
        ? $"first received {at.ToLocalTime():d MMM yyyy}{(cell.Versions > 1 ? $", {cell.Versions} versions" : "")}"
        : null;
}
