using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Performance;

namespace Scorecard.Data.Triangulation;

/// <summary>
/// Reads themes with their linked evidence and judges them (issue 12 §2). Every signed-in role reads the matrix (agency
/// users too: voice and audit results for the partnership), with disclosure applied per viewer by
/// <see cref="TriangulationEngine"/>. The data lens reads the shared scorecard read model, never the values table.
/// </summary>
public sealed class TriangulationQueries(NpgsqlDataSource dataSource, ScorecardReadModel readModel)
{
    /// <summary>Every linked evidence row of the active themes (public for the bench's raw-reader floor of the same rows).</summary>
    public const string EvidenceSql = """
        select t.id, t.title, t.description, t.priority_id, p.code as priority_code, p.title as priority_title, p.sort_order as priority_sort_order,
               t.rules::text as rules, t.sort_order, t.active
        from triangulation_theme t
        join priority p on p.partnership_id = t.partnership_id and p.id = t.priority_id
        where t.partnership_id = @PartnershipId and t.active and (@ThemeId::int is null or t.id = @ThemeId)
        order by p.sort_order, t.sort_order, t.title;

        select l.id, l.theme_id, l.kind, l.measure_id, l.audit_question_id, l.summary_topic, l.standard_id, l.voice_question_id,
               coalesce(m.code || ' ' || m.title, a.title || ': ' || aq.text, 'Single-agency audits: ' || l.summary_topic,
                        fs.code || ' ' || fs.title, va.title || ': ' || vq.wording) as label
        from triangulation_link l
        join triangulation_theme t on t.partnership_id = l.partnership_id and t.id = l.theme_id and t.active
        left join measure m on m.partnership_id = l.partnership_id and m.id = l.measure_id
        left join audit_question aq on aq.partnership_id = l.partnership_id and aq.id = l.audit_question_id
        left join audit a on a.partnership_id = aq.partnership_id and a.id = aq.audit_id
        left join framework_standard fs on fs.partnership_id = l.partnership_id and fs.id = l.standard_id
        left join voice_question vq on vq.partnership_id = l.partnership_id and vq.id = l.voice_question_id
        left join voice_activity va on va.partnership_id = vq.partnership_id and va.id = vq.activity_id
        where l.partnership_id = @PartnershipId and (@ThemeId::int is null or l.theme_id = @ThemeId)
        order by l.theme_id, l.kind, l.id;

        select l.theme_id, a.id as audit_id, a.title as audit_title, q.id as question_id, q.text as question_text,
               coalesce(a.fieldwork_end, a.report_date) as dated, qg.grade, count(*)::int as count
        from triangulation_link l
        join triangulation_theme t on t.partnership_id = l.partnership_id and t.id = l.theme_id and t.active
        join audit_question q on q.partnership_id = l.partnership_id and q.id = l.audit_question_id
        join audit a on a.partnership_id = q.partnership_id and a.id = q.audit_id
        join audit_question_grade qg on qg.partnership_id = q.partnership_id and qg.audit_id = q.audit_id and qg.question_id = q.id
        join audit_grading g on g.partnership_id = qg.partnership_id and g.case_id = qg.case_id and g.agency_id = qg.agency_id and g.status = 'submitted'
        where l.partnership_id = @PartnershipId and l.kind = 'audit_question' and (@ThemeId::int is null or l.theme_id = @ThemeId)
          and coalesce(a.fieldwork_end, a.report_date) is not null
        group by l.theme_id, a.id, a.title, q.id, q.text, coalesce(a.fieldwork_end, a.report_date), qg.grade;

        select l.theme_id, s.agency_id, ag.name as agency_name, rp.end_date as period_end, rp.fiscal_year, rp.quarter::int as quarter, s.topic,
               s.graded_outstanding + s.graded_good as good, s.cases_audited as cases
        from triangulation_link l
        join triangulation_theme t on t.partnership_id = l.partnership_id and t.id = l.theme_id and t.active
        join audit_summary_return s on s.partnership_id = l.partnership_id and s.topic = l.summary_topic and s.status = 'accepted'
        join reporting_period rp on rp.partnership_id = s.partnership_id and rp.id = s.period_id
        join agency ag on ag.partnership_id = s.partnership_id and ag.id = s.agency_id
        where l.partnership_id = @PartnershipId and l.kind = 'summary_topic' and (@ThemeId::int is null or l.theme_id = @ThemeId);

        select theme_id, standard_id, code, title, cycle_id, cycle_name, deadline, rating, count(*)::int as count
        from (
            select l.theme_id, fs.id as standard_id, fs.code, fs.title, c.id as cycle_id, c.name as cycle_name, c.deadline,
                   case when m.outcome = 'moderated' then m.moderated_rating else r.rating end as rating
            from triangulation_link l
            join triangulation_theme t on t.partnership_id = l.partnership_id and t.id = l.theme_id and t.active
            join framework_standard fs on fs.partnership_id = l.partnership_id and fs.id = l.standard_id
            join assessment_cycle c on c.partnership_id = fs.partnership_id and c.framework_id = fs.framework_id
            join self_assessment sa on sa.partnership_id = c.partnership_id and sa.cycle_id = c.id and sa.status = 'submitted'
            join self_assessment_rating r on r.partnership_id = sa.partnership_id and r.submission_id = sa.id and r.standard_id = fs.id
            left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
            where l.partnership_id = @PartnershipId and l.kind = 'standard' and (@ThemeId::int is null or l.theme_id = @ThemeId) and r.rating is not null
        ) x
        group by theme_id, standard_id, code, title, cycle_id, cycle_name, deadline, rating;

        select l.theme_id, l.voice_question_id as linked_question_id, a.id as activity_id, a.title as activity_title, a.respondent_group,
               a.agency_id, a.respondents, a.period_end, a.wave::int as wave, q.id as question_id, q.wording, q.scale, q.counts
        from triangulation_link l
        join triangulation_theme t on t.partnership_id = l.partnership_id and t.id = l.theme_id and t.active
        join voice_question lq on lq.partnership_id = l.partnership_id and lq.id = l.voice_question_id
        join voice_activity la on la.partnership_id = lq.partnership_id and la.id = lq.activity_id
        join voice_activity a on a.partnership_id = la.partnership_id and (a.id = la.id or a.series_key = la.series_key)
        join voice_question q on q.partnership_id = a.partnership_id and q.activity_id = a.id and q.question_key = lq.question_key and q.scale = lq.scale
        where l.partnership_id = @PartnershipId and l.kind = 'voice_question' and (@ThemeId::int is null or l.theme_id = @ThemeId);
        """;

    /// <summary>Every linked evidence row of the partnership's active themes (or one theme), whatever its date.</summary>
    public async Task<TriangulationEvidence> LoadEvidenceAsync(int partnershipId, int? themeId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(EvidenceSql, new { PartnershipId = partnershipId, ThemeId = themeId }, cancellationToken: ct));
        var themes = (await multi.ReadAsync<ThemeRow>()).ToList();
        var links = (await multi.ReadAsync<LinkRow>()).ToList();
        var audits = (await multi.ReadAsync<AuditGradeEvidence>()).ToList();
        var summaries = (await multi.ReadAsync<SummaryEvidence>()).ToList();
        var standards = (await multi.ReadAsync<StandardEvidence>()).ToList();
        var voice = (await multi.ReadAsync<VoiceEvidence>()).ToList();
        return new TriangulationEvidence(themes, links, audits, summaries, standards, voice);
    }

    /// <summary>The themes' judgements, latest meeting first (public for the bench's floor).</summary>
    public const string JudgementSql = """
        select j.id, j.theme_id, j.meeting_date, j.computed_verdict, j.computed_side, j.override_verdict, j.override_side, j.rationale,
               coalesce(u.display_name, 'System') as recorded_by_name, j.recorded_at
        from triangulation_judgement j
        left join app_user u on u.partnership_id = j.partnership_id and u.id = j.recorded_by
        where j.partnership_id = @PartnershipId and (@ThemeId::int is null or j.theme_id = @ThemeId)
        order by j.theme_id, j.meeting_date desc
        """;

    private async Task<List<JudgementRecord>> JudgementsAsync(int partnershipId, int? themeId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<JudgementRecord>(new CommandDefinition(JudgementSql, new { PartnershipId = partnershipId, ThemeId = themeId }, cancellationToken: ct))).ToList();
    }

    /// <summary>The as-at date the matrix opens on: the end of the scorecard's current quarter (the quarter the scorecard
    /// opens on), so the matrix sits beside the scorecard the subgroup is looking at; today when there are no quarters.</summary>
    public static DateOnly DefaultAsAt(ScorecardSnapshot snapshot) => snapshot.SelectPeriod(null)?.EndDate ?? snapshot.Today;

    /// <summary>The scorecard lines the viewer sees at the quarter ending on or before <paramref name="asAt"/>, by measure id.</summary>
    public static IReadOnlyDictionary<int, ScorecardLine> DataLines(ScorecardSnapshot snapshot, Actor viewer, DateOnly asAt, bool forExport = false)
    {
        var period = snapshot.Data.Periods.Where(p => p.EndDate <= asAt).MaxBy(p => p.EndDate);
        if (period is null)
            return new Dictionary<int, ScorecardLine>();
        return ScorecardViewBuilder.Build(snapshot, viewer, ScorecardScope.Partnership, period.Key, forExport).Lines.ToDictionary(l => l.Measure.Id);
    }

    /// <summary>The matrix: every active theme judged as at <paramref name="asAt"/> (default: <see cref="DefaultAsAt"/>),
    /// optionally one priority's themes, contested first, then by the urgency of the verdict.</summary>
    public async Task<TriangulationMatrix> MatrixAsync(Actor actor, string? priorityCode, DateOnly? asAt, CancellationToken ct, bool forExport = false)
    {
        // The evidence and judgements are read while the scorecard's snapshot is fetched (each on its own connection).
        var snapshotTask = readModel.GetAsync(actor.PartnershipId, ct);
        var evidenceTask = LoadEvidenceAsync(actor.PartnershipId, null, ct);
        var judgementsTask = JudgementsAsync(actor.PartnershipId, null, ct);
        await Task.WhenAll(snapshotTask, evidenceTask, judgementsTask);
        var (snapshot, evidence) = (snapshotTask.Result, evidenceTask.Result);
        var judgements = judgementsTask.Result.ToLookup(j => j.ThemeId);
        var date = asAt ?? DefaultAsAt(snapshot);
        var lines = DataLines(snapshot, actor, date, forExport);
        var rows = evidence.Themes
            .Where(t => string.IsNullOrEmpty(priorityCode) || t.PriorityCode == priorityCode)
            .Select(t => TriangulationEngine.Assess(t, evidence, lines, actor, date, judgements[t.Id].FirstOrDefault(), forExport))
            .OrderBy(a => TriangulationRules.Urgency(a.Verdict)).ThenBy(a => a.Theme.PrioritySortOrder).ThenBy(a => a.Theme.SortOrder).ThenBy(a => a.Theme.Title)
            .ToList();
        var priorities = evidence.Themes.Select(t => (t.PriorityCode, t.PriorityTitle)).Distinct().ToList();
        return new TriangulationMatrix(date, rows, priorities);
    }

    /// <summary>One theme: now, at the ends of the <paramref name="quarters"/> earlier quarters, its links and its judgement
    /// history; null when there is no such active theme in the viewer's partnership.</summary>
    public async Task<ThemeDetail?> ThemeAsync(Actor actor, int themeId, DateOnly? asAt, CancellationToken ct, int quarters = 6, bool forExport = false)
    {
        var snapshotTask = readModel.GetAsync(actor.PartnershipId, ct);
        var evidenceTask = LoadEvidenceAsync(actor.PartnershipId, themeId, ct);
        var historyTask = JudgementsAsync(actor.PartnershipId, themeId, ct);
        await Task.WhenAll(snapshotTask, evidenceTask, historyTask);
        var (snapshot, evidence, history) = (snapshotTask.Result, evidenceTask.Result, historyTask.Result);
        var date = asAt ?? DefaultAsAt(snapshot);
        var theme = evidence.Themes.SingleOrDefault();
        if (theme is null)
            return null;
        var current = TriangulationEngine.Assess(theme, evidence, DataLines(snapshot, actor, date, forExport), actor, date, history.FirstOrDefault(), forExport);
        var earlier = snapshot.Data.Periods.Where(p => p.EndDate <= date).OrderByDescending(p => p.EndDate).Take(quarters).Reverse()
            .Select(p => TriangulationEngine.Assess(theme, evidence, DataLines(snapshot, actor, p.EndDate, forExport), actor, p.EndDate, null, forExport))
            .ToList();
        if (forExport)
            return new ThemeDetail(current, earlier, evidence.Links, history);
        var ratings = await AgencyRatingsAsync(actor.PartnershipId, themeId, ct);
        var charts = TriangulationEngine.Charts(themeId, evidence, DataLines(snapshot, actor, date), ratings, actor, date, current.Rules);
        return new ThemeDetail(current, earlier, evidence.Links, history) { Charts = charts };
    }

    private const string AgencyRatingSql = """
        select fs.id as standard_id, c.id as cycle_id, ag.id as agency_id, ag.name as agency_name,
               case when m.outcome = 'moderated' then m.moderated_rating else r.rating end as rating
        from triangulation_link l
        join framework_standard fs on fs.partnership_id = l.partnership_id and fs.id = l.standard_id
        join assessment_cycle c on c.partnership_id = fs.partnership_id and c.framework_id = fs.framework_id
        join self_assessment sa on sa.partnership_id = c.partnership_id and sa.cycle_id = c.id and sa.status = 'submitted'
        join agency ag on ag.partnership_id = sa.partnership_id and ag.id = sa.agency_id
        join self_assessment_rating r on r.partnership_id = sa.partnership_id and r.submission_id = sa.id and r.standard_id = fs.id
        left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
        where l.partnership_id = @partnershipId and l.theme_id = @themeId and l.kind = 'standard' and r.rating is not null
        """;

    private async Task<List<TriangulationEngine.AgencyRatingRow>> AgencyRatingsAsync(int partnershipId, int themeId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<TriangulationEngine.AgencyRatingRow>(new CommandDefinition(AgencyRatingSql, new { partnershipId, themeId }, cancellationToken: ct))).ToList();
    }
}
