using Microsoft.AspNetCore.Components;
using Scorecard.Data.Accounts;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Improvement;

/// <summary>
/// A page of the loop (actions, risks, challenges, learning reviews): the signed-in viewer, a token cancelled when the
/// user leaves, and the access-denied state. It holds only the view it renders, loaded per parameters or after a command.
/// </summary>
public abstract class ImprovementPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource leaving = new();

    [Inject] protected CurrentUser CurrentUser { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    protected CancellationToken PageToken => leaving.Token;

    /// <summary>The viewer, set by <see cref="LoadViewerAsync"/> (a few fields; never shared data).</summary>
    protected Actor Viewer { get; private set; } = default!;

    protected bool Denied { get; set; }

    protected bool IsRunner => Viewer?.Role is Role.Admin or Role.QaMember;

    protected async Task<Actor> LoadViewerAsync() => Viewer = await CurrentUser.GetActorAsync();

    /// <summary>Runs a load; a refusal from the Data layer (an edited id) shows the access-denied message.</summary>
    protected async Task GuardAsync(Func<Task> load)
    {
        try
        {
            Denied = false;
            await load();
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a load or write still running reads PageToken and must see it cancelled, not throw.
        leaving.Cancel();
        GC.SuppressFinalize(this);
    }
}
