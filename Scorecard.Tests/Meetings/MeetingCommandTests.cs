using Scorecard.Data.Accounts;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

public sealed class MeetingCommandTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task TheBuiltAgendaHoldsTheScorecardsExceptionsAndTheLateReturnsWithTheirFacts()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync();
        var meeting = (await world.Queries.GetAsync(world.Qa, id, default))!;

        var snapshot = await world.ReadModel.GetAsync(world.Qa.PartnershipId, default);
        var exceptions = ScorecardViewBuilder.Build(snapshot, world.Qa, ScorecardScope.Partnership).Lines.Where(l => l.IsException).ToList();
        Assert.NotEmpty(exceptions);
        var items = meeting.Items.Where(i => i.Kind == AgendaItemKind.ScorecardException).ToList();
        Assert.Equal(exceptions.Select(l => ScorecardExceptionsAgendaSource.SourceKey(l.Measure.Code)).Order(), items.Select(i => i.SourceKey!).Order());
        Assert.All(items, i => Assert.Contains(i.Facts, f => f.Label == "Latest figure"));

        var returns = Assert.Single(meeting.Items, i => i.Kind == AgendaItemKind.ReturnLateOrMissing);
        Assert.Contains(returns.Facts, f => f.Label.StartsWith("Mid Cheshire", StringComparison.Ordinal) && f.Value.StartsWith("Missing", StringComparison.Ordinal));
        // Exceptions come first in a QA subgroup meeting, most urgent first.
        Assert.Equal(AgendaItemKind.ScorecardException, meeting.Items[0].Kind);
        Assert.True(await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'meeting' and entity_id = '{id}' and summary like 'Built the agenda%'") == 1);
    }

    [Fact]
    public async Task TheChairsOrderDropsAndOwnItemsSurviveARebuild()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Rebuild test");
        var before = (await world.Queries.GetAsync(world.Qa, id, default))!.Items;
        var last = before[^1];
        Assert.True((await world.Commands.MoveItemAsync(world.Qa, id, last.Id, -before.Count, default)).Value);
        Assert.True((await world.Commands.SetDroppedAsync(world.Qa, id, before[0].Id, true, default)).Value);
        var own = (await world.Commands.AddItemAsync(world.Qa, id, "Annual report: attendance figures", "For sign-off", default)).Value;

        Assert.True((await world.Commands.BuildAgendaAsync(world.Qa, id, default)).Succeeded);

        var after = (await world.Queries.GetAsync(world.Qa, id, default))!.Items;
        Assert.Equal(last.Id, after[0].Id);
        Assert.True(after.Single(i => i.Id == before[0].Id).Dropped);
        Assert.Equal(own, after[^1].Id);
        Assert.True(after[^1].AddedByChair);
        Assert.Equal(before.Count + 1, after.Count);
    }

    [Fact]
    public async Task ADecisionAndANewActionAreRecordedAgainstAnItemAndLogged()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Minutes test");
        var item = (await world.Queries.GetAsync(world.Qa, id, default))!.Agenda[0];
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");

        var missingOwner = await world.Commands.RecordAsync(world.Qa, id, item.Id, new NewMeetingRecord(MeetingRecordKind.NewAction, "Audit the re-referrals"), default);
        Assert.Equal("Choose the agency that owns the action.", missingOwner.ErrorFor("OwnerAgencyId"));
        Assert.True((await world.Commands.RecordAsync(world.Qa, id, item.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "The subgroup accepts the explanation."), default)).Succeeded);
        Assert.True((await world.Commands.RecordAsync(world.Qa, id, item.Id,
            new NewMeetingRecord(MeetingRecordKind.NewChallenge, "Why did the rate rise?", police, new DateOnly(2026, 2, 28)), default)).Succeeded);

        var records = (await world.Queries.GetAsync(world.Qa, id, default))!.RecordsFor(item.Id);
        Assert.Equal([MeetingRecordKind.Decision, MeetingRecordKind.NewChallenge], records.Select(r => r.Kind));
        Assert.Equal("Cheshire Constabulary", records[1].OwnerAgencyName);
        Assert.Equal(new DateOnly(2026, 2, 28), records[1].DueDate);
        Assert.Equal(2, await Actors.CountAsync(db.DataSource, "meeting_record", $"meeting_id = {id}"));
        Assert.Equal(2, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'meeting_record' and summary like '%Minutes test%'"));
    }

    [Fact]
    public async Task AnAgencyUserHasNoAccessAndAnExecutiveRunsOnlyExecutiveMeetings()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Roles test");
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Queries.ListAsync(world.Police, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Queries.GetAsync(world.Police, id, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Commands.BuildAgendaAsync(world.Police, id, default));

        Assert.NotNull(await world.Queries.GetAsync(world.Executive, id, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Commands.CreateAsync(world.Executive, new NewMeeting(MeetingKind.QaSubgroup, "Not mine", MeetingWorld.NextMeeting), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => world.Commands.AddItemAsync(world.Executive, id, "Not mine", "", default));
        var exec = await world.Commands.CreateAsync(world.Executive, new NewMeeting(MeetingKind.Executive, "Executive, February", new DateOnly(2026, 2, 4)), default);
        Assert.True(exec.Succeeded);
        Assert.True((await world.Commands.BuildAgendaAsync(world.Executive, exec.Value, default)).Succeeded);
    }

    [Fact]
    public async Task AnotherPartnershipNeitherSeesNorChangesTheMeeting()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Tenancy test");
        var other = await Actors.OtherPartnershipAdminAsync(db.DataSource);
        var item = (await world.Queries.GetAsync(world.Qa, id, default))!.Items[0];

        Assert.Null(await world.Queries.GetAsync(other, id, default));
        Assert.DoesNotContain(await world.Queries.ListAsync(other, default), m => m.Id == id);
        Assert.False((await world.Commands.SetDroppedAsync(other, id, item.Id, true, default)).Succeeded);
        Assert.False((await world.Commands.RecordAsync(other, id, item.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "Sneaky"), default)).Succeeded);
        Assert.Null(await world.Queries.GetPackAsync(other, id, null, default));
        Assert.False((await world.Queries.GetAsync(world.Qa, id, default))!.Items[0].Dropped);
    }

    [Fact]
    public async Task AttendanceIsRecordedForInvitedAgenciesAndGivesTheYearsRates()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = (await world.Commands.CreateAsync(world.Qa, new NewMeeting(MeetingKind.QaSubgroup, "Attendance test", new DateOnly(2027, 6, 10)), default)).Value;
        var invited = (await world.Queries.GetAsync(world.Qa, id, default))!.Attendance;
        Assert.DoesNotContain(invited, a => a.AgencyName.Contains("Primary School", StringComparison.Ordinal));
        var school = await Actors.AgencyIdAsync(db.DataSource, "Sandbach High");
        var notInvited = await world.Commands.RecordAttendanceAsync(world.Qa, id, [new AttendanceInput(school, true)], default);
        Assert.False(notInvited.Succeeded);

        var first = invited[0];
        Assert.True((await world.Commands.RecordAttendanceAsync(world.Qa, id,
            invited.Select(a => new AttendanceInput(a.AgencyId, a.AgencyId != first.AgencyId, "Safeguarding lead")).ToList(), default)).Succeeded);
        Assert.True((await world.Commands.SetStatusAsync(world.Qa, id, MeetingStatus.Held, default)).Value);

        var year = await world.Queries.AttendanceAsync(world.Qa, MeetingKind.QaSubgroup, new DateOnly(2027, 6, 15), default);
        var missed = year.Agencies.Single(a => a.AgencyId == first.AgencyId);
        Assert.Equal((1, 0), (missed.Invited, missed.Attended));
        Assert.Equal(missed, year.Agencies[0]);
        Assert.Equal(1, year.Meetings);
        Assert.All(year.Agencies.Skip(1), a => Assert.Equal(1m, a.Rate));
    }

    [Fact]
    public async Task NothingIsHalfSavedWhenAnItemIsNotOnTheMeeting()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var a = await world.MeetingWithAgendaAsync("Half-saved A");
        var b = await world.MeetingWithAgendaAsync("Half-saved B");
        var itemOfB = (await world.Queries.GetAsync(world.Qa, b, default))!.Items[0];
        var result = await world.Commands.RecordAsync(world.Qa, a, itemOfB.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "Wrong meeting"), default);
        Assert.Equal("That item is not on this meeting's agenda.", result.ErrorFor("AgendaItemId"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "meeting_record", "text = 'Wrong meeting'"));
    }
}
