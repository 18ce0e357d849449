using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>A new audit in the programme, with its questions in order.</summary>
public sealed record NewAudit(
    string Title, AuditType Type, string Theme, int? PriorityId, int LeadAgencyId, string LeadPerson,
    int PlannedFiscalYear, int PlannedQuarter, DateOnly? FieldworkStart, DateOnly? FieldworkEnd, DateOnly? ReportDate,
    IReadOnlyList<string> Questions)
{
    /// <summary>Its details, as <see cref="AuditEditCommands.UpdateDetailsAsync"/> edits them later.</summary>
    public AuditDetails Details => new(Title, Type, Theme, PriorityId, LeadAgencyId, LeadPerson, PlannedFiscalYear, PlannedQuarter, FieldworkStart, FieldworkEnd, ReportDate);
}

/// <summary>One agency's grading of one case, as typed so far.</summary>
public sealed record CaseGradingInput(
    int CaseId, int AgencyId, Grade? Overall, YesPartlyNo? VoiceEvident, string Strengths, string AreasForDevelopment,
    IReadOnlyDictionary<int, Grade> QuestionGrades);

/// <summary>
/// Commands of the partnership's multi-agency audits: admins and QA members create and run audits, add cases,
/// moderate and record findings; an agency grades only the cases it worked with, for itself. Every change goes to the
/// change log in the same transaction.
/// </summary>
public sealed class AuditCommands(NpgsqlDataSource dataSource)
{
    public async Task<Result<int>> CreateAuditAsync(Actor actor, NewAudit audit, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        AuditRules.Details(v, audit.Details);
        v.When(audit.Questions.Count is 0 or > AuditRules.MaxQuestions, nameof(audit.Questions), $"An audit needs 1 to {AuditRules.MaxQuestions} questions.");
        for (var i = 0; i < audit.Questions.Count; i++)
            AuditRules.Question(v, $"{nameof(audit.Questions)}[{i}]", audit.Questions[i], $"Question {i + 1}");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);

        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (await AuditRules.CheckLeadAndPriorityAsync(conn, tx, actor, audit.LeadAgencyId, audit.PriorityId, ct) is { } wrong)
                return Result<int>.Fail([wrong]);
            const string insert = """
                insert into audit (partnership_id, title, audit_type, theme, priority_id, lead_agency_id, lead_person,
                    planned_fiscal_year, planned_quarter, fieldwork_start, fieldwork_end, report_date, created_by)
                values (@PartnershipId, @Title, @Type, @Theme, @PriorityId, @LeadAgencyId, @LeadPerson,
                    @PlannedFiscalYear, @PlannedQuarter, @FieldworkStart, @FieldworkEnd, @ReportDate, @CreatedBy)
                returning id
                """;
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insert, new
            {
                actor.PartnershipId, Title = audit.Title.Trim(), Type = audit.Type.ToDb(), Theme = (audit.Theme ?? "").Trim(), audit.PriorityId,
                audit.LeadAgencyId, LeadPerson = audit.LeadPerson.Trim(), audit.PlannedFiscalYear, PlannedQuarter = (short)audit.PlannedQuarter,
                audit.FieldworkStart, audit.FieldworkEnd, audit.ReportDate, CreatedBy = UserOrNull(actor),
            }, tx, cancellationToken: ct));
            const string questions = """
                insert into audit_question (partnership_id, audit_id, position, text)
                select @PartnershipId, @Id, ord, q from unnest(@Questions) with ordinality as t(q, ord)
                """;
            await conn.ExecuteAsync(new CommandDefinition(questions, new
            {
                actor.PartnershipId, Id = id, Questions = audit.Questions.Select(q => q.Trim()).ToArray(),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit", id, "create", $"Planned audit \"{audit.Title.Trim()}\" for {audit.PlannedFiscalYear}/{(audit.PlannedFiscalYear + 1) % 100:00} Q{audit.PlannedQuarter}",
                null, new { audit.Title, Type = audit.Type.ToDb(), audit.LeadAgencyId, audit.LeadPerson, audit.PlannedFiscalYear, audit.PlannedQuarter, audit.Questions }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Moves an audit to another stage (planned, fieldwork, moderation, reported, closed).</summary>
    public async Task<Result<bool>> SetStatusAsync(Actor actor, int auditId, AuditStatus status, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select status from audit where partnership_id = @PartnershipId and id = @auditId for update", new { actor.PartnershipId, auditId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("AuditId", "That audit does not exist.");
            await conn.ExecuteAsync(new CommandDefinition(
                "update audit set status = @Status where partnership_id = @PartnershipId and id = @auditId",
                new { actor.PartnershipId, auditId, Status = status.ToDb() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit", auditId, "update", $"Audit status {before} → {status.ToDb()}",
                new { Status = before }, new { Status = status.ToDb() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Adds a sampled case by its anonymised reference, with the agencies that worked with it.</summary>
    public async Task<Result<int>> AddCaseAsync(Actor actor, int auditId, string caseReference, IReadOnlyCollection<int> agencyIds, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var (reference, problem) = CaseReference.Check(caseReference);
        if (problem is not null)
            return Result<int>.Fail("CaseReference", problem);
        if (agencyIds.Count == 0)
            return Result<int>.Fail("AgencyIds", "Choose the agencies that worked with the case.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (!await AuditExistsAsync(conn, tx, actor, auditId, ct))
                return Result<int>.Fail("AuditId", "That audit does not exist.");
            var known = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "select count(*)::int from agency where partnership_id = @PartnershipId and id = any(@Ids)",
                new { actor.PartnershipId, Ids = agencyIds.Distinct().ToArray() }, tx, cancellationToken: ct));
            if (known != agencyIds.Distinct().Count())
                return Result<int>.Fail("AgencyIds", "Choose agencies of this partnership.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "insert into audit_case (partnership_id, audit_id, case_reference) values (@PartnershipId, @auditId, @reference) returning id",
                new { actor.PartnershipId, auditId, reference }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "insert into audit_case_agency (partnership_id, audit_id, case_id, agency_id) select @PartnershipId, @auditId, @id, unnest(@Ids)",
                new { actor.PartnershipId, auditId, id, Ids = agencyIds.Distinct().ToArray() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_case", id, "create", $"Added case {reference} to audit {auditId}",
                null, new { auditId, CaseReference = reference, AgencyIds = agencyIds }, ct);
            return Result<int>.Ok(id);
        }, e => e.ConstraintName == "audit_case_reference_key" ? new FieldError("CaseReference", "This audit already has a case with that reference.") : null, ct);
    }

    /// <summary>Saves an agency's grading of a case as a draft, as it is typed (nothing lost on a closed tab). A draft
    /// counts for nothing until <see cref="SubmitGradingAsync"/>; saving again after submitting returns it to draft.
    /// Refused once the panel has moderated the case.</summary>
    public async Task<Result<bool>> SaveGradingAsync(Actor actor, CaseGradingInput input, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, input.AgencyId);
        var v = new Validator();
        v.When((input.Strengths ?? "").Length > 4000, nameof(input.Strengths), "Strengths must be at most 4,000 characters.");
        v.When((input.AreasForDevelopment ?? "").Length > 4000, nameof(input.AreasForDevelopment), "Areas for development must be at most 4,000 characters.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var target = await CaseForAgencyAsync(conn, tx, actor, input.CaseId, input.AgencyId, ct);
            if (target.Problem is not null)
                return Result<bool>.Fail("CaseId", target.Problem);
            var questionIds = (await conn.QueryAsync<int>(new CommandDefinition(
                "select id from audit_question where partnership_id = @PartnershipId and audit_id = @AuditId",
                new { actor.PartnershipId, target.AuditId }, tx, cancellationToken: ct))).ToHashSet();
            if (input.QuestionGrades.Keys.Any(q => !questionIds.Contains(q)))
                return Result<bool>.Fail("QuestionGrades", "A grade was given for a question that is not in this audit.");
            const string upsert = """
                insert into audit_grading (partnership_id, audit_id, case_id, agency_id, overall_grade, voice_evident, strengths, areas_for_development, status, updated_by, updated_at)
                values (@PartnershipId, @AuditId, @CaseId, @AgencyId, @Overall, @Voice, @Strengths, @Areas, 'draft', @UserId, now())
                on conflict (partnership_id, case_id, agency_id) do update
                set overall_grade = excluded.overall_grade, voice_evident = excluded.voice_evident, strengths = excluded.strengths,
                    areas_for_development = excluded.areas_for_development, status = 'draft', submitted_at = null,
                    updated_by = excluded.updated_by, updated_at = now()
                """;
            await conn.ExecuteAsync(new CommandDefinition(upsert, new
            {
                actor.PartnershipId, target.AuditId, input.CaseId, input.AgencyId, Overall = input.Overall.ToDb(), Voice = input.VoiceEvident.ToDb(),
                Strengths = (input.Strengths ?? "").Trim(), Areas = (input.AreasForDevelopment ?? "").Trim(), UserId = UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "delete from audit_question_grade where partnership_id = @PartnershipId and case_id = @CaseId and agency_id = @AgencyId",
                new { actor.PartnershipId, input.CaseId, input.AgencyId }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into audit_question_grade (partnership_id, audit_id, case_id, agency_id, question_id, grade)
                select @PartnershipId, @AuditId, @CaseId, @AgencyId, q, g from unnest(@Questions, @Grades) as t(q, g)
                """, new
            {
                actor.PartnershipId, target.AuditId, input.CaseId, input.AgencyId,
                Questions = input.QuestionGrades.Keys.ToArray(), Grades = input.QuestionGrades.Values.Select(g => g.ToDb()).ToArray(),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_grading", $"{input.CaseId}/{input.AgencyId}", "update",
                $"Saved draft grading of case {input.CaseId} for agency {input.AgencyId}", null, new
                {
                    Overall = input.Overall.ToDb(), Voice = input.VoiceEvident.ToDb(),
                    Questions = input.QuestionGrades.ToDictionary(p => p.Key.ToString(), p => p.Value.ToDb()),
                }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Submits an agency's draft grading of a case: it must have an overall grade, a voice answer and a grade for
    /// every question. From then on it counts in the audit's statistics.</summary>
    public async Task<Result<bool>> SubmitGradingAsync(Actor actor, int caseId, int agencyId, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var target = await CaseForAgencyAsync(conn, tx, actor, caseId, agencyId, ct);
            if (target.Problem is not null)
                return Result<bool>.Fail("CaseId", target.Problem);
            const string sql = """
                select g.overall_grade is not null as has_overall, g.voice_evident is not null as has_voice, g.status,
                       (select count(*)::int from audit_question q where q.partnership_id = g.partnership_id and q.audit_id = g.audit_id
                          and not exists (select 1 from audit_question_grade qg where qg.partnership_id = g.partnership_id
                                          and qg.case_id = g.case_id and qg.agency_id = g.agency_id and qg.question_id = q.id)) as ungraded
                from audit_grading g
                where g.partnership_id = @PartnershipId and g.case_id = @caseId and g.agency_id = @agencyId
                for update of g
                """;
            var row = await conn.QuerySingleOrDefaultAsync<(bool HasOverall, bool HasVoice, string Status, int Ungraded)?>(
                new CommandDefinition(sql, new { actor.PartnershipId, caseId, agencyId }, tx, cancellationToken: ct));
            if (row is not { } g)
                return Result<bool>.Fail("CaseId", "There is no grading of this case to submit yet.");
            var v = new Validator();
            v.When(!g.HasOverall, "Overall", "Give an overall grade before submitting.");
            v.When(!g.HasVoice, "VoiceEvident", "Say whether the child's lived experience and voice was evident before submitting.");
            v.When(g.Ungraded > 0, "QuestionGrades", $"Grade every question before submitting ({g.Ungraded} not graded).");
            if (!v.IsValid)
                return Result<bool>.Fail(v.Errors);
            await conn.ExecuteAsync(new CommandDefinition(
                "update audit_grading set status = 'submitted', submitted_at = now(), updated_by = @UserId, updated_at = now() where partnership_id = @PartnershipId and case_id = @caseId and agency_id = @agencyId",
                new { actor.PartnershipId, caseId, agencyId, UserId = UserOrNull(actor) }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_grading", $"{caseId}/{agencyId}", "update",
                $"Submitted the grading of case {caseId} for agency {agencyId}", new { Status = g.Status }, new { Status = DbEnum.ToDb(SubmissionStatus.Submitted) }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The auditors' panel records the moderated grade and voice answer of a case (again to change it).</summary>
    public async Task<Result<bool>> ModerateCaseAsync(Actor actor, int caseId, Grade grade, YesPartlyNo voiceEvident, string note, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        if ((note ?? "").Length > 4000)
            return Result<bool>.Fail("Note", "The note must be at most 4,000 characters.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var auditId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
                "select audit_id from audit_case where partnership_id = @PartnershipId and id = @caseId", new { actor.PartnershipId, caseId }, tx, cancellationToken: ct));
            if (auditId is null)
                return Result<bool>.Fail("CaseId", "That case does not exist.");
            var before = await conn.QuerySingleOrDefaultAsync<(string Grade, string Voice)?>(new CommandDefinition(
                "select grade, voice_evident from audit_moderation where partnership_id = @PartnershipId and case_id = @caseId",
                new { actor.PartnershipId, caseId }, tx, cancellationToken: ct));
            const string upsert = """
                insert into audit_moderation (partnership_id, audit_id, case_id, grade, voice_evident, note, moderated_by)
                values (@PartnershipId, @auditId, @caseId, @Grade, @Voice, @Note, @UserId)
                on conflict (partnership_id, case_id) do update
                set grade = excluded.grade, voice_evident = excluded.voice_evident, note = excluded.note, moderated_by = excluded.moderated_by, moderated_at = now()
                """;
            await conn.ExecuteAsync(new CommandDefinition(upsert, new
            {
                actor.PartnershipId, auditId, caseId, Grade = grade.ToDb(), Voice = voiceEvident.ToDb(), Note = (note ?? "").Trim(), UserId = UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_moderation", caseId, before is null ? "create" : "update",
                $"Moderated case {caseId}: {grade.Label()}, voice {voiceEvident.ToDb()}", before, new { Grade = grade.ToDb(), Voice = voiceEvident.ToDb() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Records a finding of the audit's report. Its id is stable: later action plans refer to it.</summary>
    public async Task<Result<int>> AddFindingAsync(
        Actor actor, int auditId, FindingType type, string statement, IReadOnlyCollection<int> agencyIds, IReadOnlyCollection<int> questionIds, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        AuditRules.Statement(v, statement);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (!await AuditExistsAsync(conn, tx, actor, auditId, ct))
                return Result<int>.Fail("AuditId", "That audit does not exist.");
            var agencies = agencyIds.Distinct().ToArray();
            var questions = questionIds.Distinct().ToArray();
            var (knownAgencies, knownQuestions) = await AuditRules.CountFindingLinksAsync(conn, tx, actor, auditId, agencies, questions, ct);
            if (AuditRules.CheckFindingLinks(knownAgencies, agencies.Length, knownQuestions, questions.Length) is { } wrong)
                return Result<int>.Fail([wrong]);
            const string insert = """
                insert into audit_finding (partnership_id, audit_id, finding_type, statement, position, created_by)
                values (@PartnershipId, @auditId, @Type, @Statement,
                        (select coalesce(max(position), 0) + 1 from audit_finding where partnership_id = @PartnershipId and audit_id = @auditId), @UserId)
                returning id
                """;
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insert, new
            {
                actor.PartnershipId, auditId, Type = type.ToDb(), Statement = statement.Trim(), UserId = UserOrNull(actor),
            }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "insert into audit_finding_agency (partnership_id, finding_id, agency_id) select @PartnershipId, @id, unnest(@agencies)",
                new { actor.PartnershipId, id, agencies }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "insert into audit_finding_question (partnership_id, audit_id, finding_id, question_id) select @PartnershipId, @auditId, @id, unnest(@questions)",
                new { actor.PartnershipId, auditId, id, questions }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_finding", id, "create", $"Finding ({type.ToDb()}) on audit {auditId}",
                null, new { auditId, Type = type.ToDb(), Statement = statement.Trim(), agencies, questions }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Withdraws a finding. It keeps its id (action plans may point at it) and drops out of the report.</summary>
    public async Task<Result<bool>> WithdrawFindingAsync(Actor actor, int findingId, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var changed = await conn.ExecuteAsync(new CommandDefinition(
                "update audit_finding set withdrawn_at = now() where partnership_id = @PartnershipId and id = @findingId and withdrawn_at is null",
                new { actor.PartnershipId, findingId }, tx, cancellationToken: ct));
            if (changed == 0)
                return Result<bool>.Fail("FindingId", "That finding does not exist or is already withdrawn.");
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_finding", findingId, "delete", $"Withdrew finding {findingId}", null, null, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    internal static int? UserOrNull(Actor actor) => actor.UserId == 0 ? null : actor.UserId;

    private static Task<bool> AuditExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int auditId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from audit where partnership_id = @PartnershipId and id = @auditId)", new { actor.PartnershipId, auditId }, tx, cancellationToken: ct));

    /// <summary>The case's audit, if the agency worked with the case and the case is still open to grading.</summary>
    private static async Task<(int AuditId, string? Problem)> CaseForAgencyAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int caseId, int agencyId, CancellationToken ct)
    {
        const string sql = """
            select c.audit_id, exists (select 1 from audit_case_agency ca where ca.partnership_id = c.partnership_id and ca.case_id = c.id and ca.agency_id = @agencyId) as worked,
                   exists (select 1 from audit_moderation m where m.partnership_id = c.partnership_id and m.case_id = c.id) as moderated,
                   a.status
            from audit_case c join audit a on a.partnership_id = c.partnership_id and a.id = c.audit_id
            where c.partnership_id = @PartnershipId and c.id = @caseId
            """;
        var row = await conn.QuerySingleOrDefaultAsync<(int AuditId, bool Worked, bool Moderated, string Status)?>(
            new CommandDefinition(sql, new { actor.PartnershipId, caseId, agencyId }, tx, cancellationToken: ct));
        if (row is not { } r)
            return (0, "That case does not exist.");
        if (!r.Worked)
        {
            // An agency user asking about a case their agency did not work with: an edited id.
            if (actor.Role == Role.AgencyUser)
                throw new AccessDeniedException($"{actor.DisplayName} may only grade cases their agency worked with.");
            return (r.AuditId, "That agency did not work with this case, so it does not grade it.");
        }
        if (r.Moderated)
            return (r.AuditId, "The panel has moderated this case; its gradings can no longer change.");
        if (r.Status is "reported" or "closed")
            return (r.AuditId, "The audit has reported; its gradings can no longer change.");
        return (r.AuditId, null);
    }
}
