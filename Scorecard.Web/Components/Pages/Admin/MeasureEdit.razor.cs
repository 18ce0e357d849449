using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Web.Auth;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Web.Components.Pages.Admin;

/// <summary>Creates or edits a measure: every field of the catalogue and the agencies that report it.</summary>
public partial class MeasureEdit
{
    [Parameter] public int? MeasureId { get; set; }

    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private MeasureCommands Measures { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private readonly FormErrors errors = new();
    private MeasureForm form = new();
    private IReadOnlyList<PriorityRow> priorities = [];
    private IReadOnlyList<AgencyRow> agencies = [];
    private string originalTitle = "";
    private Sector? sectorToAdd;
    private bool loading = true, notFound, saving;
    private List<BreadcrumbItem> breadcrumbs = [];

    private sealed class MeasureForm
    {
        public string Code { get; set; } = "";
        public string Title { get; set; } = "";
        public string Definition { get; set; } = "";
        public MeasureUnit Unit { get; set; } = MeasureUnit.Percent;
        public string? NumeratorLabel { get; set; }
        public string? DenominatorLabel { get; set; }
        public Polarity Polarity { get; set; } = Polarity.HigherIsBetter;
        public int? PriorityId { get; set; }
        public int? OwnerAgencyId { get; set; }
        public decimal? Target { get; set; }
        public decimal? AmberTolerance { get; set; }
        public int DecimalPlaces { get; set; } = 1;
        public decimal? EnglandValue { get; set; }
        public decimal? NeighbourValue { get; set; }
        public string BenchmarkNote { get; set; } = "";
        public int SortOrder { get; set; }
        public bool Active { get; set; } = true;
        public bool SuppressSmallNumbers { get; set; } = true;
        public IReadOnlyCollection<int> Reporters { get; set; } = new HashSet<int>();

        public static MeasureForm From(MeasureRow m, IEnumerable<int> reporters) => new()
        {
            Code = m.Code, Title = m.Title, Definition = m.Definition, Unit = m.Unit, NumeratorLabel = m.NumeratorLabel,
            DenominatorLabel = m.DenominatorLabel, Polarity = m.Polarity, PriorityId = m.PriorityId, OwnerAgencyId = m.OwnerAgencyId,
            Target = m.Target, AmberTolerance = m.AmberTolerance, DecimalPlaces = m.DecimalPlaces, EnglandValue = m.EnglandValue,
            NeighbourValue = m.NeighbourValue, BenchmarkNote = m.BenchmarkNote, SortOrder = m.SortOrder, Active = m.Active,
            SuppressSmallNumbers = m.SuppressSmallNumbers, Reporters = reporters.ToHashSet(),
        };

        public MeasureInput ToInput() => new(Code, Title, Definition, Unit, NumeratorLabel, DenominatorLabel,
            Polarity, PriorityId, OwnerAgencyId, Target, AmberTolerance, DecimalPlaces, EnglandValue,
            NeighbourValue, BenchmarkNote, SortOrder, Active, Reporters.ToList(), SuppressSmallNumbers);
    }

    protected override async Task OnParametersSetAsync()
    {
        loading = true;
        var actor = await CurrentUser.GetActorAsync();
        priorities = await Catalog.ListPrioritiesAsync(actor);
        agencies = await Catalog.ListAgenciesAsync(actor);
        if (MeasureId is { } id)
        {
            var m = await Catalog.GetMeasureAsync(actor, id);
            notFound = m is null;
            if (m is not null)
            {
                originalTitle = m.Title;
                form = MeasureForm.From(m, await Catalog.ListReporterIdsAsync(actor, id));
            }
        }
        breadcrumbs = [new("Measures", "/measures"), new(MeasureId is null ? "New measure" : form.Code, null, disabled: true)];
        loading = false;
    }

    /// <summary>Schools are many: every active agency but the schools may own a measure, and a school that already owns this one stays listed.</summary>
    private IEnumerable<AgencyRow> OwnerChoices =>
        agencies.Where(a => a.Active && Sectors.Parse(a.Sector) != Sector.Education)
            .Concat(agencies.Where(a => a.Active && Sectors.Parse(a.Sector) == Sector.Education && a.Id == form.OwnerAgencyId));

    private void AddSector()
    {
        form.Reporters = form.Reporters.Union(agencies.Where(a => a.Active && Sectors.Parse(a.Sector) == sectorToAdd).Select(a => a.Id)).ToHashSet();
    }

    private async Task SaveAsync()
    {
        saving = true;
        try
        {
            var actor = await CurrentUser.GetActorAsync();
            var input = form.ToInput();
            var result = MeasureId is { } id ? await Measures.UpdateAsync(actor, id, input) : await Measures.CreateAsync(actor, input);
            errors.Set(result.Errors);
            if (result.Succeeded)
            {
                Snackbar.Add($"Measure {input.Code.Trim().ToUpperInvariant()} saved.", Severity.Success);
                Navigation.NavigateTo("/measures");
            }
        }
        finally
        {
            saving = false;
        }
    }
}
