using System.Net;
using System.Text.RegularExpressions;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Browser;

/// <summary>Issue 9 §3.4: security headers on every response, HSTS and Secure cookies when a trusted proxy says HTTPS.</summary>
public sealed partial class TransportSecurityTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    private static void ViaHttpsProxy(HttpRequestMessage request)
    {
        // The test client connects from loopback, which is the proxy trusted when none is configured.
        request.Headers.Host = "scorecard.example";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.20");
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/healthz")]
    [InlineData("/favicon.svg")]
    [InlineData("/measures")]
    [InlineData("/api/nothing-here")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var http = FormSignIn.Client(fixture.App);

        using var response = await http.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Matches(@"script-src 'self' 'nonce-[0-9A-F]{32}';", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single());
    }

    [Fact]
    public async Task TheInlineImportMapCarriesThisResponsesNonceAndEachResponseHasItsOwn()
    {
        using var http = FormSignIn.Client(fixture.App);

        using var first = await http.GetAsync("/account/login");
        using var second = await http.GetAsync("/account/login");

        var nonce = NonceIn().Match(first.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", await first.Content.ReadAsStringAsync());
        Assert.NotEqual(nonce, NonceIn().Match(second.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value);
    }

    [Fact]
    public async Task OverPlainHttpThereIsNoHstsAndCookiesAreNotSecureButAreHttpOnlyAndLax()
    {
        using var http = FormSignIn.Client(fixture.App);

        using var response = await FormSignIn.PostAsync(http, Actors.QaEmail, Actors.Passwords[Actors.QaEmail]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var cookie = FormSignIn.SetCookie(response, "scorecard.auth")!.ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", ""));
    }

    [Fact]
    public async Task BehindATrustedProxySayingHttpsTheAnswerSendsHstsAndEveryCookieIsSecure()
    {
        using var http = FormSignIn.Client(fixture.App);

        using var page = await http.SendAsync(Decorated(new HttpRequestMessage(HttpMethod.Get, "/account/login")));
        using var signedIn = await FormSignIn.PostAsync(http, Actors.QaEmail, Actors.Passwords[Actors.QaEmail], ViaHttpsProxy);

        Assert.Equal("max-age=31536000; includeSubDomains", page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c.ToLowerInvariant().Replace("samesite", "")));
        var auth = FormSignIn.SetCookie(signedIn, "scorecard.auth")!.ToLowerInvariant();
        Assert.Contains("; secure", auth);
        Assert.Contains("httponly", auth);
        Assert.Contains("samesite=lax", auth);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnAddressThatIsNotAConfiguredProxyAreIgnored()
    {
        await using var app = await RunningApp.StartAsync(null, "--Scorecard:ForwardedHeaders:KnownProxies=192.0.2.1");
        using var http = FormSignIn.Client(app);

        using var response = await http.SendAsync(Decorated(new HttpRequestMessage(HttpMethod.Get, "/account/login")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c.ToLowerInvariant().Replace("samesite", "")));
    }

    private static HttpRequestMessage Decorated(HttpRequestMessage request)
    {
        ViaHttpsProxy(request);
        return request;
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceIn();
}
