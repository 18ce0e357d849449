using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>Signing out, and starting single sign-on when it is configured. Signing in with a password is the login page's form.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app, IConfiguration config)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/logout", async (HttpContext context, [FromForm] string? returnUrl) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/login?signedOut=true");
        });
        if (AuthenticationSetup.OidcEnabled(config))
        {
            account.MapGet("/external", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = AuthenticationSetup.SafeReturnUrl(returnUrl) }, [AuthenticationSetup.OidcScheme]))
                .AllowAnonymous();
        }
    }
}
