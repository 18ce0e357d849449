using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>
/// Editing a risk (its description and review date, never its score) and a learning review with its recommendations,
/// on a real PostgreSQL: validated, QA and admins only, logged with before and after, nothing half-saved.
/// </summary>
public sealed class EditingTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;
    private ImprovementWorld other = default!;

    public async Task InitializeAsync()
    {
        w = await ImprovementWorld.CreateAsync(db.DataSource, "edt");
        other = await ImprovementWorld.CreateAsync(db.DataSource, "eo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static RiskDetails Details(string title = "Audit capacity across agencies", int target = 4) =>
        new(title, "Too few auditors", "Assurance is lost", Subgroup.LearningAndImprovement, "L&I chair", "Named audit pool", target);

    private async Task<int> RiskAsync(int likelihood = 3, int impact = 3) =>
        (await w.Risks.CreateAsync(w.Qa, w.RiskOf(likelihood, impact), default)).Value;

    [Fact]
    public async Task EditingARiskChangesItsReviewDateButNeverItsScore()
    {
        var id = await RiskAsync(3, 5);
        var next = ImprovementWorld.Today.AddDays(14);
        Assert.True((await w.Risks.UpdateAsync(w.Qa, id, Details(), next, default)).Succeeded);
        var detail = (await w.RiskQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal(("Audit capacity across agencies", "L&I chair", 15, next), (detail.Risk.Title, detail.Risk.Owner, detail.Risk.Score, detail.Risk.ReviewDate));
        Assert.Single(detail.Reviews);
        Assert.Single(detail.Escalations);
        var change = await w.ScalarAsync<string>("select after::text from change_log where partnership_id = @p and entity = 'risk' and summary like 'Edited%'", new { p = w.PartnershipId });
        Assert.Contains(next.ToString("yyyy-MM-dd"), change);
    }

    [Fact]
    public async Task ABadEditIsRefusedWholeAndChangesNothing()
    {
        var id = await RiskAsync();
        var before = (await w.RiskQueries.GetAsync(w.Qa, id, default))!.Risk;
        var result = await w.Risks.UpdateAsync(w.Qa, id, Details(title: "", target: 30), ImprovementWorld.Today.AddDays(-1), default);
        Assert.NotNull(result.ErrorFor("Title"));
        Assert.NotNull(result.ErrorFor("TargetScore"));
        Assert.NotNull((await w.Risks.UpdateAsync(w.Qa, id, Details(), ImprovementWorld.Today.AddDays(-1), default)).ErrorFor("ReviewDate"));
        Assert.Equal(before, (await w.RiskQueries.GetAsync(w.Qa, id, default))!.Risk);
        Assert.Equal(1, await w.LogCountAsync("risk"));
    }

    [Fact]
    public async Task ARiskWhoseReviewIsOverdueCanBeEditedWithoutMovingTheDate()
    {
        var id = await RiskAsync();
        var past = ImprovementWorld.Today.AddDays(-10);
        await w.ScalarAsync<int>("update risk set review_date = @past where id = @id returning 1", new { past, id });
        Assert.True((await w.Risks.UpdateAsync(w.Qa, id, Details(title: "Audit capacity (reworded)"), past, default)).Succeeded);
        var row = (await w.RiskQueries.GetAsync(w.Qa, id, default))!.Risk;
        Assert.Equal(("Audit capacity (reworded)", past, true), (row.Title, row.ReviewDate, row.ReviewOverdue));
    }

    [Fact]
    public async Task AClosedRiskIsNotEditedAndOnlyTheSubgroupEdits()
    {
        var id = await RiskAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Risks.UpdateAsync(w.Executive, id, Details(), null, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Risks.UpdateAsync(w.PoliceUser, id, Details(), null, default));
        Assert.NotNull((await other.Risks.UpdateAsync(other.Qa, id, Details(), null, default)).ErrorFor("RiskId"));
        Assert.True((await w.Risks.CloseAsync(w.Qa, id, "Mitigated by the audit pool", default)).Succeeded);
        Assert.NotNull((await w.Risks.UpdateAsync(w.Qa, id, Details(), null, default)).ErrorFor("RiskId"));
    }

    private async Task<int> ReviewAsync()
    {
        var created = await w.Reviews.CreateAsync(w.Qa, new NewLearningReview("Child J: rapid review", LearningReviewType.RapidReview, new DateOnly(2025, 6, 1), null, "",
            ["Share the chronology at the first strategy discussion"]), default);
        Assert.True(created.Succeeded);
        return created.Value;
    }

    [Fact]
    public async Task ALearningReviewIsEditedAndLogged()
    {
        var id = await ReviewAsync();
        Assert.True((await w.Reviews.UpdateAsync(w.Qa, id, new LearningReviewDetails("Child J: LCSPR", LearningReviewType.Lcspr, new DateOnly(2025, 5, 20), "Escalated to a full review"), default)).Succeeded);
        var row = (await w.ReviewQueries.GetAsync(w.Executive, id, default))!.Review;
        Assert.Equal(("Child J: LCSPR", LearningReviewType.Lcspr, new DateOnly(2025, 5, 20), "Escalated to a full review"), (row.Title, row.ReviewType, row.StartedOn, row.Summary));
        Assert.Equal(2, await w.LogCountAsync("learning_review"));
        Assert.NotNull((await w.Reviews.UpdateAsync(w.Qa, id, new LearningReviewDetails(" ", LearningReviewType.Lcspr, new DateOnly(2025, 5, 20), ""), default)).ErrorFor("Title"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Reviews.UpdateAsync(w.PoliceUser, id, new LearningReviewDetails("Not mine", LearningReviewType.Lcspr, new DateOnly(2025, 5, 20), ""), default));
        Assert.NotNull((await other.Reviews.UpdateAsync(other.Qa, id, new LearningReviewDetails("Cross-tenant", LearningReviewType.Lcspr, new DateOnly(2025, 5, 20), ""), default)).ErrorFor("ReviewId"));
    }

    [Fact]
    public async Task AReviewCannotStartAfterItCompleted()
    {
        var id = await ReviewAsync();
        await w.Reviews.SetStatusAsync(w.Qa, id, LearningReviewStatus.Completed, new DateOnly(2025, 9, 1), null, default);
        Assert.NotNull((await w.Reviews.UpdateAsync(w.Qa, id, new LearningReviewDetails("Child J", LearningReviewType.RapidReview, new DateOnly(2025, 10, 1), ""), default)).ErrorFor("StartedOn"));
    }

    [Fact]
    public async Task ARewordedRecommendationKeepsItsActions()
    {
        var id = await ReviewAsync();
        var rec = (await w.ReviewQueries.GetAsync(w.Qa, id, default))!.Recommendations[0];
        Assert.True((await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, kind: SourceKind.LearningReviewRecommendation, key: rec.Id.ToString()), default)).Succeeded);
        Assert.True((await w.Reviews.UpdateRecommendationAsync(w.Qa, id, rec.Id, "Share the full chronology before the strategy discussion", default)).Succeeded);
        var after = (await w.ReviewQueries.GetAsync(w.Qa, id, default))!.Recommendations[0];
        Assert.Equal(("Share the full chronology before the strategy discussion", 1), (after.Text, after.Actions));
        Assert.NotNull((await w.Reviews.UpdateRecommendationAsync(w.Qa, id, rec.Id, "x", default)).ErrorFor("Text"));
        var another = await ReviewAsync();
        Assert.NotNull((await w.Reviews.UpdateRecommendationAsync(w.Qa, another, rec.Id, "Moved under another review by an edited id", default)).ErrorFor("RecommendationId"));
    }
}
