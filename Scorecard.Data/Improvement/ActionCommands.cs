using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>A new action: what will be done, its source, its owner, dates, and optionally the scorecard measure whose
/// movement would show its impact (by code).</summary>
public sealed record NewAction(
    string Title, SourceKind SourceKind, string SourceKey, int OwnerAgencyId, string OwnerPerson,
    DateOnly StartDate, DateOnly DueDate, string? SuccessMeasureCode);

/// <summary>
/// Commands of action plans (issue 13 §1): QA members and admins create actions, moderate completed ones and close
/// them with a reason; the owner agency's users record progress, complete with evidence and add evidence files; the
/// Executive signs off a complete plan. Every change goes to the change log in the same transaction; nothing is deleted.
/// </summary>
public sealed class ActionCommands(NpgsqlDataSource dataSource, TimeProvider clock, AssuranceOptions evidenceOptions)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    public async Task<Result<int>> CreateAsync(Actor actor, NewAction action, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required(nameof(action.Title), action.Title, "What will be done", 500, 5);
        v.Required(nameof(action.OwnerPerson), action.OwnerPerson, "Owner", 120, 2);
        v.When(action.DueDate < action.StartDate, nameof(action.DueDate), "The due date cannot be before the start date.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var (key, problem) = await SourceLinks.CheckAsync(conn, tx, actor.PartnershipId, action.SourceKind, action.SourceKey, ct);
            if (problem is not null)
                return Result<int>.Fail(nameof(action.SourceKey), problem);
            if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select exists (select 1 from agency where partnership_id = @PartnershipId and id = @OwnerAgencyId)",
                    new { actor.PartnershipId, action.OwnerAgencyId }, tx, cancellationToken: ct)))
                return Result<int>.Fail(nameof(action.OwnerAgencyId), "Choose an agency of this partnership.");
            int? measureId = null;
            if (!string.IsNullOrWhiteSpace(action.SuccessMeasureCode))
            {
                measureId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                    "select id from measure where partnership_id = @PartnershipId and code = @Code",
                    new { actor.PartnershipId, Code = action.SuccessMeasureCode.Trim().ToUpperInvariant() }, tx, cancellationToken: ct));
                if (measureId is null)
                    return Result<int>.Fail(nameof(action.SuccessMeasureCode), "There is no measure with that code in this partnership.");
            }
            const string insert = """
                insert into improvement_action (partnership_id, title, source_kind, source_key, owner_agency_id, owner_person, start_date, due_date, success_measure_id, created_by)
                values (@PartnershipId, @Title, @Kind, @Key, @OwnerAgencyId, @OwnerPerson, @StartDate, @DueDate, @MeasureId, @UserId)
                returning id
                """;
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insert, new
            {
                actor.PartnershipId, Title = action.Title.Trim(), Kind = action.SourceKind.ToDb(), Key = key, action.OwnerAgencyId,
                OwnerPerson = action.OwnerPerson.Trim(), action.StartDate, action.DueDate, MeasureId = measureId, UserId = ImprovementAccess.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "improvement_action", id, "create", $"Created action {id}: {action.Title.Trim()}", null, new
            {
                action.Title, Source = new SourceLink(action.SourceKind, key!).ToString(), action.OwnerAgencyId, action.OwnerPerson, action.StartDate, action.DueDate, measureId,
            }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>A dated progress update by the owner (or QA): a note and the status it leaves the action in (not started,
    /// on track, at risk, off track). Refused once the action is completed or closed.</summary>
    public async Task<Result<bool>> RecordProgressAsync(Actor actor, int actionId, string note, ActionStatus status, CancellationToken ct)
    {
        var v = new Validator();
        v.Required("Note", note, "The update", 4000, 3);
        v.When(!ActionRules.ProgressStatuses.Contains(status), "Status", "An update sets not started, on track, at risk or off track; mark the action completed with its evidence instead.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await LockAsync(conn, tx, actor, actionId, ct);
            if (current is null)
                return Result<bool>.Fail("ActionId", "That action does not exist.");
            ImprovementAccess.RequireActionOwner(actor, current.OwnerAgencyId);
            if (!ActionRules.IsOpen(current.Status))
                return Result<bool>.Fail("Status", current.Status == ActionStatus.Closed ? "The action is closed." : "The action is awaiting moderation.");
            await conn.ExecuteAsync(new CommandDefinition(
                "update improvement_action set status = @Status, updated_at = now() where partnership_id = @PartnershipId and id = @actionId",
                new { actor.PartnershipId, actionId, Status = status.ToDb() }, tx, cancellationToken: ct));
            await ProgressAsync(conn, tx, actor, actionId, note.Trim(), status, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "improvement_action", actionId, "update", $"Progress on action {actionId}: {status.Label()}",
                new { Status = current.Status.ToDb() }, new { Status = status.ToDb(), Note = note.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The owner marks the action completed with its evidence (text, and files added before or after); it then
    /// awaits the QA subgroup's moderation.</summary>
    public async Task<Result<bool>> CompleteAsync(Actor actor, int actionId, string evidence, CancellationToken ct)
    {
        var text = (evidence ?? "").Trim();
        if (text.Length > 8000)
            return Result<bool>.Fail("Evidence", "The evidence must be at most 8,000 characters.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await LockAsync(conn, tx, actor, actionId, ct);
            if (current is null)
                return Result<bool>.Fail("ActionId", "That action does not exist.");
            ImprovementAccess.RequireActionOwner(actor, current.OwnerAgencyId);
            if (!ActionRules.IsOpen(current.Status))
                return Result<bool>.Fail("Status", current.Status == ActionStatus.Closed ? "The action is closed." : "The action is already awaiting moderation.");
            var files = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "select count(*)::int from action_evidence_file where partnership_id = @PartnershipId and action_id = @actionId",
                new { actor.PartnershipId, actionId }, tx, cancellationToken: ct));
            if (text.Length < 10 && files == 0)
                return Result<bool>.Fail("Evidence", "Describe the evidence of completion (at least 10 characters) or add an evidence file.");
            await conn.ExecuteAsync(new CommandDefinition("""
                update improvement_action set status = 'completed', completed_on = @Today, completion_evidence = @Text, updated_at = now()
                where partnership_id = @PartnershipId and id = @actionId
                """, new { actor.PartnershipId, actionId, Today, Text = text }, tx, cancellationToken: ct));
            await ProgressAsync(conn, tx, actor, actionId, "Marked completed: " + (text.Length > 0 ? text : $"{files} evidence file(s)"), ActionStatus.Completed, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "improvement_action", actionId, "update", $"Action {actionId} completed, awaiting moderation",
                new { Status = current.Status.ToDb() }, new { Status = ActionStatus.Completed.ToDb(), Evidence = text, Files = files }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Adds a completion evidence file, identified by its bytes (the rules of self-assessment evidence).</summary>
    public async Task<Result<long>> AddEvidenceFileAsync(Actor actor, int actionId, string fileName, byte[] bytes, CancellationToken ct)
    {
        var identified = EvidenceFiles.Identify(bytes, evidenceOptions.MaxEvidenceBytes);
        if (!identified.Succeeded)
            return Result<long>.Fail(identified.Errors);
        var name = EvidenceFiles.SafeName(fileName);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await LockAsync(conn, tx, actor, actionId, ct);
            if (current is null)
                return Result<long>.Fail("ActionId", "That action does not exist.");
            ImprovementAccess.RequireActionOwner(actor, current.OwnerAgencyId);
            if (current.Status == ActionStatus.Closed)
                return Result<long>.Fail("File", "The action is closed.");
            var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into action_evidence_file (partnership_id, action_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
                values (@PartnershipId, @actionId, @name, @Type, @Size, @Sha, @bytes, @UserId) returning id
                """, new
            {
                actor.PartnershipId, actionId, name, Type = identified.Value, Size = bytes.Length, Sha = SHA256.HashData(bytes), bytes,
                UserId = ImprovementAccess.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "action_evidence_file", id, "create", $"Added evidence file {name} to action {actionId}",
                null, new { actionId, name, identified.Value, bytes.Length }, ct);
            return Result<long>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>
    /// The QA subgroup moderates a completed action: accept (the action closes) or return it with a reason (back to on
    /// track, the challenge recorded with the moderation).
    /// </summary>
    public async Task<Result<bool>> ModerateAsync(Actor actor, int actionId, ModerationDecision decision, string reason, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var why = (reason ?? "").Trim();
        if (decision == ModerationDecision.Returned && why.Length < 5)
            return Result<bool>.Fail("Reason", "Say why the action is returned (at least 5 characters): the owner sees it as the subgroup's challenge.");
        if (why.Length > 4000)
            return Result<bool>.Fail("Reason", "The reason must be at most 4,000 characters.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await LockAsync(conn, tx, actor, actionId, ct);
            if (current is null)
                return Result<bool>.Fail("ActionId", "That action does not exist.");
            if (current.Status != ActionStatus.Completed)
                return Result<bool>.Fail("Status", "Only a completed action awaiting moderation can be moderated.");
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into action_moderation (partnership_id, action_id, outcome, reason, moderated_by, moderated_by_name)
                values (@PartnershipId, @actionId, @Outcome, @why, @UserId, @DisplayName)
                """, new { actor.PartnershipId, actionId, Outcome = decision.ToDb(), why, UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName }, tx, cancellationToken: ct));
            var after = decision == ModerationDecision.Accepted ? ActionStatus.Closed : ActionStatus.OnTrack;
            if (decision == ModerationDecision.Accepted)
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    update improvement_action set status = 'closed', closed_at = now(), close_reason = @Reason, updated_at = now()
                    where partnership_id = @PartnershipId and id = @actionId
                    """, new { actor.PartnershipId, actionId, Reason = why.Length > 0 ? $"Accepted at moderation: {why}" : "Accepted at moderation" }, tx, cancellationToken: ct));
            }
            else
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    update improvement_action set status = 'on_track', completed_on = null, updated_at = now()
                    where partnership_id = @PartnershipId and id = @actionId
                    """, new { actor.PartnershipId, actionId }, tx, cancellationToken: ct));
            }
            await ProgressAsync(conn, tx, actor, actionId,
                decision == ModerationDecision.Accepted ? "Accepted at moderation" + (why.Length > 0 ? $": {why}" : "") : $"Returned at moderation: {why}", after, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "improvement_action", actionId, "update",
                $"Action {actionId} {(decision == ModerationDecision.Accepted ? "accepted at moderation and closed" : "returned at moderation")}",
                new { Status = current.Status.ToDb() }, new { Status = after.ToDb(), Moderation = decision.ToDb(), Reason = why }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Closes an open action that will not be completed (superseded, no longer relevant), with the reason.</summary>
    public async Task<Result<bool>> CloseAsync(Actor actor, int actionId, string reason, CancellationToken ct)
    {
        ImprovementAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Reason", reason, "The reason for closing", 2000, 5);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var current = await LockAsync(conn, tx, actor, actionId, ct);
            if (current is null)
                return Result<bool>.Fail("ActionId", "That action does not exist.");
            if (current.Status == ActionStatus.Closed)
                return Result<bool>.Fail("Status", "The action is already closed.");
            await conn.ExecuteAsync(new CommandDefinition("""
                update improvement_action set status = 'closed', closed_at = now(), close_reason = @Reason, updated_at = now()
                where partnership_id = @PartnershipId and id = @actionId
                """, new { actor.PartnershipId, actionId, Reason = reason.Trim() }, tx, cancellationToken: ct));
            await ProgressAsync(conn, tx, actor, actionId, $"Closed: {reason.Trim()}", ActionStatus.Closed, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "improvement_action", actionId, "update", $"Closed action {actionId}: {reason.Trim()}",
                new { Status = current.Status.ToDb() }, new { Status = ActionStatus.Closed.ToDb(), Reason = reason.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The Executive signs off a complete action plan (every action of the source closed), so it leaves the
    /// "awaiting sign-off" list until a new action is added to it.</summary>
    public async Task<Result<int>> SignOffPlanAsync(Actor actor, SourceLink plan, string note, CancellationToken ct)
    {
        ImprovementAccess.RequireSignOff(actor);
        if ((note ?? "").Length > 2000)
            return Result<int>.Fail("Note", "The note must be at most 2,000 characters.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            // Serialise sign-offs of one plan with changes to its actions.
            var statuses = (await conn.QueryAsync<string>(new CommandDefinition("""
                select status from improvement_action where partnership_id = @PartnershipId and source_kind = @Kind and source_key = @Key for update
                """, new { actor.PartnershipId, Kind = plan.Kind.ToDb(), plan.Key }, tx, cancellationToken: ct))).Select(DbEnum.Parse<ActionStatus>).ToList();
            if (statuses.Count == 0)
                return Result<int>.Fail("Plan", "That source has no actions.");
            if (!ActionRules.PlanComplete(statuses))
                return Result<int>.Fail("Plan", "The plan is not complete: every action must be closed before it is signed off.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into action_plan_sign_off (partnership_id, source_kind, source_key, note, signed_off_by, signed_off_by_name)
                values (@PartnershipId, @Kind, @Key, @Note, @UserId, @DisplayName) returning id
                """, new { actor.PartnershipId, Kind = plan.Kind.ToDb(), plan.Key, Note = (note ?? "").Trim(), UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName },
                tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "action_plan", plan.ToString(), "update", $"Signed off the complete action plan of {plan}",
                null, new { Plan = plan.ToString(), Actions = statuses.Count, Note = (note ?? "").Trim() }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    private sealed record Locked(int OwnerAgencyId, ActionStatus Status);

    private static Task<Locked?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int actionId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<Locked?>(new CommandDefinition(
            "select owner_agency_id, status from improvement_action where partnership_id = @PartnershipId and id = @actionId for update",
            new { actor.PartnershipId, actionId }, tx, cancellationToken: ct));

    private async Task ProgressAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int actionId, string note, ActionStatus after, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into action_progress (partnership_id, action_id, noted_on, note, status_after, recorded_by, recorded_by_name)
            values (@PartnershipId, @actionId, @Today, @note, @After, @UserId, @DisplayName)
            """, new { actor.PartnershipId, actionId, Today, note = note.Length > 4000 ? note[..4000] : note, After = after.ToDb(), UserId = ImprovementAccess.UserOrNull(actor), actor.DisplayName },
            tx, cancellationToken: ct));
}
