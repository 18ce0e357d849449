using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>An audit in the annual programme.</summary>
public sealed record AuditListItem(
    int Id, string Title, AuditType AuditType, string Theme, string? PriorityCode, int LeadAgencyId, string LeadAgency,
    string LeadPerson, int PlannedFiscalYear, int PlannedQuarter, DateOnly? FieldworkStart, DateOnly? FieldworkEnd,
    DateOnly? ReportDate, AuditStatus Status, int Cases, int Findings);

public sealed record AuditQuestionRow(int Id, int Position, string Text);

public sealed record AuditCaseRow(int Id, string CaseReference, int[] AgencyIds);

/// <summary>One agency's grading of one case. <see cref="Status"/> is Draft or Submitted.</summary>
public sealed record GradingRow(
    int CaseId, int AgencyId, Grade? OverallGrade, YesPartlyNo? VoiceEvident, string Strengths, string AreasForDevelopment, SubmissionStatus Status);

public sealed record QuestionGradeRow(int CaseId, int AgencyId, int QuestionId, Grade Grade);

public sealed record CaseModerationRow(int CaseId, Grade Grade, YesPartlyNo VoiceEvident, string Note);

public sealed record FindingRow(int Id, FindingType FindingType, string Statement, int Position, int[] AgencyIds, int[] QuestionIds);

/// <summary>An audit's statistics over the submitted gradings the viewer may see.</summary>
/// <param name="ByQuestion">Grade distribution per question id.</param>
/// <param name="ByAgency">Distribution of overall grades per agency id.</param>
/// <param name="Agreement">Agency overall grades against the moderated grade of the same case.</param>
/// <param name="ModeratedVoiceShareYes">Share of moderated cases where the panel found the child's voice evident.</param>
public sealed record AuditStatistics(
    GradeDistribution Overall,
    IReadOnlyDictionary<int, GradeDistribution> ByQuestion,
    IReadOnlyDictionary<int, GradeDistribution> ByAgency,
    GradeDistribution Moderated,
    Agreement Agreement,
    IReadOnlyDictionary<int, Agreement> AgreementByAgency,
    double? ModeratedVoiceShareYes);

public sealed record AuditView(
    AuditListItem Audit,
    IReadOnlyList<AuditQuestionRow> Questions,
    IReadOnlyList<AuditCaseRow> Cases,
    IReadOnlyList<GradingRow> Gradings,
    IReadOnlyList<QuestionGradeRow> QuestionGrades,
    IReadOnlyList<CaseModerationRow> Moderations,
    IReadOnlyList<FindingRow> Findings,
    AuditStatistics Statistics);

/// <summary>
/// Reads audits. Everyone signed in sees the programme. In one audit an agency user sees their own agency's gradings
/// (drafts too) and other agencies' submitted gradings of a case only once the panel has moderated it; admins, QA members
/// and executives see every grading. Statistics count submitted gradings only.
/// </summary>
public sealed class AuditQueries(NpgsqlDataSource dataSource)
{
    private const string ListSql = """
        select a.id, a.title, a.audit_type, a.theme, p.code as priority_code, a.lead_agency_id, ag.short_name as lead_agency, a.lead_person,
               a.planned_fiscal_year, a.planned_quarter::int as planned_quarter, a.fieldwork_start, a.fieldwork_end, a.report_date, a.status,
               (select count(*)::int from audit_case c where c.partnership_id = a.partnership_id and c.audit_id = a.id) as cases,
               (select count(*)::int from audit_finding f where f.partnership_id = a.partnership_id and f.audit_id = a.id and f.withdrawn_at is null) as findings
        from audit a
        join agency ag on ag.partnership_id = a.partnership_id and ag.id = a.lead_agency_id
        left join priority p on p.partnership_id = a.partnership_id and p.id = a.priority_id
        where a.partnership_id = @PartnershipId
        """;

    /// <summary>The audits planned in a financial year (2024 = 2024/25), by quarter; every year when null.</summary>
    public async Task<IReadOnlyList<AuditListItem>> ProgrammeAsync(Actor actor, int? fiscalYear, CancellationToken ct)
    {
        const string sql = ListSql + """

              and (@fiscalYear::int is null or a.planned_fiscal_year = @fiscalYear)
            order by a.planned_fiscal_year, a.planned_quarter, a.title
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AuditListItem>(new CommandDefinition(sql, new { actor.PartnershipId, fiscalYear }, cancellationToken: ct))).ToList();
    }

    /// <summary>One audit with what the viewer may see of it, or null when there is no such audit in their partnership.</summary>
    public async Task<AuditView?> AuditAsync(Actor actor, int auditId, CancellationToken ct)
    {
        const string sql = ListSql + """

              and a.id = @auditId;
            select id, position::int as position, text from audit_question where partnership_id = @PartnershipId and audit_id = @auditId order by position;
            select c.id, c.case_reference,
                   array(select ca.agency_id from audit_case_agency ca where ca.partnership_id = c.partnership_id and ca.case_id = c.id order by ca.agency_id) as agency_ids
            from audit_case c where c.partnership_id = @PartnershipId and c.audit_id = @auditId order by c.case_reference;
            select g.case_id, g.agency_id, g.overall_grade, g.voice_evident, g.strengths, g.areas_for_development, g.status
            from audit_grading g
            where g.partnership_id = @PartnershipId and g.audit_id = @auditId
              and (@SeesAll or g.agency_id = @AgencyId
                   or (g.status = 'submitted' and exists (select 1 from audit_moderation m where m.partnership_id = g.partnership_id and m.case_id = g.case_id)))
            order by g.case_id, g.agency_id;
            select qg.case_id, qg.agency_id, qg.question_id, qg.grade
            from audit_question_grade qg
            join audit_grading g on g.partnership_id = qg.partnership_id and g.case_id = qg.case_id and g.agency_id = qg.agency_id
            where qg.partnership_id = @PartnershipId and qg.audit_id = @auditId
              and (@SeesAll or g.agency_id = @AgencyId
                   or (g.status = 'submitted' and exists (select 1 from audit_moderation m where m.partnership_id = g.partnership_id and m.case_id = g.case_id)))
            order by qg.case_id, qg.agency_id, qg.question_id;
            select case_id, grade, voice_evident, note from audit_moderation where partnership_id = @PartnershipId and audit_id = @auditId order by case_id;
            select f.id, f.finding_type, f.statement, f.position::int as position,
                   array(select fa.agency_id from audit_finding_agency fa where fa.partnership_id = f.partnership_id and fa.finding_id = f.id order by fa.agency_id) as agency_ids,
                   array(select fq.question_id from audit_finding_question fq where fq.partnership_id = f.partnership_id and fq.finding_id = f.id order by fq.question_id) as question_ids
            from audit_finding f where f.partnership_id = @PartnershipId and f.audit_id = @auditId and f.withdrawn_at is null order by f.position;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            actor.PartnershipId, auditId, SeesAll = AssuranceAccess.SeesAll(actor), AgencyId = actor.AgencyId ?? 0,
        }, cancellationToken: ct));
        var audit = await multi.ReadSingleOrDefaultAsync<AuditListItem>();
        if (audit is null)
            return null;
        var questions = (await multi.ReadAsync<AuditQuestionRow>()).ToList();
        var cases = (await multi.ReadAsync<CaseRaw>()).Select(c => new AuditCaseRow(c.Id, c.CaseReference, c.AgencyIds)).ToList();
        var gradings = (await multi.ReadAsync<GradingRow>()).ToList();
        var questionGrades = (await multi.ReadAsync<QuestionGradeRow>()).ToList();
        var moderations = (await multi.ReadAsync<CaseModerationRow>()).ToList();
        var findings = (await multi.ReadAsync<FindingRaw>())
            .Select(f => new FindingRow(f.Id, DbEnum.Parse<FindingType>(f.FindingType), f.Statement, f.Position, f.AgencyIds, f.QuestionIds)).ToList();
        return new AuditView(audit, questions, cases, gradings, questionGrades, moderations, findings,
            Statistics(gradings, questionGrades, moderations));
    }

    /// <summary>The statistics of an audit from its rows (pure; submitted gradings only).</summary>
    public static AuditStatistics Statistics(
        IReadOnlyList<GradingRow> gradings, IReadOnlyList<QuestionGradeRow> questionGrades, IReadOnlyList<CaseModerationRow> moderations)
    {
        var submitted = gradings.Where(g => g.Status == SubmissionStatus.Submitted && g.OverallGrade is not null).ToList();
        var submittedKeys = submitted.Select(g => (g.CaseId, g.AgencyId)).ToHashSet();
        var moderated = moderations.ToDictionary(m => m.CaseId);
        var pairs = submitted.Where(g => moderated.ContainsKey(g.CaseId))
            .Select(g => (g.AgencyId, Pair: (Agency: g.OverallGrade!.Value, Moderated: moderated[g.CaseId].Grade)))
            .ToList();
        return new AuditStatistics(
            AssuranceStatistics.Distribution(submitted.Select(g => g.OverallGrade!.Value)),
            AssuranceStatistics.DistributionBy(questionGrades.Where(q => submittedKeys.Contains((q.CaseId, q.AgencyId))).Select(q => (q.QuestionId, q.Grade))),
            AssuranceStatistics.DistributionBy(submitted.Select(g => (g.AgencyId, g.OverallGrade!.Value))),
            AssuranceStatistics.Distribution(moderations.Select(m => m.Grade)),
            AssuranceStatistics.Agreement(pairs.Select(p => p.Pair).ToList()),
            pairs.GroupBy(p => p.AgencyId).ToDictionary(g => g.Key, g => AssuranceStatistics.Agreement(g.Select(p => p.Pair).ToList())),
            AssuranceStatistics.ShareYes(moderations.Select(m => m.VoiceEvident)));
    }

    /// <summary>Across every audit: each agency's submitted overall grades against the moderated grades (the "who grades
    /// themselves too kindly" view a QA chair looks at first). Admins, QA members and executives only.</summary>
    public async Task<IReadOnlyDictionary<int, Agreement>> AgreementByAgencyAsync(Actor actor, CancellationToken ct)
    {
        if (!AssuranceAccess.SeesAll(actor))
            throw new AccessDeniedException($"{actor.DisplayName} may not compare other agencies' grading.");
        const string sql = """
            select g.agency_id, g.overall_grade as agency_grade, m.grade as moderated_grade
            from audit_grading g
            join audit_moderation m on m.partnership_id = g.partnership_id and m.case_id = g.case_id
            where g.partnership_id = @PartnershipId and g.status = 'submitted'
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(int AgencyId, Grade AgencyGrade, Grade ModeratedGrade)>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct));
        return rows.GroupBy(r => r.AgencyId).ToDictionary(g => g.Key, g => AssuranceStatistics.Agreement(g.Select(r => (r.AgencyGrade, r.ModeratedGrade)).ToList()));
    }

    /// <summary>Across every moderated case of every audit: the share where the panel found the child's voice evident
    /// (yes), for triangulation with Section 11 standard 3.</summary>
    public async Task<(int Cases, double? ShareYes)> ModeratedVoiceAsync(Actor actor, CancellationToken ct)
    {
        const string sql = "select voice_evident from audit_moderation where partnership_id = @PartnershipId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var answers = (await conn.QueryAsync<string>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct)))
            .Select(DbEnum.Parse<YesPartlyNo>).ToList();
        return (answers.Count, AssuranceStatistics.ShareYes(answers));
    }

    // Dapper reports an array column as System.Array, which matches no record constructor; these take it by property.
    private sealed class CaseRaw
    {
        public int Id { get; init; }
        public string CaseReference { get; init; } = "";
        public int[] AgencyIds { get; init; } = [];
    }

    private sealed class FindingRaw
    {
        public int Id { get; init; }
        public string FindingType { get; init; } = "";
        public string Statement { get; init; } = "";
        public int Position { get; init; }
        public int[] AgencyIds { get; init; } = [];
        public int[] QuestionIds { get; init; } = [];
    }
}
