using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

public sealed record NewLearningReview(
    string Title, LearningReviewType Type, DateOnly StartedOn, DateOnly? CompletedOn, string Summary, IReadOnlyList<string> Recommendations);

/// <summary>The descriptive fields of a learning review (its status and publication move through <see cref="LearningReviewCommands.SetStatusAsync"/>).</summary>
public sealed record LearningReviewDetails(string Title, LearningReviewType Type, DateOnly StartedOn, string Summary);

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

    /// <summary>Edits a review's title, type, start date and summary; logged with before and after.</summary>
    public async Task<Result<bool>> UpdateAsync(Actor actor, int reviewId, LearningReviewDetails details, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required(nameof(details.Title), details.Title, "Title", 200, 3);
        v.When((details.Summary ?? "").Length > 4000, nameof(details.Summary), "The summary must be at most 4,000 characters.");
        v.When(!Enum.IsDefined(details.Type), nameof(details.Type), "Choose the type of review.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<(string Title, string ReviewType, DateOnly StartedOn, DateOnly? CompletedOn, string Summary)?>(new CommandDefinition(
                "select title, review_type, started_on, completed_on, summary from learning_review where partnership_id = @PartnershipId and id = @reviewId for update",
                new { actor.PartnershipId, reviewId }, tx, cancellationToken: ct));
            if (before is not { } b)
                return Result<bool>.Fail("ReviewId", "That learning review does not exist.");
            if (b.CompletedOn is { } c && c < details.StartedOn)
                return Result<bool>.Fail(nameof(details.StartedOn), $"The review completed on {c:d MMM yyyy}; it cannot start after that.");
            var after = new { Title = details.Title.Trim(), Type = details.Type.ToDb(), details.StartedOn, Summary = (details.Summary ?? "").Trim() };
            await conn.ExecuteAsync(new CommandDefinition("""
                update learning_review set title = @Title, review_type = @Type, started_on = @StartedOn, summary = @Summary
                where partnership_id = @PartnershipId and id = @reviewId
                """, new { actor.PartnershipId, reviewId, after.Title, after.Type, after.StartedOn, after.Summary }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "learning_review", reviewId, "update", $"Edited learning review {reviewId}: {after.Title}",
                new { b.Title, Type = b.ReviewType, b.StartedOn, b.Summary }, after, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Rewords a recommendation of the review (its actions stay attached: they hang on its id); logged with before and after.</summary>
    public async Task<Result<bool>> UpdateRecommendationAsync(Actor actor, int reviewId, int recommendationId, string text, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Text", text, "The recommendation", 2000, 5);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select text from learning_review_recommendation where partnership_id = @PartnershipId and review_id = @reviewId and id = @recommendationId for update",
                new { actor.PartnershipId, reviewId, recommendationId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("RecommendationId", "That recommendation is not part of this learning review.");
            await conn.ExecuteAsync(new CommandDefinition(
                "update learning_review_recommendation set text = @Text where partnership_id = @PartnershipId and id = @recommendationId",
                new { actor.PartnershipId, recommendationId, Text = text.Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "learning_review", reviewId, "update", $"Reworded recommendation {recommendationId} of learning review {reviewId}",
                new { Text = before }, new { Text = text.Trim() }, ct);
            return Result<bool>.Ok(true);
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
