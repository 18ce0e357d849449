using System.Text;
using ClosedXML.Excel;
using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using L = Scorecard.Data.Returns.AuditSummaryTemplateLayout;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// Single-agency audit summaries through the returns pipeline (issue 11 §2) on a real PostgreSQL: the template round
/// trip (download, fill, dry-run preview, one all-or-nothing commit, versions kept), cell-level errors with the sheet and
/// address, hostile and wrong files refused by the shared checks with nothing saved, agency isolation with edited ids,
/// and the tracker status beside the data returns.
/// </summary>
public sealed class AuditSummaryReturnTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld w = default!;

    private AuditSummaryReturnService Service => new(db.DataSource, new ReturnUploadOptions());

    public async Task InitializeAsync() => w = await AssuranceWorld.CreateAsync(db.DataSource, "asr");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<byte[]> TemplateAsync(Actor actor, int agencyId) =>
        (await Service.BuildTemplateAsync(actor, agencyId, w.PeriodId, default))!.Bytes;

    private static byte[] Fill(byte[] template, Action<IXLWorksheet> edit)
    {
        using var wb = new XLWorkbook(new MemoryStream(template));
        edit(wb.Worksheet(L.Sheet));
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    /// <summary>10 cases: 1 outstanding, 5 good, 3 requires improvement, 1 inadequate; voice 4 yes, 3 partly, 2 no (one not recorded).</summary>
    private static void Good(IXLWorksheet ws)
    {
        ws.Cell(L.TopicRow, 2).Value = "Strategy discussions for children at risk of exploitation";
        int[] counts = [10, 1, 5, 3, 1, 4, 3, 2];
        for (var i = 0; i < counts.Length; i++)
            ws.Cell(L.CountRows[i].Row, 2).Value = counts[i];
        ws.Cell(L.FirstFindingRow, 2).Value = "Police attended every strategy discussion.";
        ws.Cell(L.FirstFindingRow + 1, 2).Value = "=HYPERLINK(\"http://evil\") typed as text";
    }

    private ReturnUpload Upload(int agencyId, byte[] bytes, string name = "summary.xlsx") => new(agencyId, w.PeriodId, name, bytes);

    private async Task<(long Rows, long Logs)> CountsAsync()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<long>("select count(*) from audit_summary_return where partnership_id = @p", new { p = w.PartnershipId }),
            await conn.ExecuteScalarAsync<long>("select count(*) from change_log where partnership_id = @p and entity = 'audit_summary_return'", new { p = w.PartnershipId }));
    }

    [Fact]
    public async Task TheTemplateRoundTripsThroughPreviewToVersionedAllOrNothingCommits()
    {
        var filled = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);

        var preview = await Service.PreviewAsync(w.PoliceUser, Upload(w.PoliceId, filled));
        Assert.Equal(ReturnImportStatus.Previewed, preview.Status);
        Assert.Contains("first audit summary", preview.Message);
        Assert.Equal((10, 1, 5, 3, 1, 4, 3, 2), (preview.Summary!.CasesAudited, preview.Summary.Outstanding, preview.Summary.Good,
            preview.Summary.RequiresImprovement, preview.Summary.Inadequate, preview.Summary.VoiceYes, preview.Summary.VoicePartly, preview.Summary.VoiceNo));
        Assert.Null(preview.Current);
        Assert.Equal((0L, 0L), await CountsAsync());

        var committed = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled, @"C:\Users\percy\ours.xlsx"));
        Assert.Equal(ReturnImportStatus.Committed, committed.Status);
        Assert.Equal(1, committed.Version);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            var stored = await conn.QuerySingleAsync<(string Source, string Status, string FileName, byte[] Bytes, string[] Findings, int SubmittedBy)>("""
                select source, status, file_name, file_bytes, key_findings, submitted_by from audit_summary_return where partnership_id = @p and id = @id
                """, new { p = w.PartnershipId, id = committed.ReturnId });
            Assert.Equal(("upload", "accepted", "ours.xlsx", w.PoliceUser.UserId), (stored.Source, stored.Status, stored.FileName, stored.SubmittedBy));
            Assert.Equal(filled, stored.Bytes);
            Assert.Equal(["Police attended every strategy discussion.", "=HYPERLINK(\"http://evil\") typed as text"], stored.Findings);
            Assert.Equal(1L, await conn.ExecuteScalarAsync<long>(
                "select count(*) from change_log where partnership_id = @p and entity = 'audit_summary_return' and action = 'import' and user_id = @u",
                new { p = w.PartnershipId, u = w.PoliceUser.UserId }));
        }

        // The same file again stores nothing, in the preview and the commit alike.
        Assert.Equal(ReturnImportStatus.Unchanged, (await Service.PreviewAsync(w.PoliceUser, Upload(w.PoliceId, filled))).Status);
        Assert.Equal(ReturnImportStatus.Unchanged, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled))).Status);
        Assert.Equal((1L, 1L), await CountsAsync());

        // The next template is pre-filled with version 1; changing it makes version 2 and keeps version 1, superseded.
        var again = await TemplateAsync(w.PoliceUser, w.PoliceId);
        using (var wb = new XLWorkbook(new MemoryStream(again)))
            Assert.Equal(5, wb.Worksheet(L.Sheet).Cell(L.GoodRow, 2).GetValue<int>());
        var changed = Fill(again, ws => { ws.Cell(L.GoodRow, 2).Value = 4; ws.Cell(L.InadequateRow, 2).Value = 2; });
        var preview2 = await Service.PreviewAsync(w.PoliceUser, Upload(w.PoliceId, changed));
        Assert.Equal((ReturnImportStatus.Previewed, 1, 5, 4), (preview2.Status, preview2.CurrentVersion, preview2.Current!.Good, preview2.Summary!.Good));
        var second = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, changed));
        Assert.Equal((ReturnImportStatus.Committed, 2), (second.Status, second.Version));
        var versions = await new AuditSummaryQueries(db.DataSource).VersionsAsync(w.PoliceUser, w.PoliceId, w.PeriodId, default);
        Assert.Equal([(2, AuditSummaryStatus.Accepted), (1, AuditSummaryStatus.Superseded)], versions.Select(v => (v.Version, v.Status)));
        var current = Assert.Single(await new AuditSummaryQueries(db.DataSource).CurrentAsync(w.Qa, null, default));
        Assert.Equal((2, 2), (current.Version, current.GradedInadequate));
    }

    [Fact]
    public async Task EveryBadCellIsReportedAtItsSheetAndAddressAndNothingIsSaved()
    {
        var bad = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), ws =>
        {
            Good(ws);
            ws.Cell(L.TopicRow, 2).Value = "";
            ws.Cell(L.GoodRow, 2).Value = "five";
            ws.Cell(L.RequiresImprovementRow, 2).Value = 2.5;
            ws.Cell(L.FirstFindingRow + 2, 2).Value = new string('x', 1_001);
        });
        var result = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, bad));
        Assert.Equal(ReturnImportStatus.Invalid, result.Status);
        Assert.All(result.Errors, e => Assert.Equal(L.Sheet, e.Sheet));
        Assert.Contains(result.Errors, e => e.Cell == "B5" && e.Message == "Give the audit's topic.");
        Assert.Contains(result.Errors, e => e.Cell == "B8" && e.Message.Contains("\"five\" is not a whole number"));
        Assert.Contains(result.Errors, e => e.Cell == "B9" && e.Message.Contains("is not a whole number"));
        Assert.Contains(result.Errors, e => e.Cell == "B17" && e.Message.Contains("1,001 characters; at most 1,000"));

        var sums = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), ws =>
        {
            Good(ws);
            ws.Cell(L.InadequateRow, 2).Value = 3;       // grades 12 of 10
            ws.Cell(L.VoiceNoRow, 2).Value = 4;          // voice 11 of 10
            ws.Cell(L.FirstFindingRow + 5, 2).Value = "A sixth finding";
        });
        var sumResult = await Service.PreviewAsync(w.PoliceUser, Upload(w.PoliceId, sums));
        Assert.Equal(ReturnImportStatus.Invalid, sumResult.Status);
        Assert.Contains(sumResult.Errors, e => e.Cell == "B7" && e.Message == "The grades (B7:B10) add up to 12, not the 10 cases audited (B6).");
        Assert.Contains(sumResult.Errors, e => e.Cell == "B11" && e.Message.Contains("add up to 11, more than the 10 cases audited"));
        Assert.Contains(sumResult.Errors, e => e.Cell == "B20" && e.Message.Contains("at most 5 key findings"));

        var formula = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), ws => { Good(ws); ws.Cell(L.CasesRow, 2).FormulaA1 = "5+5"; });
        var formulaResult = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, formula));
        Assert.Contains(formulaResult.Errors, e => e.Cell == "B6" && e.Sheet == L.Sheet && e.Message.Contains("formula"));
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task FewerVoiceAnswersThanCasesAreAcceptedByTheDatabaseToo()
    {
        // Migration 0030 relaxed the table's check from "= cases" to "<= cases": one case here has no voice answer.
        var filled = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);
        var committed = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled));
        Assert.Equal(ReturnImportStatus.Committed, committed.Status);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => conn.ExecuteAsync(
            "update audit_summary_return set voice_no = 5 where partnership_id = @p and id = @id", new { p = w.PartnershipId, id = committed.ReturnId }));
        Assert.Equal("audit_summary_return_voice_within_cases", ex.ConstraintName);
    }

    [Fact]
    public async Task HostileAndWrongFilesAreRefusedThroughTheSharedChecksAndNothingIsSaved()
    {
        var exe = Encoding.ASCII.GetBytes("MZ\u0090\0\u0003\0\0\0 This program cannot be run in DOS mode.");
        Assert.Equal(ReturnImportStatus.Refused, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, exe, "summary.xlsx"))).Status);
        var html = Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>");
        Assert.Equal(ReturnImportStatus.Refused, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, html))).Status);
        Assert.Equal(ReturnImportStatus.Refused, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, ReturnFiles.ZipBomb()))).Status);
        Assert.Equal(ReturnImportStatus.Refused, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))).Status);

        // The data return's own template is a Scorecard workbook, but not this kind.
        var dataTemplate = (await new ReturnTemplateService(db.DataSource).BuildTemplateAsync(w.PoliceUser, w.PoliceId, w.PeriodId))!.Bytes;
        var wrongKind = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, dataTemplate));
        Assert.Equal(ReturnImportStatus.Refused, wrongKind.Status);
        Assert.Contains("no sheet called \"Audit summary\"", wrongKind.Message);

        // A workbook with the right sheet name but no hidden details (made by hand) is not taken for a template.
        using (var made = new XLWorkbook())
        {
            Good(made.AddWorksheet(L.Sheet));
            using var ms = new MemoryStream();
            made.SaveAs(ms);
            var handMade = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, ms.ToArray()));
            Assert.Equal(ReturnImportStatus.Invalid, handMade.Status);
            Assert.Contains("not a Scorecard audit summary template", handMade.Message);
        }
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task AnAgencyOnlyEverSendsAndSeesItsOwnSummariesWhateverIdsItEdits()
    {
        // Edited ids: the police user asking for, or sending as, health.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.BuildTemplateAsync(w.PoliceUser, w.HealthId, w.PeriodId, default));
        var policeFile = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PreviewAsync(w.PoliceUser, Upload(w.HealthId, policeFile)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CommitAsync(w.PoliceUser, Upload(w.HealthId, policeFile)));
        // Only senders send: QA members and executives read.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CommitAsync(w.Qa, Upload(w.PoliceId, policeFile)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.BuildTemplateAsync(w.Executive, w.PoliceId, w.PeriodId, default));

        // Health's user uploading the police's filled template as health's own: refused by the template's hidden details.
        var mismatch = await Service.CommitAsync(w.HealthUser, Upload(w.HealthId, policeFile));
        Assert.Equal(ReturnImportStatus.Invalid, mismatch.Status);
        Assert.Contains(mismatch.Errors, e => e.Sheet == ReturnTemplateLayout.DetailsSheet && e.Message.Contains("made for another agency, not Health"));
        Assert.Equal((0L, 0L), await CountsAsync());

        // An admin may send for any agency; then health sees neither the police's versions nor their status.
        Assert.Equal(ReturnImportStatus.Committed, (await Service.CommitAsync(w.Admin, Upload(w.PoliceId, policeFile))).Status);
        var queries = new AuditSummaryQueries(db.DataSource);
        await Assert.ThrowsAsync<AccessDeniedException>(() => queries.VersionsAsync(w.HealthUser, w.PoliceId, w.PeriodId, default));
        Assert.Empty(await queries.CurrentAsync(w.HealthUser, null, default));
        var healthStatus = await queries.StatusAsync(w.HealthUser, 8, default);
        Assert.Equal([w.HealthId], healthStatus.Agencies.Select(a => a.AgencyId));
        Assert.Null(healthStatus.Agencies[0].Cells.Single().Current);
    }

    [Fact]
    public async Task TheTrackerStatusFollowsTheDataReturnsRuleForEveryStatutoryPartner()
    {
        // The world's quarter was due on 31 July 2025, so a summary sent today is late and one never sent is missing.
        var filled = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);
        Assert.Equal(ReturnImportStatus.Committed, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled))).Status);
        var matrix = await new AuditSummaryQueries(db.DataSource).StatusAsync(w.Qa, 8, default);
        Assert.Equal([w.PeriodId], matrix.Periods.Select(p => p.PeriodId));
        var byAgency = matrix.Agencies.ToDictionary(a => a.AgencyId, a => a.Cells.Single());
        Assert.Equal(new[] { w.CouncilId, w.HealthId, w.PoliceId }.Order(), byAgency.Keys.Order());
        Assert.Equal((SubmissionStatus.Late, 1, 10), (byAgency[w.PoliceId].Status, byAgency[w.PoliceId].Versions, byAgency[w.PoliceId].Current!.CasesAudited));
        Assert.Equal(SubmissionStatus.Missing, byAgency[w.HealthId].Status);
    }

    [Theory]
    [InlineData("status", typeof(AuditSummaryStatus))]
    [InlineData("source", typeof(AuditSummarySource))]
    public async Task TheTypedStatusesAndSourcesAreExactlyTheWordsTheSchemaAllows(string column, Type enumType)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var checks = await conn.QueryAsync<string>(
            "select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'audit_summary_return'::regclass and contype = 'c'");
        var check = Assert.Single(checks, c => c.StartsWith($"CHECK (({column} = ANY", StringComparison.Ordinal));
        var allowed = System.Text.RegularExpressions.Regex.Matches(check, @"'([a-z_]+)'::text").Select(m => m.Groups[1].Value).Order().ToArray();
        string[] typed = enumType == typeof(AuditSummaryStatus)
            ? [.. DbEnum.All<AuditSummaryStatus>().ToDb()]
            : [.. DbEnum.All<AuditSummarySource>().ToDb()];
        Assert.Equal(allowed, typed.Order().ToArray());
    }

    [Fact]
    public async Task AFormRecordedSummaryIsStoredAsScreenAndSupersedesTheUploadedOne()
    {
        var filled = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);
        Assert.Equal(ReturnImportStatus.Committed, (await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled))).Status);
        var input = new AuditSummaryInput("Neglect in the early years", 4, 0, 2, 1, 1, 2, 1, 1, ["Health visitors saw every child."]);
        Assert.True((await new AuditSummaryCommands(db.DataSource).RecordAsync(w.PoliceUser, w.PoliceId, w.PeriodId, input, default)).Succeeded);
        var versions = await new AuditSummaryQueries(db.DataSource).VersionsAsync(w.PoliceUser, w.PoliceId, w.PeriodId, default);
        Assert.Equal([(2, AuditSummaryStatus.Accepted, AuditSummarySource.Screen), (1, AuditSummaryStatus.Superseded, AuditSummarySource.Upload)],
            versions.Select(v => (v.Version, v.Status, v.Source)));
        Assert.Equal(["Accepted (current)", "Superseded"], versions.Select(v => v.Status.Label()));
    }

    [Fact]
    public async Task AClosedQuarterRefusesTheSummary()
    {
        var filled = Fill(await TemplateAsync(w.PoliceUser, w.PoliceId), Good);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("update reporting_period set is_open = false where partnership_id = @p and id = @id", new { p = w.PartnershipId, id = w.PeriodId });
        var result = await Service.CommitAsync(w.PoliceUser, Upload(w.PoliceId, filled));
        Assert.Equal(ReturnImportStatus.Invalid, result.Status);
        Assert.Contains("is closed for returns", result.Message);
        Assert.Equal((0L, 0L), await CountsAsync());
    }
}
