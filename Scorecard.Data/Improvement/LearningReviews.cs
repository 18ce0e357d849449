using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

public sealed record NewLearningReview(
    string Title, LearningReviewType Type, DateOnly StartedOn, DateOnly? CompletedOn, string Summary, IReadOnlyList<string> Recommendations);

public sealed record LearningReviewRow(
    int Id, string Title, LearningReviewType ReviewType, DateOnly StartedOn, DateOnly? CompletedOn, LearningReviewStatus Status,
    bool Published, DateOnly? PublishedOn, string Summary, int Recommendations, int Actions, int ClosedActions);

/// <summary>A recommendation with the number of its actions (the viewer's share for an agency user) and whether its plan is complete.</summary>
public sealed record RecommendationRow(int Id, int Position, string Text, int Actions, int ClosedActions)
{
    public bool PlanComplete => Actions > 0 && Actions == ClosedActions;
}

public sealed record LearningReviewDetail(LearningReviewRow Review, IReadOnlyList<RecommendationRow> Recommendations);

/// <summary>
/// Local child safeguarding practice reviews and rapid reviews (issue 13 §1), so their action plans have a home. The
/// Learning and Improvement subgroup owns them; QA members and admins record them here. Everyone signed in reads them
/// (they name no agency's figures); action counts follow the viewer's scope.
/// </summary>
public sealed class LearningReviewCommands(NpgsqlDataSource dataSource)
{
    public async Task<Result<int>> CreateAsync(Actor actor, NewLearningReview review, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required(nameof(review.Title), review.Title, "Title", 200, 3);
        v.When((review.Summary ?? "").Length > 4000, nameof(review.Summary), "The summary must be at most 4,000 characters.");
        v.When(review.CompletedOn is { } c && c < review.StartedOn, nameof(review.CompletedOn), "A review cannot complete before it starts.");
        v.When(review.Recommendations.Count > 100, nameof(review.Recommendations), "At most 100 recommendations.");
        for (var i = 0; i < review.Recommendations.Count; i++)
            v.Required($"{nameof(review.Recommendations)}[{i}]", review.Recommendations[i], $"Recommendation {i + 1}", 2000, 5);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into learning_review (partnership_id, title, review_type, started_on, completed_on, status, summary, created_by)
                values (@PartnershipId, @Title, @Type, @StartedOn, @CompletedOn, @Status, @Summary, @UserId) returning id
                """, new
            {
                actor.PartnershipId, Title = review.Title.Trim(), Type = review.Type.ToDb(), review.StartedOn, review.CompletedOn,
                Status = (review.CompletedOn is null ? LearningReviewStatus.InProgress : LearningReviewStatus.Completed).ToDb(),
                Summary = (review.Summary ?? "").Trim(), UserId = ImprovementAccess.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into learning_review_recommendation (partnership_id, review_id, position, text)
                select @PartnershipId, @id, ord, t from unnest(@Texts) with ordinality as x(t, ord)
                """, new { actor.PartnershipId, id, Texts = review.Recommendations.Select(r => r.Trim()).ToArray() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "learning_review", id, "create", $"Recorded {review.Type.Label().ToLowerInvariant()} \"{review.Title.Trim()}\"",
                null, new { review.Title, Type = review.Type.ToDb(), review.StartedOn, review.CompletedOn, review.Recommendations }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Adds a recommendation at the end.</summary>
    public async Task<Result<int>> AddRecommendationAsync(Actor actor, int reviewId, string text, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Text", text, "The recommendation", 2000, 5);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                    "select id from learning_review where partnership_id = @PartnershipId and id = @reviewId for update",
                    new { actor.PartnershipId, reviewId }, tx, cancellationToken: ct)) is null)
                return Result<int>.Fail("ReviewId", "That learning review does not exist.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into learning_review_recommendation (partnership_id, review_id, position, text)
                select @PartnershipId, @reviewId, coalesce(max(position), 0) + 1, @Text from learning_review_recommendation
                where partnership_id = @PartnershipId and review_id = @reviewId
                returning id
                """, new { actor.PartnershipId, reviewId, Text = text.Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "learning_review", reviewId, "update", $"Added a recommendation to learning review {reviewId}", null, new { Text = text.Trim() }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Moves the review on (completed, closed) and records whether and when it was published.</summary>
    public async Task<Result<bool>> SetStatusAsync(Actor actor, int reviewId, LearningReviewStatus status, DateOnly? completedOn, DateOnly? publishedOn, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        if (status != LearningReviewStatus.InProgress && completedOn is null)
            return Result<bool>.Fail("CompletedOn", "Give the date the review completed.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<(string Status, DateOnly StartedOn, DateOnly? PublishedOn)?>(new CommandDefinition(
                "select status, started_on, published_on from learning_review where partnership_id = @PartnershipId and id = @reviewId for update",
                new { actor.PartnershipId, reviewId }, tx, cancellationToken: ct));
            if (before is not { } b)
                return Result<bool>.Fail("ReviewId", "That learning review does not exist.");
            if (completedOn is { } c && c < b.StartedOn)
                return Result<bool>.Fail("CompletedOn", "A review cannot complete before it starts.");
            await conn.ExecuteAsync(new CommandDefinition("""
                update learning_review set status = @Status, completed_on = @completedOn, published = @Published, published_on = @publishedOn
                where partnership_id = @PartnershipId and id = @reviewId
                """, new { actor.PartnershipId, reviewId, Status = status.ToDb(), completedOn, Published = publishedOn is not null, publishedOn }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "learning_review", reviewId, "update", $"Learning review {reviewId}: {status.Label()}",
                new { b.Status, b.PublishedOn }, new { Status = status.ToDb(), CompletedOn = completedOn, PublishedOn = publishedOn }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }
}

public sealed class LearningReviewQueries(NpgsqlDataSource dataSource)
{
    private const string RowSql = """
        select lr.id, lr.title, lr.review_type, lr.started_on, lr.completed_on, lr.status, lr.published, lr.published_on, lr.summary,
               (select count(*)::int from learning_review_recommendation r where r.partnership_id = lr.partnership_id and r.review_id = lr.id) as recommendations,
               (select count(*)::int from improvement_action a join learning_review_recommendation r on r.partnership_id = a.partnership_id and r.id::text = a.source_key
                 where a.partnership_id = lr.partnership_id and a.source_kind = 'learning_review_recommendation' and r.review_id = lr.id
                   and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)) as actions,
               (select count(*)::int from improvement_action a join learning_review_recommendation r on r.partnership_id = a.partnership_id and r.id::text = a.source_key
                 where a.partnership_id = lr.partnership_id and a.source_kind = 'learning_review_recommendation' and r.review_id = lr.id and a.status = 'closed'
                   and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)) as closed_actions
        from learning_review lr

        """;

    public async Task<IReadOnlyList<LearningReviewRow>> ListAsync(Actor actor, CancellationToken ct)
    {
        const string sql = RowSql + " where lr.partnership_id = @PartnershipId order by lr.started_on desc, lr.id desc";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<LearningReviewRow>(new CommandDefinition(sql, new { actor.PartnershipId, AgencyId = Scope(actor) }, cancellationToken: ct))).ToList();
    }

    public async Task<LearningReviewDetail?> GetAsync(Actor actor, int reviewId, CancellationToken ct)
    {
        const string sql = RowSql + """
             where lr.partnership_id = @PartnershipId and lr.id = @reviewId;
            select r.id, r.position::int as position, r.text,
                   count(a.id)::int as actions, count(a.id) filter (where a.status = 'closed')::int as closed_actions
            from learning_review_recommendation r
            left join improvement_action a on a.partnership_id = r.partnership_id and a.source_kind = 'learning_review_recommendation' and a.source_key = r.id::text
                 and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)
            where r.partnership_id = @PartnershipId and r.review_id = @reviewId
            group by r.id, r.position, r.text order by r.position;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, reviewId, AgencyId = Scope(actor) }, cancellationToken: ct));
        var row = (await grid.ReadAsync<LearningReviewRow>()).SingleOrDefault();
        if (row is null)
            return null;
        return new LearningReviewDetail(row, (await grid.ReadAsync<RecommendationRow>()).ToList());
    }

    private static int? Scope(Actor actor) => ImprovementAccess.SeesAll(actor) ? null : actor.AgencyId;
}
