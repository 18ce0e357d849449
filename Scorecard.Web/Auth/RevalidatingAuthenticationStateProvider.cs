using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Scorecard.Data.Accounts;

namespace Scorecard.Web.Auth;

/// <summary>
/// Re-checks an open circuit's user against the database every <see cref="RevalidationInterval"/>: a deactivated
/// account, or one whose role, agency or password changed (new security stamp), loses access within that interval.
/// </summary>
public sealed class RevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, SignInService signIn, IConfiguration config)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval =>
        TimeSpan.FromSeconds(Math.Clamp(config.GetValue("Scorecard:RevalidateSeconds", 30), 1, 60));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (ScorecardClaims.SessionKey(state.User) is not { } key)
            return false;
        return await signIn.IsSessionValidAsync(key.PartnershipId, key.UserId, key.Stamp, ct);
    }
}
