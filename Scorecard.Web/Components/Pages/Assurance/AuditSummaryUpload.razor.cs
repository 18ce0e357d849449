using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>
/// The single-agency audit summary upload (issue 11 §2), the returns pipeline's second template kind: choose the agency
/// (admins) and quarter, download the template, pick the filled file, see the check and the preview beside the current
/// version, confirm. The file's bytes stay in this circuit between preview and confirm and go through
/// <see cref="AuditSummaryReturnService"/> again on confirm, so what is stored is checked by exactly the path the preview used.
/// </summary>
public partial class AuditSummaryUpload
{
    [Inject] private AuditSummaryReturnService Imports { get; set; } = default!;
    [Inject] private ReturnImportService ReturnImports { get; set; } = default!;
    [Inject] private AuditSummaryQueries Summaries { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "agency")] public string? AgencyParameter { get; set; }
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodParameter { get; set; }

    private int? AgencyId { get; set; }
    private int? PeriodId { get; set; }
    private readonly List<string> parameterMessages = [];

    private bool IsAdmin => Viewer?.IsAdmin == true;
    private string agencyName = "";
    private IReadOnlyList<AgencyRow> agencies = [];
    private IReadOnlyList<PeriodRow>? periods;
    private IReadOnlyList<AuditSummaryVersionRow>? history;
    private bool busy;
    private string busyText = "";
    private string fileName = "";
    private byte[]? bytes;
    private AuditSummaryImportResult? result;

    private string MaxSizeLabel => $"{Imports.Options.MaxFileBytes / 1024d / 1024d:0.#} MB";

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
        await LoadHistoryAsync();
    });

    private async Task LoadHistoryAsync()
    {
        history = AgencyId is { } a && PeriodId is { } p && Viewer is { } actor
            ? await Summaries.VersionsAsync(actor, a, p, PageToken)
            : null;
    }

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
        return GuardAsync(LoadHistoryAsync);
    }

    private Task PeriodChangedAsync(int? periodId)
    {
        PeriodId = periodId;
        Reset();
        return GuardAsync(LoadHistoryAsync);
    }

    private void Reset()
    {
        result = null;
        bytes = null;
    }

    private async Task FileChosenAsync(IBrowserFile? file)
    {
        if (file is null || AgencyId is not { } agencyId || PeriodId is not { } periodId || Viewer is not { } actor)
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
                result = TooLarge(file.Size);
                return;
            }
            await using (var stream = file.OpenReadStream(Imports.Options.MaxFileBytes + 1, PageToken))
                bytes = await ReturnImports.ReadLimitedAsync(stream, PageToken);
            if (bytes is null)
            {
                result = TooLarge(file.Size);
                return;
            }
            result = await Imports.PreviewAsync(actor, new ReturnUpload(agencyId, periodId, file.Name, bytes), PageToken);
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        finally
        {
            busy = false;
        }
    }

    private AuditSummaryImportResult TooLarge(long size)
    {
        var refused = ReturnImports.TooLarge(size);
        return new AuditSummaryImportResult(refused.Status, refused.Message, refused.Errors);
    }

    private async Task ConfirmAsync()
    {
        if (bytes is null || result is null || AgencyId is not { } agencyId || PeriodId is not { } periodId || Viewer is not { } actor)
            return;
        busy = true;
        busyText = "Saving the audit summary…";
        StateHasChanged();
        try
        {
            result = await Imports.CommitAsync(actor, new ReturnUpload(agencyId, periodId, fileName, bytes), PageToken);
            if (result.Status is ReturnImportStatus.Committed or ReturnImportStatus.Unchanged)
                bytes = null;
            await LoadHistoryAsync();
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        finally
        {
            busy = false;
        }
    }

    private static string Dash(string text) => string.IsNullOrEmpty(text) ? "–" : text;

    /// <summary>The preview's rows: each item now and in the file.</summary>
    private static IEnumerable<(string Label, string Now, string Next)> Rows(AuditSummaryInput next, AuditSummaryInput? now)
    {
        string N(int? n) => n?.ToString("N0") ?? "–";
        yield return ("Audit topic", now?.Topic ?? "–", next.Topic);
        yield return ("Cases audited", N(now?.CasesAudited), N(next.CasesAudited));
        yield return ("Outstanding", N(now?.Outstanding), N(next.Outstanding));
        yield return ("Good", N(now?.Good), N(next.Good));
        yield return ("Requires improvement", N(now?.RequiresImprovement), N(next.RequiresImprovement));
        yield return ("Inadequate", N(now?.Inadequate), N(next.Inadequate));
        yield return ("Child's voice evident: yes", N(now?.VoiceYes), N(next.VoiceYes));
        yield return ("Child's voice evident: partly", N(now?.VoicePartly), N(next.VoicePartly));
        yield return ("Child's voice evident: no", N(now?.VoiceNo), N(next.VoiceNo));
        for (var i = 0; i < 5; i++)
        {
            var a = now is not null && i < now.KeyFindings.Count ? now.KeyFindings[i] : "–";
            var b = i < next.KeyFindings.Count ? next.KeyFindings[i] : "–";
            if (a != "–" || b != "–")
                yield return ($"Key finding {i + 1}", a, b);
        }
    }
}
