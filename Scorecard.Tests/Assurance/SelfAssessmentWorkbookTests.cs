using System.Text;
using ClosedXML.Excel;
using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Meetings;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// The self-assessment workbook through the returns pipeline's safe path on a real PostgreSQL: the round trip (download,
/// fill, preview, one transaction that submits), a draft without sign-off, hostile and wrong files refused with nothing
/// saved, agency isolation; the audit agenda source; the exports' formula-safe text.
/// </summary>
public sealed class SelfAssessmentWorkbookTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld w = default!;
    private int cycleId;

    private SelfAssessmentWorkbook Workbooks => new(db.DataSource, new ReturnUploadOptions());

    public async Task InitializeAsync()
    {
        w = await AssuranceWorld.CreateAsync(db.DataSource, "sawb");
        var framework = (await new FrameworkCommands(db.DataSource).InstallBuiltInAsync(w.Qa, BuiltInFrameworks.Section175157, default)).Value;
        cycleId = (await new SelfAssessmentCommands(db.DataSource).OpenCycleAsync(w.Qa, framework, "S175 test", new DateOnly(2026, 9, 1), new DateOnly(2026, 12, 12),
            [w.PoliceId, w.HealthId], default)).Value;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<byte[]> DownloadAsync(Actor actor, int agencyId) =>
        (await Workbooks.BuildAsync(actor, cycleId, agencyId, default))!.Bytes;

    private static byte[] Fill(byte[] template, Action<IXLWorksheet> edit)
    {
        using var wb = new XLWorkbook(new MemoryStream(template));
        edit(wb.Worksheet(SelfAssessmentWorkbookLayout.Sheet));
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    private static void RateAll(IXLWorksheet ws, string rating)
    {
        for (var row = SelfAssessmentWorkbookLayout.FirstDataRow; ws.Cell(row, 1).GetString() is { Length: > 0 } code && !code.StartsWith("Signed", StringComparison.Ordinal); row++)
        {
            ws.Cell(row, SelfAssessmentWorkbookLayout.RatingColumn).Value = rating;
            ws.Cell(row, SelfAssessmentWorkbookLayout.EvidenceColumn).Value = $"=HYPERLINK(\"http://evil\") is text here for {code}";
        }
    }

    private static void SignOff(IXLWorksheet ws)
    {
        var row = ws.Column(1).CellsUsed().First(c => c.GetString() == SelfAssessmentWorkbookLayout.SignOffNameLabel).Address.RowNumber;
        ws.Cell(row, 2).Value = "Dana Head";
        ws.Cell(row + 1, 2).Value = "Headteacher";
        ws.Cell(row + 2, 2).Value = new DateTime(2026, 11, 20);
    }

    private async Task<(long Versions, long Logs)> CountsAsync()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<long>("select count(*) from self_assessment where partnership_id = @p", new { p = w.PartnershipId }),
            await conn.ExecuteScalarAsync<long>("select count(*) from change_log where partnership_id = @p and entity = 'self_assessment'", new { p = w.PartnershipId }));
    }

    [Fact]
    public async Task TheWorkbookRoundTripsFromDownloadToASubmittedVersionInOneTransaction()
    {
        var filled = Fill(await DownloadAsync(w.PoliceUser, w.PoliceId), ws => { RateAll(ws, "Partly met"); SignOff(ws); });

        var preview = await Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.PoliceId, "ours.xlsx", filled, default);
        Assert.Equal(ReturnImportStatus.Previewed, preview.Status);
        Assert.Equal(12, preview.Rows.Count(r => r.NewRating == Rating.PartlyMet && r.OldRating is null));
        Assert.Equal((0L, 0L), await CountsAsync());

        var committed = await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "ours.xlsx", filled, default);
        Assert.Equal(ReturnImportStatus.Committed, committed.Status);
        Assert.True(committed.Submitted);
        var view = await new SelfAssessmentQueries(db.DataSource, TimeProvider.System).SubmissionAsync(w.PoliceUser, cycleId, w.PoliceId, default);
        var submitted = view.Submitted!;
        Assert.Equal(("Dana Head", "Headteacher", new DateOnly(2026, 11, 20)), (submitted.SignOffName, submitted.SignOffRole, submitted.SignedOffOn!.Value));
        Assert.All(submitted.Ratings, r => Assert.Equal(Rating.PartlyMet, r.Rating));
        // Formula-looking text came in as text and stays text.
        Assert.StartsWith("=HYPERLINK", submitted.Ratings[0].Evidence);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var stored = await conn.QuerySingleAsync<(string Source, string FileName, byte[] Bytes)>(
            "select source, file_name, file_bytes from self_assessment where partnership_id = @p and id = @id", new { p = w.PartnershipId, id = submitted.Id });
        Assert.Equal(("upload", "ours.xlsx"), (stored.Source, stored.FileName));
        Assert.Equal(filled, stored.Bytes);
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("select count(*) from change_log where partnership_id = @p and entity = 'self_assessment' and action = 'import'", new { p = w.PartnershipId }));

        // The next download is pre-filled with what was submitted.
        using var again = new XLWorkbook(new MemoryStream(await DownloadAsync(w.PoliceUser, w.PoliceId)));
        Assert.Equal("Partly met", again.Worksheet(SelfAssessmentWorkbookLayout.Sheet).Cell(SelfAssessmentWorkbookLayout.FirstDataRow, SelfAssessmentWorkbookLayout.RatingColumn).GetString());
    }

    [Fact]
    public async Task TheImportIsOneBatchThatLeavesNothingBehindWhenItFailsAndLogsOnceWhenItCommits()
    {
        var filled = Fill(await DownloadAsync(w.PoliceUser, w.PoliceId), ws => { RateAll(ws, "Met"); SignOff(ws); });
        var failing = Workbooks;
        failing.BeforeCommit = (_, _) => throw new InvalidOperationException("the connection dropped");
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "ours.xlsx", filled, default));
        Assert.Equal((0L, 0L), await CountsAsync());

        Assert.Equal(ReturnImportStatus.Committed, (await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "ours.xlsx", filled, default)).Status);
        var second = Fill(await DownloadAsync(w.PoliceUser, w.PoliceId), ws => { RateAll(ws, "Not met"); SignOff(ws); });
        var committed = await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "again.xlsx", second, default);
        Assert.True(committed.Submitted);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var versions = (await conn.QueryAsync<(int Version, string Status, string FileName)>(
            "select version, status, file_name from self_assessment where partnership_id = @p and agency_id = @a order by version", new { p = w.PartnershipId, a = w.PoliceId })).ToList();
        Assert.Equal([(1, "superseded", "ours.xlsx"), (2, "submitted", "again.xlsx")], versions);
        // One change-log entry per import, saying what it did, by whom.
        var log = (await conn.QueryAsync<(string Action, int UserId, string Summary)>(
            "select action, user_id, summary from change_log where partnership_id = @p and entity = 'self_assessment' order by id", new { p = w.PartnershipId })).ToList();
        Assert.Equal(["import", "import"], log.Select(l => l.Action));
        Assert.All(log, l => Assert.Equal(w.PoliceUser.UserId, l.UserId));
        Assert.Contains("again.xlsx uploaded to S175 test and submitted, signed off by Dana Head", log[1].Summary);
        var view = await new SelfAssessmentQueries(db.DataSource, TimeProvider.System).SubmissionAsync(w.PoliceUser, cycleId, w.PoliceId, default);
        Assert.All(view.Submitted!.Ratings, r => Assert.Equal(Rating.NotMet, r.Rating));
    }

    [Fact]
    public async Task WithoutTheSignOffTheWorkbookIsSavedAsTheDraftAndCountsForNothing()
    {
        var filled = Fill(await DownloadAsync(w.HealthUser, w.HealthId), ws => RateAll(ws, "Met"));
        var committed = await Workbooks.CommitAsync(w.HealthUser, cycleId, w.HealthId, "draft.xlsx", filled, default);
        Assert.Equal(ReturnImportStatus.Committed, committed.Status);
        Assert.False(committed.Submitted);
        var view = await new SelfAssessmentQueries(db.DataSource, TimeProvider.System).SubmissionAsync(w.HealthUser, cycleId, w.HealthId, default);
        Assert.Null(view.Submitted);
        Assert.All(view.Draft!.Ratings, r => Assert.Equal(Rating.Met, r.Rating));
    }

    [Fact]
    public async Task ASignOffWithUnratedStandardsIsRefusedAndNothingIsSaved()
    {
        var filled = Fill(await DownloadAsync(w.PoliceUser, w.PoliceId), ws => { SignOff(ws); ws.Cell(SelfAssessmentWorkbookLayout.FirstDataRow, SelfAssessmentWorkbookLayout.RatingColumn).Value = "Met"; });
        var result = await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "half.xlsx", filled, default);
        Assert.Equal(ReturnImportStatus.Invalid, result.Status);
        Assert.Contains("11 standards are not rated", result.Message);
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task AnUnknownRatingAndAFormulaAreCellErrorsAndNothingIsSaved()
    {
        var filled = Fill(await DownloadAsync(w.PoliceUser, w.PoliceId), ws =>
        {
            RateAll(ws, "Met");
            ws.Cell(SelfAssessmentWorkbookLayout.FirstDataRow, SelfAssessmentWorkbookLayout.RatingColumn).Value = "Brilliant";
            ws.Cell(SelfAssessmentWorkbookLayout.FirstDataRow + 1, SelfAssessmentWorkbookLayout.EvidenceColumn).FormulaA1 = "1+1";
        });
        var result = await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "bad.xlsx", filled, default);
        Assert.Equal(ReturnImportStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.Cell == "E6" && e.Message.Contains("\"Brilliant\" is not a rating"));
        Assert.Contains(result.Errors, e => e.Cell == "F7" && e.Message.Contains("holds a formula"));
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task HostileAndWrongFilesAreRefusedThroughTheSharedChecks()
    {
        var exe = Encoding.ASCII.GetBytes("MZ\u0090\0\u0003\0\0\0 This program cannot be run in DOS mode.");
        var refused = await Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.PoliceId, "workbook.xlsx", exe, default);
        Assert.Equal(ReturnImportStatus.Refused, refused.Status);

        var html = Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>");
        Assert.Equal(ReturnImportStatus.Refused, (await Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.PoliceId, "workbook.xlsx", html, default)).Status);

        // A data-return template is an Excel workbook but not this one.
        using var other = new XLWorkbook();
        other.AddWorksheet("Return").Cell(1, 1).Value = "x";
        using var ms = new MemoryStream();
        other.SaveAs(ms);
        var wrong = await Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.PoliceId, "return.xlsx", ms.ToArray(), default);
        Assert.Equal(ReturnImportStatus.Refused, wrong.Status);
        Assert.Contains("no sheet called \"Self-assessment\"", wrong.Message);

        // Health's workbook uploaded as the police: refused by its details, not saved.
        var health = Fill(await DownloadAsync(w.Qa, w.HealthId), ws => RateAll(ws, "Met"));
        var mismatch = await Workbooks.CommitAsync(w.PoliceUser, cycleId, w.PoliceId, "health.xlsx", health, default);
        Assert.Equal(ReturnImportStatus.Invalid, mismatch.Status);
        Assert.Contains("made for another agency", mismatch.Message);

        // A zip bomb's declared sizes are refused before anything is inflated (the returns pipeline's check).
        var bomb = ReturnFiles.ZipBomb();
        Assert.Equal(ReturnImportStatus.Refused, (await Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.PoliceId, "bomb.xlsx", bomb, default)).Status);
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task AnAgencyUserMayNotDownloadOrUploadAnotherAgencysWorkbookAndExecutivesOnlyRead()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Workbooks.BuildAsync(w.PoliceUser, cycleId, w.HealthId, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Workbooks.PreviewAsync(w.PoliceUser, cycleId, w.HealthId, "x.xlsx", [1, 2, 3], default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Workbooks.BuildAsync(w.Executive, cycleId, w.HealthId, default));
        Assert.Null(await Workbooks.BuildAsync(w.Qa, cycleId, w.CouncilId, default)); // not in the cycle
    }

    [Fact]
    public async Task TheAgendaProposesAuditsReportedSinceTheLastMeetingOnly()
    {
        var commands = new AuditCommands(db.DataSource);
        async Task<int> Reported(string title, DateOnly report)
        {
            var id = (await commands.CreateAuditAsync(w.Qa, new NewAudit(title, AuditType.MultiAgencyCase, "", null, w.CouncilId, "Lead Person", 2026, 1,
                report.AddMonths(-2), report.AddMonths(-1), report, ["Was the child seen?"]), default)).Value;
            await commands.SetStatusAsync(w.Qa, id, AuditStatus.Reported, default);
            await commands.AddFindingAsync(w.Qa, id, FindingType.Recommendation, "Record the child's words in every plan.", [w.PoliceId], [], default);
            return id;
        }
        var inside = await Reported("Reported in the window", new DateOnly(2026, 10, 15));
        await Reported("Reported before the last meeting", new DateOnly(2026, 8, 1));
        var source = new AuditAgendaSource(db.DataSource, new AuditQueries(db.DataSource));

        var items = await source.FindAsync(w.Qa, new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 30), default);

        var item = Assert.Single(items);
        Assert.Equal((AgendaItemKind.AuditReporting, $"audit:{inside}", $"/assurance/audits/{inside}"), (item.Kind, item.SourceKey, item.Link));
        Assert.Contains("1 recommendation", item.Reason);
        Assert.Contains(item.Facts, f => f.Label == "Findings" && f.Value == "no strengths, no areas for development, 1 recommendation");
    }

    [Fact]
    public void AuditCountsOfOneToFourAreWordsForViewersWhoMayNotSeeThemAndTheTotalCannotGiveThemBack()
    {
        var d = new GradeDistribution(Outstanding: 0, Good: 9, RequiresImprovement: 3, Inadequate: 0);
        var hidden = AuditDisclosure.Distribution(d, viewerMaySee: false);
        Assert.Equal(new int?[] { 0, 9, null, 0 }, hidden.Counts.Select(c => c.Count).ToArray());
        Assert.Equal("fewer than 5", hidden.Counts[2].Text);
        // 12 beside 9, 0 and 0 would give the 3 back: the total and the share are withheld.
        Assert.Null(hidden.Total);
        Assert.Null(hidden.ShareGoodOrBetter);
        Assert.True(hidden.AnyHidden);

        var shown = AuditDisclosure.Distribution(d, viewerMaySee: true);
        Assert.Equal((12, 0.75), (shown.Total!.Value, shown.ShareGoodOrBetter!.Value));
        Assert.False(shown.AnyHidden);
    }
}
