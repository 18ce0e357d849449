using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>
/// The challenge log on a real PostgreSQL: raising about a validated subject, the agency's answer (its own agency's
/// only, edited ids refused), the subgroup's view (satisfactory closes, further information asks again, escalate), the
/// escalation policy's stages forward only, overdue, the agenda, tenancy and the log.
/// </summary>
public sealed class ChallengeCommandTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;
    private ImprovementWorld other = default!;

    public async Task InitializeAsync()
    {
        w = await ImprovementWorld.CreateAsync(db.DataSource, "chl");
        other = await ImprovementWorld.CreateAsync(db.DataSource, "oth");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> RaiseAsync(int agencyId)
    {
        var result = await w.Challenges.RaiseAsync(w.Qa, w.ChallengeTo(agencyId), default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    [Fact]
    public async Task AQaMemberRaisesAChallengeAboutAMeasureAndItShowsOnTheMeasure()
    {
        var id = await RaiseAsync(w.PoliceId);
        var about = await w.ChallengeQueries.ForSubjectAsync(w.Qa, new SourceLink(SourceKind.Measure, w.MeasureCode), default);
        var row = Assert.Single(about);
        Assert.Equal(id, row.Id);
        Assert.Equal(ChallengeStatus.AwaitingResponse, row.Status);
        Assert.StartsWith("CSC-REREF", row.SubjectTitle);
        Assert.Equal("Quentin QA", row.RaisedByName);
        Assert.Equal(1, await w.LogCountAsync("challenge"));
    }

    [Fact]
    public async Task ASubjectOfAnotherPartnershipOrAnAgencyOfAnotherIsRefused()
    {
        Assert.NotNull((await w.Challenges.RaiseAsync(w.Qa, w.ChallengeTo(w.PoliceId) with { SubjectKind = SourceKind.AuditFinding, SubjectKey = other.FindingId.ToString() }, default)).ErrorFor("SubjectKey"));
        Assert.NotNull((await w.Challenges.RaiseAsync(w.Qa, w.ChallengeTo(other.PoliceId), default)).ErrorFor("ToAgencyId"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Challenges.RaiseAsync(w.PoliceUser, w.ChallengeTo(w.PoliceId), default));
    }

    [Fact]
    public async Task OnlyTheAgencyChallengedAnswers()
    {
        var id = await RaiseAsync(w.PoliceId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Challenges.RespondAsync(w.HealthUser, id, "Edited id: not ours", default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Challenges.RespondAsync(w.Qa, id, "The subgroup cannot answer itself", default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ChallengeQueries.GetAsync(w.HealthUser, id, default));
        Assert.True((await w.Challenges.RespondAsync(w.PoliceUser, id, "A change in recording practice in Q1; audit of 30 cases under way", default)).Succeeded);
        var detail = (await w.ChallengeQueries.GetAsync(w.PoliceUser, id, default))!;
        Assert.Equal(ChallengeStatus.Responded, detail.Challenge.Status);
        Assert.Equal(ChallengeEntryKind.Response, Assert.Single(detail.Entries).Kind);
        Assert.Empty(await w.ChallengeQueries.ListAsync(w.HealthUser, new ChallengeFilter(), default));
    }

    [Fact]
    public async Task FurtherInformationAsksAgainAndSatisfactoryCloses()
    {
        var id = await RaiseAsync(w.PoliceId);
        await w.Challenges.RespondAsync(w.PoliceUser, id, "Recording practice changed", default);
        Assert.NotNull((await w.Challenges.RecordViewAsync(w.Qa, id, ChallengeView.FurtherInformation, "", default)).ErrorFor("Note"));
        Assert.True((await w.Challenges.RecordViewAsync(w.Qa, id, ChallengeView.FurtherInformation, "Send the audit's findings", default)).Succeeded);
        Assert.Equal(ChallengeStatus.FurtherInformation, (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!.Challenge.Status);
        Assert.NotNull((await w.Challenges.RecordViewAsync(w.Qa, id, ChallengeView.Satisfactory, "", default)).ErrorFor("View"));
        await w.Challenges.RespondAsync(w.PoliceUser, id, "Audit found 4 of 30 re-referrals avoidable; briefing issued", default);
        Assert.True((await w.Challenges.RecordViewAsync(w.Qa, id, ChallengeView.Satisfactory, "", default)).Succeeded);
        var detail = (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal(ChallengeStatus.Closed, detail.Challenge.Status);
        Assert.Equal(ChallengeView.Satisfactory, detail.Challenge.View);
        Assert.Equal([ChallengeEntryKind.Response, ChallengeEntryKind.View, ChallengeEntryKind.Response, ChallengeEntryKind.View], detail.Entries.Select(e => e.Kind));
        Assert.NotNull((await w.Challenges.RespondAsync(w.PoliceUser, id, "Too late, it is closed", default)).ErrorFor("Response"));
    }

    [Fact]
    public async Task EscalationStepsAreRecordedForwardOnly()
    {
        var id = await RaiseAsync(w.HealthId);
        await w.Challenges.RespondAsync(w.HealthUser, id, "We do not hold that data", default);
        await w.Challenges.RecordViewAsync(w.Qa, id, ChallengeView.Escalate, "Data is held; response not accepted", default);
        Assert.Equal(ChallengeStatus.Escalated, (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!.Challenge.Status);
        Assert.True((await w.Challenges.EscalateAsync(w.Qa, id, EscalationStage.AgencyToAgency, "Designated nurse and QA chair", ImprovementWorld.Today, "Meeting arranged", default)).Succeeded);
        Assert.NotNull((await w.Challenges.EscalateAsync(w.Qa, id, EscalationStage.AgencyToAgency, "Again", ImprovementWorld.Today, "", default)).ErrorFor("Stage"));
        Assert.True((await w.Challenges.EscalateAsync(w.Qa, id, EscalationStage.FullPartnership, "CESCP Executive", ImprovementWorld.Today, "", default)).Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Challenges.EscalateAsync(w.HealthUser, id, EscalationStage.StatutoryPartners, "x", ImprovementWorld.Today, "", default));
        var detail = (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal([EscalationStage.AgencyToAgency, EscalationStage.FullPartnership], detail.Escalations.Select(e => e.Stage));
        Assert.Equal(EscalationStage.FullPartnership, detail.Challenge.Stage);
        Assert.True((await w.Challenges.CloseAsync(w.Qa, id, "Resolved by the Executive", default)).Succeeded);
        Assert.Equal("Resolved by the Executive", (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!.Challenge.CloseReason);
    }

    [Fact]
    public async Task AnUnansweredChallengePastItsDueDateIsOverdueOnTheListAndTheAgenda()
    {
        var id = await RaiseAsync(w.PoliceId);
        var later = ImprovementWorld.Today.AddDays(40);
        var items = await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, later, default);
        Assert.Equal(AgendaItemKind.ChallengeOverdue, Assert.Single(items, i => i.SourceKey == $"challenge:{id}").Kind);
        var before = await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(7), default);
        Assert.Equal(AgendaItemKind.ChallengeAwaitingResponse, Assert.Single(before, i => i.SourceKey == $"challenge:{id}").Kind);
        // The agency sees its own on its agenda; another agency does not.
        Assert.Contains(await w.Agenda.FindAsync(w.PoliceUser, ImprovementWorld.Today, later, default), i => i.SourceKey == $"challenge:{id}");
        Assert.DoesNotContain(await w.Agenda.FindAsync(w.HealthUser, ImprovementWorld.Today, later, default), i => i.SourceKey == $"challenge:{id}");
    }

    [Fact]
    public async Task AnotherPartnershipCannotSeeOrAnswerTheseChallenges()
    {
        var id = await RaiseAsync(w.PoliceId);
        Assert.Null(await w.ChallengeQueries.GetAsync(other.Admin, id, default));
        Assert.Empty(await w.ChallengeQueries.ListAsync(other.Admin, new ChallengeFilter(), default));
        Assert.NotNull((await w.Challenges.RespondAsync(other.Admin, id, "Cross-tenant answer", default)).ErrorFor("ChallengeId"));
        Assert.Equal(ChallengeStatus.AwaitingResponse, (await w.ChallengeQueries.GetAsync(w.Qa, id, default))!.Challenge.Status);
    }
}
