using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Browser;

/// <summary>Issue 9 §1.8 and §3.6: the API answers problem details (RFC 9457) for every refusal and failure, never HTML.</summary>
public sealed class ApiProblemDetailsTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.True(body.TryGetProperty("code", out _), text);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        return body;
    }

    private static HttpRequestMessage Post(string query, string? token, HttpContent? content = null, bool browserAccept = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns" + query) { Content = content ?? new ByteArrayContent([1]) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (browserAccept)
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        return request;
    }

    private async Task<(ReturnFiles.Setup Setup, string Token)> TokenAsync()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        var token = (await new ApiTokenService(fixture.App.DataSource, TimeProvider.System).IssueAsync(setup.Admin, setup.PoliceId, "Problems")).Value!.Token;
        return (setup, token);
    }

    [Fact]
    public async Task NoTokenIs401ProblemDetailsWithABearerChallengeEvenForABrowser()
    {
        using var http = FormSignIn.Client(fixture.App);

        using var none = await http.SendAsync(Post("?period=1", null, browserAccept: true));
        using var wrong = await http.SendAsync(Post("?period=1", "sc_unknown"));

        await AssertProblemAsync(none, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task ASignedInBrowserCookieDoesNotOpenTheApi()
    {
        using var http = FormSignIn.Client(fixture.App);
        using var signIn = await FormSignIn.PostAsync(http, Actors.AdminEmail, Actors.Passwords[Actors.AdminEmail]);
        var cookie = FormSignIn.SetCookie(signIn, "scorecard.auth")!.Split(';')[0];
        using var request = Post("?period=1", null);
        request.Headers.Add("Cookie", cookie);

        using var response = await http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task AnotherAgencyIs403ProblemDetails()
    {
        var (setup, token) = await TokenAsync();
        var council = await Actors.AgencyIdAsync(fixture.App.DataSource, "Cheshire East Council");
        using var http = FormSignIn.Client(fixture.App);
        var bytes = await ReturnFiles.TemplateAsync(fixture.App.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);

        using var response = await http.SendAsync(Post($"?period={setup.PeriodId}&agency={council}", token, new ByteArrayContent(bytes)));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task UnknownAddressesOtherMethodsAndUnreadableParametersAreProblemDetails()
    {
        var (_, token) = await TokenAsync();
        using var http = FormSignIn.Client(fixture.App);

        using var missing = await http.GetAsync("/api/nothing-here");
        using var wrongMethod = await http.GetAsync("/api/returns");
        using var badPeriod = await http.SendAsync(Post("?period=not-a-number", token));
        using var noPeriod = await http.SendAsync(Post("", token));

        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "not_found");
        // Routing answers a GET to the POST-only address as not found (no GET endpoint exists there).
        await AssertProblemAsync(wrongMethod, HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(badPeriod, HttpStatusCode.BadRequest, "bad_request");
        await AssertProblemAsync(noPeriod, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task TooLargeAndRefusedFilesAreProblemDetailsWithTheirCellLevelMembers()
    {
        var (setup, token) = await TokenAsync();
        using var http = FormSignIn.Client(fixture.App);

        using var csv = await http.SendAsync(Post($"?period={setup.PeriodId}", token, new StringContent("code,value\nX,1\n")));
        using var big = await http.SendAsync(Post($"?period={setup.PeriodId}", token, new ByteArrayContent(new byte[6 * 1024 * 1024])));

        var refused = await AssertProblemAsync(csv, HttpStatusCode.UnsupportedMediaType, "refused");
        Assert.Equal(JsonValueKind.Array, refused.GetProperty("errors").ValueKind);
        await AssertProblemAsync(big, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task AServerFailureIsProblemDetailsWithoutInternals()
    {
        await using var app = await RunningApp.StartAsync();
        var setup = await ReturnFiles.SetupAsync(app.DataSource);
        var token = (await new ApiTokenService(app.DataSource, TimeProvider.System).IssueAsync(setup.Admin, setup.PoliceId, "Outage")).Value!.Token;
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        using var http = FormSignIn.Client(app);

        await TestDatabase.ExecuteOnServerAsync($"alter database {database} allow_connections false");
        HttpResponseMessage response;
        try
        {
            await TestDatabase.ExecuteOnServerAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}'");
            NpgsqlConnection.ClearAllPools();
            response = await http.SendAsync(Post($"?period={setup.PeriodId}", token, browserAccept: true));
        }
        finally
        {
            await TestDatabase.ExecuteOnServerAsync($"alter database {database} allow_connections true");
        }

        Assert.True((int)response.StatusCode >= 500);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", text[..Math.Min(text.Length, 3000)]);
        Assert.DoesNotContain("Npgsql", text);
        Assert.DoesNotContain("   at ", text);
        Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("traceId", out _));
    }
}
