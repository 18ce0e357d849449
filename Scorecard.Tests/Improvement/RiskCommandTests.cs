using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>
/// The risk register on a real PostgreSQL: a risk and its first scoring, reviews kept as history, escalation at 12
/// recorded exactly once per crossing (and de-escalation below 12), overdue reviews, closing with a reason, roles,
/// tenancy, the agenda's escalated risks, and the log.
/// </summary>
public sealed class RiskCommandTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;
    private ImprovementWorld other = default!;

    public async Task InitializeAsync()
    {
        w = await ImprovementWorld.CreateAsync(db.DataSource, "rsk");
        other = await ImprovementWorld.CreateAsync(db.DataSource, "oth");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> CreateAsync(int likelihood, int impact)
    {
        var result = await w.Risks.CreateAsync(w.Qa, w.RiskOf(likelihood, impact), default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    private Task<Scorecard.Data.Common.Result<EscalationDirection?>> ReviewAsync(int id, int likelihood, int impact, int daysAgo = 0) =>
        w.Risks.ReviewAsync(w.Qa, id, likelihood, impact, "Reviewed at the subgroup", ImprovementWorld.Today.AddDays(60), default, ImprovementWorld.Today.AddDays(-daysAgo));

    [Fact]
    public async Task ARiskIsScoredAndItsFirstAssessmentIsItsFirstReview()
    {
        var id = await CreateAsync(2, 4);
        var detail = (await w.RiskQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal(8, detail.Risk.Score);
        Assert.False(detail.Risk.Escalated);
        var review = Assert.Single(detail.Reviews);
        Assert.Equal(8, review.Score);
        Assert.Empty(detail.Escalations);
        Assert.Equal(1, await w.LogCountAsync("risk"));
    }

    [Fact]
    public async Task ARiskAddedAtTwelveIsEscalatedAtOnce()
    {
        var id = await CreateAsync(3, 4);
        var detail = (await w.RiskQueries.GetAsync(w.Qa, id, default))!;
        Assert.True(detail.Risk.Escalated);
        var e = Assert.Single(detail.Escalations);
        Assert.Equal((EscalationDirection.Escalated, 12, ImprovementWorld.Today), (e.Direction, e.Score, e.OccurredOn));
    }

    // 11 is no product of two levels of 1-5, so the nearest real path is 10 → 12 → 10 → 15 (RiskRulesTests has 11-12-11-12).
    [Fact]
    public async Task CrossingTwelveUpDownAndUpAgainRecordsEachCrossingOnce()
    {
        var id = await CreateAsync(1, 1);
        Assert.Null((await ReviewAsync(id, 1, 5)).Value);                   // 5
        Assert.Equal(EscalationDirection.Escalated, (await ReviewAsync(id, 3, 4)).Value);   // 12
        Assert.Null((await ReviewAsync(id, 4, 4)).Value);                   // 16: still escalated, nothing new
        Assert.Equal(EscalationDirection.DeEscalated, (await ReviewAsync(id, 2, 5)).Value); // 10
        Assert.Null((await ReviewAsync(id, 1, 5)).Value);                    // 5
        Assert.Equal(EscalationDirection.Escalated, (await ReviewAsync(id, 3, 5)).Value);    // 15
        var detail = (await w.RiskQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal([EscalationDirection.Escalated, EscalationDirection.DeEscalated, EscalationDirection.Escalated], detail.Escalations.Select(e => e.Direction));
        Assert.Equal([12, 10, 15], detail.Escalations.Select(e => e.Score));
        Assert.Equal([1, 5, 12, 16, 10, 5, 15], detail.Reviews.Select(r => r.Score));
        Assert.True(detail.Risk.Escalated);
        Assert.Equal(ImprovementWorld.Today, detail.Risk.EscalatedOn);
        Assert.Equal(15, detail.Risk.Score);
    }

    [Fact]
    public async Task TwoReviewsAtOnceStillRecordOneEscalation()
    {
        var id = await CreateAsync(2, 3);
        var results = await Task.WhenAll(ReviewAsync(id, 3, 4), ReviewAsync(id, 4, 4));
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Single(results, r => r.Value == EscalationDirection.Escalated);
        Assert.Equal(1L, await w.ScalarAsync<long>("select count(*) from risk_escalation where partnership_id = @p and risk_id = @id", new { p = w.PartnershipId, id }));
    }

    [Fact]
    public async Task LevelsOutsideOneToFiveAndAPastNextReviewAreFieldErrors()
    {
        var id = await CreateAsync(2, 2);
        Assert.NotNull((await ReviewAsync(id, 6, 2)).ErrorFor("Likelihood"));
        Assert.NotNull((await ReviewAsync(id, 2, 0)).ErrorFor("Impact"));
        var past = await w.Risks.ReviewAsync(w.Qa, id, 2, 2, "", ImprovementWorld.Today.AddDays(-1), default);
        Assert.NotNull(past.ErrorFor("NextReviewDate"));
        Assert.Single((await w.RiskQueries.GetAsync(w.Qa, id, default))!.Reviews);
    }

    [Fact]
    public async Task OnlyQaAndAdminsRunTheRegisterAndAgencyUsersDoNotReadIt()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Risks.CreateAsync(w.Executive, w.RiskOf(2, 2), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Risks.CreateAsync(w.PoliceUser, w.RiskOf(2, 2), default));
        var id = await CreateAsync(2, 2);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Risks.ReviewAsync(w.Executive, id, 5, 5, "", ImprovementWorld.Today.AddDays(30), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.RiskQueries.RegisterAsync(w.PoliceUser, false, default));
        Assert.Single(await w.RiskQueries.RegisterAsync(w.Executive, false, default));
    }

    [Fact]
    public async Task AReviewPastItsDateIsOverdueAndAppearsOnTheAgenda()
    {
        var id = await CreateAsync(2, 3);
        await w.Risks.ReviewAsync(w.Qa, id, 2, 3, "Quarterly", ImprovementWorld.Today.AddDays(10), default);
        Assert.NotNull((await ReviewAsync(id, 2, 3, daysAgo: 1)).ErrorFor("ReviewedOn"));
        Assert.False((await w.RiskQueries.RegisterAsync(w.Qa, false, default)).Single().ReviewOverdue);
        var items = await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(20), default);
        var item = Assert.Single(items, i => i.Kind == AgendaItemKind.RiskReviewOverdue);
        Assert.Equal($"risk-review:{id}", item.SourceKey);
    }

    [Fact]
    public async Task ARiskAgendaItemCarriesLikelihoodAndImpactThatThePacksHeatMapPlaces()
    {
        var id = await CreateAsync(2, 2);
        await ReviewAsync(id, 3, 5);
        var item = Assert.Single(await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(7), default),
            i => i.Kind == AgendaItemKind.EscalatedRisk);
        Assert.Contains(item.Facts, x => x.Label == "Likelihood" && x.Value == "3 (Possible)");
        Assert.Contains(item.Facts, x => x.Label == "Impact" && x.Value == "5 (Severe)");
        var map = MeetingPackService.HeatMapOf([new AgendaItemRow(1, 1, item.Kind, item.SourceKey, item.Title, item.Reason, item.Link, item.Urgency, item.Facts, false)]);
        Assert.Equal(1, map.Counts[2][4]);
        Assert.Equal(1, map.Counts.Sum(r => r.Sum()));
    }

    [Fact]
    public async Task AnEscalatedRiskIsOnTheAgendaWithItsScoreAndTheNewOneRanksHigher()
    {
        var old = await CreateAsync(4, 4);
        var fresh = await CreateAsync(2, 2);
        await ReviewAsync(fresh, 3, 5);
        var items = (await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(7), default))
            .Where(i => i.Kind == AgendaItemKind.EscalatedRisk).ToList();
        Assert.Equal(2, items.Count);
        var f = items.Single(i => i.SourceKey == $"risk:{fresh}");
        Assert.Contains(f.Facts, x => x.Label == "Score" && x.Value == "15 (Possible × Severe)");
        Assert.Equal($"/improvement/risks/{fresh}", f.Link);
        // Agency users get no risks on their agenda.
        Assert.DoesNotContain(await w.Agenda.FindAsync(w.PoliceUser, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(7), default), i => i.Kind == AgendaItemKind.EscalatedRisk);
        _ = old;
    }

    [Fact]
    public async Task AClosedRiskNeedsAReasonAndLeavesTheRegistersOpenListAndHeatMap()
    {
        var id = await CreateAsync(4, 4);
        Assert.NotNull((await w.Risks.CloseAsync(w.Qa, id, "", default)).ErrorFor("Reason"));
        Assert.True((await w.Risks.CloseAsync(w.Qa, id, "Mitigated by the new audit pool", default)).Succeeded);
        Assert.Empty(await w.RiskQueries.RegisterAsync(w.Qa, false, default));
        var all = await w.RiskQueries.RegisterAsync(w.Qa, true, default);
        Assert.Equal(RiskStatus.Closed, Assert.Single(all).Status);
        Assert.Equal(0, RiskHeatMap.From(all).Total);
        Assert.NotNull((await ReviewAsync(id, 1, 1)).ErrorFor("RiskId"));
        Assert.DoesNotContain(await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(7), default), i => i.SourceKey == $"risk:{id}");
    }

    [Fact]
    public async Task TheHeatMapCountsOpenRisksPerCell()
    {
        await CreateAsync(3, 4);
        await CreateAsync(3, 4);
        await CreateAsync(1, 2);
        var map = RiskHeatMap.From(await w.RiskQueries.RegisterAsync(w.Qa, false, default));
        Assert.Equal(2, map.Count(3, 4));
        Assert.Equal(1, map.Count(1, 2));
        Assert.Equal(0, map.Count(5, 5));
        Assert.Equal(3, map.Total);
    }

    [Fact]
    public async Task AnotherPartnershipCannotSeeOrReviewTheseRisks()
    {
        var id = await CreateAsync(2, 2);
        Assert.Null(await w.RiskQueries.GetAsync(other.Admin, id, default));
        Assert.Empty(await w.RiskQueries.RegisterAsync(other.Admin, true, default));
        Assert.NotNull((await other.Risks.ReviewAsync(other.Qa, id, 5, 5, "Cross-tenant", ImprovementWorld.Today.AddDays(30), default)).ErrorFor("RiskId"));
        Assert.Equal(4, (await w.RiskQueries.GetAsync(w.Qa, id, default))!.Risk.Score);
        Assert.Empty(await w.Agenda.FindAsync(other.Qa, ImprovementWorld.Today, ImprovementWorld.Today.AddDays(300), default));
    }

    [Fact]
    public async Task EditingARiskKeepsItsScoreAndIsLogged()
    {
        var id = await CreateAsync(3, 3);
        var ok = await w.Risks.UpdateAsync(w.Qa, id, new RiskDetails("Audit capacity across agencies", "c-cause", "e-effect", Subgroup.LearningAndImprovement, "L&I chair", "Pool", 4), default);
        Assert.True(ok.Succeeded);
        var row = (await w.RiskQueries.GetAsync(w.Qa, id, default))!.Risk;
        Assert.Equal((Subgroup.LearningAndImprovement, 9, 4), (row.Subgroup, row.Score, row.TargetScore));
        Assert.Equal(2, await w.LogCountAsync("risk"));
    }
}
