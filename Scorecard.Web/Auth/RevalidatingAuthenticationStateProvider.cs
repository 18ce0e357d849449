using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Database;

namespace Scorecard.Web.Auth;

/// <summary>
/// Re-checks an open circuit's user against the database every <see cref="RevalidationInterval"/>: a deactivated
/// account, or one whose role, agency or password changed (new security stamp), loses access within that interval.
/// </summary>
/// A database outage is "cannot check now": the circuit keeps its user until the next check rather than signing out or
/// stopping revalidation for good (what the base class does when the check throws).
public sealed class RevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, SignInService signIn, IOptions<RevalidationOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<RevalidatingAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => options.Value.Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (ScorecardClaims.SessionKey(state.User) is not { } key)
            return false;
        try
        {
            return await signIn.IsSessionValidAsync(key.PartnershipId, key.UserId, key.Stamp, ct);
        }
        catch (Exception e) when (DatabaseFaults.IsOutage(e))
        {
            logger.LogWarning("Cannot re-check user {UserId} while the database is unavailable ({Error}); checking again in {Seconds} s",
                key.UserId, e.Message, options.Value.RevalidateSeconds);
            return true;
        }
    }
}
