using Microsoft.AspNetCore.Components;
using Scorecard.Data.Accounts;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Shared;

/// <summary>
/// A page whose figures come from the shared read model and update by themselves: it hears
/// <see cref="ScorecardReadModel.Changed"/> for its partnership, rebuilds its view on the renderer's thread, and keeps
/// a short note of what changed (<see cref="ChangeNote"/>, shown by <see cref="FiguresUpdatedNote"/>). Loads take
/// <see cref="PageToken"/>, cancelled when the user leaves. It holds the viewer and the view, never the snapshot.
/// </summary>
public abstract class LiveFiguresPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource leaving = new();
    private int partnershipId;
    private bool subscribed, refreshQueued, disposed;

    [Inject] protected ScorecardReadModel ReadModel { get; set; } = default!;
    [Inject] protected CurrentUser CurrentUser { get; set; } = default!;

    /// <summary>Cancelled when the page is disposed (the user navigated away or closed the tab).</summary>
    protected CancellationToken PageToken => leaving.Token;

    /// <summary>"Figures updated: Cheshire Constabulary's 2025/26 Q2 return." after a live update; null before.</summary>
    protected string? ChangeNote { get; private set; }

    /// <summary>The signed-in viewer, subscribed to its partnership's changes on first use.</summary>
    protected async Task<Actor> ViewerAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        if (!subscribed && !disposed)
        {
            partnershipId = actor.PartnershipId;
            ReadModel.Changed += OnChanged;
            subscribed = true;
        }
        return actor;
    }

    /// <summary>The partnership's current snapshot, to build the view from; do not keep it in a field.</summary>
    protected async Task<ScorecardSnapshot> SnapshotAsync(Actor actor) => await ReadModel.GetAsync(actor.PartnershipId, PageToken);

    /// <summary>Rebuilds the page's view after a change under it (the same load the page does for its parameters).</summary>
    protected abstract Task RefreshAsync();

    protected void DismissChangeNote() => ChangeNote = null;

    private void OnChanged(ScorecardChange change)
    {
        if (disposed || !change.Concerns(partnershipId))
            return;
        lock (leaving)
        {
            // Several changes in a burst (an import and its reinstatement) make one rebuild.
            if (refreshQueued)
                return;
            refreshQueued = true;
        }
        _ = InvokeAsync(async () =>
        {
            lock (leaving)
                refreshQueued = false;
            if (disposed)
                return;
            try
            {
                await RefreshAsync();
                ChangeNote = change.PartnershipId is null ? "Figures updated." : $"Figures updated: {change.What}.";
                StateHasChanged();
            }
            catch (OperationCanceledException) when (PageToken.IsCancellationRequested)
            {
                // The user left while the figures were being rebuilt.
            }
        });
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing)
            return;
        disposed = true;
        if (subscribed)
            ReadModel.Changed -= OnChanged;
        // Cancelled, not disposed: a load still running reads PageToken and must see it cancelled, not throw.
        leaving.Cancel();
    }
}
