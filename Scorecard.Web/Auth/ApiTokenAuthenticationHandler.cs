using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Scorecard.Data.Returns;
using Scorecard.Web.Endpoints;

namespace Scorecard.Web.Auth;

/// <summary>The claims of a request authenticated by a per-agency API token, and the token identity read back from them.</summary>
public static class ApiTokenClaims
{
    public const string TokenId = "scorecard:api_token_id";

    public static ClaimsPrincipal CreatePrincipal(ApiTokenIdentity identity) => new(new ClaimsIdentity(
    [
        new Claim(TokenId, identity.TokenId.ToString()),
        new Claim(ScorecardClaims.PartnershipId, identity.PartnershipId.ToString()),
        new Claim(ScorecardClaims.AgencyId, identity.AgencyId.ToString()),
        new Claim(ClaimTypes.Name, identity.Name),
    ], ApiTokenAuthenticationHandler.SchemeName, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The token a request was authenticated with, or null when it was not authenticated by a token.</summary>
    public static ApiTokenIdentity? ToIdentity(ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(TokenId), out var tokenId)
        && int.TryParse(principal.FindFirstValue(ScorecardClaims.PartnershipId), out var partnershipId)
        && int.TryParse(principal.FindFirstValue(ScorecardClaims.AgencyId), out var agencyId)
            ? new ApiTokenIdentity(partnershipId, tokenId, agencyId, principal.FindFirstValue(ClaimTypes.Name) ?? "")
            : null;
}

/// <summary>
/// Authenticates <c>Authorization: Bearer sc_…</c> with the per-agency API tokens (<see cref="ApiTokenService"/>: only a
/// token's SHA-256 is stored; revoking is immediate). No header is "no result"; an unknown or revoked token fails. The
/// challenge and the refusal answer JSON problem details (RFC 9457), never a redirect to the sign-in page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var identity = await tokens.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        if (identity is null)
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        return AuthenticateResult.Success(new AuthenticationTicket(ApiTokenClaims.CreatePrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var sentOne = Request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);
        // RFC 6750 §3: say which scheme is expected, and that a token sent was not valid.
        Response.Headers.WWWAuthenticate = sentOne ? "Bearer error=\"invalid_token\"" : "Bearer";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized",
            "Send a valid, unrevoked API token as \"Authorization: Bearer <token>\".");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "This API token may not do that.");
}
