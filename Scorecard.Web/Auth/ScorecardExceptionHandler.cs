using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;
using Scorecard.Data.Accounts;
using Scorecard.Web.Endpoints;

namespace Scorecard.Web.Auth;

/// <summary>
/// The one place that turns exceptions escaping an endpoint into answers. <see cref="AccessDeniedException"/> (the Data
/// layer refusing someone: an edited id or URL) becomes 403 and is logged with who asked for what. Under <c>/api</c> every
/// exception becomes problem details (403, the status of a bad request such as 413, else 500 with no internals). Outside
/// the API an access refusal is a 403 with a short page, and anything else goes to the error page.
/// </summary>
public sealed class ScorecardExceptionHandler(ILogger<ScorecardExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // By now the request's path is the error page's; the feature keeps the path that failed.
        var path = context.Features.Get<IExceptionHandlerFeature>()?.Path ?? context.Request.Path.Value ?? "";
        var isApi = new PathString(path).StartsWithSegments(ApiProblems.PathPrefix);
        if (exception is AccessDeniedException denied)
        {
            logger.LogWarning("Access denied to {Who} for {Method} {Path}: {Reason}", Who(context.User), context.Request.Method, path, denied.Message);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (isApi)
                await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", denied.Message);
            else
                await WriteAccessDeniedPageAsync(context, ct);
            return true;
        }
        if (!isApi)
            return false;
        var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        if (status >= 500)
            logger.LogError(exception, "Unhandled exception in {Method} {Path}", context.Request.Method, path);
        await ApiProblems.WriteAsync(context, status, ApiProblems.CodeFor(status), ApiProblems.DetailFor(status));
        return true;
    }

    /// <summary>A plain page for a browser that followed a link (a download, an export) it may not have: fixed text only.</summary>
    private static Task WriteAccessDeniedPageAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync("""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>Access denied · Scorecard</title></head>
            <body><main><h1>Access denied</h1>
            <p>You do not have access to that. If you think you should, ask your partnership's Scorecard administrator.</p>
            <p><a href="/">Back to Scorecard</a></p></main></body></html>
            """, ct);
    }

    /// <summary>"user 12 (Jo Bloggs)", "API token 3 (Police records system)" or "anonymous".</summary>
    public static string Who(ClaimsPrincipal user)
    {
        var name = user.FindFirstValue(ClaimTypes.Name);
        if (user.FindFirstValue(ApiTokenClaims.TokenId) is { } tokenId)
            return $"API token {tokenId} ({name})";
        return user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? $"user {userId} ({name}) of partnership {user.FindFirstValue(ScorecardClaims.PartnershipId)}"
            : "anonymous";
    }
}
