using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Voice;
using Scorecard.Tests.Assurance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Voice;

/// <summary>
/// Editing voice activities on a real PostgreSQL (issue 12 §1): an activity's fields, its questions and answer counts one
/// by one (ids kept, so links to them stay), key messages with a changed quote back in draft; validation with clear
/// messages; agency users only their own agency's activities, tested with edited ids; every change in the change log.
/// </summary>
public sealed class VoiceEditTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld home = default!;
    private AssuranceWorld other = default!;
    private VoiceCommands Commands => new(db.DataSource);
    private VoiceQueries Queries => new(db.DataSource);

    public async Task InitializeAsync()
    {
        home = await AssuranceWorld.CreateAsync(db.DataSource, "ehome");
        other = await AssuranceWorld.CreateAsync(db.DataSource, "eother");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static int serial;

    private static VoiceActivityInput Visit(int? agencyId, int respondents = 20) => new(
        $"Front-line visits {Interlocked.Increment(ref serial)}", VoiceMethod.PractitionerVisit, RespondentGroup.Practitioners, "Police officers", agencyId, "",
        null, null, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31), respondents,
        [new("supervision", "I get regular safeguarding supervision", AnswerScale.YesSometimesNo, [10, 5, 5])]);

    private async Task<int> CreateAsync(Actor actor, VoiceActivityInput input)
    {
        var created = await Commands.CreateActivityAsync(actor, input, default);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        return created.Value;
    }

    [Fact]
    public async Task AQaMemberEditsAnActivitysFieldsAndTheChangeIsLoggedWithBeforeAndAfter()
    {
        var input = Visit(home.PoliceId);
        var id = await CreateAsync(home.Qa, input);
        var logs = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_activity");

        var edited = await Commands.UpdateActivityAsync(home.Qa, id, input with { Title = "Front-line visits, January", Respondents = 25, Cohort = "Response officers" }, default);

        Assert.True(edited.Succeeded, string.Join("; ", edited.Errors.Select(e => e.Message)));
        Assert.True(edited.Value);
        var view = await Queries.ActivityAsync(home.Qa, id, default);
        Assert.Equal("Front-line visits, January", view!.Activity.Title);
        Assert.Equal(25, view.Activity.Respondents);
        Assert.Equal("Response officers", view.Activity.Cohort);
        Assert.Equal(logs + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_activity"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var (before, after) = await conn.QuerySingleAsync<(string, string)>(
            "select before::text, after::text from change_log where entity = 'voice_activity' and entity_id = @id order by id desc limit 1", new { id = id.ToString() });
        Assert.Contains("\"respondents\": 20", before);
        Assert.Contains("\"respondents\": 25", after);

        // Saving it unchanged writes nothing.
        Assert.False((await Commands.UpdateActivityAsync(home.Qa, id, input with { Title = "Front-line visits, January", Respondents = 25, Cohort = "Response officers" }, default)).Value);
        Assert.Equal(logs + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_activity"));
    }

    [Fact]
    public async Task AnEditCannotLeaveAQuestionWithMoreAnswersThanRespondentsAndNothingIsHalfSaved()
    {
        var input = Visit(home.PoliceId);
        var id = await CreateAsync(home.Qa, input);

        var fewer = await Commands.UpdateActivityAsync(home.Qa, id, input with { Respondents = 12, Title = "A new title" }, default);

        Assert.False(fewer.Succeeded);
        Assert.Equal("Question 1 has 20 answers but the activity has 12 respondents.", Assert.Single(fewer.Errors).Message);
        var view = await Queries.ActivityAsync(home.Qa, id, default);
        Assert.Equal(input.Title, view!.Activity.Title);
        Assert.Equal(20, view.Activity.Respondents);
    }

    [Fact]
    public async Task AnAgencyUserEditsOnlyTheirOwnAgencysActivitiesWhateverIdTheySend()
    {
        var mine = await CreateAsync(home.PoliceUser, Visit(home.PoliceId));
        var health = await CreateAsync(home.Qa, Visit(home.HealthId));
        var elsewhereInput = Visit(other.PoliceId);
        var elsewhere = await CreateAsync(other.Qa, elsewhereInput);
        var healthMessage = (await Commands.AddMessageAsync(home.Qa, health, new VoiceMessageInput("Supervision is patchy", null, null, ""), default)).Value;

        Assert.True((await Commands.UpdateActivityAsync(home.PoliceUser, mine, Visit(home.PoliceId) with { Title = "Our own visits" }, default)).Succeeded);

        // Another agency's activity, by its id: refused, for the activity, its questions and its messages.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateActivityAsync(home.PoliceUser, health, Visit(home.PoliceId), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveQuestionAsync(home.PoliceUser, health, null,
            new VoiceQuestionInput("extra", "An extra question", AnswerScale.YesNo, [1, 1]), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateMessageAsync(home.PoliceUser, healthMessage, new VoiceMessageInput("Changed by police", null, null, ""), default));
        // Handing their own activity to another agency or a forum: refused.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateActivityAsync(home.PoliceUser, mine, Visit(home.HealthId), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateActivityAsync(home.PoliceUser, mine, Visit(null) with { Forum = "A forum" }, default));
        // Executives read only; another partnership's activity does not exist for this one.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateActivityAsync(home.Executive, mine, Visit(home.PoliceId), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateActivityAsync(home.Qa, elsewhere, Visit(home.PoliceId), default));

        Assert.Equal(elsewhereInput.Title, (await Queries.ActivityAsync(other.Qa, elsewhere, default))!.Activity.Title);
        Assert.Equal("Supervision is patchy", (await Queries.ActivityAsync(home.Qa, health, default))!.Messages.Single().Message);
    }

    [Fact]
    public async Task QuestionsAreAddedAndEditedOneByOneKeepingTheirIdsAndEachChangeIsLogged()
    {
        var id = await CreateAsync(home.PoliceUser, Visit(home.PoliceId));
        var first = (await Queries.ActivityAsync(home.PoliceUser, id, default))!.Questions.Single();
        var logs = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_question");

        var added = await Commands.SaveQuestionAsync(home.PoliceUser, id, null, new VoiceQuestionInput("training", "My training is up to date", AnswerScale.YesNo, [15, 5]), default);
        Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Message)));
        var edited = await Commands.SaveQuestionAsync(home.PoliceUser, id, first.Id, new VoiceQuestionInput("supervision", "I get regular supervision", AnswerScale.YesSometimesNo, [12, 4, 4]), default);
        Assert.True(edited.Succeeded, string.Join("; ", edited.Errors.Select(e => e.Message)));

        var view = (await Queries.ActivityAsync(home.PoliceUser, id, default))!;
        Assert.Equal([first.Id, added.Value], view.Questions.Select(q => q.Id).ToList());
        Assert.Equal("I get regular supervision", view.Questions[0].Wording);
        Assert.Equal([12, 4, 4], view.Questions[0].Result.Counts);
        Assert.Equal(2, view.Questions[1].Position);
        Assert.Equal(logs + 2, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_question"));

        // Clear messages: the wrong number of counts, more answers than respondents, a key used twice, no such question.
        var width = await Commands.SaveQuestionAsync(home.PoliceUser, id, null, new VoiceQuestionInput("more", "Another question", AnswerScale.YesNo, [1, 2, 3]), default);
        Assert.Equal("Question 3 needs 2 counts (Yes, No); it has 3.", Assert.Single(width.Errors).Message);
        var many = await Commands.SaveQuestionAsync(home.PoliceUser, id, first.Id, new VoiceQuestionInput("supervision", "I get regular supervision", AnswerScale.YesSometimesNo, [20, 4, 4]), default);
        Assert.Equal("Question 1 has 28 answers but the activity has 20 respondents.", Assert.Single(many.Errors).Message);
        var clash = await Commands.SaveQuestionAsync(home.PoliceUser, id, null, new VoiceQuestionInput("training", "Training again", AnswerScale.YesNo, [1, 1]), default);
        Assert.Equal("The question key \"training\" is used twice.", Assert.Single(clash.Errors).Message);
        var missing = await Commands.SaveQuestionAsync(home.PoliceUser, id, 999_999, new VoiceQuestionInput("x", "A question", AnswerScale.YesNo, [1, 1]), default);
        Assert.Equal("There is no such question in this activity.", Assert.Single(missing.Errors).Message);
        Assert.Equal(2, (await Queries.ActivityAsync(home.PoliceUser, id, default))!.Questions.Count);
    }

    [Fact]
    public async Task EditingAnApprovedQuoteReturnsItToDraftSoItIsReviewedAgainBeforeItIsShared()
    {
        var id = await CreateAsync(home.Qa, Visit(home.PoliceId));
        var message = (await Commands.AddMessageAsync(home.Qa, id, new VoiceMessageInput("Officers want more time", "\"We never have time to talk\"", ConsentBasis.ConsentGiven, ""), default)).Value;
        Assert.True((await Commands.ReviewQuoteAsync(home.Qa, message, QuoteReview.ApprovedForSharing, default)).Succeeded);

        // Only the "you said, we did" changes: the approval stands.
        Assert.True((await Commands.UpdateMessageAsync(home.PoliceUser, message,
            new VoiceMessageInput("Officers want more time", "\"We never have time to talk\"", ConsentBasis.ConsentGiven, "Protected time each month"), default)).Succeeded);
        Assert.Equal("\"We never have time to talk\"", (await Queries.ActivityAsync(home.HealthUser, id, default))!.Messages.Single().Quote);

        // The quote changes: back to draft, hidden outside QA until approved again; logged.
        var logs = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_message");
        var changed = await Commands.UpdateMessageAsync(home.PoliceUser, message,
            new VoiceMessageInput("Officers want more time", "\"We never get time to talk it through\"", ConsentBasis.ConsentGiven, "Protected time each month"), default);
        Assert.True(changed.Succeeded);
        var asHealth = (await Queries.ActivityAsync(home.HealthUser, id, default))!.Messages.Single();
        Assert.Null(asHealth.Quote);
        Assert.True(asHealth.QuoteWithheld);
        Assert.Equal("Protected time each month", asHealth.YouSaidWeDid);
        Assert.Equal(QuoteReview.Draft, (await Queries.ActivityAsync(home.Qa, id, default))!.Messages.Single().ReviewStatus);
        Assert.Equal(logs + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "voice_message"));

        var noConsent = await Commands.UpdateMessageAsync(home.Qa, message, new VoiceMessageInput("Officers want more time", "A quote", null, ""), default);
        Assert.Equal("Record the consent basis for the quote.", Assert.Single(noConsent.Errors).Message);
    }
}
