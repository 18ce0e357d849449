using ClosedXML.Excel;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using static Scorecard.Tests.Returns.ReturnFiles;

namespace Scorecard.Tests.Returns;

/// <summary>Committing returns: round trip, versions, identical re-uploads, concurrency, kill-safety and agency scope.</summary>
public sealed class ReturnCommitTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ReturnImportService Imports => new(db.DataSource, new ReturnUploadOptions());
    private ReturnQueries Returns => new(db.DataSource, FixedClock.DemoToday);

    private async Task<(int Version, ReturnStatus Status)[]> VersionsAsync(Setup setup) =>
        (await Returns.ListVersionsAsync(setup.Admin, setup.PoliceId, setup.PeriodId)).Select(v => (v.Version, v.Status)).ToArray();

    [Fact]
    public async Task TheTemplateHasOneProtectedRowPerReportedMeasureAndCarriesItsDetails()
    {
        var setup = await SetupAsync(db.DataSource);
        var template = await new ReturnTemplateService(db.DataSource).BuildTemplateAsync(setup.Police, setup.PoliceId, setup.PeriodId);
        Assert.NotNull(template);
        Assert.Equal("return-Cheshire-Police-2025-26-Q2.xlsx", template.FileName);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var expected = (await conn.QueryAsync<string>("""
            select m.code from measure m join measure_reporter r on r.partnership_id = m.partnership_id and r.measure_id = m.id
            where r.agency_id = @PoliceId and m.active order by m.sort_order, m.code
            """, new { setup.PoliceId })).ToList();

        using var workbook = new XLWorkbook(new MemoryStream(template.Bytes));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        Assert.Equal(expected, DataRows(ws).Select(r => ws.Cell(r, 1).GetString()).ToList());
        Assert.True(ws.IsProtected);
        var ratio = FirstRatioRow(ws);
        Assert.False(ws.Cell(ratio, ReturnTemplateLayout.NumeratorColumn).Style.Protection.Locked);
        Assert.True(ws.Cell(ratio, ReturnTemplateLayout.ValueColumn).Style.Protection.Locked);
        Assert.True(ws.Cell(ratio, ReturnTemplateLayout.CodeColumn).Style.Protection.Locked);
        Assert.False(ws.Cell(FirstCountRow(ws), ReturnTemplateLayout.ValueColumn).Style.Protection.Locked);
        Assert.True(ws.Cell(FirstCountRow(ws), ReturnTemplateLayout.ValueColumn).HasDataValidation);
        Assert.StartsWith("Quarterly return for Cheshire Constabulary", workbook.Worksheet(ReturnTemplateLayout.InstructionsSheet).Cell(1, 1).GetString());
        var details = workbook.Worksheet(ReturnTemplateLayout.DetailsSheet);
        Assert.Equal(XLWorksheetVisibility.VeryHidden, details.Visibility);
        Assert.Equal(ReturnTemplateLayout.CurrentVersion, details.Cell(1, 2).GetValue<int>());
        Assert.Equal(setup.PoliceId, details.Cell(3, 2).GetValue<int>());
        Assert.Equal(setup.PeriodId, details.Cell(4, 2).GetValue<int>());
    }

    [Fact]
    public async Task AFilledTemplateRoundTripsExactlyAndSupersedesThePreviousVersion()
    {
        var setup = await SetupAsync(db.DataSource);
        var before = await VersionsAsync(setup);
        var template = await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);
        var expected = new Dictionary<string, (decimal? N, decimal? D, decimal? V, string C)>();
        var bytes = Fill(template, ws =>
        {
            var i = 0;
            foreach (var row in DataRows(ws))
            {
                i++;
                var code = ws.Cell(row, 1).GetString();
                if (IsRatio(ws, row))
                {
                    ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 900 + i;
                    ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 1000;
                    var scale = ws.Cell(row, ReturnTemplateLayout.UnitColumn).GetString() == "%" ? 100m : 10_000m;
                    expected[code] = (900 + i, 1000, Math.Round((900m + i) / 1000m * scale, 1, MidpointRounding.AwayFromZero), $"Round trip {i}");
                }
                else
                {
                    var value = ws.Cell(row, ReturnTemplateLayout.UnitColumn).GetString() == "Count" ? 40m + i : 12.5m + i;
                    ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = value;
                    expected[code] = (null, null, value, $"Round trip {i}");
                }
                ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Value = $"Round trip {i}";
            }
        });

        var result = await Imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, @"C:\Users\pat\Desktop\police-q2.xlsx", bytes));

        Assert.Equal(ReturnImportStatus.Committed, result.Status);
        Assert.Empty(result.Errors);
        var maxBefore = before.Max(v => v.Version);
        Assert.Equal(maxBefore + 1, result.Version);
        var values = await Returns.GetCurrentValuesAsync(setup.Police, setup.PoliceId, setup.PeriodId);
        Assert.Equal(expected.Count, values.Count);
        foreach (var v in values)
            Assert.Equal(expected[v.MeasureCode], (v.Numerator, v.Denominator, v.Value, v.Commentary));
        var after = await VersionsAsync(setup);
        Assert.Equal((maxBefore + 1, ReturnStatus.Accepted), after[0]);
        Assert.Equal((maxBefore, ReturnStatus.Superseded), after[1]);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        var stored = await conn.QuerySingleAsync<(string FileName, byte[] FileBytes, byte[] FileSha256, int ValueCount, int SubmittedBy, string Source)>(
            "select file_name, file_bytes, file_sha256, value_count, submitted_by, source from data_return where id = @Id", new { Id = result.ReturnId });
        Assert.Equal("police-q2.xlsx", stored.FileName);
        Assert.Equal(bytes, stored.FileBytes);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), stored.FileSha256);
        Assert.Equal(expected.Count, stored.ValueCount);
        Assert.Equal(setup.Police.UserId, stored.SubmittedBy);
        Assert.Equal(ReturnSource.Upload.ToDb(), stored.Source);
        var log = await conn.QuerySingleAsync<(string Action, string Summary)>(
            "select action, summary from change_log where entity = 'data_return' and entity_id = @Id", new { Id = result.ReturnId!.Value.ToString() });
        Assert.Equal("import", log.Action);
        Assert.StartsWith($"Cheshire Constabulary 2025/26 Q2: version {maxBefore + 1} from police-q2.xlsx", log.Summary);
    }

    [Fact]
    public async Task AByteIdenticalReuploadCreatesNoVersion()
    {
        var (setup, bytes) = await PoliceReturnAsync("identical " + Guid.NewGuid());
        var first = await Imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "a.xlsx", bytes));
        Assert.Equal(ReturnImportStatus.Committed, first.Status);
        var returns = await Actors.CountAsync(db.DataSource, "data_return");
        var values = await Actors.CountAsync(db.DataSource, "measure_value");

        var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "b.xlsx", bytes));
        var again = await Imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "b.xlsx", bytes));

        Assert.Equal(ReturnImportStatus.Unchanged, preview.Status);
        Assert.Equal(ReturnImportStatus.Unchanged, again.Status);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal($"This file is identical to version {first.Version}, already accepted: no new version was created.", again.Message);
        Assert.Equal(returns, await Actors.CountAsync(db.DataSource, "data_return"));
        Assert.Equal(values, await Actors.CountAsync(db.DataSource, "measure_value"));
    }

    [Fact]
    public async Task TwoUploadsAtOnceEndInConsecutiveVersionsWithNothingLost()
    {
        var setup = await SetupAsync(db.DataSource);
        var template = await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);
        var a = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = "upload A");
        var b = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = "upload B");
        var n = (await VersionsAsync(setup)).Max(v => v.Version);

        var results = await Task.WhenAll(
            Task.Run(() => Imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "a.xlsx", a))),
            Task.Run(() => Imports.CommitAsync(setup.Admin, new ReturnUpload(setup.PoliceId, setup.PeriodId, "b.xlsx", b))));

        Assert.All(results, r => Assert.Equal(ReturnImportStatus.Committed, r.Status));
        Assert.Equal([n + 1, n + 2], results.Select(r => r.Version!.Value).Order().ToArray());
        var versions = await VersionsAsync(setup);
        Assert.Equal((n + 2, ReturnStatus.Accepted), versions[0]);
        Assert.Equal((n + 1, ReturnStatus.Superseded), versions[1]);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var counts = await conn.QueryAsync<int>("select value_count - (select count(*)::int from measure_value v where v.return_id = r.id) from data_return r where id = any(@Ids)",
            new { Ids = results.Select(r => r.ReturnId!.Value).ToArray() });
        Assert.All(counts, c => Assert.Equal(0, c));
    }

    [Fact]
    public async Task ACommitCancelledHalfWayLeavesNoTrace()
    {
        var (setup, bytes) = await PoliceReturnAsync("cancelled");
        var before = await SnapshotAsync();
        using var cts = new CancellationTokenSource();
        var imports = Imports;
        var reached = false;
        imports.BeforeCommit = async (conn, ct) =>
        {
            // Everything is written but not committed: prove it, then pull the plug.
            reached = await conn.ExecuteScalarAsync<long>("select count(*) from data_return") == before.Returns + 1;
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "cancelled.xlsx", bytes), cts.Token));

        Assert.True(reached);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ACommitWhoseConnectionIsKilledHalfWayLeavesNoTrace()
    {
        var (setup, bytes) = await PoliceReturnAsync("killed");
        var before = await SnapshotAsync();
        var imports = Imports;
        imports.BeforeCommit = async (conn, _) =>
        {
            await using var killer = await db.DataSource.OpenConnectionAsync();
            Assert.True(await killer.ExecuteScalarAsync<bool>("select pg_terminate_backend(@Pid)", new { Pid = conn.ProcessID }));
        };

        await Assert.ThrowsAnyAsync<Exception>(() =>
            imports.CommitAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "killed.xlsx", bytes)));

        NpgsqlConnection.ClearAllPools();
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>The police return for the latest quarter, filled in, made unique by a note in its first commentary.</summary>
    private async Task<(Setup Setup, byte[] Bytes)> PoliceReturnAsync(string note)
    {
        var setup = await SetupAsync(db.DataSource);
        var template = await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);
        return (setup, Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = note));
    }

    private async Task<(long Returns, long Values, long Log, string Current)> SnapshotAsync()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var current = string.Join(",", await conn.QueryAsync<string>("select id || ':' || version || ':' || status from data_return order by id desc limit 5"));
        return (await Actors.CountAsync(db.DataSource, "data_return"), await Actors.CountAsync(db.DataSource, "measure_value"),
            await Actors.CountAsync(db.DataSource, "change_log"), current);
    }

    [Fact]
    public async Task AnAgencyUserCannotDownloadOrUploadAnotherAgencysReturnByEditingTheId()
    {
        var setup = await SetupAsync(db.DataSource);
        var templates = new ReturnTemplateService(db.DataSource);
        var schoolTemplate = await ReturnFiles.TemplateAsync(db.DataSource, setup.School, setup.SchoolId, setup.PeriodId);
        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => templates.BuildTemplateAsync(setup.Police, setup.SchoolId, setup.PeriodId));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.SchoolId, setup.PeriodId, "school.xlsx", Fill(schoolTemplate))));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Imports.CommitAsync(setup.Police, new ReturnUpload(setup.SchoolId, setup.PeriodId, "school.xlsx", Fill(schoolTemplate))));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(Actors.QaEmail)]
    [InlineData(Actors.ExecutiveEmail)]
    public async Task OnlyAgencyUsersAndAdminsDownloadTemplatesOrSendReturns(string email)
    {
        var setup = await SetupAsync(db.DataSource);
        var actor = await Actors.ForAsync(db.DataSource, email);
        await Assert.ThrowsAsync<AccessDeniedException>(() => new ReturnTemplateService(db.DataSource).BuildTemplateAsync(actor, setup.PoliceId, setup.PeriodId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Imports.CommitAsync(actor, new ReturnUpload(setup.PoliceId, setup.PeriodId, "x.xlsx", [1])));
    }

    [Fact]
    public async Task AnAdminDownloadsAnyAgencysTemplate()
    {
        var setup = await SetupAsync(db.DataSource);
        var template = await new ReturnTemplateService(db.DataSource).BuildTemplateAsync(setup.Admin, setup.SchoolId, setup.PeriodId);
        Assert.NotNull(template);
        Assert.Null(await new ReturnTemplateService(db.DataSource).BuildTemplateAsync(setup.Admin, setup.SchoolId, 999_999));
    }
}
