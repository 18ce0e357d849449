using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Meetings;

/// <summary>
/// The presenter view (issue 13 §4): one agenda item per screen in large type for projection, stepped through with
/// ←/→ or Page Up/Page Down (or the buttons), each with its chart (a scorecard exception's XmR chart from the shared
/// read model, built for the item on screen only) or its facts, and decisions recorded against it as the meeting goes.
/// </summary>
public partial class PresenterView : ComponentBase, IDisposable
{
    [Inject] private MeetingQueries Queries { get; set; } = default!;
    [Inject] private MeetingCommands Commands { get; set; } = default!;
    [Inject] private ScorecardReadModel ReadModel { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    private readonly CancellationTokenSource leaving = new();
    private MeetingDetail? detail;
    private ScorecardLine? line;
    private int index;
    private bool notFound, canRun, busy, focusStage = true;
    private ElementReference stage;
    private RecordForm form = new();
    private Data.Common.Result<int>? errors;

    private sealed class RecordForm
    {
        public MeetingRecordKind Kind { get; set; } = MeetingRecordKind.Decision;
        public int OwnerAgencyId { get; set; }
        public DateOnly? DueDate { get; set; }
        public string Text { get; set; } = "";
        public string OwnerPerson { get; set; } = "";
        public SourceKind SubjectKind { get; set; } = SourceKind.Measure;
        public string SubjectKey { get; set; } = "";
    }

    /// <summary>The subjects a challenge or action can name when its item has none of its own.</summary>
    private static readonly SourceKind[] SubjectKinds =
        [SourceKind.Measure, SourceKind.AuditFinding, SourceKind.SelfAssessmentStandard, SourceKind.Risk, SourceKind.TriangulationTheme];

    private static bool NeedsSubject(AgendaItemRow item) =>
        MeetingCommands.SubjectOf(item.SourceKey) is null && !(item.SourceKey?.StartsWith("action:", StringComparison.Ordinal) ?? false);

    private AgendaItemRow? Current => detail is { } d && index < d.Agenda.Count ? d.Agenda[index] : null;

    protected override async Task OnParametersSetAsync()
    {
        index = 0;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        detail = await Queries.GetAsync(actor, Id, leaving.Token);
        notFound = detail is null;
        if (detail is null)
            return;
        canRun = MeetingAccess.CanRun(actor, detail.Kind);
        index = Math.Clamp(index, 0, Math.Max(0, detail.Agenda.Count - 1));
        await LoadLineAsync();
    }

    /// <summary>The chart's line for the item on screen only (null when it is not a scorecard exception).</summary>
    private async Task LoadLineAsync()
    {
        line = null;
        if (ScorecardExceptionsAgendaSource.MeasureCode(Current?.SourceKey) is not { } code)
            return;
        var actor = await CurrentUser.GetActorAsync();
        var snapshot = await ReadModel.GetAsync(actor.PartnershipId, leaving.Token);
        line = ScorecardViewBuilder.BuildMeasure(snapshot, actor, code)?.Line;
    }

    private async Task GoAsync(int to)
    {
        if (detail is null || to < 0 || to >= detail.Agenda.Count || to == index)
            return;
        index = to;
        form = new RecordForm();
        errors = null;
        await LoadLineAsync();
    }

    private Task OnKeyAsync(KeyboardEventArgs e) => e.Key switch
    {
        "ArrowRight" or "PageDown" => GoAsync(index + 1),
        "ArrowLeft" or "PageUp" => GoAsync(index - 1),
        "Home" => GoAsync(0),
        "End" => GoAsync((detail?.Agenda.Count ?? 1) - 1),
        _ => Task.CompletedTask,
    };

    private async Task RecordAsync()
    {
        if (Current is not { } item)
            return;
        busy = true;
        try
        {
            var actor = await CurrentUser.GetActorAsync();
            errors = await Commands.RecordAsync(actor, Id, item.Id,
                new NewMeetingRecord(form.Kind, form.Text, form.OwnerAgencyId == 0 ? null : form.OwnerAgencyId, form.DueDate, form.OwnerPerson,
                    NeedsSubject(item) ? form.SubjectKind : null, NeedsSubject(item) ? form.SubjectKey : null), leaving.Token);
            if (errors.Succeeded)
            {
                form = new RecordForm();
                var keep = index;
                await LoadAsync();
                index = keep;
            }
        }
        finally
        {
            busy = false;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Focus the slide once it is first shown, so the arrow keys work straight away.
        if (focusStage && Current is not null)
        {
            focusStage = false;
            await stage.FocusAsync();
        }
    }

    public void Dispose()
    {
        leaving.Cancel();
        GC.SuppressFinalize(this);
    }
}
