using System.Security.Claims;
using Scorecard.Data.Accounts;

namespace Scorecard.Web.Auth;

/// <summary>The claims a Scorecard cookie carries, and the <see cref="Actor"/> built from them.</summary>
public static class ScorecardClaims
{
    public const string PartnershipId = "scorecard:partnership_id";
    public const string PartnershipName = "scorecard:partnership_name";
    public const string PartnershipShortName = "scorecard:partnership_short_name";
    public const string AgencyId = "scorecard:agency_id";
    public const string AgencyName = "scorecard:agency_name";
    public const string SecurityStamp = "scorecard:security_stamp";

    public static ClaimsPrincipal CreatePrincipal(SignedInUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.UserId.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(PartnershipId, user.PartnershipId.ToString()),
            new(PartnershipName, user.PartnershipName),
            new(PartnershipShortName, user.PartnershipShortName),
            new(SecurityStamp, user.SecurityStamp.ToString()),
        };
        if (user.AgencyId is { } agencyId)
        {
            claims.Add(new Claim(AgencyId, agencyId.ToString()));
            claims.Add(new Claim(AgencyName, user.AgencyName ?? ""));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The actor for a signed-in principal, or null when the principal is not one of ours.</summary>
    public static Actor? ToActor(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !int.TryParse(principal.FindFirstValue(PartnershipId), out var partnershipId)
            || !int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || principal.FindFirstValue(ClaimTypes.Role) is not { } role
            || !Roles.All.Contains(role))
            return null;
        int? agencyId = int.TryParse(principal.FindFirstValue(AgencyId), out var a) ? a : null;
        return new Actor(partnershipId, userId, principal.FindFirstValue(ClaimTypes.Name) ?? "", Roles.Parse(role), agencyId);
    }

    /// <summary>The actor of a request that passed a signed-in policy (<see cref="Policies"/>); refused otherwise.</summary>
    public static Actor RequireActor(ClaimsPrincipal principal) =>
        ToActor(principal) ?? throw new AccessDeniedException("Sign in to use Scorecard.");

    public static (int PartnershipId, int UserId, Guid Stamp)? SessionKey(ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(PartnershipId), out var p)
        && int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var u)
        && Guid.TryParse(principal.FindFirstValue(SecurityStamp), out var s)
            ? (p, u, s)
            : null;
}
