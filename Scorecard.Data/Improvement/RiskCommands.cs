using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>A new risk and its first scoring.</summary>
public sealed record NewRisk(
    string Title, string Cause, string Effect, Subgroup Subgroup, string Owner, int Likelihood, int Impact,
    string Controls, int TargetScore, DateOnly ReviewDate);

/// <summary>The descriptive fields of a risk (its score changes only through a review).</summary>
public sealed record RiskDetails(string Title, string Cause, string Effect, Subgroup Subgroup, string Owner, string Controls, int TargetScore);

/// <summary>
/// Commands of the risk register (issue 13 §2), for QA members and admins: add a risk, review it (new likelihood and
/// impact with a note, kept as history), edit its description, close it with a reason. Every scoring that crosses 12
/// records an escalation to the Executive (or a de-escalation) exactly once, in the same transaction, from the risk's
/// stored state under a row lock (<see cref="RiskRules.Crossing"/>).
/// </summary>
public sealed class RiskCommands(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    public async Task<Result<int>> CreateAsync(Actor actor, NewRisk risk, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = Validate(new RiskDetails(risk.Title, risk.Cause, risk.Effect, risk.Subgroup, risk.Owner, risk.Controls, risk.TargetScore));
        ValidateScore(v, risk.Likelihood, risk.Impact);
        v.When(risk.ReviewDate < Today, nameof(risk.ReviewDate), "The review date cannot be in the past.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            const string insert = """
                insert into risk (partnership_id, title, cause, effect, subgroup, owner, likelihood, impact, controls, target_score, review_date, created_by)
                values (@PartnershipId, @Title, @Cause, @Effect, @Subgroup, @Owner, @Likelihood, @Impact, @Controls, @TargetScore, @ReviewDate, @UserId)
                returning id
                """;
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insert, new
            {
                actor.PartnershipId, Title = risk.Title.Trim(), Cause = risk.Cause.Trim(), Effect = risk.Effect.Trim(), Subgroup = risk.Subgroup.ToDb(),
                Owner = risk.Owner.Trim(), Likelihood = (short)risk.Likelihood, Impact = (short)risk.Impact, Controls = (risk.Controls ?? "").Trim(),
                TargetScore = (short)risk.TargetScore, risk.ReviewDate, UserId = ImprovementAccess.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "risk", id, "create", $"Added risk {id}: {risk.Title.Trim()}, score {RiskRules.Describe(risk.Likelihood, risk.Impact)}",
                null, new { risk.Title, Subgroup = risk.Subgroup.ToDb(), risk.Owner, risk.Likelihood, risk.Impact, risk.TargetScore, risk.ReviewDate }, ct);
            await ScoreAsync(conn, tx, actor, id, escalatedNow: false, risk.Likelihood, risk.Impact, "First assessment", Today, risk.ReviewDate, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>
    /// Reviews a risk: the new likelihood and impact with a note, dated <paramref name="reviewedOn"/> (today when null), and
    /// the next review date. Records the escalation or de-escalation when the score crosses 12.
    /// </summary>
    public async Task<Result<EscalationDirection?>> ReviewAsync(
        Actor actor, int riskId, int likelihood, int impact, string note, DateOnly nextReviewDate, CancellationToken ct, DateOnly? reviewedOn = null)
    {
        ImprovementAccess.RequireRunner(actor);
        var on = reviewedOn ?? Today;
        var v = new Validator();
        ValidateScore(v, likelihood, impact);
        v.When((note ?? "").Length > 4000, "Note", "The note must be at most 4,000 characters.");
        v.When(on > Today, "ReviewedOn", "A review cannot be dated in the future.");
        v.When(nextReviewDate <= on, "NextReviewDate", "The next review must be after this one.");
        if (!v.IsValid)
            return Result<EscalationDirection?>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await conn.QuerySingleOrDefaultAsync<(short Likelihood, short Impact, bool Escalated, string Status)?>(new CommandDefinition(
                "select likelihood, impact, escalated, status from risk where partnership_id = @PartnershipId and id = @riskId for update",
                new { actor.PartnershipId, riskId }, tx, cancellationToken: ct));
            if (current is not { } c)
                return Result<EscalationDirection?>.Fail("RiskId", "That risk does not exist.");
            if (c.Status == RiskStatus.Closed.ToDb())
                return Result<EscalationDirection?>.Fail("RiskId", "The risk is closed.");
            var latest = await conn.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(
                "select max(reviewed_on) from risk_review where partnership_id = @PartnershipId and risk_id = @riskId", new { actor.PartnershipId, riskId }, tx, cancellationToken: ct));
            if (latest is { } l && on < l)
                return Result<EscalationDirection?>.Fail("ReviewedOn", $"The risk was last reviewed on {l:d MMM yyyy}; a review cannot be dated before it.");
            await conn.ExecuteAsync(new CommandDefinition(
                "update risk set likelihood = @L, impact = @I, review_date = @nextReviewDate where partnership_id = @PartnershipId and id = @riskId",
                new { actor.PartnershipId, riskId, L = (short)likelihood, I = (short)impact, nextReviewDate }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "risk", riskId, "update",
                $"Reviewed risk {riskId}: {RiskRules.Describe(c.Likelihood, c.Impact)} → {RiskRules.Describe(likelihood, impact)}",
                new { c.Likelihood, c.Impact }, new { Likelihood = likelihood, Impact = impact, Note = (note ?? "").Trim(), NextReviewDate = nextReviewDate }, ct);
            var crossing = await ScoreAsync(conn, tx, actor, riskId, c.Escalated, likelihood, impact, (note ?? "").Trim(), on, nextReviewDate, ct);
            return Result<EscalationDirection?>.Ok(crossing);
        }, _ => null, ct);
    }

    /// <summary>Edits a risk's description (its score changes only through a review), keeping its review date.</summary>
    public Task<Result<bool>> UpdateAsync(Actor actor, int riskId, RiskDetails details, CancellationToken ct) =>
        UpdateAsync(actor, riskId, details, null, ct);

    /// <summary>
    /// Edits an open risk's description and, when given, its next review date (a changed date today or later); logged with before and
    /// after. Its likelihood and impact change only through <see cref="ReviewAsync"/>, so the history line stays whole.
    /// </summary>
    public async Task<Result<bool>> UpdateAsync(Actor actor, int riskId, RiskDetails details, DateOnly? reviewDate, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = Validate(details);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<RiskDetails?>(new CommandDefinition(
                "select title, cause, effect, subgroup, owner, controls, target_score::int as target_score from risk where partnership_id = @PartnershipId and id = @riskId for update",
                new { actor.PartnershipId, riskId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("RiskId", "That risk does not exist.");
            var (status, reviewBefore) = await conn.QuerySingleAsync<(string Status, DateOnly ReviewDate)>(new CommandDefinition(
                "select status, review_date from risk where partnership_id = @PartnershipId and id = @riskId", new { actor.PartnershipId, riskId }, tx, cancellationToken: ct));
            if (status == RiskStatus.Closed.ToDb())
                return Result<bool>.Fail("RiskId", "The risk is closed: it can no longer be edited.");
            // A new review date must not be in the past; an unchanged one (a review already overdue) may stay as it is.
            if (reviewDate is { } rd && rd != reviewBefore && rd < Today)
                return Result<bool>.Fail("ReviewDate", "The review date cannot be in the past.");
            var after = new
            {
                Title = details.Title.Trim(), Cause = details.Cause.Trim(), Effect = details.Effect.Trim(), Subgroup = details.Subgroup.ToDb(),
                Owner = details.Owner.Trim(), Controls = (details.Controls ?? "").Trim(), details.TargetScore, ReviewDate = reviewDate ?? reviewBefore,
            };
            await conn.ExecuteAsync(new CommandDefinition("""
                update risk set title = @Title, cause = @Cause, effect = @Effect, subgroup = @Subgroup, owner = @Owner, controls = @Controls,
                                target_score = @TargetScore, review_date = @ReviewDate
                where partnership_id = @PartnershipId and id = @riskId
                """, new
            {
                actor.PartnershipId, riskId, after.Title, after.Cause, after.Effect, after.Subgroup, after.Owner, after.Controls,
                TargetScore = (short)details.TargetScore, after.ReviewDate,
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "risk", riskId, "update", $"Edited risk {riskId}: {after.Title}",
                new { before.Title, before.Cause, before.Effect, Subgroup = before.Subgroup.ToDb(), before.Owner, before.Controls, before.TargetScore, ReviewDate = reviewBefore }, after, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Closes a risk with the reason (nothing is deleted). Its escalation history stays; the Executive's list holds open risks only.</summary>
    public async Task<Result<bool>> CloseAsync(Actor actor, int riskId, string reason, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Reason", reason, "The reason for closing", 2000, 5);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await conn.QuerySingleOrDefaultAsync<(short Score, bool Escalated, string Status)?>(new CommandDefinition(
                "select score, escalated, status from risk where partnership_id = @PartnershipId and id = @riskId for update",
                new { actor.PartnershipId, riskId }, tx, cancellationToken: ct));
            if (current is not { } c)
                return Result<bool>.Fail("RiskId", "That risk does not exist.");
            if (c.Status == RiskStatus.Closed.ToDb())
                return Result<bool>.Fail("RiskId", "The risk is already closed.");
            await conn.ExecuteAsync(new CommandDefinition(
                "update risk set status = 'closed', closed_at = now(), close_reason = @Reason where partnership_id = @PartnershipId and id = @riskId",
                new { actor.PartnershipId, riskId, Reason = reason.Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "risk", riskId, "update", $"Closed risk {riskId}: {reason.Trim()}",
                new { Status = c.Status }, new { Status = RiskStatus.Closed.ToDb(), Reason = reason.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Writes a review row and, when the score crosses 12, the escalation row and the risk's flag.</summary>
    private static async Task<EscalationDirection?> ScoreAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int riskId, bool escalatedNow, int likelihood, int impact, string note,
        DateOnly reviewedOn, DateOnly nextReviewDate, CancellationToken ct)
    {
        var reviewId = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            insert into risk_review (partnership_id, risk_id, reviewed_on, likelihood, impact, note, next_review_date, reviewed_by, reviewed_by_name)
            values (@PartnershipId, @riskId, @reviewedOn, @L, @I, @note, @nextReviewDate, @UserId, @DisplayName) returning id
            """, new { actor.PartnershipId, riskId, reviewedOn, L = (short)likelihood, I = (short)impact, note, nextReviewDate, UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName },
            tx, cancellationToken: ct));
        var score = RiskRules.Score(likelihood, impact);
        if (RiskRules.Crossing(escalatedNow, score) is not { } crossing)
            return null;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into risk_escalation (partnership_id, risk_id, direction, score, occurred_on, review_id) values (@PartnershipId, @riskId, @Direction, @Score, @reviewedOn, @reviewId);
            update risk set escalated = @Escalated where partnership_id = @PartnershipId and id = @riskId;
            """, new
        {
            actor.PartnershipId, riskId, Direction = crossing.ToDb(), Score = (short)score, reviewedOn, reviewId, Escalated = crossing == EscalationDirection.Escalated,
        }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "risk_escalation", riskId, "update",
            crossing == EscalationDirection.Escalated ? $"Risk {riskId} escalated to the Executive at score {score}" : $"Risk {riskId} de-escalated at score {score}",
            new { Escalated = escalatedNow }, new { Escalated = crossing == EscalationDirection.Escalated, Score = score, On = reviewedOn }, ct);
        return crossing;
    }

    private static Validator Validate(RiskDetails d)
    {
        var v = new Validator();
        v.Required(nameof(d.Title), d.Title, "Title", 200, 3);
        v.Required(nameof(d.Cause), d.Cause, "Cause", 2000, 3);
        v.Required(nameof(d.Effect), d.Effect, "Effect", 2000, 3);
        v.Required(nameof(d.Owner), d.Owner, "Owner", 120, 2);
        v.When((d.Controls ?? "").Length > 4000, nameof(d.Controls), "Controls must be at most 4,000 characters.");
        v.When(d.TargetScore is < 1 or > 25, nameof(d.TargetScore), "The target score is 1 to 25.");
        v.When(!Enum.IsDefined(d.Subgroup), nameof(d.Subgroup), "Choose the subgroup that owns the risk.");
        return v;
    }

    private static void ValidateScore(Validator v, int likelihood, int impact)
    {
        v.When(!RiskRules.IsLevel(likelihood), "Likelihood", "Likelihood is 1 (rare) to 5 (almost certain).");
        v.When(!RiskRules.IsLevel(impact), "Impact", "Impact is 1 (negligible) to 5 (severe).");
    }
}
