using Microsoft.AspNetCore.Components;
using Scorecard.Data.Accounts;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>
/// The base of the audit and self-assessment pages: the viewer, and <see cref="PageToken"/> (cancelled when the user
/// leaves) for every load. A page keeps only the view it renders; it reloads after each command rather than patching
/// what it holds.
/// </summary>
public abstract class AssurancePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource leaving = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    /// <summary>Counts draft requests: a wait that ends to find a newer request (or a Submit) behind it saves nothing.</summary>
    private int draftRequest;

    /// <summary>How long typing must pause before a draft is saved.</summary>
    protected static readonly TimeSpan DraftPause = TimeSpan.FromMilliseconds(800);

    [Inject] protected CurrentUser CurrentUser { get; set; } = default!;

    protected CancellationToken PageToken => leaving.Token;

    /// <summary>The viewer when the page last loaded (role and agency decide what it offers).</summary>
    protected Actor? Viewer { get; private set; }

    /// <summary>Set when the Data layer refused the viewer: the page shows the access-denied message.</summary>
    protected bool Denied { get; set; }

    protected bool IsRunner => Viewer?.Role is Role.Admin or Role.QaMember;

    protected async Task<Actor> ViewerAsync() => Viewer = await CurrentUser.GetActorAsync();

    /// <summary>Runs a load, turning an access refusal into <see cref="Denied"/> and a leave into nothing.</summary>
    protected async Task GuardAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        catch (OperationCanceledException) when (PageToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Runs a write after any write of this page still running. A form saved as it is typed starts a save from a field and
    /// another from Submit; run side by side they finish in either order, and a draft save finishing after the submission
    /// would return it to draft.
    /// </summary>
    protected Task OneAtATimeAsync(Func<Task> write) => GuardAsync(async () =>
    {
        await writing.WaitAsync(PageToken);
        try
        {
            await write();
        }
        finally
        {
            writing.Release();
        }
    });

    /// <summary>
    /// Saves a draft once typing pauses for <see cref="DraftPause"/>: each call restarts the wait. The page's text boxes
    /// report every keystroke (<c>Immediate</c>) so what the page holds is always what the user sees; this, not the text
    /// box, is what waits. A text box's own debounce left the last words in the box until it lost focus, and Submit,
    /// clicked straight after typing, could run before they arrived and submit without them.
    /// </summary>
    protected void SaveDraftSoon(Func<Task> save)
    {
        var request = ++draftRequest;
        _ = InvokeAsync(async () =>
        {
            try
            {
                await Task.Delay(DraftPause, PageToken);
                if (request != draftRequest)
                    return;
                await save();
                StateHasChanged();
            }
            catch (OperationCanceledException) when (PageToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                await DispatchExceptionAsync(e);
            }
        });
    }

    /// <summary>Drops a draft save still waiting for typing to pause (Submit saves everything itself).</summary>
    protected void CancelDraftSoon() => draftRequest++;

    public void Dispose()
    {
        // Cancelled, not disposed: a load or write still running reads PageToken and must see it cancelled, not throw.
        leaving.Cancel();
        GC.SuppressFinalize(this);
    }
}
