using System.Net;
using System.Text;
using ClosedXML.Excel;
using Dapper;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// The assurance downloads over real HTTP against the running app: evidence files served only to those allowed and
/// only as attachments with <c>nosniff</c> (a PDF carrying JavaScript included), hostile evidence refused, and the Excel
/// exports' formula-safe text.
/// </summary>
[Collection("browser")]
public sealed class AssuranceEndpointTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    private static readonly byte[] PdfWithScript = Encoding.ASCII.GetBytes(
        "%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert('hi')) >> >> endobj\n%%EOF");

    private async Task<string> CookieAsync(string email)
    {
        using var http = FormSignIn.Client(fixture.App);
        using var signIn = await FormSignIn.PostAsync(http, email, Actors.Passwords[email]);
        return FormSignIn.SetCookie(signIn, "scorecard.auth")!.Split(';')[0];
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string email)
    {
        using var http = FormSignIn.Client(fixture.App);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", await CookieAsync(email));
        var response = await http.SendAsync(request);
        return response;
    }

    private async Task<(int CycleId, long DraftId, int PoliceId)> PoliceDraftAsync()
    {
        var data = fixture.App.DataSource;
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        int cycleId;
        await using (var conn = await data.OpenConnectionAsync())
            cycleId = await conn.ExecuteScalarAsync<int>("select id from assessment_cycle where partnership_id = @PartnershipId and name = 'Section 11 2025'", new { police.PartnershipId });
        var draft = await new SelfAssessmentCommands(data).SaveDraftAsync(police, cycleId, police.AgencyId!.Value, [], default);
        Assert.True(draft.Succeeded);
        return (cycleId, draft.Value, police.AgencyId.Value);
    }

    [Fact]
    public async Task APdfWithJavaScriptIsStoredAndServedOnlyAsAnAttachmentToThoseAllowed()
    {
        var data = fixture.App.DataSource;
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        var (_, draftId, _) = await PoliceDraftAsync();
        var stored = await new SelfAssessmentCommands(data).AttachEvidenceAsync(police, draftId, null, "../../policy<script>.pdf", PdfWithScript, default);
        Assert.True(stored.Succeeded, string.Join("; ", stored.Errors.Select(e => e.Message)));

        using var response = await GetAsync($"/assurance/evidence/{stored.Value}", Actors.PoliceEmail);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("policy<script>.pdf", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal(PdfWithScript, await response.Content.ReadAsByteArrayAsync());

        using var executive = await GetAsync($"/assurance/evidence/{stored.Value}", Actors.ExecutiveEmail);
        Assert.Equal(HttpStatusCode.OK, executive.StatusCode);
        using var qa = await GetAsync($"/assurance/evidence/{stored.Value}", Actors.QaEmail);
        Assert.Equal(HttpStatusCode.OK, qa.StatusCode);
        using var school = await GetAsync($"/assurance/evidence/{stored.Value}", Actors.SchoolEmail);
        Assert.Equal(HttpStatusCode.Forbidden, school.StatusCode);
        using var missing = await GetAsync($"/assurance/evidence/{stored.Value + 100_000}", Actors.QaEmail);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ARenamedExecutableAndAnHtmlFileAreRefusedWithAClearMessageAndNotStored()
    {
        var data = fixture.App.DataSource;
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        var (_, draftId, _) = await PoliceDraftAsync();
        var commands = new SelfAssessmentCommands(data);
        await using var conn = await data.OpenConnectionAsync();
        var before = await conn.ExecuteScalarAsync<long>("select count(*) from evidence_file where partnership_id = @PartnershipId", new { police.PartnershipId });

        var exe = await commands.AttachEvidenceAsync(police, draftId, null, "minutes.pdf", Encoding.ASCII.GetBytes("MZ\u0090\0 This program cannot be run in DOS mode"), default);
        var html = await commands.AttachEvidenceAsync(police, draftId, null, "report.pdf", Encoding.UTF8.GetBytes("<!doctype html><script>fetch('/')</script>"), default);

        Assert.Equal("Evidence must be a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file.", Assert.Single(exe.Errors).Message);
        Assert.Equal("Evidence must be a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file.", Assert.Single(html.Errors).Message);
        Assert.Equal(before, await conn.ExecuteScalarAsync<long>("select count(*) from evidence_file where partnership_id = @PartnershipId", new { police.PartnershipId }));
    }

    [Fact]
    public async Task TheWorkbookIsTheAgencysOwnAndTheExportsWriteFormulaLikeTextAsText()
    {
        var (cycleId, _, policeId) = await PoliceDraftAsync();
        using var own = await GetAsync($"/assurance/cycles/{cycleId}/workbook", Actors.PoliceEmail);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var wb = new XLWorkbook(new MemoryStream(await own.Content.ReadAsByteArrayAsync())))
            Assert.True(wb.Worksheet(SelfAssessmentWorkbookLayout.Sheet).IsProtected);
        using var council = await GetAsync($"/assurance/cycles/{cycleId}/workbook?agency={policeId + 1}", Actors.PoliceEmail);
        Assert.Equal(HttpStatusCode.Forbidden, council.StatusCode);
        using var heatAsAgency = await GetAsync($"/assurance/cycles/{cycleId}/heat-map/export", Actors.PoliceEmail);
        // The Oversight policy refuses before the endpoint runs: the cookie scheme sends the browser to the access-denied page.
        Assert.Equal(HttpStatusCode.Found, heatAsAgency.StatusCode);
        Assert.StartsWith("/account/access-denied", heatAsAgency.Headers.Location!.PathAndQuery);

        // A finding typed as a formula stays text in the audit export.
        var data = fixture.App.DataSource;
        var qa = await Actors.ForAsync(data, Actors.QaEmail);
        var auditId = (await new Data.Assurance.Audits.AuditQueries(data).ProgrammeAsync(qa, null, default))[0].Id;
        var added = await new Data.Assurance.Audits.AuditCommands(data).AddFindingAsync(qa, auditId, FindingType.Recommendation, "=HYPERLINK(\"http://evil.example\",\"click\")", [], [], default);
        Assert.True(added.Succeeded);
        using var export = await GetAsync($"/assurance/audits/{auditId}/export", Actors.QaEmail);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var audit = new XLWorkbook(new MemoryStream(await export.Content.ReadAsByteArrayAsync()));
        var findings = audit.Worksheet("Findings");
        var cell = findings.Column(3).CellsUsed().Single(c => c.GetString().StartsWith("=HYPERLINK", StringComparison.Ordinal));
        Assert.False(cell.HasFormula);
        Assert.True(cell.Style.IncludeQuotePrefix);

        using var heat = await GetAsync($"/assurance/cycles/{cycleId}/heat-map/export", Actors.QaEmail);
        Assert.Equal(HttpStatusCode.OK, heat.StatusCode);
        using var heatBook = new XLWorkbook(new MemoryStream(await heat.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["Self-ratings", "Moderated ratings"], heatBook.Worksheets.Select(ws => ws.Name).ToArray());
        using var submissions = await GetAsync($"/assurance/cycles/{cycleId}/submissions/export", Actors.ExecutiveEmail);
        Assert.Equal(HttpStatusCode.OK, submissions.StatusCode);
    }
}
