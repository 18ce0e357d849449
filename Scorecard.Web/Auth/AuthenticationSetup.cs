using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Scorecard.Data.Accounts;
using Scorecard.Web.Endpoints;

namespace Scorecard.Web.Auth;

public static class AuthenticationSetup
{
    public const string OidcScheme = "oidc";

    /// <summary>True when OpenID Connect sign-in (e.g. Entra ID) is configured under Authentication:Oidc.</summary>
    public static bool OidcEnabled(IConfiguration config) => !string.IsNullOrWhiteSpace(config["Authentication:Oidc:Authority"]);

    public static IServiceCollection AddScorecardAuthentication(this IServiceCollection services, IConfiguration config)
    {
        var auth = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Cookie.Name = "scorecard.auth";
                // Secure whenever the request is HTTPS (directly, or as a trusted proxy says); script cannot read it;
                // sent on top-level navigations from elsewhere (links in e-mails) but not on cross-site posts.
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Every request re-checks the account: a deactivated user, or one whose role changed, is signed out
                // (and a database outage is a 503, not a sign-out: Faults/DatabaseOutage.cs).
                o.Events.OnValidatePrincipal = Faults.DatabaseOutage.ValidatePrincipalAsync;
                // The API never redirects to the sign-in page: it answers problem details.
                o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first.");
                o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden, "forbidden", "You may not do that.");
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        if (OidcEnabled(config))
        {
            auth.AddOpenIdConnect(OidcScheme, config["Authentication:Oidc:DisplayName"] ?? "single sign-on", o =>
            {
                o.Authority = config["Authentication:Oidc:Authority"];
                o.ClientId = config["Authentication:Oidc:ClientId"];
                o.ClientSecret = config["Authentication:Oidc:ClientSecret"];
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = false;
                // Claims keep the names the provider gave them (sub, oid, email, email_verified).
                o.MapInboundClaims = false;
                o.CallbackPath = "/signin-oidc";
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email" })
                    o.Scope.Add(scope);
                o.Events.OnTokenValidated = async context =>
                {
                    // The identity provider says who someone is; the local account says what they may do.
                    var identity = OidcIdentity.From(context.Principal!);
                    var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
                    var outcome = identity is null ? new SignInOutcome(SignInStatus.NoAccount) : await signIn.ExternalSignInAsync(identity, context.HttpContext.RequestAborted);
                    if (outcome.User is null)
                    {
                        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup))
                            .LogWarning("Single sign-on refused ({Status}) for subject {Subject}, e-mail {Email} (verified: {Verified})",
                                outcome.Status, identity?.Subject, identity?.Email, identity?.EmailVerified);
                        context.Fail(LoginErrors.CodeFor(outcome.Status));
                        return;
                    }
                    context.Principal = ScorecardClaims.CreatePrincipal(outcome.User, CookieAuthenticationDefaults.AuthenticationScheme);
                };
                o.Events.OnRemoteFailure = context =>
                {
                    // Only a fixed code travels in the URL; the sign-in page maps it to its own text.
                    var code = context.Failure?.Message is { } message && LoginErrors.IsKnown(message) ? message : LoginErrors.SingleSignOnFailed;
                    context.HandleResponse();
                    context.Response.Redirect("/account/login?error=" + code);
                    return Task.CompletedTask;
                };
            });
        }

        services.AddAuthorizationBuilder().AddScorecardPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();
        return services;
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string code, string detail)
    {
        if (ApiProblems.IsApi(context.HttpContext))
            return ApiProblems.WriteAsync(context.HttpContext, status, code, detail);
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Only local paths are followed after sign-in (no open redirects).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}

/// <summary>What linking needs from an OpenID Connect principal, read the same way whatever the provider.</summary>
public static class OidcIdentity
{
    /// <summary>
    /// The subject is Entra ID's <c>oid</c> (stable across applications) or the standard <c>sub</c>; the e-mail is the
    /// <c>email</c> claim only (never <c>preferred_username</c>, which a user or tenant can set to anything), and it is
    /// verified only when <c>email_verified</c> is true (a JSON boolean, or the string "true" some providers send).
    /// </summary>
    public static ExternalIdentity? From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirstValue("oid") ?? principal.FindFirstValue("sub") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrWhiteSpace(subject))
            return null;
        var email = principal.FindFirstValue("email") ?? principal.FindFirstValue(ClaimTypes.Email);
        var verified = bool.TryParse(principal.FindFirstValue("email_verified")?.Trim(), out var v) && v;
        return new ExternalIdentity(subject, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), verified);
    }
}

/// <summary>The sign-in page's <c>?error=</c> codes and their fixed messages: the page never shows text from the URL.</summary>
public static class LoginErrors
{
    public const string NotLinked = "not_linked";
    public const string NoAccount = "no_account";
    public const string Deactivated = "deactivated";
    public const string SingleSignOnFailed = "sso_failed";

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        [NotLinked] = "Your organisation's sign-in worked, but it is not linked to a Scorecard account, and your organisation "
            + "did not confirm your e-mail address. Ask your partnership's Scorecard administrator to link your sign-in to your "
            + "account (they need your organisation's ID for you, such as your Entra object ID), then try again.",
        [NoAccount] = "Your organisation's sign-in worked, but there is no Scorecard account for you. Ask your partnership's "
            + "Scorecard administrator to add you.",
        [Deactivated] = "This Scorecard account has been deactivated. Ask your administrator if you still need access.",
        [SingleSignOnFailed] = "Single sign-on did not complete. Try again, or sign in with your e-mail address and password.",
    };

    public static bool IsKnown(string? code) => code is not null && Messages.ContainsKey(code);

    /// <summary>The message for a code, or null for anything else (which is then ignored).</summary>
    public static string? MessageFor(string? code) => code is not null && Messages.TryGetValue(code, out var message) ? message : null;

    public static string CodeFor(SignInStatus status) => status switch
    {
        SignInStatus.NotLinked => NotLinked,
        SignInStatus.Deactivated => Deactivated,
        SignInStatus.NoAccount => NoAccount,
        _ => SingleSignOnFailed,
    };
}
