using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>
/// An agency's self-assessment in a cycle: the on-screen form saved as typed (the draft), evidence files, sign-off and
/// submit; the workbook download and upload (preview, then one transaction); the moderation of the submitted version
/// with the agency's response; the comparison with its previous cycle.
/// </summary>
public partial class SubmissionPage : AssurancePage
{
    [Parameter] public int CycleId { get; set; }
    [Parameter] public int AgencyId { get; set; }

    [Inject] private SelfAssessmentQueries Queries { get; set; } = default!;
    [Inject] private SelfAssessmentCommands Commands { get; set; } = default!;
    [Inject] private SelfAssessmentWorkbook Workbooks { get; set; } = default!;
    [Inject] private AssuranceOptions Options { get; set; } = default!;
    [Inject] private ReturnUploadOptions UploadOptions { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private sealed class StandardForm
    {
        public Rating? Rating { get; set; }
        public string Evidence { get; set; } = "";
        public string Actions { get; set; } = "";
    }

    private sealed class ModerationForm
    {
        public Rating? Rating { get; set; }
        public string Reason { get; set; } = "";
    }

    private CycleListItem? cycle;
    private bool cycleClosed;
    private string? agencyName;
    private bool notFound;
    private SubmissionView? submission;
    private IReadOnlyList<StandardRow> standards = [];
    private Dictionary<int, StandardForm> form = [];
    private Dictionary<int, ModerationForm> moderation = [];
    private Dictionary<int, string> responses = [];
    private Dictionary<int, string> evidenceErrors = [];
    private IReadOnlyList<StandardChange> changes = [];
    private string? previousName;
    private string draftStatus = "";
    /// <summary>The answers as last stored (draft or submission), to tell a real change from a field reporting again.</summary>
    private string? saved;
    private string? message;
    private string signName = "", signRole = "";
    private DateTime? signDate;
    private IReadOnlyList<FieldError> errors = [];
    private bool busy;
    private SelfAssessmentImportResult? upload;
    private byte[]? uploadBytes;
    private string uploadName = "";

    /// <summary>The agency's own users, admins and QA members may fill it in; executives only read.</summary>
    private bool CanAct => Viewer is { } v && (v.Role is Role.Admin or Role.QaMember || (v.Role == Role.AgencyUser && v.AgencyId == AgencyId));

    private IReadOnlyList<EvidenceFileRow> EditingEvidence => (submission?.Draft ?? submission?.Submitted)?.Evidence ?? [];

    private string ResponseOf(int standardId) => responses.GetValueOrDefault(standardId) ?? "";

    private void SetResponse(int standardId, string? value) => responses[standardId] = value ?? "";

    private bool Has(string field) => errors.Any(e => e.Field == field);
    private string? ErrorFor(string field) => errors.FirstOrDefault(e => e.Field == field)?.Message;

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private Task ReloadAsync() => GuardAsync(async () =>
    {
        var actor = await ViewerAsync();
        if (!actor.CanSeeAgency(AgencyId))
            throw new AccessDeniedException($"{actor.DisplayName} may only see their own agency's self-assessments.");
        var view = await Queries.CycleAsync(actor, CycleId, PageToken);
        var row = view?.Agencies.FirstOrDefault(a => a.AgencyId == AgencyId);
        if (view is null || row is null)
        {
            notFound = true;
            return;
        }
        cycle = view.Cycle;
        standards = view.Standards;
        agencyName = (await Catalog.ListAgenciesAsync(actor, PageToken)).FirstOrDefault(a => a.Id == AgencyId)?.Name ?? row.Agency;
        submission = await Queries.SubmissionAsync(actor, CycleId, AgencyId, PageToken);
        var editing = submission.Draft ?? submission.Submitted;
        form = standards.ToDictionary(s => s.Id, s =>
        {
            var r = editing?.Ratings.FirstOrDefault(x => x.StandardId == s.Id);
            return new StandardForm { Rating = r?.Rating, Evidence = r?.Evidence ?? "", Actions = r?.Actions ?? "" };
        });
        moderation = standards.ToDictionary(s => s.Id, s =>
        {
            var r = submission.Submitted?.Ratings.FirstOrDefault(x => x.StandardId == s.Id);
            return new ModerationForm { Rating = r?.ModeratedRating, Reason = r?.Reason ?? "" };
        });
        signName = submission.Submitted?.SignOffName ?? signName;
        signRole = submission.Submitted?.SignOffRole ?? signRole;
        signDate ??= Clock.GetLocalNow().Date;
        draftStatus = submission.Draft is not null ? "Draft saved. It counts once you submit it." : submission.Submitted is null ? "Nothing saved yet: your answers are saved as you type." : "";
        saved = editing is null ? null : FormFingerprint();
        var cycles = await Queries.CyclesAsync(actor, PageToken);
        cycleClosed = false;
        var previous = cycles.Where(x => x.FrameworkCode == cycle.FrameworkCode && x.OpensOn < cycle.OpensOn).MaxBy(x => x.OpensOn);
        previousName = previous?.Name;
        changes = previous is null ? [] : await Queries.CompareAgencyAsync(actor, AgencyId, CycleId, previous.Id, PageToken);
    });

    private Task RatingChangedAsync(int standardId, Rating? value) { form[standardId].Rating = value; return SaveDraftAsync(); }
    private void EvidenceChanged(int standardId, string value) { form[standardId].Evidence = value ?? ""; SaveDraftSoon(SaveDraftAsync); }
    private void ActionsChanged(int standardId, string value) { form[standardId].Actions = value ?? ""; SaveDraftSoon(SaveDraftAsync); }

    /// <summary>Saves every answer as the draft (the whole form: small, and one transaction keeps it consistent).</summary>
    private async Task<long?> SaveDraftCoreAsync()
    {
        // Taken before the save: an answer typed while it runs is not yet stored.
        var fingerprint = FormFingerprint();
        var ratings = form.Select(p => new RatingInput(p.Key, p.Value.Rating, p.Value.Evidence, p.Value.Actions)).ToList();
        var result = await Commands.SaveDraftAsync(await ViewerAsync(), CycleId, AgencyId, ratings, PageToken);
        errors = result.Errors;
        draftStatus = result.Succeeded ? $"Draft saved at {Clock.GetLocalNow():HH:mm:ss}. It counts once you submit it." : "Not saved: see the messages below.";
        if (result.Succeeded)
            saved = fingerprint;
        return result.Succeeded ? result.Value : null;
    }

    /// <summary>
    /// Saves the draft, unless the answers are those already stored: a text box's debounce can fire after Submit with the
    /// text just submitted, and saving it would open a new draft identical to the submission.
    /// </summary>
    private Task SaveDraftAsync() => OneAtATimeAsync(async () =>
    {
        if (saved is not null && FormFingerprint() == saved)
            return;
        await SaveDraftCoreAsync();
    });

    private string FormFingerprint() => string.Join('\u001F', form.OrderBy(p => p.Key).Select(p => $"{p.Key}\u001E{p.Value.Rating}\u001E{p.Value.Evidence}\u001E{p.Value.Actions}"));

    private async Task SubmitAsync()
    {
        CancelDraftSoon();
        busy = true;
        try
        {
            await OneAtATimeAsync(async () =>
            {
                if (await SaveDraftCoreAsync() is null)
                    return;
                var date = DateOnly.FromDateTime(signDate ?? Clock.GetLocalNow().Date);
                var result = await Commands.SubmitAsync(await ViewerAsync(), CycleId, AgencyId, new SignOff(signName ?? "", signRole ?? "", date), PageToken);
                errors = result.Errors;
                if (result.Succeeded)
                    await ReloadAsync();
            });
        }
        finally
        {
            busy = false;
        }
    }

    private Task EvidenceChosenAsync(int standardId, IBrowserFile? file) => GuardAsync(async () =>
    {
        if (file is null)
            return;
        evidenceErrors.Remove(standardId);
        if (file.Size > Options.MaxEvidenceBytes)
        {
            evidenceErrors[standardId] = $"{file.Name} is too large: evidence files may be at most {FileSizes.Describe(Options.MaxEvidenceBytes)}.";
            return;
        }
        busy = true;
        try
        {
            if (await SaveDraftCoreAsync() is not { } draftId)
                return;
            byte[] bytes;
            await using (var stream = file.OpenReadStream(Options.MaxEvidenceBytes + 1L, PageToken))
            using (var buffer = new MemoryStream())
            {
                await stream.CopyToAsync(buffer, PageToken);
                bytes = buffer.ToArray();
            }
            var result = await Commands.AttachEvidenceAsync(await ViewerAsync(), draftId, standardId, file.Name, bytes, PageToken);
            if (!result.Succeeded)
                evidenceErrors[standardId] = $"{file.Name}: {result.Errors[0].Message}";
            else
                await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    });

    private Task WorkbookChosenAsync(IBrowserFile? file) => GuardAsync(async () =>
    {
        if (file is null)
            return;
        upload = null;
        uploadBytes = null;
        uploadName = file.Name;
        busy = true;
        try
        {
            if (file.Size > UploadOptions.MaxFileBytes)
            {
                upload = new SelfAssessmentImportResult(ReturnImportStatus.TooLarge, $"{file.Name} is larger than {FileSizes.Describe(UploadOptions.MaxFileBytes)}, the most a workbook may be.", [], []);
                return;
            }
            await using (var stream = file.OpenReadStream(UploadOptions.MaxFileBytes + 1, PageToken))
            using (var buffer = new MemoryStream())
            {
                await stream.CopyToAsync(buffer, PageToken);
                uploadBytes = buffer.ToArray();
            }
            upload = await Workbooks.PreviewAsync(await ViewerAsync(), CycleId, AgencyId, file.Name, uploadBytes, PageToken);
            if (!upload.Succeeded)
                uploadBytes = null;
        }
        finally
        {
            busy = false;
        }
    });

    private Task CommitWorkbookAsync() => GuardAsync(async () =>
    {
        if (uploadBytes is null)
            return;
        busy = true;
        try
        {
            upload = await Workbooks.CommitAsync(await ViewerAsync(), CycleId, AgencyId, uploadName, uploadBytes, PageToken);
            uploadBytes = null;
            if (upload.Succeeded)
                await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    });

    private Task ModerateAsync(RatingRow row, ModerationOutcome outcome) => GuardAsync(async () =>
    {
        if (submission?.Submitted is not { } current)
            return;
        var f = moderation[row.StandardId];
        var result = await Commands.ModerateAsync(await ViewerAsync(), current.Id, row.StandardId, outcome, outcome == ModerationOutcome.Agree ? null : f.Rating, f.Reason, PageToken);
        message = result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Message));
        if (result.Succeeded)
            await ReloadAsync();
    });

    private Task RespondAsync(RatingRow row) => GuardAsync(async () =>
    {
        if (submission?.Submitted is not { } current)
            return;
        var result = await Commands.RespondAsync(await ViewerAsync(), current.Id, row.StandardId, responses.GetValueOrDefault(row.StandardId, ""), PageToken);
        message = result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Message));
        if (result.Succeeded)
        {
            responses.Remove(row.StandardId);
            await ReloadAsync();
        }
    });
}
