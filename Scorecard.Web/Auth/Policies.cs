using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Scorecard.Data.Accounts;

namespace Scorecard.Web.Auth;

/// <summary>
/// The named authorization policies endpoints and pages use. Cookie policies name the cookie scheme and the API policy
/// names the bearer-token scheme, so a browser's cookie never authorises an API call and a token never opens a page.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user of a partnership.</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Administrators.</summary>
    public const string Admin = "Admin";

    /// <summary>QA subgroup members and administrators.</summary>
    public const string QaOrAdmin = "QaOrAdmin";

    /// <summary>Those who oversee every agency: administrators, QA members and executives.</summary>
    public const string Oversight = "Oversight";

    /// <summary>Those who send returns: administrators for any agency, agency users for their own.</summary>
    public const string ReturnSenders = "ReturnSenders";

    /// <summary>Agency users.</summary>
    public const string AgencyUser = "AgencyUser";

    /// <summary>A valid, unrevoked per-agency API token (<see cref="ApiTokenAuthenticationHandler"/>).</summary>
    public const string ApiAgency = "ApiAgency";

    public static void AddScorecardPolicies(this AuthorizationBuilder authorization)
    {
        authorization.AddPolicy(SignedIn, p => SignedInUser(p));
        authorization.AddPolicy(Admin, p => SignedInUser(p).RequireRole(Roles.Admin));
        authorization.AddPolicy(QaOrAdmin, p => SignedInUser(p).RequireRole(Roles.Admin, Roles.QaMember));
        authorization.AddPolicy(Oversight, p => SignedInUser(p).RequireRole(Roles.Admin, Roles.QaMember, Roles.Executive));
        authorization.AddPolicy(ReturnSenders, p => SignedInUser(p).RequireRole(Roles.Admin, Roles.AgencyUser));
        authorization.AddPolicy(AgencyUser, p => SignedInUser(p).RequireRole(Roles.AgencyUser));
        authorization.AddPolicy(ApiAgency, p => p
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiTokenClaims.TokenId));
    }

    private static AuthorizationPolicyBuilder SignedInUser(AuthorizationPolicyBuilder policy) => policy
        .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireClaim(ScorecardClaims.PartnershipId);
}
