using Microsoft.AspNetCore.Components;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Voice;

/// <summary>A voice page: loads per render through a Data query with <see cref="PageToken"/>, cancelled when the user leaves.</summary>
public abstract class VoicePageBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource leaving = new();

    [Inject] protected CurrentUser CurrentUser { get; set; } = default!;

    protected CancellationToken PageToken => leaving.Token;

    public void Dispose()
    {
        // Cancelled, not disposed: a load or write still running reads PageToken and must see it cancelled, not throw.
        leaving.Cancel();
        GC.SuppressFinalize(this);
    }
}
