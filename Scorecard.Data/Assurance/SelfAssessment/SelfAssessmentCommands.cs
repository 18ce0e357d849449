using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.SelfAssessment;

/// <summary>One standard's rating as typed: the rating may still be empty in a draft.</summary>
public sealed record RatingInput(int StandardId, Rating? Rating, string Evidence, string Actions);

/// <summary>The lead's sign-off that closes an agency's submission.</summary>
public sealed record SignOff(string Name, string Role, DateOnly Date);

/// <summary>
/// Commands of self-assessment cycles (Section 11, Section 175/157, "true for us"). Admins and QA members open cycles and
/// moderate; an agency saves its draft as it types, attaches evidence and submits with a sign-off, for itself only.
/// Each submission is a version: submitting again supersedes the previous one, and only submitted versions count.
/// </summary>
public sealed class SelfAssessmentCommands(NpgsqlDataSource dataSource, AssuranceOptions options)
{
    public SelfAssessmentCommands(NpgsqlDataSource dataSource) : this(dataSource, new AssuranceOptions())
    {
    }

    /// <summary>Opens a cycle of a framework for a set of agencies, with an opening date and a deadline.</summary>
    public async Task<Result<int>> OpenCycleAsync(
        Actor actor, int frameworkId, string name, DateOnly opensOn, DateOnly deadline, IReadOnlyCollection<int> agencyIds, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required("Name", name, "Name", 120, 3);
        v.When(deadline < opensOn, "Deadline", "The deadline cannot be before the cycle opens.");
        v.When(agencyIds.Count == 0, "AgencyIds", "Choose the agencies in the cycle.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        var agencies = agencyIds.Distinct().ToArray();
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select exists (select 1 from framework where partnership_id = @PartnershipId and id = @frameworkId)", new { actor.PartnershipId, frameworkId }, tx, cancellationToken: ct)))
                return Result<int>.Fail("FrameworkId", "That framework does not exist.");
            var known = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "select count(*)::int from agency where partnership_id = @PartnershipId and id = any(@agencies)", new { actor.PartnershipId, agencies }, tx, cancellationToken: ct));
            if (known != agencies.Length)
                return Result<int>.Fail("AgencyIds", "Choose agencies of this partnership.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into assessment_cycle (partnership_id, framework_id, name, opens_on, deadline, created_by)
                values (@PartnershipId, @frameworkId, @Name, @opensOn, @deadline, @UserId) returning id
                """, new { actor.PartnershipId, frameworkId, Name = name.Trim(), opensOn, deadline, UserId = AuditCommands.UserOrNull(actor) }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "insert into cycle_agency (partnership_id, cycle_id, agency_id) select @PartnershipId, @id, unnest(@agencies)",
                new { actor.PartnershipId, id, agencies }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "assessment_cycle", id, "create", $"Opened cycle \"{name.Trim()}\" for {agencies.Length} agencies, deadline {deadline:d MMM yyyy}",
                null, new { frameworkId, Name = name.Trim(), opensOn, deadline, Agencies = agencies.Length }, ct);
            return Result<int>.Ok(id);
        }, e => e.ConstraintName == "assessment_cycle_name_key" ? new FieldError("Name", "A cycle with that name already exists.") : null, ct);
    }

    /// <summary>Closes a cycle: from then on no agency may start or change a draft or submit in it.</summary>
    public async Task<Result<bool>> CloseCycleAsync(Actor actor, int cycleId, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var changed = await conn.ExecuteAsync(new CommandDefinition(
                "update assessment_cycle set closed_at = now() where partnership_id = @PartnershipId and id = @cycleId and closed_at is null",
                new { actor.PartnershipId, cycleId }, tx, cancellationToken: ct));
            if (changed == 0)
                return Result<bool>.Fail("CycleId", "That cycle does not exist or is already closed.");
            await ChangeLog.WriteAsync(conn, tx, actor, "assessment_cycle", cycleId, "update", $"Closed cycle {cycleId}", null, new { Closed = true }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Saves the agency's draft as typed (creating it on first save, from the current submitted version if
    /// there is one). Returns the draft's id. The draft counts for nothing until submitted.</summary>
    public async Task<Result<long>> SaveDraftAsync(Actor actor, int cycleId, int agencyId, IReadOnlyList<RatingInput> ratings, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        var v = new Validator();
        foreach (var r in ratings)
        {
            v.When((r.Evidence ?? "").Length > 8000, $"Evidence[{r.StandardId}]", "Evidence must be at most 8,000 characters.");
            v.When((r.Actions ?? "").Length > 4000, $"Actions[{r.StandardId}]", "Improvement actions must be at most 4,000 characters.");
        }
        v.When(ratings.Select(r => r.StandardId).Distinct().Count() != ratings.Count, "Ratings", "Each standard may be rated once.");
        if (!v.IsValid)
            return Result<long>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, (conn, tx) => SaveDraftInAsync(conn, tx, actor, cycleId, agencyId, ratings, ct), _ => null, ct);
    }

    /// <summary>Submits the agency's draft with the lead's sign-off. Every standard must be rated. The previous submitted
    /// version, if any, is superseded; the new one counts from now.</summary>
    public async Task<Result<long>> SubmitAsync(Actor actor, int cycleId, int agencyId, SignOff signOff, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        var v = new Validator();
        v.Required("SignOffName", signOff.Name, "The signing lead's name", 120, 2);
        v.Required("SignOffRole", signOff.Role, "The signing lead's role", 120, 2);
        if (!v.IsValid)
            return Result<long>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, (conn, tx) => SubmitInAsync(conn, tx, actor, cycleId, agencyId, signOff, ct), _ => null, ct);
    }

    /// <summary>Attaches an evidence file to a standard of the agency's draft (or to the draft as a whole when
    /// <paramref name="standardId"/> is null). The type is identified from the bytes; see <see cref="EvidenceFiles"/>.</summary>
    public async Task<Result<long>> AttachEvidenceAsync(Actor actor, long submissionId, int? standardId, string fileName, byte[] bytes, CancellationToken ct)
    {
        var identified = EvidenceFiles.Identify(bytes, options.MaxEvidenceBytes);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var owner = await conn.QuerySingleOrDefaultAsync<(int AgencyId, SubmissionStatus Status)?>(new CommandDefinition(
                "select agency_id, status from self_assessment where partnership_id = @PartnershipId and id = @submissionId",
                new { actor.PartnershipId, submissionId }, tx, cancellationToken: ct));
            if (owner is not { } o)
                return Result<long>.Fail("SubmissionId", "That self-assessment does not exist.");
            AssuranceAccess.RequireActFor(actor, o.AgencyId);
            if (o.Status != SubmissionStatus.Draft)
                return Result<long>.Fail("SubmissionId", "Evidence is added to a draft; start a new draft to change a submitted self-assessment.");
            if (!identified.Succeeded)
                return Result<long>.Fail(identified.Errors);
            if (standardId is { } sid && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select exists (select 1 from self_assessment_rating where partnership_id = @PartnershipId and submission_id = @submissionId and standard_id = @sid)",
                    new { actor.PartnershipId, submissionId, sid }, tx, cancellationToken: ct)))
                return Result<long>.Fail("StandardId", "That standard is not in this self-assessment.");
            var name = EvidenceFiles.SafeName(fileName);
            var sha = SHA256.HashData(bytes);
            var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into evidence_file (partnership_id, submission_id, standard_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
                values (@PartnershipId, @submissionId, @standardId, @name, @ContentType, @Size, @sha, @bytes, @UserId) returning id
                """, new
            {
                actor.PartnershipId, submissionId, standardId, name, ContentType = identified.Value, Size = bytes.Length, sha, bytes, UserId = AuditCommands.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "evidence_file", id, "create", $"Attached evidence \"{name}\" ({identified.Value}, {bytes.Length:N0} bytes)",
                null, new { submissionId, standardId, FileName = name, ContentType = identified.Value, Size = bytes.Length, Sha256 = Convert.ToHexString(sha) }, ct);
            return Result<long>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>A QA member moderates one standard of a submitted self-assessment: agree, or a moderated rating with a
    /// reason (at least a few words). Moderating again replaces the earlier moderation and clears any response to it.</summary>
    public async Task<Result<bool>> ModerateAsync(
        Actor actor, long submissionId, int standardId, ModerationOutcome outcome, Rating? moderatedRating, string reason, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        v.When(outcome == ModerationOutcome.Moderated && moderatedRating is null, "ModeratedRating", "Choose the moderated rating.");
        v.When(outcome == ModerationOutcome.Moderated && (reason ?? "").Trim().Length < 5, "Reason", "Give the reason for the moderated rating.");
        v.When((reason ?? "").Length > 4000, "Reason", "The reason must be at most 4,000 characters.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var row = await conn.QuerySingleOrDefaultAsync<(SubmissionStatus Status, string? Rating)?>(new CommandDefinition("""
                select s.status, r.rating from self_assessment s
                join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id and r.standard_id = @standardId
                where s.partnership_id = @PartnershipId and s.id = @submissionId
                """, new { actor.PartnershipId, submissionId, standardId }, tx, cancellationToken: ct));
            if (row is not { } r)
                return Result<bool>.Fail("StandardId", "That standard of that self-assessment does not exist.");
            if (r.Status != SubmissionStatus.Submitted)
                return Result<bool>.Fail("SubmissionId", "Only the current submitted version of a self-assessment is moderated.");
            var rating = outcome == ModerationOutcome.Agree ? null : moderatedRating;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into self_assessment_moderation (partnership_id, submission_id, standard_id, outcome, moderated_rating, reason, moderated_by)
                values (@PartnershipId, @submissionId, @standardId, @Outcome, @Rating, @Reason, @UserId)
                on conflict (partnership_id, submission_id, standard_id) do update
                set outcome = excluded.outcome, moderated_rating = excluded.moderated_rating, reason = excluded.reason,
                    moderated_by = excluded.moderated_by, moderated_at = now(), agency_response = null, responded_by = null, responded_at = null
                """, new
            {
                actor.PartnershipId, submissionId, standardId, Outcome = outcome.ToDb(), Rating = rating.ToDb(), Reason = (reason ?? "").Trim(), UserId = AuditCommands.UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "self_assessment_moderation", $"{submissionId}/{standardId}", "update",
                outcome == ModerationOutcome.Agree ? $"Agreed the agency's rating ({r.Rating}) of standard {standardId}" : $"Moderated standard {standardId} from {r.Rating} to {rating.ToDb()}",
                new { SelfRating = r.Rating }, new { Outcome = outcome.ToDb(), Rating = rating.ToDb(), Reason = (reason ?? "").Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The agency responds to the moderation of one standard (for itself only).</summary>
    public async Task<Result<bool>> RespondAsync(Actor actor, long submissionId, int standardId, string response, CancellationToken ct)
    {
        var v = new Validator();
        v.Required("Response", response, "The response", 4000, 2);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var agencyId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                "select agency_id from self_assessment where partnership_id = @PartnershipId and id = @submissionId", new { actor.PartnershipId, submissionId }, tx, cancellationToken: ct));
            if (agencyId is not { } a)
                return Result<bool>.Fail("SubmissionId", "That self-assessment does not exist.");
            AssuranceAccess.RequireActFor(actor, a);
            var changed = await conn.ExecuteAsync(new CommandDefinition("""
                update self_assessment_moderation set agency_response = @Response, responded_by = @UserId, responded_at = now()
                where partnership_id = @PartnershipId and submission_id = @submissionId and standard_id = @standardId
                """, new { actor.PartnershipId, submissionId, standardId, Response = response.Trim(), UserId = AuditCommands.UserOrNull(actor) }, tx, cancellationToken: ct));
            if (changed == 0)
                return Result<bool>.Fail("StandardId", "That standard has not been moderated, so there is nothing to respond to.");
            await ChangeLog.WriteAsync(conn, tx, actor, "self_assessment_moderation", $"{submissionId}/{standardId}", "update",
                $"Agency {a} responded to the moderation of standard {standardId}", null, new { Response = response.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The body of <see cref="SaveDraftAsync"/> in the caller's transaction (the workbook import saves and submits in one).</summary>
    internal static async Task<Result<long>> SaveDraftInAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int cycleId, int agencyId, IReadOnlyList<RatingInput> ratings, CancellationToken ct)
    {
        var draft = await DraftAsync(conn, tx, actor, cycleId, agencyId, ct);
        if (draft.Problem is not null)
            return Result<long>.Fail("CycleId", draft.Problem);
        // One round trip: the ratings and the draft's stamp. Every rating must land on a standard of the draft (the
        // caller's transaction rolls back when one does not), so the count of rows changed is the check.
        var changed = await conn.ExecuteAsync(new CommandDefinition("""
            update self_assessment_rating r set rating = t.rating, evidence = t.evidence, actions = t.actions
            from unnest(@Standards, @Ratings, @Evidence, @Actions) as t(standard_id, rating, evidence, actions)
            where r.partnership_id = @PartnershipId and r.submission_id = @Id and r.standard_id = t.standard_id;
            update self_assessment set updated_by = @UserId, updated_at = now() where partnership_id = @PartnershipId and id = @Id;
            """, new
        {
            actor.PartnershipId, draft.Id, UserId = AuditCommands.UserOrNull(actor),
            Standards = ratings.Select(r => r.StandardId).ToArray(),
            Ratings = ratings.Select(r => r.Rating.ToDb()).ToArray(),
            Evidence = ratings.Select(r => (r.Evidence ?? "").Trim()).ToArray(),
            Actions = ratings.Select(r => (r.Actions ?? "").Trim()).ToArray(),
        }, tx, cancellationToken: ct));
        if (changed != ratings.Count + 1)
            return Result<long>.Fail("Ratings", "A rating was given for a standard that is not in this cycle's framework.");
        await ChangeLog.WriteAsync(conn, tx, actor, "self_assessment", draft.Id, "update",
            $"Saved the draft self-assessment of agency {agencyId} in cycle {cycleId} ({ratings.Count} standards)", null,
            new { cycleId, agencyId, Ratings = ratings.Select(r => new { r.StandardId, Rating = r.Rating.ToDb() }) }, ct);
        return Result<long>.Ok(draft.Id);
    }

    /// <summary>The body of <see cref="SubmitAsync"/> in the caller's transaction.</summary>
    internal static async Task<Result<long>> SubmitInAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int cycleId, int agencyId, SignOff signOff, CancellationToken ct)
    {
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from assessment_cycle where partnership_id = @PartnershipId and id = @cycleId and closed_at is not null)",
                new { actor.PartnershipId, cycleId }, tx, cancellationToken: ct)))
            return Result<long>.Fail("CycleId", "This cycle is closed.");
        var draftId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select id from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status = 'draft' for update
            """, new { actor.PartnershipId, cycleId, agencyId }, tx, cancellationToken: ct));
        if (draftId is not { } id)
            return Result<long>.Fail("CycleId", "There is no draft to submit: save the self-assessment first.");
        var unrated = (await conn.QueryAsync<string>(new CommandDefinition("""
            select s.code from self_assessment_rating r
            join framework_standard s on s.partnership_id = r.partnership_id and s.id = r.standard_id
            where r.partnership_id = @PartnershipId and r.submission_id = @id and r.rating is null order by s.position
            """, new { actor.PartnershipId, id }, tx, cancellationToken: ct))).ToList();
        if (unrated.Count > 0)
            return Result<long>.Fail("Ratings", $"Rate every standard before submitting: {string.Join(", ", unrated)} not rated yet.");
        // Supersede the current version, then make the draft current: two statements, in order, in one round trip.
        await conn.ExecuteAsync(new CommandDefinition("""
            update self_assessment set status = 'superseded' where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status = 'submitted';
            update self_assessment set status = 'submitted', sign_off_name = @Name, sign_off_role = @Role, signed_off_on = @Date,
                submitted_by = @UserId, submitted_at = now(), updated_by = @UserId, updated_at = now()
            where partnership_id = @PartnershipId and id = @id
            """, new { actor.PartnershipId, cycleId, agencyId, id, Name = signOff.Name.Trim(), Role = signOff.Role.Trim(), signOff.Date, UserId = AuditCommands.UserOrNull(actor) }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "self_assessment", id, "update",
            $"Submitted the self-assessment of agency {agencyId} in cycle {cycleId}, signed off by {signOff.Name.Trim()} ({signOff.Role.Trim()})",
            new { Status = DbEnum.ToDb(SubmissionStatus.Draft) }, new { Status = DbEnum.ToDb(SubmissionStatus.Submitted), SignOff = signOff.Name.Trim(), signOff.Role, signOff.Date }, ct);
        return Result<long>.Ok(id);
    }

    /// <summary>The agency's draft in the cycle, created if there is none (copying the current submitted version's
    /// ratings and evidence, or one empty rating per standard).</summary>
    private static async Task<(long Id, string? Problem)> DraftAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int cycleId, int agencyId, CancellationToken ct)
    {
        var scope = await conn.QuerySingleOrDefaultAsync<(int FrameworkId, bool InScope, bool Closed)?>(new CommandDefinition("""
            select c.framework_id,
                   exists (select 1 from cycle_agency ca where ca.partnership_id = c.partnership_id and ca.cycle_id = c.id and ca.agency_id = @agencyId) as in_scope,
                   c.closed_at is not null as closed
            from assessment_cycle c where c.partnership_id = @PartnershipId and c.id = @cycleId
            """, new { actor.PartnershipId, cycleId, agencyId }, tx, cancellationToken: ct));
        if (scope is not { } s)
            return (0, "That cycle does not exist.");
        if (!s.InScope)
            return (0, "That agency is not in this cycle.");
        if (s.Closed)
            return (0, "This cycle is closed.");
        // One draft per agency and cycle: take a lock so two tabs saving at once do not both create one.
        await conn.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtext(concat_ws(':', 'self_assessment', @PartnershipId, @cycleId, @agencyId)))",
            new { actor.PartnershipId, cycleId, agencyId }, tx, cancellationToken: ct));
        var existing = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status = 'draft'",
            new { actor.PartnershipId, cycleId, agencyId }, tx, cancellationToken: ct));
        if (existing is { } id)
            return (id, null);
        var current = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status = 'submitted'",
            new { actor.PartnershipId, cycleId, agencyId }, tx, cancellationToken: ct));
        var newId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into self_assessment (partnership_id, cycle_id, framework_id, agency_id, version, status, updated_by)
            values (@PartnershipId, @cycleId, @FrameworkId, @agencyId,
                    (select coalesce(max(version), 0) + 1 from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId),
                    'draft', @UserId)
            returning id
            """, new { actor.PartnershipId, cycleId, s.FrameworkId, agencyId, UserId = AuditCommands.UserOrNull(actor) }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into self_assessment_rating (partnership_id, submission_id, framework_id, standard_id, rating, evidence, actions)
            select st.partnership_id, @newId, st.framework_id, st.id, r.rating, coalesce(r.evidence, ''), coalesce(r.actions, '')
            from framework_standard st
            left join self_assessment_rating r on r.partnership_id = st.partnership_id and r.submission_id = @current and r.standard_id = st.id
            where st.partnership_id = @PartnershipId and st.framework_id = @FrameworkId;
            insert into evidence_file (partnership_id, submission_id, standard_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by, uploaded_at)
            select partnership_id, @newId, standard_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by, uploaded_at
            from evidence_file where partnership_id = @PartnershipId and submission_id = @current;
            """, new { actor.PartnershipId, newId, current, s.FrameworkId }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "self_assessment", newId, "create",
            $"Started a draft self-assessment for agency {agencyId} in cycle {cycleId}" + (current is null ? "" : $" from submitted version {current}"), null, new { cycleId, agencyId }, ct);
        return (newId, null);
    }
}
