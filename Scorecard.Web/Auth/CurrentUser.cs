using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Scorecard.Data.Accounts;

namespace Scorecard.Web.Auth;

/// <summary>The signed-in user of this circuit, as the <see cref="Actor"/> every Data-layer call takes.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authenticationState)
{
    public async Task<Actor> GetActorAsync()
    {
        var state = await authenticationState.GetAuthenticationStateAsync();
        return ScorecardClaims.ToActor(state.User) ?? throw new AccessDeniedException("Sign in to use Scorecard.");
    }

    public async Task<ClaimsPrincipal> GetPrincipalAsync() => (await authenticationState.GetAuthenticationStateAsync()).User;
}
