using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Meetings;

/// <summary>A meeting: its agenda (build, reorder with buttons, drop, add), attendance and packs. Keeps only what it shows.</summary>
public partial class MeetingPage : ComponentBase, IDisposable
{
    [Inject] private MeetingQueries Queries { get; set; } = default!;
    [Inject] private MeetingCommands Commands { get; set; } = default!;
    [Inject] private MeetingPackService Packs { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    private readonly CancellationTokenSource leaving = new();
    private MeetingDetail? detail;
    private bool notFound, canRun, busy, messageIsError;
    private string? message;
    private List<BreadcrumbItem> breadcrumbs = [];
    private List<AttendanceRow> attendance = [];
    private NewItemForm newItem = new();
    private Result<int>? itemErrors;

    private sealed class AttendanceRow
    {
        public int AgencyId { get; init; }
        public string AgencyName { get; init; } = "";
        public bool Attended { get; set; }
        public string Representative { get; set; } = "";
    }

    private sealed class NewItemForm
    {
        public string Title { get; set; } = "";
        public string Reason { get; set; } = "";
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        detail = await Queries.GetAsync(actor, Id, leaving.Token);
        notFound = detail is null;
        if (detail is null)
            return;
        canRun = MeetingAccess.CanRun(actor, detail.Kind);
        breadcrumbs = [new("Meetings", "/meetings"), new(detail.Title, null, disabled: true)];
        attendance = detail.Attendance.Select(a => new AttendanceRow { AgencyId = a.AgencyId, AgencyName = a.AgencyName, Attended = a.Attended, Representative = a.Representative }).ToList();
    }

    private async Task RunAsync<T>(Func<Actor, Task<Result<T>>> command, Func<T, string> success)
    {
        busy = true;
        try
        {
            var actor = await CurrentUser.GetActorAsync();
            var result = await command(actor);
            messageIsError = !result.Succeeded;
            message = result.Succeeded ? success(result.Value!) : string.Join(" ", result.Errors.Select(e => e.Message));
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private Task BuildAsync() => RunAsync(a => Commands.BuildAgendaAsync(a, Id, leaving.Token), n => $"The agenda has {n} {(n == 1 ? "item" : "items")}.");

    private Task MoveAsync(int itemId, int delta) => RunAsync(a => Commands.MoveItemAsync(a, Id, itemId, delta, leaving.Token), _ => "Moved.");

    private Task DropAsync(int itemId, bool dropped) => RunAsync(a => Commands.SetDroppedAsync(a, Id, itemId, dropped, leaving.Token), _ => dropped ? "Dropped from the agenda." : "Restored to the agenda.");

    private Task GeneratePackAsync() => RunAsync(a => Packs.GenerateAsync(a, Id, leaving.Token), v => $"Version {v} of the pack is stored.");

    private Task ToggleHeldAsync() => RunAsync(a => Commands.SetStatusAsync(a, Id, detail!.Status == MeetingStatus.Held ? MeetingStatus.Planned : MeetingStatus.Held, leaving.Token),
        _ => detail!.Status == MeetingStatus.Held ? "Marked as planned." : "Marked as held.");

    private Task SaveAttendanceAsync() => RunAsync(a => Commands.RecordAttendanceAsync(a, Id,
        attendance.Select(r => new AttendanceInput(r.AgencyId, r.Attended, r.Representative)).ToList(), leaving.Token), _ => "Attendance saved.");

    private async Task AddItemAsync()
    {
        busy = true;
        try
        {
            var actor = await CurrentUser.GetActorAsync();
            itemErrors = await Commands.AddItemAsync(actor, Id, newItem.Title, newItem.Reason, leaving.Token);
            if (itemErrors.Succeeded)
            {
                message = $"Added \"{newItem.Title.Trim()}\" to the agenda.";
                messageIsError = false;
                newItem = new NewItemForm();
                await LoadAsync();
            }
        }
        finally
        {
            busy = false;
        }
    }

    public void Dispose()
    {
        leaving.Cancel();
        GC.SuppressFinalize(this);
    }
}
