using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Browser;

/// <summary>Issue 9 §3.5: sign-in and the import API are rate-limited per client (and per token), answering 429 with Retry-After.</summary>
public sealed class RateLimitTests
{
    private static Action<HttpRequestMessage> From(string client) => request => request.Headers.Add("X-Forwarded-For", client);

    [Fact]
    public async Task SignInAttemptsBeyondTheLimitFromOneClientAre429WithRetryAfterWhileOtherClientsGoOn()
    {
        await using var app = await RunningApp.StartAsync(null, "--Scorecard:RateLimits:SignInPerMinute=3");
        using var http = FormSignIn.Client(app);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await FormSignIn.PostAsync(http, Actors.QaEmail, "wrong-password", From("203.0.113.9"))).StatusCode);
        using var limited = await FormSignIn.PostAsync(http, Actors.QaEmail, Actors.Passwords[Actors.QaEmail], From("203.0.113.9"));
        using var other = await FormSignIn.PostAsync(http, Actors.QaEmail, Actors.Passwords[Actors.QaEmail], From("203.0.113.10"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync());
        Assert.Null(FormSignIn.SetCookie(limited, "scorecard.auth"));
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.NotNull(FormSignIn.SetCookie(other, "scorecard.auth"));
    }

    [Fact]
    public async Task ImportApiCallsBeyondTheLimitAre429ProblemDetailsWithRetryAfterPerClientAndPerToken()
    {
        await using var app = await RunningApp.StartAsync(null, "--Scorecard:RateLimits:ApiPerMinute=2");
        var setup = await ReturnFiles.SetupAsync(app.DataSource);
        var token = (await new ApiTokenService(app.DataSource, TimeProvider.System).IssueAsync(setup.Admin, setup.PoliceId, "Rate limited")).Value!.Token;
        using var http = FormSignIn.Client(app);

        async Task<HttpResponseMessage> PostAsync(string client, string? bearer)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns") { Content = new ByteArrayContent([1, 2, 3]) };
            request.Headers.Add("X-Forwarded-For", client);
            if (bearer is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("203.0.113.20", token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("203.0.113.21", token)).StatusCode);
        using var sameToken = await PostAsync("203.0.113.22", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("203.0.113.30", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("203.0.113.30", null)).StatusCode);
        using var sameClient = await PostAsync("203.0.113.30", null);

        foreach (var limited in new[] { sameToken, sameClient })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
            var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(429, body.GetProperty("status").GetInt32());
            Assert.Equal("too_many_requests", body.GetProperty("code").GetString());
        }
    }
}
