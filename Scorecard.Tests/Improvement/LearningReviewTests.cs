using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>Learning reviews with their recommendations as the home of action plans, and the action agenda items.</summary>
public sealed class LearningReviewTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;

    public async Task InitializeAsync() => w = await ImprovementWorld.CreateAsync(db.DataSource, "lr");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<LearningReviewDetail> ReviewAsync()
    {
        var created = await w.Reviews.CreateAsync(w.Qa, new NewLearningReview("Child H: LCSPR", LearningReviewType.Lcspr, new DateOnly(2025, 3, 1), null, "Neglect over several years",
            ["Agencies share concerns about cumulative neglect at the first strategy discussion", "Health visitors record the child's lived experience at each visit"]), default);
        Assert.True(created.Succeeded);
        return (await w.ReviewQueries.GetAsync(w.Qa, created.Value, default))!;
    }

    [Fact]
    public async Task AReviewKeepsItsRecommendationsInOrder()
    {
        var review = await ReviewAsync();
        Assert.Equal(LearningReviewStatus.InProgress, review.Review.Status);
        Assert.Equal([1, 2], review.Recommendations.Select(r => r.Position));
        Assert.True((await w.Reviews.AddRecommendationAsync(w.Qa, review.Review.Id, "Schools attend child protection conferences", default)).Succeeded);
        Assert.Equal(3, (await w.ReviewQueries.GetAsync(w.Qa, review.Review.Id, default))!.Recommendations.Count);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Reviews.AddRecommendationAsync(w.PoliceUser, review.Review.Id, "Not allowed here", default));
    }

    [Fact]
    public async Task ARecommendationIsTheSourceOfActionsAndCountsThem()
    {
        var review = await ReviewAsync();
        var rec = review.Recommendations[0];
        var id = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, kind: SourceKind.LearningReviewRecommendation, key: rec.Id.ToString()), default)).Value;
        await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, kind: SourceKind.LearningReviewRecommendation, key: rec.Id.ToString()), default);
        var all = (await w.ReviewQueries.GetAsync(w.Qa, review.Review.Id, default))!;
        Assert.Equal(2, all.Recommendations[0].Actions);
        Assert.Equal(2, all.Review.Actions);
        // An agency user counts only their own.
        Assert.Equal(1, (await w.ReviewQueries.GetAsync(w.PoliceUser, review.Review.Id, default))!.Recommendations[0].Actions);
        var detail = (await w.ActionQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal(review.Review.Id, detail.LearningReviewId);
        Assert.Contains("Child H", detail.Action.SourceTitle);
    }

    [Fact]
    public async Task PublishingNeedsACompletionDate()
    {
        var review = await ReviewAsync();
        Assert.NotNull((await w.Reviews.SetStatusAsync(w.Qa, review.Review.Id, LearningReviewStatus.Completed, null, null, default)).ErrorFor("CompletedOn"));
        Assert.True((await w.Reviews.SetStatusAsync(w.Qa, review.Review.Id, LearningReviewStatus.Completed, new DateOnly(2025, 9, 30), new DateOnly(2025, 10, 15), default)).Succeeded);
        var row = (await w.ReviewQueries.ListAsync(w.Executive, default)).Single();
        Assert.True(row.Published);
        Assert.Equal(LearningReviewStatus.Completed, row.Status);
    }

    [Fact]
    public async Task OverdueAndCompletedActionsAreOnTheAgendaInTheViewersScope()
    {
        var overdue = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, "Overdue police action", dueInDays: -10, startedDaysAgo: 90), default)).Value;
        var done = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, "Completed health action"), default)).Value;
        await w.Actions.CompleteAsync(w.HealthUser, done, "Evidence of the completed audit", default);
        var items = await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today.AddDays(-60), ImprovementWorld.Today, default);
        Assert.Equal(AgendaItemKind.ActionOverdue, items.Single(i => i.SourceKey == $"action:{overdue}").Kind);
        Assert.Equal(AgendaItemKind.ActionAwaitingModeration, items.Single(i => i.SourceKey == $"action:{done}").Kind);
        var police = await w.Agenda.FindAsync(w.PoliceUser, ImprovementWorld.Today.AddDays(-60), ImprovementWorld.Today, default);
        Assert.Equal([$"action:{overdue}"], police.Select(i => i.SourceKey));
        await w.Actions.ModerateAsync(w.Qa, done, ModerationDecision.Accepted, "", default);
        var after = await w.Agenda.FindAsync(w.Qa, ImprovementWorld.Today.AddDays(-60), ImprovementWorld.Today, default);
        Assert.DoesNotContain(after, i => i.SourceKey == $"action:{done}");
    }
}
