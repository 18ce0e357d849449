using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;
using Scorecard.Web.Components.Pages.Assurance;

namespace Scorecard.Web.Components.Pages.Returns;

/// <summary>
/// The upload, preview and commit flow every template kind's upload page shares (the data return, the single-agency
/// audit summary): the agency (admins choose; an agency user always sends for their own, an edited <c>?agency=</c> is
/// refused) and the open quarter from the address, the file read up to the size limit, the dry-run preview, and the
/// confirm that sends the same bytes through the same path again, so what is stored is checked exactly as the preview was.
/// The bytes stay in the circuit only between preview and confirm. A page adds its service calls and what it shows.
/// </summary>
public abstract class UploadPage<TResult> : AssurancePage where TResult : class, IUploadResult
{
    [Inject] protected CatalogQueries Catalog { get; set; } = default!;

    // Strings, parsed here: an unparsable value is reported on the page, never a binding failure (issue 8 §3).
    [SupplyParameterFromQuery(Name = "agency")] public string? AgencyParameter { get; set; }
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodParameter { get; set; }

    protected int? AgencyId { get; private set; }
    protected int? PeriodId { get; private set; }
    protected List<string> ParameterMessages { get; } = [];
    protected bool IsAdmin => Viewer?.IsAdmin == true;
    protected string AgencyName { get; private set; } = "";
    protected IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];
    protected IReadOnlyList<PeriodRow>? Periods { get; private set; }
    protected bool Busy { get; private set; }
    protected string BusyText { get; private set; } = "";
    protected string FileName { get; private set; } = "";
    protected TResult? Result { get; set; }

    /// <summary>The file between preview and confirm; null once it is stored (or when there is none).</summary>
    protected byte[]? Bytes { get; private set; }

    protected string MaxSizeLabel => $"{Options.MaxFileBytes / 1024d / 1024d:0.#} MB";

    /// <summary>The template kind's upload service: every check and write goes through it.</summary>
    protected abstract ITemplateUploads<TResult> Uploads { get; }

    private ReturnUploadOptions Options => Uploads.Options;

    /// <summary>What the busy line says while the confirmed file is saved: "Saving the return…".</summary>
    protected abstract string SavingText { get; }

    /// <summary>After the choices load or change, and after a commit: what the page shows beside the flow (its history).</summary>
    protected virtual Task OnSelectionAsync() => Task.CompletedTask;

    /// <summary>After a successful check, before the page renders the preview.</summary>
    protected virtual void OnPreviewed(TResult result)
    {
    }

    /// <summary>False to stop a confirm before anything is sent (the page shows why).</summary>
    protected virtual bool ReadyToCommit() => true;

    /// <summary>The upload a confirm sends: by default the file as previewed.</summary>
    protected virtual ReturnUpload CommitUpload(int agencyId, int periodId, string fileName, byte[] bytes) => new(agencyId, periodId, fileName, bytes);

    /// <summary>Forgets the file and the result (a new choice or a new file starts again).</summary>
    protected virtual void Reset()
    {
        Result = null;
        Bytes = null;
    }

    protected override Task OnInitializedAsync() => GuardAsync(async () =>
    {
        var actor = await ViewerAsync();
        var requestedAgency = Parse(AgencyParameter, "agency", "an agency");
        var requestedPeriod = Parse(PeriodParameter, "period", "a quarter");
        if (!actor.IsAdmin)
        {
            // An agency user always sends for their own agency; an edited ?agency= is refused, not obeyed.
            if (requestedAgency is { } requested && requested != actor.AgencyId)
            {
                Denied = true;
                return;
            }
            AgencyId = actor.AgencyId;
            AgencyName = (await CurrentUser.GetPrincipalAsync()).FindFirst(ScorecardClaims.AgencyName)?.Value ?? "";
        }
        else
        {
            Agencies = (await Catalog.ListAgenciesAsync(actor, PageToken)).Where(a => a.Active).ToList();
            if (requestedAgency is { } requested && Agencies.All(a => a.Id != requested))
                ParameterMessages.Add($"There is no agency {requested} in this partnership that can send returns. Choose the agency below.");
            else
                AgencyId = requestedAgency;
        }
        var allPeriods = await Catalog.ListPeriodsAsync(actor, PageToken);
        var open = allPeriods.Where(p => p.IsOpen).ToList();
        if (requestedPeriod is { } period)
        {
            if (open.Any(p => p.Id == period))
                PeriodId = period;
            else if (allPeriods.FirstOrDefault(p => p.Id == period) is { } closed)
                ParameterMessages.Add($"{closed.Label} is closed for returns. Choose an open quarter below.");
            else
                ParameterMessages.Add($"There is no quarter {period}. Choose the quarter below.");
        }
        PeriodId ??= open.FirstOrDefault()?.Id;
        await OnSelectionAsync();
        Periods = open;
    });

    /// <summary>A positive whole number from the address, or null with a message saying what was wrong.</summary>
    private int? Parse(string? value, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
            return id;
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        ParameterMessages.Add($"“{shown}” is not {what} (the address's {name}= part). Choose {what} below.");
        return null;
    }

    protected Task AgencyChangedAsync(int? agencyId)
    {
        AgencyId = agencyId;
        Reset();
        return GuardAsync(OnSelectionAsync);
    }

    protected Task PeriodChangedAsync(int? periodId)
    {
        PeriodId = periodId;
        Reset();
        return GuardAsync(OnSelectionAsync);
    }

    protected async Task FileChosenAsync(IBrowserFile? file)
    {
        if (file is null || AgencyId is not { } agencyId || PeriodId is not { } periodId || Viewer is not { } actor)
            return;
        Reset();
        FileName = file.Name;
        Busy = true;
        BusyText = $"Checking {file.Name}…";
        StateHasChanged();
        try
        {
            if (file.Size > Options.MaxFileBytes)
            {
                Result = Uploads.TooLarge(file.Size);
                return;
            }
            await using (var stream = file.OpenReadStream(Options.MaxFileBytes + 1, PageToken))
                Bytes = await Uploads.ReadLimitedAsync(stream, PageToken);
            if (Bytes is null)
            {
                Result = Uploads.TooLarge(file.Size);
                return;
            }
            var result = await Uploads.PreviewAsync(actor, new ReturnUpload(agencyId, periodId, file.Name, Bytes), PageToken);
            Result = result;
            OnPreviewed(result);
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        catch (OperationCanceledException) when (PageToken.IsCancellationRequested)
        {
        }
        finally
        {
            Busy = false;
        }
    }

    protected async Task ConfirmAsync()
    {
        if (Bytes is not { } bytes || Result is null || AgencyId is not { } agencyId || PeriodId is not { } periodId || Viewer is not { } actor)
            return;
        if (!ReadyToCommit())
            return;
        Busy = true;
        BusyText = SavingText;
        StateHasChanged();
        try
        {
            var committed = await Uploads.CommitAsync(actor, CommitUpload(agencyId, periodId, FileName, bytes), PageToken);
            Result = committed;
            if (committed.Status is ReturnImportStatus.Committed or ReturnImportStatus.Unchanged)
                Bytes = null;
            await OnSelectionAsync();
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        catch (OperationCanceledException) when (PageToken.IsCancellationRequested)
        {
        }
        finally
        {
            Busy = false;
        }
    }
}
