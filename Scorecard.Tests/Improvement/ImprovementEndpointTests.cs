using System.Net;
using ClosedXML.Excel;
using Dapper;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Assurance;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>The loop's downloads over HTTP against the running app: Excel exports in the viewer's scope, the register for
/// oversight roles only, and evidence files refused to another agency (403) and served as attachments.</summary>
public sealed class ImprovementEndpointTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string email)
    {
        var http = FormSignIn.Client(fixture.App);
        using var signIn = await FormSignIn.PostAsync(http, email, Actors.Passwords[email]);
        http.DefaultRequestHeaders.Add("Cookie", FormSignIn.SetCookie(signIn, "scorecard.auth")!.Split(';')[0]);
        return http;
    }

    [Fact]
    public async Task ThePolicesActionsExportHoldsOnlyPoliceActions()
    {
        using var http = await SignedInAsync(Actors.PoliceEmail);
        using var response = await http.GetAsync("/improvement/actions/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        using var wb = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var owners = wb.Worksheet(1).RowsUsed().Skip(1).Select(r => r.Cell(6).GetString()).Distinct().ToList();
        Assert.Equal(["Cheshire Constabulary"], owners);
    }

    [Fact]
    public async Task TheRiskRegisterExportIsForOversightRolesOnly()
    {
        using var police = await SignedInAsync(Actors.PoliceEmail);
        using var refused = await police.GetAsync("/improvement/risks/export");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        using var exec = await SignedInAsync(Actors.ExecutiveEmail);
        using var ok = await exec.GetAsync("/improvement/risks/export");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var wb = new XLWorkbook(new MemoryStream(await ok.Content.ReadAsByteArrayAsync()));
        Assert.Equal("Likelihood", wb.Worksheet(1).Cell(1, 7).GetString());
        Assert.True(wb.Worksheet(1).RowsUsed().Count() >= 13);
    }

    [Fact]
    public async Task AnEvidenceFileIsServedToItsAgencyAndRefusedToAnother()
    {
        var police = await Actors.ForAsync(fixture.App.DataSource, Actors.PoliceEmail);
        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        var actionId = await conn.ExecuteScalarAsync<int>("select id from improvement_action where owner_agency_id = @AgencyId and status <> 'closed' order by id limit 1", new { police.AgencyId });
        var commands = new ActionCommands(fixture.App.DataSource, TimeProvider.System, new AssuranceOptions());
        var fileId = (await commands.AddEvidenceFileAsync(police, actionId, "briefing.pdf", EvidenceFileTests.Pdf, default)).Value;

        using var own = await SignedInAsync(Actors.PoliceEmail);
        using var served = await own.GetAsync($"/improvement/evidence/{fileId}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/pdf", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(EvidenceFileTests.Pdf, await served.Content.ReadAsByteArrayAsync());

        using var school = await SignedInAsync(Actors.SchoolEmail);
        using var refused = await school.GetAsync($"/improvement/evidence/{fileId}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var missing = await own.GetAsync("/improvement/evidence/999999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
