using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Scorecard.Web.Auth;

/// <summary>
/// Security headers on every response. The Content Security Policy is what Blazor Server, MudBlazor and Plotly.Blazor
/// need and no more (checked in the browser tests, which fail on any CSP violation):
/// scripts only from this origin, plus the one inline import map Blazor writes, allowed by a per-request nonce (no
/// <c>'unsafe-inline'</c> or <c>'unsafe-eval'</c> for scripts: Blazor Server needs neither); styles from this origin and
/// inline, because MudBlazor sets <c>style</c> attributes and Plotly writes its own <c>&lt;style&gt;</c> rules at run time;
/// images from this origin and <c>data:</c> (Plotly's mode bar); the circuit's WebSocket to this origin; no plugins,
/// no framing by anyone (<c>frame-ancestors 'none'</c>), forms posting only here.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "scorecard.csp-nonce";

    /// <summary>The nonce of this response's Content Security Policy, for the inline script Blazor writes (the import map).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce)
            return nonce;
        // Hex: nothing in it needs encoding in a header or an HTML attribute.
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>Adds the headers to every response, whoever writes it (pages, endpoints, static files, errors).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Nonce(context);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy(nonce);
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers[HeaderNames.XFrameOptions] = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
