using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;
using Scorecard.Data.Accounts;
using Scorecard.Web.Endpoints;

namespace Scorecard.Web.Auth;

/// <summary>
/// The one place that turns exceptions escaping an endpoint into answers. <see cref="AccessDeniedException"/> (the Data
/// layer refusing someone: an edited id or URL) becomes 403 and is logged with who asked for what. Under <c>/api</c> every
/// exception becomes problem details (403, the status of a bad request such as 413, else 500 with no internals). Outside
/// the API an access refusal is a bare 403 that the status-code page renders, and anything else goes to the error page.
/// </summary>
public sealed class ScorecardExceptionHandler(ILogger<ScorecardExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is AccessDeniedException denied)
        {
            logger.LogWarning("Access denied to {Who} for {Method} {Path}: {Reason}",
                Who(context.User), context.Request.Method, context.Request.Path.Value, denied.Message);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (ApiProblems.IsApi(context))
                await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", denied.Message);
            return true;
        }
        if (!ApiProblems.IsApi(context))
            return false;
        var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        if (status >= 500)
            logger.LogError(exception, "Unhandled exception in {Method} {Path}", context.Request.Method, context.Request.Path.Value);
        await ApiProblems.WriteAsync(context, status, ApiProblems.CodeFor(status), ApiProblems.DetailFor(status));
        return true;
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
