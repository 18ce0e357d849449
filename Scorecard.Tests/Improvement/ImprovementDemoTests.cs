using Scorecard.Data.Improvement;
using Scorecard.Data.Improvement.Demo;
using Scorecard.Data.Meetings;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>The loop's demo in the demo partnership, as the issue asks for it, judged on the demo's "today".</summary>
public sealed class ImprovementDemoTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly FixedClock Clock = FixedClock.DemoToday;

    [Fact]
    public void TheDemosTodayIsTheTestsFixedToday() =>
        Assert.Equal(ImprovementDemoLoader.Today, DateOnly.FromDateTime(Clock.GetLocalNow().Date));

    [Fact]
    public async Task AboutSixtyActionsAcrossTheSourcesWithTheMixTheIssueAsksFor()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var actions = await new ActionQueries(db.DataSource, Clock).ListAsync(qa, new ActionFilter(), default);
        Assert.InRange(actions.Count, 55, 65);
        Assert.Equal(8, actions.Select(a => a.SourceKind).Distinct().Count());
        Assert.InRange(actions.Count(a => a.Overdue), 5, 12);
        Assert.InRange(actions.Count(a => a.Status == ActionStatus.Completed), 3, 8);
        Assert.Single(actions, a => a.Returns > 0 && a.Status == ActionStatus.OnTrack);
        Assert.True(actions[0].Overdue);
        Assert.Contains(actions, a => a.SuccessMeasureCode is not null);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var own = await new ActionQueries(db.DataSource, Clock).ListAsync(police, new ActionFilter(), default);
        Assert.InRange(own.Count, 8, 20);
        Assert.All(own, a => Assert.Equal(police.AgencyId, a.OwnerAgencyId));
    }

    [Fact]
    public async Task TwoLearningReviewsWithRecommendationsAndACompletePlanAwaitingSignOff()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var reviews = await new LearningReviewQueries(db.DataSource).ListAsync(exec, default);
        Assert.Equal(2, reviews.Count);
        Assert.All(reviews, r => Assert.True(r.Recommendations >= 3));
        Assert.NotEmpty(await new ActionQueries(db.DataSource, Clock).AwaitingSignOffAsync(exec, default));
    }

    [Fact]
    public async Task FourteenRisksTwoEscalatedOneNewlyAndOneReviewOverdue()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var risks = await new RiskQueries(db.DataSource, Clock).RegisterAsync(qa, false, default);
        Assert.InRange(risks.Count, 12, 15);
        Assert.Equal(4, risks.Select(r => r.Subgroup).Distinct().Count());
        var escalated = risks.Where(r => r.Escalated).ToList();
        Assert.Equal(2, escalated.Count);
        Assert.All(escalated, r => Assert.True(r.Score >= 12));
        Assert.All(risks.Where(r => !r.Escalated), r => Assert.True(r.Score < 12));
        Assert.Single(risks, r => r.ReviewOverdue);
        var items = await new ImprovementAgendaSource(db.DataSource).FindAsync(qa, ImprovementDemoLoader.Meetings[^1], ImprovementDemoLoader.Today, default);
        var onAgenda = items.Where(i => i.Kind == AgendaItemKind.EscalatedRisk).ToList();
        Assert.Equal(2, onAgenda.Count);
        Assert.Single(onAgenda, i => i.Reason.Contains("new since the last meeting"));
        // Every risk's history agrees with its escalations.
        foreach (var r in risks)
        {
            var detail = (await new RiskQueries(db.DataSource, Clock).GetAsync(qa, r.Id, default))!;
            Assert.Equal(RiskRules.Crossings(detail.Reviews.Select(v => v.Score)).Select(c => c.Direction), detail.Escalations.Select(e => e.Direction));
        }
    }

    [Fact]
    public async Task TwentyChallengesAFewUnansweredOneToThePolice()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var challenges = await new ChallengeQueries(db.DataSource, Clock).ListAsync(qa, new ChallengeFilter(), default);
        Assert.Equal(20, challenges.Count);
        Assert.InRange(challenges.Count(c => c.Status == ChallengeStatus.AwaitingResponse), 3, 6);
        Assert.InRange(challenges.Count(c => c.Overdue), 1, 4);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        Assert.Contains(await new ChallengeQueries(db.DataSource, Clock).ListAsync(police, new ChallengeFilter(), default), c => c.Status == ChallengeStatus.AwaitingResponse);
    }
}
