using Microsoft.AspNetCore.Components;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Catalog;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>A cycle: completion and timeliness, the heat map (self or moderated, searchable and filtered for 170
/// schools), the weakest standards, the comparison with the previous cycle and the optimism gap by agency.</summary>
public partial class CyclePage : AssurancePage
{
    [Parameter] public int CycleId { get; set; }

    [Inject] private SelfAssessmentQueries Queries { get; set; } = default!;

    private CycleView? view;
    private bool notFound;
    private CycleListItem? previous;
    private IReadOnlyList<CycleStandardComparison> comparison = [];
    private List<CycleAgencyRow> visible = [];
    private IReadOnlyList<Sector> sectorChoices = [];
    private IReadOnlyList<EducationPhase> phaseChoices = [];
    private string? search;
    private Sector? sector;
    private EducationPhase? phase;
    private SubmissionState? state;
    private bool moderatedView;

    private bool SeesAll => Viewer is { } v && AssuranceAccess.SeesAll(v);

    private int Submitted => view!.Agencies.Count(a => a.State is SubmissionState.SubmittedOnTime or SubmissionState.SubmittedLate);

    private int OnTime => view!.Agencies.Count(a => a.State == SubmissionState.SubmittedOnTime);

    private decimal? Completeness => view!.Agencies.Count == 0 ? null : (decimal)Submitted / view.Agencies.Count;

    /// <summary>As the returns tracker: on time ÷ expected, expected once the deadline has passed (before it, on time so far ÷ submitted).</summary>
    private decimal? Timeliness => view!.Agencies.Count == 0 ? null
        : view.Agencies.Any(a => a.State == SubmissionState.Missing) || Submitted == view.Agencies.Count
            ? (decimal)OnTime / view.Agencies.Count
            : Submitted == 0 ? null : (decimal)OnTime / Submitted;

    private string? Search
    {
        get => search;
        set
        {
            search = value;
            Filter();
        }
    }

    protected override Task OnParametersSetAsync() => GuardAsync(async () =>
    {
        var actor = await ViewerAsync();
        var cycles = await Queries.CyclesAsync(actor, PageToken);
        var here = cycles.FirstOrDefault(x => x.Id == CycleId);
        previous = here is null ? null : cycles.Where(x => x.FrameworkCode == here.FrameworkCode && x.OpensOn < here.OpensOn).MaxBy(x => x.OpensOn);
        view = await Queries.CycleAsync(actor, CycleId, previous?.Id, PageToken);
        notFound = view is null;
        if (view is null)
            return;
        var present = view.Agencies.Select(a => Sectors.Parse(a.Sector)).OfType<Sector>().ToHashSet();
        sectorChoices = Sectors.Values.Where(present.Contains).ToList();
        phaseChoices = view.Agencies.Where(a => a.Phase is not null).Select(a => a.Phase!.Value).Distinct().Order().ToList();
        comparison = view.Comparison;
        Filter();
    });

    /// <summary>The select's value is the sector's word ("" for every sector).</summary>
    private void SectorChanged(string value)
    {
        sector = Sectors.Parse(value);
        Filter();
    }

    private void PhaseChanged(EducationPhase? value)
    {
        phase = value;
        Filter();
    }

    private void StateChanged(SubmissionState? value)
    {
        state = value;
        Filter();
    }

    private void Filter()
    {
        if (view is null)
        {
            visible = [];
            return;
        }
        IEnumerable<CycleAgencyRow> rows = view.Agencies;
        if (!string.IsNullOrWhiteSpace(search))
            rows = rows.Where(a => a.Agency.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
        if (sector is { } chosen)
            rows = rows.Where(a => Sectors.Parse(a.Sector) == chosen);
        if (phase is { } p)
            rows = rows.Where(a => a.Phase == p);
        if (state is { } s)
            rows = rows.Where(a => a.State == s);
        visible = rows.ToList();
    }

    private string TitleOf(string code) => view?.Standards.FirstOrDefault(s => s.Code == code)?.Title ?? "";

    private string AgencyName(int agencyId) => view?.Agencies.FirstOrDefault(a => a.AgencyId == agencyId)?.Agency ?? $"Agency {agencyId}";

    public static string GapText(OptimismGap gap) => gap.Gap is { } g ? g.ToString("+0.00;−0.00;0.00") : "—";

    private static string ChangeWords(Change? change) => change switch
    {
        Change.Improved => "Improved",
        Change.Worse => "Worse",
        Change.Same => "Same",
        _ => "—",
    };
}
