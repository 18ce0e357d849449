using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Browser;

/// <summary>POST /api/returns: token auth, dry run, commit, JSON errors, agency scope; the same path as the page.</summary>
public sealed class ReturnApiTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(fixture.App.BaseUrl) };

    private async Task<(ReturnFiles.Setup Setup, string Token, int TokenId)> TokenAsync()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        var issued = await new ApiTokenService(fixture.App.DataSource, TimeProvider.System).IssueAsync(setup.Admin, setup.PoliceId, "Police records system");
        Assert.True(issued.Succeeded);
        return (setup, issued.Value!.Token, issued.Value.Id);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string? token, string query, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns" + query) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    private async Task<byte[]> FilledAsync(ReturnFiles.Setup setup, string note) =>
        ReturnFiles.Fill(await ReturnFiles.TemplateAsync(fixture.App.DataSource, setup.Police, setup.PoliceId, setup.PeriodId),
            ws => ws.Cell(ReturnFiles.FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = note);

    [Fact]
    public async Task WithoutAValidTokenTheApiAnswers401()
    {
        var (setup, _, _) = await TokenAsync();
        var bytes = await FilledAsync(setup, "no token");

        var none = await PostAsync(null, $"?period={setup.PeriodId}", bytes);
        var wrong = await PostAsync("sc_not-a-real-token", $"?period={setup.PeriodId}", bytes);

        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        // Refusals are problem details (RFC 9457): status is the HTTP status, code the stable word.
        Assert.Equal("unauthorized", none.Body.GetProperty("code").GetString());
        Assert.Equal(401, none.Body.GetProperty("status").GetInt32());
        Assert.Equal("unauthorized", wrong.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ADryRunValidatesAndWritesNothingThenACommitCreatesTheNextVersion()
    {
        var (setup, token, tokenId) = await TokenAsync();
        var bytes = await FilledAsync(setup, "api commit");
        var returns = await Actors.CountAsync(fixture.App.DataSource, "data_return");

        var dry = await PostAsync(token, $"?period={setup.PeriodId}&dryRun=true", bytes);

        Assert.Equal(HttpStatusCode.OK, dry.Status);
        Assert.Equal("valid", dry.Body.GetProperty("status").GetString());
        Assert.Equal(0, dry.Body.GetProperty("errors").GetArrayLength());
        Assert.True(dry.Body.GetProperty("rows").GetArrayLength() > 0);
        Assert.Equal(returns, await Actors.CountAsync(fixture.App.DataSource, "data_return"));

        var commit = await PostAsync(token, $"?period={setup.PeriodId}&fileName=police-api.xlsx", bytes);

        Assert.Equal(HttpStatusCode.Created, commit.Status);
        Assert.Equal("committed", commit.Body.GetProperty("status").GetString());
        var version = commit.Body.GetProperty("version").GetInt32();
        var stored = (await new ReturnQueries(fixture.App.DataSource, TimeProvider.System).ListVersionsAsync(setup.Admin, setup.PoliceId, setup.PeriodId))[0];
        Assert.Equal((version, ReturnStatus.Accepted, ReturnSource.Api, "police-api.xlsx"), (stored.Version, stored.Status, stored.Source, stored.FileName));
        Assert.Equal(1, await Actors.CountAsync(fixture.App.DataSource, "data_return", $"api_token_id = {tokenId} and submitted_by is null"));
        Assert.Equal(1, await Actors.CountAsync(fixture.App.DataSource, "api_token", $"id = {tokenId} and last_used_at is not null"));

        var again = await PostAsync(token, $"?period={setup.PeriodId}", bytes);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("unchanged", again.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARevokedTokenIsRefusedWith401()
    {
        var (setup, token, tokenId) = await TokenAsync();
        Assert.True((await new ApiTokenService(fixture.App.DataSource, TimeProvider.System).RevokeAsync(setup.Admin, tokenId)).Succeeded);

        var result = await PostAsync(token, $"?period={setup.PeriodId}&dryRun=true", await FilledAsync(setup, "revoked"));

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
    }

    [Fact]
    public async Task ValidationErrorsComeBackAsJsonWith422AndCellAddresses()
    {
        var (setup, token, _) = await TokenAsync();
        var row = 0;
        var bytes = ReturnFiles.Fill(await ReturnFiles.TemplateAsync(fixture.App.DataSource, setup.Police, setup.PoliceId, setup.PeriodId), ws =>
        {
            row = ReturnFiles.FirstCountRow(ws);
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = "lots";
        });
        var returns = await Actors.CountAsync(fixture.App.DataSource, "data_return");

        var result = await PostAsync(token, $"?period={setup.PeriodId}", bytes);

        Assert.Equal((HttpStatusCode)422, result.Status);
        var error = Assert.Single(result.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal("Return", error.GetProperty("sheet").GetString());
        Assert.Equal($"F{row}", error.GetProperty("cell").GetString());
        Assert.Equal("\"lots\" is not a number. Enter the value as a number only, without words or symbols.", error.GetProperty("message").GetString());
        Assert.Equal(returns, await Actors.CountAsync(fixture.App.DataSource, "data_return"));
    }

    [Fact]
    public async Task AFileThatIsNotAnXlsxIsRefusedWith415AndAnOversizedOneWith413()
    {
        var (setup, token, _) = await TokenAsync();

        var csv = await PostAsync(token, $"?period={setup.PeriodId}", ReturnFiles.Csv());
        var big = await PostAsync(token, $"?period={setup.PeriodId}", new byte[6 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csv.Status);
        Assert.StartsWith("This is a text or CSV file", csv.Body.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.Status);
        Assert.Equal("too_large", big.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task APoliceTokenCannotSendTheSchoolsReturnByEditingTheAgencyId()
    {
        var (setup, token, _) = await TokenAsync();
        var school = ReturnFiles.Fill(await ReturnFiles.TemplateAsync(fixture.App.DataSource, setup.School, setup.SchoolId, setup.PeriodId));
        var returns = await Actors.CountAsync(fixture.App.DataSource, "data_return");

        var byId = await PostAsync(token, $"?period={setup.PeriodId}&agency={setup.SchoolId}", school);
        var byFile = await PostAsync(token, $"?period={setup.PeriodId}", school);

        Assert.Equal(HttpStatusCode.Forbidden, byId.Status);
        Assert.Equal((HttpStatusCode)422, byFile.Status);
        Assert.StartsWith("This template was made for another agency", byFile.Body.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(returns, await Actors.CountAsync(fixture.App.DataSource, "data_return"));
    }

    [Fact]
    public async Task AMultipartUploadIsAcceptedToo()
    {
        var (setup, token, _) = await TokenAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await FilledAsync(setup, "multipart")), "file", "multipart.xlsx" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/returns?period={setup.PeriodId}&dryRun=true") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"valid\"", await response.Content.ReadAsStringAsync());
    }
}
