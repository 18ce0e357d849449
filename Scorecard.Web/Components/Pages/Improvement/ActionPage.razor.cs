using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;
using Scorecard.Data.Improvement;
using Scorecard.Data.Performance;

namespace Scorecard.Web.Components.Pages.Improvement;

/// <summary>An action: its source, progress, evidence and moderation, and its success measure's chart with its dates.</summary>
public partial class ActionPage
{
    [Parameter] public int Id { get; set; }

    [Inject] private ActionQueries Queries { get; set; } = default!;
    [Inject] private ActionCommands Commands { get; set; } = default!;
    [Inject] private ScorecardReadModel ReadModel { get; set; } = default!;
    [Inject] private AssuranceOptions EvidenceOptions { get; set; } = default!;

    private ActionDetail? detail;
    private ScorecardLine? line;
    private bool notFound, busy, closing;
    private string? message;
    private IReadOnlyList<FieldError> errors = [];
    private ActionStatus progressStatus = ActionStatus.OnTrack;
    private string? progressNote, evidence, moderationReason, closeReason;

    private bool CanUpdate => detail is { } d && (IsRunner || (Viewer.Role == Scorecard.Data.Accounts.Role.AgencyUser && Viewer.AgencyId == d.Action.OwnerAgencyId));

    private string? Err(string field) => errors.FirstOrDefault(e => e.Field == field)?.Message;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new(Viewer.Role == Scorecard.Data.Accounts.Role.AgencyUser ? "Our actions" : "Actions", "/improvement/actions"),
    ];

    private IReadOnlyList<(string Label, DateOnly Date)> Marks
    {
        get
        {
            var a = detail!.Action;
            var marks = new List<(string, DateOnly)> { ("Action started", a.StartDate), ("Action due", a.DueDate) };
            if (a.CompletedOn is { } c)
                marks.Add(("Action completed", c));
            return marks;
        }
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await LoadViewerAsync();
        await GuardAsync(async () =>
        {
            detail = await Queries.GetAsync(Viewer, Id, PageToken);
            notFound = detail is null;
            line = null;
            if (detail?.Action.SuccessMeasureCode is { } code)
            {
                // The measure's line as this viewer may see it (disclosure applied by the view builder); only the line is kept.
                var snapshot = await ReadModel.GetAsync(Viewer.PartnershipId, PageToken);
                line = ScorecardViewBuilder.BuildMeasure(snapshot, Viewer, code)?.Line;
            }
            if (detail is not null)
                progressStatus = ActionRules.ProgressStatuses.Contains(detail.Action.Status) ? detail.Action.Status : ActionStatus.OnTrack;
        });
    }

    private async Task RunAsync(Func<Task<IReadOnlyList<FieldError>>> command, string done)
    {
        busy = true;
        message = null;
        try
        {
            errors = await command();
            if (errors.Count == 0)
            {
                message = done;
                await LoadAsync();
            }
        }
        finally
        {
            busy = false;
        }
    }

    private Task RecordProgressAsync() => RunAsync(async () =>
    {
        var r = await Commands.RecordProgressAsync(Viewer, Id, progressNote ?? "", progressStatus, PageToken);
        if (r.Succeeded)
            progressNote = null;
        return r.Errors;
    }, "Update saved.");

    private Task CompleteAsync() => RunAsync(async () => (await Commands.CompleteAsync(Viewer, Id, evidence ?? "", PageToken)).Errors,
        "Marked completed: the QA subgroup will moderate it.");

    private Task ModerateAsync(ModerationDecision decision) => RunAsync(async () =>
    {
        closing = false;
        return (await Commands.ModerateAsync(Viewer, Id, decision, moderationReason ?? "", PageToken)).Errors;
    }, decision == ModerationDecision.Accepted ? "Accepted: the action is closed." : "Returned to its owner with the subgroup's challenge.");

    private Task CloseAsync() => RunAsync(async () =>
    {
        closing = true;
        return (await Commands.CloseAsync(Viewer, Id, closeReason ?? "", PageToken)).Errors;
    }, "The action is closed.");

    private Task AddFileAsync(IBrowserFile? file) => RunAsync(async () =>
    {
        if (file is null)
            return [];
        if (file.Size > EvidenceOptions.MaxEvidenceBytes)
            return [new FieldError("File", $"The file is larger than the {EvidenceOptions.MaxEvidenceBytes / (1024 * 1024)} MB allowed for evidence.")];
        using var buffer = new MemoryStream();
        await using (var stream = file.OpenReadStream(EvidenceOptions.MaxEvidenceBytes, PageToken))
            await stream.CopyToAsync(buffer, PageToken);
        return (await Commands.AddEvidenceFileAsync(Viewer, Id, file.Name, buffer.ToArray(), PageToken)).Errors;
    }, "Evidence file added.");
}
