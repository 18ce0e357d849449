using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Hostile uploads through the real app on Kestrel (issue 9 §1): the status and JSON an attacker gets back, never a 500,
/// never the refused text, and stored originals served back only as downloads.
/// </summary>
public sealed class HostileUploadApiTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(fixture.App.BaseUrl) };

    private async Task<(ReturnFiles.Setup Setup, string Token)> TokenAsync()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        var issued = await new ApiTokenService(fixture.App.DataSource, TimeProvider.System).IssueAsync(setup.Admin, setup.PoliceId, "Hostile tests");
        Assert.True(issued.Succeeded);
        return (setup, issued.Value!.Token);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, long Length)> PostAsync(string token, string query, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns" + query) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        // Always JSON: problem details (RFC 9457) for a refusal, plain JSON for a result.
        Assert.Equal((int)response.StatusCode >= 400 ? "application/problem+json" : "application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone(), json.Length);
    }

    private async Task<byte[]> TemplateAsync(ReturnFiles.Setup setup) =>
        await ReturnFiles.TemplateAsync(fixture.App.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);

    [Fact]
    public async Task AHugeNumberInADryRunAnswers422WithACellErrorNotA500()
    {
        var (setup, token) = await TokenAsync();
        var template = await TemplateAsync(setup);
        var row = 0;
        ReturnFiles.CodeAt(template, ws => row = ReturnFiles.FirstCountRow(ws));
        var bytes = ReturnFiles.SetCellXml(ReturnFiles.Fill(template), ReturnTemplateLayout.ReturnSheet, $"F{row}", x => $"<{x}v>79228162514264337593543950335</{x}v>");

        var dry = await PostAsync(token, $"?period={setup.PeriodId}&dryRun=true", new ByteArrayContent(bytes));

        Assert.Equal((HttpStatusCode)422, dry.Status);
        var error = Assert.Single(dry.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal($"F{row}", error.GetProperty("cell").GetString());
        Assert.StartsWith("The value 79228162514264337593543950335 is larger than Scorecard accepts for a count", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AMalformedCellReferenceAnswers422()
    {
        var (setup, token) = await TokenAsync();
        var template = await TemplateAsync(setup);
        var row = 0;
        ReturnFiles.CodeAt(template, ws => row = ReturnFiles.FirstCountRow(ws));
        var bytes = ReturnFiles.ReplacePart(ReturnFiles.Fill(template), ReturnFiles.SheetPart(template, ReturnTemplateLayout.ReturnSheet),
            xml => xml.Replace($" r=\"F{row}\"", $" r=\"FZZZZZZ{row}\""));

        var result = await PostAsync(token, $"?period={setup.PeriodId}", new ByteArrayContent(bytes));

        Assert.Equal((HttpStatusCode)422, result.Status);
        Assert.Equal($"FZZZZZZ{row}", result.Body.GetProperty("errors")[0].GetProperty("cell").GetString());
    }

    [Fact]
    public async Task AChunked50MegabyteBodySaysTheLimitWithoutAContradictoryNumber()
    {
        var (setup, token) = await TokenAsync();
        var returns = await Actors.CountAsync(fixture.App.DataSource, "data_return");
        var content = new StreamContent(new ZeroStream(50L * 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var result = await PostAsync(token, $"?period={setup.PeriodId}", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Equal("The file is larger than 5 MB, the most Scorecard accepts. A return template is far smaller: check you chose the right file, or download a fresh template.",
            result.Body.GetProperty("message").GetString());
        Assert.Equal(returns, await Actors.CountAsync(fixture.App.DataSource, "data_return"));
    }

    [Fact]
    public async Task RefusedCommentaryIsNotEchoedInTheJson()
    {
        var (setup, token) = await TokenAsync();
        var template = await TemplateAsync(setup);
        var row = 0;
        var code = ReturnFiles.CodeAt(template, ws => row = ReturnFiles.FirstCountRow(ws));
        var filled = ReturnFiles.Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000);
        var bytes = ReturnFiles.ReplacePart(filled, "xl/sharedStrings.xml",
            xml => xml.Replace($"Checked by the test for {code}.", new string('w', 500_000), StringComparison.Ordinal));

        var result = await PostAsync(token, $"?period={setup.PeriodId}&dryRun=true", new ByteArrayContent(bytes));

        Assert.Equal((HttpStatusCode)422, result.Status);
        Assert.True(result.Length < 30_000, $"the answer is {result.Length:N0} characters");
        var warned = result.Body.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("measureCode").GetString() == code);
        Assert.Equal(new string('w', 80) + "…", warned.GetProperty("commentary").GetString());
        Assert.Equal(1, result.Body.GetProperty("errorCount").GetInt32());
    }

    [Fact]
    public async Task AStoredOriginalIsServedOnlyAsADownloadThatIsNeverSniffed()
    {
        var (setup, token) = await TokenAsync();
        var bytes = ReturnFiles.Fill(await TemplateAsync(setup), ws => ws.Cell(ReturnFiles.FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = "headers test");
        var commit = await PostAsync(token, $"?period={setup.PeriodId}&fileName=headers.xlsx", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, commit.Status);
        var returnId = commit.Body.GetProperty("returnId").GetInt64();

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);
        var file = await page.APIRequest.GetAsync($"/returns/files/{returnId}");

        Assert.Equal(200, file.Status);
        Assert.StartsWith("attachment;", file.Headers["content-disposition"]);
        Assert.Contains("headers.xlsx", file.Headers["content-disposition"]);
        Assert.Equal("nosniff", file.Headers["x-content-type-options"]);
        Assert.Equal(bytes, await file.BodyAsync());
    }

    /// <summary>A body of zeros of a given length whose length is not told, so the client sends it chunked.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
