using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Voice;
using Scorecard.Tests.Assurance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Voice;

/// <summary>
/// Voice activities on a real PostgreSQL: entry with validation, roles and agency scope (edited ids included), tenancy against
/// a second partnership, suppression per viewer, quote review, waves and the change log.
/// </summary>
public sealed class VoiceCommandTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld home = default!;
    private AssuranceWorld other = default!;
    private VoiceCommands Commands => new(db.DataSource);
    private VoiceQueries Queries => new(db.DataSource);

    public async Task InitializeAsync()
    {
        home = await AssuranceWorld.CreateAsync(db.DataSource, "vhome");
        other = await AssuranceWorld.CreateAsync(db.DataSource, "vother");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static VoiceActivityInput Survey(int? agencyId, int respondents = 200, int wave = 1, string series = "cic-survey", params VoiceQuestionInput[] questions) => new(
        $"Children in care survey wave {wave}", VoiceMethod.Survey, RespondentGroup.ChildrenYoungPeople, "Children in care", agencyId, "",
        series, wave, new DateOnly(2024, 1, 1).AddMonths(6 * wave), new DateOnly(2024, 1, 31).AddMonths(6 * wave), respondents,
        questions.Length > 0 ? questions : [new("listened", "My social worker listens to me", AnswerScale.AgreeNeitherDisagree, [120, 50, 30])]);

    [Fact]
    public async Task AQaMemberRecordsASurveyAndEveryoneInThePartnershipSeesItsShareWithItsInterval()
    {
        var before = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_activity");

        var created = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId), default);

        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.Equal(before + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_activity"));
        foreach (var viewer in new[] { home.Executive, home.PoliceUser, home.Admin })
        {
            var view = await Queries.ActivityAsync(viewer, created.Value, default);
            var q = Assert.Single(view!.Questions);
            Assert.False(q.Result.Suppressed);
            Assert.Equal(0.6, q.Result.Share!.Share, 10);
            Assert.True(q.Result.Share.Low is > 0.53 and < 0.6);
        }
        Assert.Contains(await Queries.ListAsync(home.PoliceUser, RespondentGroup.ChildrenYoungPeople, null, default), a => a.Id == created.Value && a.RunBy == "Council");
    }

    [Fact]
    public async Task AnotherPartnershipSeesNothingOfIt()
    {
        var created = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId), default);

        Assert.Null(await Queries.ActivityAsync(other.Admin, created.Value, default));
        Assert.DoesNotContain(await Queries.ListAsync(other.Admin, null, null, default), a => a.Id == created.Value);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.AddMessageAsync(other.Admin, created.Value, new("They said", null, null, ""), default));
    }

    [Fact]
    public async Task AnAgencyUserEntersTheirOwnAgencysActivityButNotAnotherAgencysOrAForums()
    {
        var own = await Commands.CreateActivityAsync(home.PoliceUser, Survey(home.PoliceId, series: "police-survey") with { RespondentGroup = RespondentGroup.Practitioners }, default);
        Assert.True(own.Succeeded);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateActivityAsync(home.PoliceUser, Survey(home.HealthId, series: "health-survey"), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateActivityAsync(home.PoliceUser, Survey(null, series: "forum") with { Forum = "Youth Commission" }, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateActivityAsync(home.Executive, Survey(home.CouncilId, series: "exec"), default));
        // Adding a message to another agency's activity by editing the id is refused too.
        var councils = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, series: "council-x"), default);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.AddMessageAsync(home.PoliceUser, councils.Value, new("They said", null, null, ""), default));
    }

    [Fact]
    public async Task AnAgencyIdFromAnotherPartnershipIsRefusedAsAFieldError()
    {
        var result = await Commands.CreateActivityAsync(home.Qa, Survey(other.CouncilId, series: "stolen"), default);
        Assert.False(result.Succeeded);
        Assert.Equal("AgencyId", result.Errors[0].Field);
    }

    [Fact]
    public async Task BadInputGetsClearErrorsAndNothingIsSaved()
    {
        var before = await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}");
        var bad = Survey(home.CouncilId, respondents: 10, questions:
        [
            new("a", "Too many answers", AnswerScale.YesNo, [8, 8]),
            new("b", "Wrong width", AnswerScale.AgreeNeitherDisagree, [1, 2]),
            new("a", "Duplicate key", AnswerScale.YesNo, [1, 1]),
        ]) with { Title = "x" };

        var result = await Commands.CreateActivityAsync(home.Qa, bad, default);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Field == "Title");
        Assert.Contains(result.Errors, e => e.Field == "Questions[0].Counts" && e.Message.Contains("16 answers"));
        Assert.Contains(result.Errors, e => e.Field == "Questions[1].Counts" && e.Message.Contains("needs 3 counts"));
        Assert.Contains(result.Errors, e => e.Message.Contains("\"a\" is used twice"));
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "voice_activity", $"partnership_id = {home.PartnershipId}"));
    }

    [Fact]
    public async Task SmallResultsAreSuppressedForExecutivesAndOtherAgenciesButNotForQaOrTheRunningAgency()
    {
        var small = Survey(home.PoliceId, respondents: 4, series: "small", questions: [new("safe", "I feel safe", AnswerScale.YesNo, [3, 1])]);
        var id = (await Commands.CreateActivityAsync(home.Qa, small, default)).Value;

        var exec = (await Queries.ActivityAsync(home.Executive, id, default))!.Questions[0].Result;
        var health = (await Queries.ActivityAsync(home.HealthUser, id, default))!.Questions[0].Result;
        var police = (await Queries.ActivityAsync(home.PoliceUser, id, default))!.Questions[0].Result;
        var qa = (await Queries.ActivityAsync(home.Qa, id, default))!.Questions[0].Result;

        Assert.True(exec.Suppressed);
        Assert.Null(exec.Counts);
        Assert.True(health.Suppressed);
        Assert.False(police.Suppressed);
        Assert.Equal([3, 1], qa.Counts);
    }

    [Fact]
    public async Task WavesOfASeriesGiveATrendWithTheChangeInWords()
    {
        await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 1, series: "trend", questions: [new("listened", "Listened to", AnswerScale.AgreeNeitherDisagree, [120, 50, 30])]), default);
        var second = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 2, series: "trend", questions: [new("listened", "Listened to", AnswerScale.AgreeNeitherDisagree, [144, 36, 20])]), default);

        var q = (await Queries.ActivityAsync(home.Executive, second.Value, default))!.Questions[0];

        Assert.Equal([1, 2], q.Waves.Select(w => w.Wave));
        Assert.Equal("up 12 points, more than chance", Assert.Single(q.Steps).Change!.Words);
    }

    [Fact]
    public async Task AChangeIsWithheldWhenOneWaveIsSuppressed()
    {
        await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 1, series: "withheld", questions: [new("q", "Listened to", AnswerScale.AgreeNeitherDisagree, [120, 77, 3])]), default);
        var second = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 2, series: "withheld", questions: [new("q", "Listened to", AnswerScale.AgreeNeitherDisagree, [144, 36, 20])]), default);

        var exec = (await Queries.ActivityAsync(home.Executive, second.Value, default))!.Questions[0];
        var qa = (await Queries.ActivityAsync(home.Qa, second.Value, default))!.Questions[0];

        Assert.True(exec.Waves[0].Result.Suppressed);
        Assert.Null(exec.Steps[0].Change);
        Assert.Contains("not shown", exec.Steps[0].Withheld);
        Assert.NotNull(qa.Steps[0].Change);
    }

    [Fact]
    public async Task ASecondCopyOfTheSameWaveIsRefused()
    {
        await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 1, series: "dupe"), default);
        var again = await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, wave: 1, series: "dupe"), default);
        Assert.False(again.Succeeded);
        Assert.Equal("Wave", again.Errors[0].Field);
    }

    [Fact]
    public async Task AQuoteIsSeenOutsideQaOnlyOnceApprovedAndTheReviewIsLogged()
    {
        var id = (await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, series: "quotes"), default)).Value;
        var added = await Commands.AddMessageAsync(home.Qa, id,
            new("Children want to be asked before meetings", "\"Nobody asked me what I wanted\"", ConsentBasis.ConsentGiven, ""), default);
        Assert.True(added.Succeeded);

        var execBefore = Assert.Single((await Queries.ActivityAsync(home.Executive, id, default))!.Messages);
        var qaBefore = Assert.Single((await Queries.ActivityAsync(home.Qa, id, default))!.Messages);
        Assert.Null(execBefore.Quote);
        Assert.True(execBefore.QuoteWithheld);
        Assert.Equal("\"Nobody asked me what I wanted\"", qaBefore.Quote);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.ReviewQuoteAsync(home.Executive, added.Value, QuoteReview.ApprovedForSharing, default));
        var logBefore = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_message");
        Assert.True((await Commands.ReviewQuoteAsync(home.Qa, added.Value, QuoteReview.ApprovedForSharing, default)).Succeeded);

        var execAfter = Assert.Single((await Queries.ActivityAsync(home.Executive, id, default))!.Messages);
        Assert.Equal("\"Nobody asked me what I wanted\"", execAfter.Quote);
        Assert.Equal(logBefore + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_message"));
    }

    [Fact]
    public async Task AQuoteNeedsAConsentBasis()
    {
        var id = (await Commands.CreateActivityAsync(home.Qa, Survey(home.CouncilId, series: "consent"), default)).Value;
        var result = await Commands.AddMessageAsync(home.Qa, id, new("Message", "A quote", null, ""), default);
        Assert.False(result.Succeeded);
        Assert.Equal("ConsentBasis", result.Errors[0].Field);
    }

    [Fact]
    public async Task YouSaidWeDidIsRecordedAndLoggedWithBeforeAndAfter()
    {
        var id = (await Commands.CreateActivityAsync(home.PoliceUser, Survey(home.PoliceId, series: "ysd"), default)).Value;
        var message = (await Commands.AddMessageAsync(home.PoliceUser, id, new("Officers should explain what happens next", null, null, ""), default)).Value;

        Assert.True((await Commands.SetYouSaidWeDidAsync(home.PoliceUser, message, "A leaflet for children after a police visit", default)).Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SetYouSaidWeDidAsync(home.HealthUser, message, "Edited", default));

        Assert.Equal("A leaflet for children after a police visit", (await Queries.ActivityAsync(home.Executive, id, default))!.Messages[0].YouSaidWeDid);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var after = await conn.ExecuteScalarAsync<string>(
            "select after->>'youSaidWeDid' from change_log where partnership_id = @p and entity = 'voice_message' and action = 'update' order by id desc limit 1", new { p = home.PartnershipId });
        Assert.Equal("A leaflet for children after a police visit", after);
    }
}
