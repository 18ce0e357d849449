using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Database;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Faults;

/// <summary>
/// While the database is down, a request that needs it gets a plain "service unavailable, try again shortly" answer
/// (503 with Retry-After; an HTML page that needs neither the database nor sign-in, or JSON problem details for the API)
/// instead of an exception page or an empty 500, and the next request after the database is back just works.
/// </summary>
public static class DatabaseOutage
{
    public const string Title = "The service is unavailable";
    public const string Detail = "Scorecard cannot reach its database just now. Try again shortly.";
    private const int RetryAfterSeconds = 5;

    /// <summary>Turns database outages anywhere later in the pipeline (sign-in checks, pages, API) into a 503.</summary>
    public static IApplicationBuilder UseDatabaseOutagePage(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (DatabaseFaults.IsOutage(e) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Scorecard.DatabaseOutage");
            // An outage is not a bug: its message is enough, without the stack.
            logger.LogWarning("The database is unavailable: {Method} {Path} answered 503 ({Error})",
                context.Request.Method, context.Request.Path, string.Join(" → ", Messages(e)));
            // Its idle connections may all be dead: the next request opens new ones.
            context.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
            await WriteAsync(context);
        }
    });

    private static IEnumerable<string> Messages(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e.Message;
    }

    /// <summary>Writes the 503 answer: problem details for API callers, else the page.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        response.Headers.CacheControl = "no-store";
        if (WantsJson(context.Request))
        {
            response.ContentType = "application/problem+json";
            await response.WriteAsync(JsonSerializer.Serialize(new
            {
                type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
                title = Title,
                status = StatusCodes.Status503ServiceUnavailable,
                detail = Detail,
                retryAfterSeconds = RetryAfterSeconds,
            }), context.RequestAborted);
            return;
        }
        response.ContentType = MediaTypeNames.Text.Html + "; charset=utf-8";
        await response.WriteAsync(Page, context.RequestAborted);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        || (request.Headers.Accept.ToString() is { } accept && accept.Contains("json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    // Self-contained (no stylesheet, script or database): it must render while everything behind it is down.
    private static readonly string Page = $$"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1.0" />
        <meta http-equiv="refresh" content="{{RetryAfterSeconds * 3}}" />
        <title>Service unavailable · Scorecard</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #1e3a5f; color: #1b1f24; margin: 0; }
        main { max-width: 34rem; margin: 12vh auto; background: #fff; border-radius: 10px; padding: 32px; }
        h1 { font-size: 1.5rem; margin: 0 0 12px; }
        a { color: #1d4e89; }
        </style>
        </head>
        <body>
        <main>
        <h1>{{Title}}</h1>
        <p>{{Detail}}</p>
        <p>Nothing you were doing has been lost: work is saved only when the database confirms it. This page tries again by itself every {{RetryAfterSeconds * 3}} seconds, or <a href="">try again now</a>.</p>
        </main>
        </body>
        </html>
        """;

    /// <summary>
    /// The cookie's per-request account check (<c>OnValidatePrincipal</c>). A deactivated account, or one whose role,
    /// agency or password changed, is signed out. When the database cannot be asked, the account is neither trusted nor
    /// signed out: a request that needs sign-in fails with the outage (503 above); one that does not (static files,
    /// sign-in page, health) goes on anonymously, keeping the cookie for when the database is back.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var key = context.Principal is null ? null : ScorecardClaims.SessionKey(context.Principal);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        bool valid;
        try
        {
            valid = key is not null && await signIn.IsSessionValidAsync(key.Value.PartnershipId, key.Value.UserId, key.Value.Stamp, context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (DatabaseFaults.IsOutage(e) && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            context.RejectPrincipal();
            return;
        }
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
