using Microsoft.AspNetCore.Mvc;

namespace Scorecard.Web.Endpoints;

/// <summary>
/// Problem details (RFC 9457) for the API: every answer of <c>/api/…</c> that is not a success is
/// <c>application/problem+json</c> with <c>type</c>, <c>title</c>, <c>status</c> (the HTTP status), <c>detail</c>, a
/// stable <c>code</c> (<c>unauthorized</c>, <c>too_large</c>, …), <c>message</c> (= detail) and <c>traceId</c>.
/// </summary>
public static class ApiProblems
{
    public const string PathPrefix = "/api";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(PathPrefix);

    /// <summary>A problem for <paramref name="status"/> with a fixed <paramref name="code"/> and our own <paramref name="detail"/>
    /// (never text the caller sent).</summary>
    public static ProblemDetails Create(int status, string code, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        problem.Extensions["code"] = code;
        problem.Extensions["message"] = detail;
        foreach (var (key, value) in extensions ?? [])
            problem.Extensions[key] = value;
        return problem;
    }

    public static IResult Result(int status, string code, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        Results.Problem(Create(status, code, detail, extensions));

    /// <summary>Writes the problem as the response (JSON whatever the Accept header says).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        // The traceId is what an administrator looks for in the log; set here because a caller that does not accept
        // JSON bypasses the problem details writer that would add it.
        var problem = Create(status, code, detail);
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        return Results.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>The code for a status the framework sets by itself (no endpoint, wrong method, body too large…).</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status415UnsupportedMediaType => "refused",
        StatusCodes.Status429TooManyRequests => "too_many_requests",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        >= 500 => "server_error",
        _ => "error",
    };

    public static string DetailFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid: check its parameters against the README's Import API section.",
        StatusCodes.Status401Unauthorized => "Sign in, or send a valid API token.",
        StatusCodes.Status403Forbidden => "You may not do that.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This API address does not accept that method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than Scorecard accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Scorecard does not accept that kind of content here.",
        StatusCodes.Status429TooManyRequests => "Too many requests. Wait for the time in Retry-After, then try again.",
        StatusCodes.Status503ServiceUnavailable => "The service is unavailable. Try again shortly.",
        >= 500 => "Something went wrong on the server. It has been logged; try again, or tell your administrator with the traceId.",
        _ => "The request could not be handled.",
    };
}
