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

    // Strings, parsed here: an unparsable value is reported on the page, never a binding failure (issue 8 §3).
    [SupplyParameterFromQuery(Name = "agency")] public string? AgencyParameter { get; set; }
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodParameter { get; set; }

    private int? AgencyId { get; set; }
    private int? PeriodId { get; set; }
    private readonly List<string> parameterMessages = [];

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
        var requestedAgency = Parse(AgencyParameter, "agency", "an agency");
        var requestedPeriod = Parse(PeriodParameter, "period", "a quarter");
        if (!isAdmin)
        {
            // An agency user always sends for their own agency; an edited ?agency= is refused, not obeyed.
            if (requestedAgency is { } requested && requested != actor.AgencyId)
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
            if (requestedAgency is { } requested && agencies.All(a => a.Id != requested))
                parameterMessages.Add($"There is no agency {requested} in this partnership that can send returns. Choose the agency below.");
            else
                AgencyId = requestedAgency;
        }
        var allPeriods = await Catalog.ListPeriodsAsync(actor);
        periods = allPeriods.Where(p => p.IsOpen).ToList();
        if (requestedPeriod is { } period)
        {
            if (periods.Any(p => p.Id == period))
                PeriodId = period;
            else if (allPeriods.FirstOrDefault(p => p.Id == period) is { } closed)
                parameterMessages.Add($"{closed.Label} is closed for returns. Choose an open quarter below.");
            else
                parameterMessages.Add($"There is no quarter {period}. Choose the quarter below.");
        }
        PeriodId ??= periods.FirstOrDefault()?.Id;
    }

    /// <summary>A positive whole number from the address, or null with a message saying what was wrong.</summary>
    private int? Parse(string? value, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
            return id;
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        parameterMessages.Add($"“{shown}” is not {what} (the address's {name}= part). Choose {what} below.");
        return null;
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
