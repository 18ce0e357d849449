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

    public void Dispose()
    {
        leaving.Cancel();
        leaving.Dispose();
        GC.SuppressFinalize(this);
    }
}
