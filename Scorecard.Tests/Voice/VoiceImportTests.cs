using ClosedXML.Excel;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;
using Scorecard.Data.Voice;
using Scorecard.Tests.Assurance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Voice;

/// <summary>Both workbook shapes through the returns pipeline's safe checks: preview, all-or-nothing commit, hostile files.</summary>
public sealed class VoiceImportTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld home = default!;
    private VoiceImport Import => new(new VoiceCommands(db.DataSource), new ReturnUploadOptions());

    public async Task InitializeAsync() => home = await AssuranceWorld.CreateAsync(db.DataSource, "vimp");

    public Task DisposeAsync() => Task.CompletedTask;

    private VoiceActivityInput Details(int? agencyId = null) => new("Imported survey", VoiceMethod.Survey, RespondentGroup.ChildrenYoungPeople, "Children in care",
        agencyId ?? home.CouncilId, "", null, null, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), 0, []);

    private static byte[] Workbook(Action<IXLWorksheet> fill)
    {
        using var wb = new XLWorkbook();
        fill(wb.Worksheets.Add("Results"));
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }

    private static byte[] ResultsWorkbook(params object[][] rows) => Workbook(ws =>
    {
        ws.Cell(1, 1).Value = "Question key";
        ws.Cell(1, 2).Value = "Question";
        ws.Cell(1, 3).Value = "Scale";
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < rows[r].Length; c++)
                ws.Cell(r + 2, c + 1).Value = rows[r][c];
    });

    [Fact]
    public async Task AResultsWorkbookIsPreviewedThenCommittedInOneGo()
    {
        var bytes = ResultsWorkbook(["feel-safe", "I feel safe where I live", "agree_neither_disagree", 150, 30, 20], ["listened", "I am listened to", "Yes / sometimes / no", 90, 60, 50]);
        var before = await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}");

        var preview = await Import.PreviewAsync(home.Qa, Details(), bytes, default);

        Assert.True(preview.Succeeded, string.Join("; ", preview.Errors));
        Assert.Equal(VoiceWorkbookShape.Results, preview.Shape);
        Assert.Equal([150, 30, 20], preview.Questions[0].Counts);
        Assert.Equal(AnswerScale.YesSometimesNo, preview.Questions[1].Scale);
        Assert.Equal(200, preview.Respondents);
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}"));

        var commit = await Import.CommitAsync(home.Qa, Details(), bytes, default);

        Assert.True(commit.Succeeded);
        var view = await new VoiceQueries(db.DataSource).ActivityAsync(home.Executive, commit.ActivityId!.Value, default);
        Assert.Equal(VoiceSource.Upload, view!.Activity.Source);
        Assert.Equal(0.75, view.Questions[0].Result.Share!.Share, 10);
    }

    [Fact]
    public async Task APerRespondentSheetIsAggregatedAndNotKeptRowByRow()
    {
        string[] answers = ["Agree", "Agree", "Neither", "Disagree", "agree", "", "Agree"];
        var bytes = Workbook(ws =>
        {
            ws.Cell(1, 1).Value = "Respondent";
            ws.Cell(2, 1).Value = "Question";
            ws.Cell(3, 1).Value = "Scale";
            ws.Cell(1, 2).Value = "feel-safe";
            ws.Cell(2, 2).Value = "I feel safe where I live";
            ws.Cell(3, 2).Value = "agree_neither_disagree";
            ws.Cell(1, 3).Value = "scores";
            ws.Cell(2, 3).Value = "How good is your school at keeping you safe";
            ws.Cell(3, 3).Value = "one_to_five";
            for (var i = 0; i < answers.Length; i++)
            {
                ws.Cell(4 + i, 1).Value = $"R{i + 1}";
                ws.Cell(4 + i, 2).Value = answers[i];
                ws.Cell(4 + i, 3).Value = (i % 5) + 1;
            }
        });

        var result = await Import.CommitAsync(home.Qa, Details(), bytes, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(VoiceWorkbookShape.PerRespondent, result.Shape);
        Assert.Equal(7, result.Respondents);
        Assert.Equal([4, 1, 1], result.Questions[0].Counts);
        Assert.Equal([2, 2, 1, 1, 1], result.Questions[1].Counts);
        // Only the totals are stored: one question row per question, nothing per respondent.
        Assert.Equal(2, await Actors.CountAsync(db.DataSource, "voice_question", $"activity_id = {result.ActivityId}"));
    }

    [Fact]
    public async Task AWrongAnswerOrScaleNamesItsCellAndNothingIsSaved()
    {
        var before = await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}");
        var bytes = ResultsWorkbook(["ok", "Fine question", "yes_no", 10, 5], ["bad", "Bad scale", "likert-7", 1, 2], ["neg", "Negative count", "yes_no", -3, 5]);

        var result = await Import.CommitAsync(home.Qa, Details(), bytes, default);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.StartsWith("Row 3: the scale \"likert-7\"", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("Row 4: the count for \"Yes\" (cell D4)", StringComparison.Ordinal));
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}"));
    }

    [Fact]
    public async Task HostileFilesAreRefusedByTheSharedChecks()
    {
        var formula = Workbook(ws =>
        {
            ws.Cell(1, 1).Value = "Question key";
            ws.Cell(2, 1).Value = "q";
            ws.Cell(2, 2).Value = "Question";
            ws.Cell(2, 3).Value = "yes_no";
            ws.Cell(2, 4).FormulaA1 = "=HYPERLINK(\"http://evil.example\",1)";
        });
        var pdf = "%PDF-1.7\n"u8.ToArray().Concat(new byte[200]).ToArray();

        var f = await Import.PreviewAsync(home.Qa, Details(), formula, default);
        var p = await Import.PreviewAsync(home.Qa, Details(), pdf, default);
        var empty = await Import.PreviewAsync(home.Qa, Details(), [], default);

        Assert.False(f.Succeeded);
        Assert.Contains("formula", f.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(p.Succeeded);
        Assert.False(empty.Succeeded);
        Assert.Contains("empty", empty.Message);
    }

    [Fact]
    public async Task AnAgencyUserCannotImportForAnotherAgency()
    {
        var bytes = ResultsWorkbook(["ok", "Fine question", "yes_no", 10, 5]);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Import.CommitAsync(home.PoliceUser, Details(home.HealthId), bytes, default));
        Assert.True((await Import.CommitAsync(home.PoliceUser, Details(home.PoliceId), bytes, default)).Succeeded);
    }
}
