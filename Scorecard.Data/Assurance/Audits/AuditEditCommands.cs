using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>An audit's details as edited: everything but its stage (see <see cref="AuditCommands.SetStatusAsync"/>) and questions.</summary>
public sealed record AuditDetails(
    string Title, AuditType Type, string Theme, int? PriorityId, int LeadAgencyId, string LeadPerson,
    int PlannedFiscalYear, int PlannedQuarter, DateOnly? FieldworkStart, DateOnly? FieldworkEnd, DateOnly? ReportDate);

/// <summary>
/// Editing an audit beyond its stage (issue 11 §1): its details, its questions (add; reword or reorder only while no
/// grade rests on them, so a grade always answers the question its grader read), and its findings (edit the statement,
/// type, agencies and questions; the id never changes, since action plans point at it). Admins and QA members only;
/// validated with clear messages; each change in one transaction with its change-log entry (before and after).
/// </summary>
public sealed class AuditEditCommands(NpgsqlDataSource dataSource)
{
    public static IReadOnlyList<FieldError> Validate(AuditDetails d)
    {
        var v = new Validator();
        AuditRules.Details(v, d);
        return v.Errors;
    }

    /// <summary>Changes an audit's details.</summary>
    public async Task<Result<bool>> UpdateDetailsAsync(Actor actor, int auditId, AuditDetails details, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var errors = Validate(details);
        if (errors.Count > 0)
            return Result<bool>.Fail(errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            const string read = """
                select title, audit_type, theme, priority_id, lead_agency_id, lead_person, planned_fiscal_year, planned_quarter::int as planned_quarter,
                       fieldwork_start, fieldwork_end, report_date
                from audit where partnership_id = @PartnershipId and id = @auditId for update
                """;
            var before = await conn.QuerySingleOrDefaultAsync(new CommandDefinition(read, new { actor.PartnershipId, auditId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("AuditId", "That audit does not exist.");
            if (await AuditRules.CheckLeadAndPriorityAsync(conn, tx, actor, details.LeadAgencyId, details.PriorityId, ct) is { } wrong)
                return Result<bool>.Fail([wrong]);
            var after = new
            {
                Title = details.Title.Trim(), Type = details.Type.ToDb(), Theme = (details.Theme ?? "").Trim(), details.PriorityId, details.LeadAgencyId,
                LeadPerson = details.LeadPerson.Trim(), details.PlannedFiscalYear, PlannedQuarter = (short)details.PlannedQuarter,
                details.FieldworkStart, details.FieldworkEnd, details.ReportDate,
            };
            await conn.ExecuteAsync(new CommandDefinition("""
                update audit set title = @Title, audit_type = @Type, theme = @Theme, priority_id = @PriorityId, lead_agency_id = @LeadAgencyId,
                    lead_person = @LeadPerson, planned_fiscal_year = @PlannedFiscalYear, planned_quarter = @PlannedQuarter,
                    fieldwork_start = @FieldworkStart, fieldwork_end = @FieldworkEnd, report_date = @ReportDate
                where partnership_id = @PartnershipId and id = @auditId
                """, new
            {
                actor.PartnershipId, auditId, after.Title, after.Type, after.Theme, after.PriorityId, after.LeadAgencyId, after.LeadPerson,
                after.PlannedFiscalYear, after.PlannedQuarter, after.FieldworkStart, after.FieldworkEnd, after.ReportDate,
            }, tx, cancellationToken: ct));
            var b = (IDictionary<string, object?>)before;
            await ChangeLog.WriteAsync(conn, tx, actor, "audit", auditId, "update", $"Edited the details of audit \"{after.Title}\"",
                new Dictionary<string, object?>(b), after, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Adds a question at the end of the audit's list.</summary>
    public async Task<Result<int>> AddQuestionAsync(Actor actor, int auditId, string text, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        AuditRules.Question(v, "Text", text, "Question");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var count = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                select (select count(*)::int from audit_question q where q.partnership_id = a.partnership_id and q.audit_id = a.id)
                from audit a where a.partnership_id = @PartnershipId and a.id = @auditId for update
                """, new { actor.PartnershipId, auditId }, tx, cancellationToken: ct));
            if (count is not { } n)
                return Result<int>.Fail("AuditId", "That audit does not exist.");
            if (n >= AuditRules.MaxQuestions)
                return Result<int>.Fail("Text", $"An audit has at most {AuditRules.MaxQuestions} questions.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "insert into audit_question (partnership_id, audit_id, position, text) values (@PartnershipId, @auditId, @position, @text) returning id",
                new { actor.PartnershipId, auditId, position = (short)(n + 1), text = text.Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_question", id, "create", $"Added question {n + 1} to audit {auditId}",
                null, new { auditId, Position = n + 1, Text = text.Trim() }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Rewords a question, while no grade rests on it.</summary>
    public async Task<Result<bool>> RewordQuestionAsync(Actor actor, int questionId, string text, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        AuditRules.Question(v, "Text", text, "Question");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var row = await conn.QuerySingleOrDefaultAsync<(int AuditId, string Text, bool Graded)?>(new CommandDefinition("""
                select q.audit_id, q.text,
                       exists (select 1 from audit_question_grade g where g.partnership_id = q.partnership_id and g.audit_id = q.audit_id and g.question_id = q.id) as graded
                from audit_question q where q.partnership_id = @PartnershipId and q.id = @questionId for update
                """, new { actor.PartnershipId, questionId }, tx, cancellationToken: ct));
            if (row is not { } r)
                return Result<bool>.Fail("QuestionId", "That question does not exist.");
            if (r.Graded)
                return Result<bool>.Fail("Text", "Agencies have already graded against this question, so its wording can no longer change: add a new question instead.");
            await conn.ExecuteAsync(new CommandDefinition("update audit_question set text = @text where partnership_id = @PartnershipId and id = @questionId",
                new { actor.PartnershipId, questionId, text = text.Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_question", questionId, "update", $"Reworded a question of audit {r.AuditId}",
                new { r.Text }, new { Text = text.Trim() }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Puts the audit's questions in a new order (every question once), while no grade rests on any of them.</summary>
    public async Task<Result<bool>> ReorderQuestionsAsync(Actor actor, int auditId, IReadOnlyList<int> questionIds, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            const string read = """
                select id from audit where partnership_id = @PartnershipId and id = @auditId for update;
                select id from audit_question where partnership_id = @PartnershipId and audit_id = @auditId order by position;
                select exists (select 1 from audit_question_grade where partnership_id = @PartnershipId and audit_id = @auditId);
                """;
            int? audit;
            List<int> current;
            bool graded;
            await using (var multi = await conn.QueryMultipleAsync(new CommandDefinition(read, new { actor.PartnershipId, auditId }, tx, cancellationToken: ct)))
            {
                audit = await multi.ReadSingleOrDefaultAsync<int?>();
                current = (await multi.ReadAsync<int>()).ToList();
                graded = await multi.ReadSingleAsync<bool>();
            }
            if (audit is null)
                return Result<bool>.Fail("AuditId", "That audit does not exist.");
            if (questionIds.Count != current.Count || questionIds.Distinct().Count() != current.Count || !questionIds.All(current.Contains))
                return Result<bool>.Fail("QuestionIds", "Give every question of this audit once, in the new order.");
            if (graded)
                return Result<bool>.Fail("QuestionIds", "Agencies have already graded against these questions, so their order can no longer change.");
            // The position key is deferrable: swap positions inside the transaction and check it at the end.
            await conn.ExecuteAsync(new CommandDefinition("""
                set constraints audit_question_position_key deferred;
                update audit_question q set position = t.ord
                from unnest(@ids) with ordinality as t(id, ord)
                where q.partnership_id = @PartnershipId and q.audit_id = @auditId and q.id = t.id;
                set constraints audit_question_position_key immediate;
                """, new { actor.PartnershipId, auditId, ids = questionIds.ToArray() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit", auditId, "update", $"Reordered the questions of audit {auditId}",
                new { Questions = current }, new { Questions = questionIds }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>Edits a finding in place: its id stays, so the action plans hung on it still point at it.</summary>
    public async Task<Result<bool>> UpdateFindingAsync(
        Actor actor, int findingId, FindingType type, string statement, IReadOnlyCollection<int> agencyIds, IReadOnlyCollection<int> questionIds, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        AuditRules.Statement(v, statement);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        var agencies = agencyIds.Distinct().ToArray();
        var questions = questionIds.Distinct().ToArray();
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            const string read = """
                select f.audit_id, f.finding_type, f.statement, f.withdrawn_at is not null as withdrawn,
                       array(select agency_id from audit_finding_agency a where a.partnership_id = f.partnership_id and a.finding_id = f.id order by agency_id) as agencies,
                       array(select question_id from audit_finding_question q where q.partnership_id = f.partnership_id and q.finding_id = f.id order by question_id) as questions,
                       (select count(*)::int from agency where partnership_id = f.partnership_id and id = any(@agencies)) as known_agencies,
                       (select count(*)::int from audit_question where partnership_id = f.partnership_id and audit_id = f.audit_id and id = any(@questions)) as known_questions
                from audit_finding f where f.partnership_id = @PartnershipId and f.id = @findingId for update of f
                """;
            var row = await conn.QuerySingleOrDefaultAsync<FindingState>(new CommandDefinition(read,
                new { actor.PartnershipId, findingId, agencies, questions }, tx, cancellationToken: ct));
            if (row is null)
                return Result<bool>.Fail("FindingId", "That finding does not exist.");
            if (row.Withdrawn)
                return Result<bool>.Fail("FindingId", "That finding has been withdrawn; it can no longer change.");
            if (AuditRules.CheckFindingLinks(row.KnownAgencies, agencies.Length, row.KnownQuestions, questions.Length) is { } wrong)
                return Result<bool>.Fail([wrong]);
            await conn.ExecuteAsync(new CommandDefinition("""
                update audit_finding set finding_type = @Type, statement = @Statement where partnership_id = @PartnershipId and id = @findingId;
                delete from audit_finding_agency where partnership_id = @PartnershipId and finding_id = @findingId;
                insert into audit_finding_agency (partnership_id, finding_id, agency_id) select @PartnershipId, @findingId, unnest(@agencies);
                delete from audit_finding_question where partnership_id = @PartnershipId and finding_id = @findingId;
                insert into audit_finding_question (partnership_id, audit_id, finding_id, question_id) select @PartnershipId, @AuditId, @findingId, unnest(@questions);
                """, new { actor.PartnershipId, findingId, row.AuditId, Type = type.ToDb(), Statement = statement.Trim(), agencies, questions }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "audit_finding", findingId, "update", $"Edited finding {findingId} of audit {row.AuditId}",
                new { Type = row.FindingType, row.Statement, Agencies = row.Agencies, Questions = row.Questions },
                new { Type = type.ToDb(), Statement = statement.Trim(), Agencies = agencies, Questions = questions }, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    private sealed class FindingState
    {
        public int AuditId { get; init; }
        public string FindingType { get; init; } = "";
        public string Statement { get; init; } = "";
        public bool Withdrawn { get; init; }
        public int[] Agencies { get; init; } = [];
        public int[] Questions { get; init; } = [];
        public int KnownAgencies { get; init; }
        public int KnownQuestions { get; init; }
    }
}
