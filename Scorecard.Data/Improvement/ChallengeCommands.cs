using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>A question the QA subgroup puts to an agency about a subject, raised on a date (at a meeting when known).</summary>
public sealed record NewChallenge(string Question, SourceKind SubjectKind, string SubjectKey, int ToAgencyId, DateOnly? MeetingDate, DateOnly DueDate);

/// <summary>
/// Commands of the challenge log (issue 13 §3): QA members and admins raise challenges, record the subgroup's view of a
/// response (satisfactory closes it; further information asks again; escalate moves it to the Pan-Cheshire Escalation
/// Policy's stages, each recorded with to whom and when) and close them with a reason; the agency's own users answer
/// the challenges put to their agency only. Every change is logged in the same transaction; nothing is deleted.
/// </summary>
public sealed class ChallengeCommands(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    public async Task<Result<int>> RaiseAsync(Actor actor, NewChallenge challenge, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required(nameof(challenge.Question), challenge.Question, "The question", 2000, 5);
        v.When(challenge.DueDate < Today, nameof(challenge.DueDate), "The due date cannot be in the past.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var (key, problem) = await SourceLinks.CheckAsync(conn, tx, actor.PartnershipId, challenge.SubjectKind, challenge.SubjectKey, ct);
            if (problem is not null)
                return Result<int>.Fail(nameof(challenge.SubjectKey), problem);
            if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select exists (select 1 from agency where partnership_id = @PartnershipId and id = @ToAgencyId)",
                    new { actor.PartnershipId, challenge.ToAgencyId }, tx, cancellationToken: ct)))
                return Result<int>.Fail(nameof(challenge.ToAgencyId), "Choose an agency of this partnership.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into challenge (partnership_id, question, subject_kind, subject_key, to_agency_id, raised_by, raised_by_name, raised_on, meeting_date, due_date)
                values (@PartnershipId, @Question, @Kind, @key, @ToAgencyId, @UserId, @DisplayName, @Today, @MeetingDate, @DueDate) returning id
                """, new
            {
                actor.PartnershipId, Question = challenge.Question.Trim(), Kind = challenge.SubjectKind.ToDb(), key, challenge.ToAgencyId,
                UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName, Today, challenge.MeetingDate, challenge.DueDate,
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "challenge", id, "create", $"Raised challenge {id} to agency {challenge.ToAgencyId}",
                null, new { challenge.Question, Subject = new SourceLink(challenge.SubjectKind, key!).ToString(), challenge.ToAgencyId, challenge.MeetingDate, challenge.DueDate }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>The agency answers a challenge put to it (awaiting a response, or further information asked for).</summary>
    public async Task<Result<bool>> RespondAsync(Actor actor, int challengeId, string response, CancellationToken ct)
    {
        var v = new Validator();
        v.Required("Response", response, "The response", 4000, 5);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var c = await LockAsync(conn, tx, actor, challengeId, ct);
            if (c is null)
                return Result<bool>.Fail("ChallengeId", "That challenge does not exist.");
            ImprovementAccess.RequireResponder(actor, c.ToAgencyId);
            if (c.Status is not (ChallengeStatus.AwaitingResponse or ChallengeStatus.FurtherInformation))
                return Result<bool>.Fail("Response", c.Status == ChallengeStatus.Closed ? "The challenge is closed." : "The subgroup has not asked for a response now.");
            await EntryAsync(conn, tx, actor, challengeId, ChallengeEntryKind.Response, null, response.Trim(), ct);
            await SetStatusAsync(conn, tx, actor, challengeId, ChallengeStatus.Responded, null, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "challenge", challengeId, "update", $"Agency responded to challenge {challengeId}",
                new { Status = c.Status.ToDb() }, new { Status = ChallengeStatus.Responded.ToDb(), Response = response.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>
    /// The subgroup's view of the latest response: satisfactory (the challenge closes), further information (the agency is
    /// asked again), or escalate (the challenge is escalated; record the stage with <see cref="EscalateAsync"/>).
    /// </summary>
    public async Task<Result<bool>> RecordViewAsync(Actor actor, int challengeId, ChallengeView view, string note, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var text = (note ?? "").Trim();
        if (text.Length > 4000)
            return Result<bool>.Fail("Note", "The note must be at most 4,000 characters.");
        if (view != ChallengeView.Satisfactory && text.Length < 5)
            return Result<bool>.Fail("Note", view == ChallengeView.FurtherInformation ? "Say what further information is needed." : "Say why the response is escalated.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var c = await LockAsync(conn, tx, actor, challengeId, ct);
            if (c is null)
                return Result<bool>.Fail("ChallengeId", "That challenge does not exist.");
            if (c.Status != ChallengeStatus.Responded)
                return Result<bool>.Fail("View", "There is no response awaiting the subgroup's view.");
            var after = view switch
            {
                ChallengeView.Satisfactory => ChallengeStatus.Closed,
                ChallengeView.FurtherInformation => ChallengeStatus.FurtherInformation,
                _ => ChallengeStatus.Escalated,
            };
            await EntryAsync(conn, tx, actor, challengeId, ChallengeEntryKind.View, view, text, ct);
            await SetStatusAsync(conn, tx, actor, challengeId, after, view, ct,
                closeReason: after == ChallengeStatus.Closed ? "The subgroup judged the response satisfactory" + (text.Length > 0 ? $": {text}" : "") : null);
            await ChangeLog.WriteAsync(conn, tx, actor, "challenge", challengeId, "update", $"Subgroup's view of challenge {challengeId}: {view.Label()}",
                new { Status = c.Status.ToDb() }, new { Status = after.ToDb(), View = view.ToDb(), Note = text }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Records a step of the Pan-Cheshire Escalation Policy: the stage, to whom and when. Stages go forward only.</summary>
    public async Task<Result<int>> EscalateAsync(Actor actor, int challengeId, EscalationStage stage, string escalatedTo, DateOnly escalatedOn, string note, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("EscalatedTo", escalatedTo, "Escalated to", 200, 2);
        v.When((note ?? "").Length > 4000, "Note", "The note must be at most 4,000 characters.");
        v.When(escalatedOn > Today, "EscalatedOn", "An escalation cannot be dated in the future.");
        v.When(!Enum.IsDefined(stage), "Stage", "Choose a stage of the escalation policy.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var c = await LockAsync(conn, tx, actor, challengeId, ct);
            if (c is null)
                return Result<int>.Fail("ChallengeId", "That challenge does not exist.");
            if (c.Status == ChallengeStatus.Closed)
                return Result<int>.Fail("Stage", "The challenge is closed.");
            var last = (await conn.QueryAsync<string>(new CommandDefinition(
                "select stage from challenge_escalation where partnership_id = @PartnershipId and challenge_id = @challengeId order by id desc limit 1",
                new { actor.PartnershipId, challengeId }, tx, cancellationToken: ct))).Select(DbEnum.Parse<EscalationStage>).Cast<EscalationStage?>().FirstOrDefault();
            if (last is { } l && stage <= l)
                return Result<int>.Fail("Stage", $"The challenge is already at {l.Label().ToLowerInvariant()}; an escalation moves to a later stage.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into challenge_escalation (partnership_id, challenge_id, stage, escalated_to, escalated_on, note, recorded_by, recorded_by_name)
                values (@PartnershipId, @challengeId, @Stage, @To, @escalatedOn, @Note, @UserId, @DisplayName) returning id
                """, new
            {
                actor.PartnershipId, challengeId, Stage = stage.ToDb(), To = escalatedTo.Trim(), escalatedOn, Note = (note ?? "").Trim(),
                UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName,
            }, tx, cancellationToken: ct));
            if (c.Status != ChallengeStatus.Escalated)
                await SetStatusAsync(conn, tx, actor, challengeId, ChallengeStatus.Escalated, ChallengeView.Escalate, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "challenge", challengeId, "update", $"Challenge {challengeId} escalated: {stage.Label()}, to {escalatedTo.Trim()}",
                new { Status = c.Status.ToDb() }, new { Status = ChallengeStatus.Escalated.ToDb(), Stage = stage.ToDb(), To = escalatedTo.Trim(), On = escalatedOn }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Closes a challenge with the reason (resolved at escalation, withdrawn, superseded).</summary>
    public async Task<Result<bool>> CloseAsync(Actor actor, int challengeId, string reason, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Reason", reason, "The reason for closing", 2000, 5);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var c = await LockAsync(conn, tx, actor, challengeId, ct);
            if (c is null)
                return Result<bool>.Fail("ChallengeId", "That challenge does not exist.");
            if (c.Status == ChallengeStatus.Closed)
                return Result<bool>.Fail("Reason", "The challenge is already closed.");
            await SetStatusAsync(conn, tx, actor, challengeId, ChallengeStatus.Closed, null, ct, closeReason: reason.Trim(), keepView: true);
            await ChangeLog.WriteAsync(conn, tx, actor, "challenge", challengeId, "update", $"Closed challenge {challengeId}: {reason.Trim()}",
                new { Status = c.Status.ToDb() }, new { Status = ChallengeStatus.Closed.ToDb(), Reason = reason.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    private sealed record Locked(int ToAgencyId, ChallengeStatus Status);

    private static Task<Locked?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int challengeId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<Locked?>(new CommandDefinition(
            "select to_agency_id, status from challenge where partnership_id = @PartnershipId and id = @challengeId for update",
            new { actor.PartnershipId, challengeId }, tx, cancellationToken: ct));

    private static Task EntryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int challengeId, ChallengeEntryKind kind, ChallengeView? view, string text, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into challenge_entry (partnership_id, challenge_id, kind, view, text, written_by, written_by_name)
            values (@PartnershipId, @challengeId, @Kind, @View, @text, @UserId, @DisplayName)
            """, new { actor.PartnershipId, challengeId, Kind = kind.ToDb(), View = view is { } vw ? vw.ToDb() : null, text, UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName },
            tx, cancellationToken: ct));

    private static Task SetStatusAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int challengeId, ChallengeStatus status, ChallengeView? view, CancellationToken ct,
        string? closeReason = null, bool keepView = false) =>
        conn.ExecuteAsync(new CommandDefinition("""
            update challenge set status = @Status, view = case when @KeepView then view else @View end,
                closed_at = case when @Status = 'closed' then now() end, close_reason = @CloseReason, updated_at = now()
            where partnership_id = @PartnershipId and id = @challengeId
            """, new { actor.PartnershipId, challengeId, Status = status.ToDb(), View = view is { } vw ? vw.ToDb() : null, CloseReason = closeReason, KeepView = keepView }, tx, cancellationToken: ct));
}
