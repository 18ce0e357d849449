using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Voice;

namespace Scorecard.Data.Triangulation;

/// <summary>What a theme's setup page edits: the theme (active or retired), its links with labels, and its stored rules.</summary>
public sealed record ThemeSetup(ThemeRow Theme, IReadOnlyList<LinkRow> Links, LensRules Rules, bool RulesTuned);

/// <summary>The pickers' groups of evidence. Voice questions are split by whose voice, as the lenses are.</summary>
public enum EvidencePicker { Measure, AuditQuestion, SummaryTopic, Standard, ChildrenAndFamiliesQuestion, PractitionerQuestion }

/// <summary>One piece of evidence a theme could link: what to link (<see cref="Link"/>), a label and a line of detail.</summary>
public sealed record EvidenceOption(LinkInput Link, string Label, string Detail);

/// <summary>
/// Reads for managing themes (issue 12 §2): one theme's setup, and the evidence a picker offers, searched by words in
/// the partnership's own measures, audit questions (and the findings drawn from them), single-agency audit topics,
/// self-assessment standards and voice questions. QA members and admins only: they are the ones who manage themes.
/// </summary>
public sealed class ThemeSetupQueries(NpgsqlDataSource dataSource)
{
    /// <summary>How many options a picker shows at once; the search narrows the rest.</summary>
    public const int PickerLimit = 25;

    private const string SetupSql = """
        select t.id, t.title, t.description, t.priority_id, p.code as priority_code, p.title as priority_title, p.sort_order as priority_sort_order,
               t.rules::text as rules, t.sort_order, t.active
        from triangulation_theme t
        join priority p on p.partnership_id = t.partnership_id and p.id = t.priority_id
        where t.partnership_id = @PartnershipId and t.id = @themeId;

        select l.id, l.theme_id, l.kind, l.measure_id, l.audit_question_id, l.summary_topic, l.standard_id, l.voice_question_id,
               coalesce(m.code || ' ' || m.title, a.title || ': ' || aq.text, 'Single-agency audits: ' || l.summary_topic,
                        fs.code || ' ' || fs.title,
                        va.title || coalesce(' (wave ' || va.wave || ')', '') || ': ' || vq.wording ||
                        case when va.respondent_group = 'practitioners' then ' [practitioners]' else ' [children and families]' end) as label
        from triangulation_link l
        left join measure m on m.partnership_id = l.partnership_id and m.id = l.measure_id
        left join audit_question aq on aq.partnership_id = l.partnership_id and aq.id = l.audit_question_id
        left join audit a on a.partnership_id = aq.partnership_id and a.id = aq.audit_id
        left join framework_standard fs on fs.partnership_id = l.partnership_id and fs.id = l.standard_id
        left join voice_question vq on vq.partnership_id = l.partnership_id and vq.id = l.voice_question_id
        left join voice_activity va on va.partnership_id = vq.partnership_id and va.id = vq.activity_id
        where l.partnership_id = @PartnershipId and l.theme_id = @themeId
        order by l.kind, label;
        """;

    /// <summary>A theme as its setup page edits it, or null when the partnership has no such theme.</summary>
    public async Task<ThemeSetup?> SetupAsync(Actor actor, int themeId, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(SetupSql, new { actor.PartnershipId, themeId }, cancellationToken: ct));
        var theme = await multi.ReadSingleOrDefaultAsync<ThemeRow>();
        if (theme is null)
            return null;
        var links = (await multi.ReadAsync<LinkRow>()).ToList();
        var rules = TriangulationEngine.Rules(theme.Rules);
        return new ThemeSetup(theme, links, rules, rules != LensRules.Default);
    }

    private sealed record OptionRow(int? Id, string? Topic, string Label, string Detail);

    private const string MeasureSql = """
        select m.id, null::text as topic, m.code || ' ' || m.title as label, p.code || ' ' || p.title as detail
        from measure m join priority p on p.partnership_id = m.partnership_id and p.id = m.priority_id
        where m.partnership_id = @PartnershipId and (@like = '%%' or m.code ilike @like or m.title ilike @like)
        order by m.code limit @limit
        """;

    // A question is found by its own words, its audit's title, or the words of a finding drawn from it.
    private const string AuditQuestionSql = """
        select q.id, null::text as topic, a.title || ': ' || q.text as label,
               coalesce((select 'Finding: ' || f.statement from audit_finding_question fq
                         join audit_finding f on f.partnership_id = fq.partnership_id and f.id = fq.finding_id and f.withdrawn_at is null
                         where fq.partnership_id = q.partnership_id and fq.question_id = q.id and f.statement ilike @like
                         order by f.position limit 1), 'Question ' || q.position) as detail
        from audit_question q join audit a on a.partnership_id = q.partnership_id and a.id = q.audit_id
        where q.partnership_id = @PartnershipId
          and (@like = '%%' or q.text ilike @like or a.title ilike @like
               or exists (select 1 from audit_finding_question fq
                          join audit_finding f on f.partnership_id = fq.partnership_id and f.id = fq.finding_id and f.withdrawn_at is null
                          where fq.partnership_id = q.partnership_id and fq.question_id = q.id and f.statement ilike @like))
        order by a.id desc, q.position limit @limit
        """;

    private const string TopicSql = """
        select null::int as id, topic, 'Single-agency audits: ' || topic as label,
               count(distinct agency_id)::text || ' agencies, ' || count(*)::text || ' accepted summaries' as detail
        from audit_summary_return
        where partnership_id = @PartnershipId and status = 'accepted' and (@like = '%%' or topic ilike @like)
        group by topic order by topic limit @limit
        """;

    private const string StandardSql = """
        select fs.id, null::text as topic, fs.code || ' ' || fs.title as label, f.title || ' (version ' || f.version || ')' as detail
        from framework_standard fs join framework f on f.partnership_id = fs.partnership_id and f.id = fs.framework_id
        where fs.partnership_id = @PartnershipId and (@like = '%%' or fs.code ilike @like or fs.title ilike @like or f.title ilike @like)
        order by f.title, f.version desc, fs.position limit @limit
        """;

    private const string VoiceSql = """
        select q.id, null::text as topic, q.wording as label,
               a.title || coalesce(' (wave ' || a.wave || ')', '') || ', ' || to_char(a.period_end, 'Mon YYYY') as detail
        from voice_question q join voice_activity a on a.partnership_id = q.partnership_id and a.id = q.activity_id
        where q.partnership_id = @PartnershipId and (a.respondent_group = 'practitioners') = @practitioners
          and (@like = '%%' or q.wording ilike @like or a.title ilike @like or a.cohort ilike @like)
        order by a.period_end desc, a.title, q.position limit @limit
        """;

    /// <summary>Evidence of one kind whose words contain <paramref name="search"/> (all of it when blank), up to <see cref="PickerLimit"/>.</summary>
    public async Task<IReadOnlyList<EvidenceOption>> SearchAsync(Actor actor, EvidencePicker picker, string? search, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        var words = (search ?? "").Trim();
        if (words.Length > 100)
            words = words[..100];
        // ilike's own wildcards in the words are matched literally.
        var like = "%" + words.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        var (sql, kind) = picker switch
        {
            EvidencePicker.Measure => (MeasureSql, LinkKind.Measure),
            EvidencePicker.AuditQuestion => (AuditQuestionSql, LinkKind.AuditQuestion),
            EvidencePicker.SummaryTopic => (TopicSql, LinkKind.SummaryTopic),
            EvidencePicker.Standard => (StandardSql, LinkKind.Standard),
            EvidencePicker.ChildrenAndFamiliesQuestion or EvidencePicker.PractitionerQuestion => (VoiceSql, LinkKind.VoiceQuestion),
            _ => throw new ArgumentOutOfRangeException(nameof(picker)),
        };
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<OptionRow>(new CommandDefinition(sql,
            new { actor.PartnershipId, like, limit = PickerLimit, practitioners = picker == EvidencePicker.PractitionerQuestion }, cancellationToken: ct));
        return rows.Select(r => new EvidenceOption(new LinkInput(kind, r.Id, r.Topic), r.Label, r.Detail)).ToList();
    }

    /// <summary>The picker's name on the page.</summary>
    public static string Label(EvidencePicker picker) => picker switch
    {
        EvidencePicker.Measure => "Scorecard measures",
        EvidencePicker.AuditQuestion => "Multi-agency audit questions and findings",
        EvidencePicker.SummaryTopic => "Single-agency audit topics",
        EvidencePicker.Standard => "Self-assessment standards",
        EvidencePicker.ChildrenAndFamiliesQuestion => "Voice of children and families",
        EvidencePicker.PractitionerQuestion => "Practitioner voice",
        _ => picker.ToString(),
    };
}

/// <summary>A theme's rules beside the documented defaults, setting by setting, for the setup page ("what changed").</summary>
public static class LensRulesSettings
{
    public sealed record Setting(string Name, string Label, string Default, string Current)
    {
        public bool Changed => Default != Current;
    }

    public static IReadOnlyList<Setting> Compare(LensRules rules)
    {
        var d = LensRules.Default;
        return
        [
            new(nameof(LensRules.WindowMonths), "Review window (months)", d.WindowMonths.ToString(), rules.WindowMonths.ToString()),
            new(nameof(LensRules.PositiveShare), "Audits and self-assessment: positive at or above", P(d.PositiveShare), P(rules.PositiveShare)),
            new(nameof(LensRules.NegativeShare), "Audits and self-assessment: negative below", P(d.NegativeShare), P(rules.NegativeShare)),
            new(nameof(LensRules.VoicePositiveAbove), "Voice: positive when the interval is wholly above", P(d.VoicePositiveAbove), P(rules.VoicePositiveAbove)),
            new(nameof(LensRules.VoiceNegativeBelow), "Voice: negative when the interval is wholly below", P(d.VoiceNegativeBelow), P(rules.VoiceNegativeBelow)),
            new(nameof(LensRules.CorroborationLenses), "Lenses needed to corroborate", d.CorroborationLenses.ToString(), rules.CorroborationLenses.ToString()),
            new(nameof(LensRules.SelfAssessmentValidMonths), "A self-assessment stays current for (months)", d.SelfAssessmentValidMonths.ToString(), rules.SelfAssessmentValidMonths.ToString()),
        ];
    }

    private static string P(double share) => VoiceStatistics.Percent(share);
}
