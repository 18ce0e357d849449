using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

/// <summary>
/// A meeting's new challenge or new action is a real one (issue 13 §4 with §1 and §3): raised through the challenge log's
/// and action plans' own commands in the same transaction as the minute, linked both ways, logged, under their role rules.
/// </summary>
public sealed class MeetingRecordLinkTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DateOnly Due = MeetingWorld.NextMeeting.AddDays(42);

    private sealed record ChallengeRow(string Question, string SubjectKind, string SubjectKey, int ToAgencyId, DateOnly? MeetingDate, DateOnly DueDate, string RaisedByName);

    private sealed record ActionRow(string Title, string SourceKind, string SourceKey, int OwnerAgencyId, string OwnerPerson, DateOnly DueDate);

    private async Task<(MeetingWorld World, int MeetingId, AgendaItemRow Item)> ExceptionItemAsync(string title)
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync(title);
        var item = (await world.Queries.GetAsync(world.Qa, id, default))!.Agenda.First(i => i.Kind == AgendaItemKind.ScorecardException);
        return (world, id, item);
    }

    private async Task<string> AMeasureCodeAsync(Actor actor)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string>("select code from measure where partnership_id = @PartnershipId order by code limit 1", new { actor.PartnershipId }) ?? "";
    }

    [Fact]
    public async Task ANewChallengeIsRaisedInTheChallengeLogAboutTheItemsMeasureAndLinkedToTheMinute()
    {
        var (world, id, item) = await ExceptionItemAsync("Challenge link test");
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");

        var result = await world.Commands.RecordAsync(world.Qa, id, item.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "What explains the rise in re-referrals?", police, Due), default);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Message)));
        var record = Assert.Single((await world.Queries.GetAsync(world.Qa, id, default))!.RecordsFor(item.Id));
        var challengeId = Assert.IsType<int>(record.ChallengeId);
        Assert.Null(record.ActionId);
        Assert.Equal($"/improvement/challenges/{challengeId}", record.Href);
        Assert.Equal($"New challenge (challenge {challengeId})", record.KindLabel);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var challenge = await conn.QuerySingleAsync<ChallengeRow>(
            "select question, subject_kind, subject_key, to_agency_id, meeting_date, due_date, raised_by_name from challenge where id = @challengeId", new { challengeId });
        Assert.Equal(new ChallengeRow("What explains the rise in re-referrals?", "measure", ScorecardExceptionsAgendaSource.MeasureCode(item.SourceKey)!, police,
            MeetingWorld.NextMeeting, Due, world.Qa.DisplayName), challenge);
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'challenge' and entity_id = '{challengeId}' and action = 'create'"));
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'meeting_record' and summary like 'New challenge (challenge {challengeId})%'"));

        // The challenge names the meeting that raised it; the police user, who does not read meetings, gets the date only.
        var challenges = new ChallengeQueries(db.DataSource, FixedClock.DemoToday);
        Assert.Equal(id, (await challenges.GetAsync(world.Qa, challengeId, default))!.MeetingId);
        var policeUser = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var seenByPolice = (await challenges.GetAsync(policeUser, challengeId, default))!;
        Assert.Equal(MeetingWorld.NextMeeting, seenByPolice.Challenge.MeetingDate);
        Assert.Null(seenByPolice.MeetingId);
    }

    [Fact]
    public async Task ANewActionIsCreatedInActionPlansWithTheItemAsItsSourceAndLinkedToTheMinute()
    {
        var (world, id, item) = await ExceptionItemAsync("Action link test");
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");

        var missingOwner = await world.Commands.RecordAsync(world.Qa, id, item.Id,
            new NewMeetingRecord(MeetingRecordKind.NewAction, "Bring a deep dive on re-referrals", police, Due), default);
        Assert.NotNull(missingOwner.ErrorFor("OwnerPerson"));
        var result = await world.Commands.RecordAsync(world.Qa, id, item.Id,
            new NewMeetingRecord(MeetingRecordKind.NewAction, "Bring a deep dive on re-referrals", police, Due, "Head of public protection"), default);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Message)));
        var record = Assert.Single((await world.Queries.GetAsync(world.Qa, id, default))!.RecordsFor(item.Id));
        var actionId = Assert.IsType<int>(record.ActionId);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var action = await conn.QuerySingleAsync<ActionRow>(
            "select title, source_kind, source_key, owner_agency_id, owner_person, due_date from improvement_action where id = @actionId", new { actionId });
        Assert.Equal(new ActionRow("Bring a deep dive on re-referrals", "measure", ScorecardExceptionsAgendaSource.MeasureCode(item.SourceKey)!, police,
            "Head of public protection", Due), action);
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'improvement_action' and entity_id = '{actionId}' and action = 'create'"));
    }

    [Fact]
    public async Task AChallengeTheLogRefusesLeavesNoMinuteAndNoChallenge()
    {
        var (world, id, item) = await ExceptionItemAsync("Refused challenge test");
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var before = await Actors.CountAsync(db.DataSource, "challenge");

        // The challenge log refuses a due date before today (the demo's 15 December 2025).
        var result = await world.Commands.RecordAsync(world.Qa, id, item.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "Why did the rate rise last year?", police, new DateOnly(2025, 1, 31)), default);

        Assert.Equal("The due date cannot be in the past.", result.ErrorFor("DueDate"));
        Assert.Equal(before, await Actors.CountAsync(db.DataSource, "challenge"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "meeting_record", $"meeting_id = {id}"));
    }

    [Fact]
    public async Task AnItemWithoutASubjectAsksForOneAndThenUsesIt()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Subject test");
        var returns = (await world.Queries.GetAsync(world.Qa, id, default))!.Agenda.First(i => i.Kind == AgendaItemKind.ReturnLateOrMissing);
        var trust = await Actors.AgencyIdAsync(db.DataSource, "Mid Cheshire");

        var none = await world.Commands.RecordAsync(world.Qa, id, returns.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "When will the missing return arrive?", trust, Due), default);
        Assert.NotNull(none.ErrorFor("Subject"));
        var unknown = await world.Commands.RecordAsync(world.Qa, id, returns.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "When will the missing return arrive?", trust, Due, SubjectKind: SourceKind.Measure, SubjectKey: "NO-SUCH"), default);
        Assert.Contains("NO-SUCH", unknown.ErrorFor("Subject"));
        var code = ScorecardExceptionsAgendaSource.MeasureCode((await world.Queries.GetAsync(world.Qa, id, default))!.Agenda.First(i => i.Kind == AgendaItemKind.ScorecardException).SourceKey)!;
        var named = await world.Commands.RecordAsync(world.Qa, id, returns.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "When will the missing return arrive?", trust, Due, SubjectKind: SourceKind.Measure, SubjectKey: code.ToLowerInvariant()), default);

        Assert.True(named.Succeeded, string.Join(" ", named.Errors.Select(e => e.Message)));
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "meeting_record", $"meeting_id = {id}"));
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "challenge", $"question = 'When will the missing return arrive?' and subject_key = '{code}'"));
    }

    [Fact]
    public async Task AnExecutiveAtItsOwnMeetingMayMinuteDecisionsButNotRaiseChallengesAndNothingIsHalfSaved()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = (await world.Commands.CreateAsync(world.Executive, new NewMeeting(MeetingKind.Executive, "Executive link test", MeetingWorld.NextMeeting), default)).Value;
        var item = (await world.Commands.AddItemAsync(world.Executive, id, "Escalations", "", default)).Value;
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var code = await AMeasureCodeAsync(world.Qa);

        Assert.True((await world.Commands.RecordAsync(world.Executive, id, item, new NewMeetingRecord(MeetingRecordKind.Decision, "Noted the escalations."), default)).Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Commands.RecordAsync(world.Executive, id, item,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "Why is this escalated again?", police, Due, SubjectKind: SourceKind.Measure, SubjectKey: code), default));

        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "meeting_record", $"meeting_id = {id}"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "challenge", "question = 'Why is this escalated again?'"));
    }

    [Fact]
    public async Task AJoinedCommandRollsBackWithTheTransactionItJoined()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var code = await AMeasureCodeAsync(world.Qa);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Result<int> raised;
            using (Transactions.Join(db.DataSource, conn, tx))
                raised = await world.Challenges.RaiseAsync(world.Qa, new NewChallenge("Joined and rolled back?", SourceKind.Measure, code, police, null, Due), default);
            Assert.True(raised.Succeeded);
            Assert.Equal(1, await conn.ExecuteScalarAsync<int>("select count(*)::int from challenge where question = 'Joined and rolled back?'", transaction: tx));
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "challenge", "question = 'Joined and rolled back?'"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "change_log", "entity = 'challenge' and after::text like '%Joined and rolled back?%'"));
    }

    [Theory]
    [InlineData("measure:CSC-REREF", SourceKind.Measure, "CSC-REREF")]
    [InlineData("risk:12", SourceKind.Risk, "12")]
    [InlineData("risk-review:7", SourceKind.Risk, "7")]
    [InlineData("theme:3", SourceKind.TriangulationTheme, "3")]
    [InlineData("challenge:9", SourceKind.Challenge, "9")]
    [InlineData("plan:audit_finding:44", SourceKind.AuditFinding, "44")]
    public void AnItemsSourceKeyNamesItsSubject(string sourceKey, SourceKind kind, string key) =>
        Assert.Equal(new SourceLink(kind, key), MeetingCommands.SubjectOf(sourceKey));

    [Theory]
    [InlineData(null)]
    [InlineData("returns:2025-Q2")]
    [InlineData("audit:4")]
    [InlineData("plan:nonsense:4")]
    [InlineData(":x")]
    public void AnItemWithoutASubjectOfItsOwnNamesNone(string? sourceKey) => Assert.Null(MeetingCommands.SubjectOf(sourceKey));
}
