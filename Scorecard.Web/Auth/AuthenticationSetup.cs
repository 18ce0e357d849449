using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using Scorecard.Data.Accounts;

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
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Every request re-checks the account: a deactivated user, or one whose role changed, is signed out
                // (and a database outage is a 503, not a sign-out: Faults/DatabaseOutage.cs).
                o.Events.OnValidatePrincipal = Faults.DatabaseOutage.ValidatePrincipalAsync;
            });

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
                o.CallbackPath = "/signin-oidc";
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email" })
                    o.Scope.Add(scope);
                o.Events.OnTokenValidated = async context =>
                {
                    // The identity provider says who someone is; the local account says what they may do.
                    var principal = context.Principal!;
                    var subject = principal.FindFirstValue("oid") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub");
                    var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("email");
                    var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
                    var outcome = subject is null ? new SignInOutcome(SignInStatus.NoAccount) : await signIn.ExternalSignInAsync(subject, email);
                    if (outcome.User is null)
                    {
                        context.Fail(outcome.Status == SignInStatus.Deactivated
                            ? "This Scorecard account has been deactivated."
                            : $"There is no Scorecard account for {email ?? "this sign-in"}. Ask your administrator to add you.");
                        return;
                    }
                    context.Principal = ScorecardClaims.CreatePrincipal(outcome.User, CookieAuthenticationDefaults.AuthenticationScheme);
                };
                o.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect("/account/login?error=" + Uri.EscapeDataString(context.Failure?.Message ?? "Single sign-on failed."));
                    return Task.CompletedTask;
                };
            });
        }

        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();
        return services;
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app, IConfiguration config)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/logout", async (HttpContext context, [FromForm] string? returnUrl) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/login?signedOut=true");
        });
        if (OidcEnabled(config))
        {
            account.MapGet("/external", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OidcScheme])).AllowAnonymous();
        }
    }

    /// <summary>Only local paths are followed after sign-in (no open redirects).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
