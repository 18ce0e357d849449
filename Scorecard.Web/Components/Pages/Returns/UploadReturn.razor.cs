using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Returns;

/// <summary>
/// The upload page: choose the agency (admins) and quarter, pick the file, see the check and preview, add commentary,
/// confirm. The file's bytes stay in this circuit between preview and confirm and go through <see cref="ReturnImportService"/>
/// again on confirm, so what is stored is checked by exactly the path the preview used.
/// </summary>
public partial class UploadReturn
{
    [Inject] private ReturnImportService Imports { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "agency")] public int? AgencyId { get; set; }
    [SupplyParameterFromQuery(Name = "period")] public int? PeriodId { get; set; }

    private Actor actor = default!;
    private bool isAdmin;
    private bool denied;
    private string agencyName = "";
    private IReadOnlyList<AgencyRow> agencies = [];
    private IReadOnlyList<PeriodRow>? periods;
    private bool busy;
    private string busyText = "";
    private bool confirmAttempted;
    private string fileName = "";
    private byte[]? bytes;
    private ReturnImportResult? result;
    private Dictionary<string, string> commentary = [];

    private string MaxSizeLabel => $"{Imports.Options.MaxFileBytes / 1024d / 1024d:0.#} MB";

    private string? HistoryHref => AgencyId is { } a && PeriodId is { } p ? $"/returns/history/{a}/{p}" : null;

    protected override async Task OnInitializedAsync()
    {
        actor = await CurrentUser.GetActorAsync();
        isAdmin = actor.IsAdmin;
        if (!isAdmin)
        {
            // An agency user always sends for their own agency; an edited ?agency= is refused, not obeyed.
            if (AgencyId is { } requested && requested != actor.AgencyId)
            {
                denied = true;
                return;
            }
            AgencyId = actor.AgencyId;
            agencyName = (await CurrentUser.GetPrincipalAsync()).FindFirst(ScorecardClaims.AgencyName)?.Value ?? "";
        }
        else
        {
            agencies = (await Catalog.ListAgenciesAsync(actor)).Where(a => a.Active).ToList();
        }
        periods = (await Catalog.ListPeriodsAsync(actor)).Where(p => p.IsOpen).ToList();
        PeriodId ??= periods.FirstOrDefault()?.Id;
    }

    private Task AgencyChangedAsync(int? agencyId)
    {
        AgencyId = agencyId;
        Reset();
        return Task.CompletedTask;
    }

    private Task PeriodChangedAsync(int? periodId)
    {
        PeriodId = periodId;
        Reset();
        return Task.CompletedTask;
    }

    private void Reset()
    {
        result = null;
        bytes = null;
        confirmAttempted = false;
        commentary = [];
    }

    private async Task FileChosenAsync(IBrowserFile? file)
    {
        if (file is null || AgencyId is not { } agencyId || PeriodId is not { } periodId)
            return;
        Reset();
        fileName = file.Name;
        busy = true;
        busyText = $"Checking {file.Name}…";
        StateHasChanged();
        try
        {
            if (file.Size > Imports.Options.MaxFileBytes)
            {
                result = Imports.TooLarge(file.Size);
                return;
            }
            await using (var stream = file.OpenReadStream(Imports.Options.MaxFileBytes + 1))
                bytes = await Imports.ReadLimitedAsync(stream);
            if (bytes is null)
            {
                result = Imports.TooLarge(file.Size);
                return;
            }
            result = await Imports.PreviewAsync(actor, new ReturnUpload(agencyId, periodId, file.Name, bytes));
            commentary = result.Rows.ToDictionary(r => r.MeasureCode, r => r.Commentary, StringComparer.OrdinalIgnoreCase);
        }
        catch (AccessDeniedException)
        {
            denied = true;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ConfirmAsync()
    {
        if (bytes is null || result is null || AgencyId is not { } agencyId || PeriodId is not { } periodId)
            return;
        confirmAttempted = true;
        if (result.Rows.Any(r => r.NeedsCommentary && string.IsNullOrWhiteSpace(commentary.GetValueOrDefault(r.MeasureCode))))
            return;
        busy = true;
        busyText = "Saving the return…";
        StateHasChanged();
        try
        {
            var committed = await Imports.CommitAsync(actor, new ReturnUpload(agencyId, periodId, fileName, bytes, commentary));
            result = committed;
            if (committed.Status is ReturnImportStatus.Committed or ReturnImportStatus.Unchanged)
                bytes = null;
        }
        catch (AccessDeniedException)
        {
            denied = true;
        }
        finally
        {
            busy = false;
        }
    }
}
