using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using Scorecard.Web.Endpoints;

namespace Scorecard.Web.Auth;

/// <summary>Requests allowed per client per minute (fixed one-minute windows). Bound from <c>Scorecard:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Password sign-in attempts (POST /account/login) and single sign-on starts per client address.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Import API requests per client address, and separately per API token.</summary>
    public int ApiPerMinute { get; set; } = 60;
}

/// <summary>
/// ASP.NET Core's rate limiter on the two doors an attacker hammers: password sign-in and the import API. Each is limited
/// per client address (after trusted proxies, so behind a proxy it is the real client), and the API also per token (the
/// token's hash, whether valid or not), so many addresses cannot share one token's budget. Beyond the limit the answer is
/// 429 with Retry-After: problem details on the API, a short page on sign-in.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddScorecardRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().Bind(config.GetSection("Scorecard:RateLimits"))
            .Validate(o => o.SignInPerMinute > 0 && o.ApiPerMinute > 0, "Scorecard:RateLimits values must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(ByClientAddress(), ByApiToken());
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static bool IsSignIn(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) && request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase))
        || request.Path.Equals("/account/external", StringComparison.OrdinalIgnoreCase);

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(ApiProblems.PathPrefix);

    private static RateLimitOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;

    private static PartitionedRateLimiter<HttpContext> ByClientAddress() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (IsSignIn(context.Request))
            return PerMinute("sign-in " + client, Limits(context).SignInPerMinute);
        if (IsApi(context.Request))
            return PerMinute("api " + client, Limits(context).ApiPerMinute);
        return RateLimitPartition.GetNoLimiter("");
    });

    private static PartitionedRateLimiter<HttpContext> ByApiToken() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!IsApi(context.Request) || authorization.Length == 0)
            return RateLimitPartition.GetNoLimiter("");
        // The partition key is a hash: the limiter never keeps a token itself.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        return PerMinute("token " + key, Limits(context).ApiPerMinute);
    });

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits))
            .LogWarning("Rate limit reached by {Client} on {Method} {Path}", context.Connection.RemoteIpAddress, context.Request.Method, context.Request.Path.Value);
        if (IsApi(context.Request))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "too_many_requests",
                $"Too many requests. Try again in {seconds} seconds.");
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>Too many sign-in attempts · Scorecard</title></head>
            <body><main><h1>Too many sign-in attempts</h1>
            <p>There have been too many sign-in attempts from your network. Wait {{seconds}} seconds, then <a href="/account/login">try again</a>.</p>
            </main></body></html>
            """, ct);
    }
}
