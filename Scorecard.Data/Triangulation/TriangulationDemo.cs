using Dapper;
using Npgsql;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;
using Scorecard.Data.Voice.Demo;

namespace Scorecard.Data.Triangulation;

/// <summary>
/// The demo's lines of enquiry (issue 12, Demo data), linked to the demo's measures, audit questions, standards and voice
/// questions by their natural keys. Planted: "Children's voice shapes their plans" is contested (agencies rate "a culture of
/// listening to children" met and practitioners are confident, while audits find the child's voice in under half of cases
/// and fewer than half of children on a plan say they were listened to); exploitation is corroborated positive (data green,
/// children feel safe, practitioners know the pathway); young carers is insufficient evidence (one lens).
/// </summary>
public static class TriangulationDemo
{
    public const string ContestedTheme = "Children's voice shapes their plans";
    public const string CorroboratedTheme = "Children at risk of exploitation are identified early";
    public const string InsufficientTheme = "Young carers are identified and supported";

    /// <summary>A link by natural key: measure code; audit title and question position; summary topic; framework and standard code; voice series or activity title and question key.</summary>
    public sealed record DemoLink(LinkKind Kind, string Key, string? Detail = null);

    public sealed record DemoTheme(string Title, string PriorityCode, string Description, IReadOnlyList<DemoLink> Links);

    private static DemoLink M(string code) => new(LinkKind.Measure, code);
    private static DemoLink A(string audit, int position) => new(LinkKind.AuditQuestion, audit, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static DemoLink T(string topic) => new(LinkKind.SummaryTopic, topic);
    private static DemoLink S(string framework, string code) => new(LinkKind.Standard, framework, code);
    private static DemoLink V(string seriesOrTitle, string questionKey) => new(LinkKind.VoiceQuestion, seriesOrTitle, questionKey);

    public static readonly IReadOnlyList<DemoTheme> Themes =
    [
        new(ContestedTheme, "P2", "Children's wishes and feelings are heard, recorded in their own words and change what is planned for them.",
        [
            A("The child's voice in plans", 1), A("The child's voice in plans", 5), A("Early help: the right help at the right time", 1), A("Children with a child protection plan", 1),
            T("Voice of the child in assessments"),
            S(BuiltInFrameworks.Section11, "S11-3"), S(BuiltInFrameworks.TrueForUs, "T1"),
            V(VoiceDemoGenerator.ChildProtectionSeries, "listened-at-conference"), V(VoiceDemoGenerator.ChildrenInCareSeries, "say-in-plan"),
            V("Three Houses direct work: children on a plan", "worries-in-plan"),
            V(VoiceDemoGenerator.PractitionerSeries, "voice-shapes-plans"), V(VoiceDemoGenerator.VisitsSeries, "voice-in-plan"),
        ]),
        new(CorroboratedTheme, "P1", "Children at risk of criminal and sexual exploitation, and children who go missing, are identified and screened early.",
        [
            M("CS-CE-SCREEN"), M("YJ-FTE"),
            V(VoiceDemoGenerator.ChildrenInCareSeries, "feel-safe"), V("Youth Commission consultation: staying safe online", "safe-area"),
            V("Youth Commission consultation: staying safe online", "safe-online"),
            V(VoiceDemoGenerator.PractitionerSeries, "know-exploitation"), V(VoiceDemoGenerator.VisitsSeries, "exploitation-pathway"),
        ]),
        new("Neglect is recognised and acted on", "P2", "Cumulative harm from neglect is recognised early and the neglect screening tool is used.",
        [
            M("CSC-REREF"), A("Neglect: recognising cumulative harm", 5), V(VoiceDemoGenerator.PractitionerSeries, "neglect-tool"),
        ]),
        new("Domestic abuse: children are safe at home", "P3", "The impact of domestic abuse on children is assessed, not only the risk to the adult.",
        [
            M("POL-ENCOMPASS"), M("POL-DA-CHILDREN"), A("Domestic abuse: the child's experience", 5), S(BuiltInFrameworks.TrueForUs, "T2"),
            V(VoiceDemoGenerator.PractitionerSeries, "da-impact"),
        ]),
        new("Children on a plan are safer because of it", "P2", "Child protection plans and core groups make a difference to children's daily lives.",
        [
            M("CSC-CP-VISITS"), M("CSC-CP-REPEAT"), A("Children with a child protection plan", 5), A("Children with a child protection plan", 4),
            V(VoiceDemoGenerator.ChildProtectionSeries, "safer-since-plan"), V(VoiceDemoGenerator.ChildProtectionSeries, "understand-plan"),
            V("Parents' experience of child protection conferences", "understood-worries"),
        ]),
        new("Practitioners are supported to do their best work", "P4", "Practitioners get regular safeguarding supervision and up-to-date training.",
        [
            M("HLT-L3-TRAINING"), M("EDU-DSL-TRAINING"), S(BuiltInFrameworks.Section11, "S11-9"), V(VoiceDemoGenerator.PractitionerSeries, "supervision"),
        ]),
        new("Schools keep children safe online and in school", "P4", "Schools' filtering, monitoring and attendance follow-up keep children safe, and children know how to stay safe online.",
        [
            M("EDU-DSL-TRAINING"), M("EDU-CP-ATTEND"), S(BuiltInFrameworks.Section175157, "E5"), S(BuiltInFrameworks.Section175157, "E7"),
            V(VoiceDemoGenerator.ChildrenInCareSeries, "safe-online"),
        ]),
        new(InsufficientTheme, "P3", "Young carers are known to their schools and get help and time for themselves.",
        [
            V("Young carers' consultation", "know-help"), V("Young carers' consultation", "school-knows"),
        ]),
    ];

    /// <summary>Inserts the themes and links inside the demo loader's transaction, after the scorecard, assurance and voice demo.</summary>
    public static async Task LoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, CancellationToken ct)
    {
        var order = 0;
        foreach (var theme in Themes)
        {
            var themeId = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into triangulation_theme (partnership_id, title, description, priority_id, sort_order)
                select @partnershipId, @Title, @Description, id, @order from priority where partnership_id = @partnershipId and code = @PriorityCode
                returning id
                """, new { partnershipId, theme.Title, theme.Description, theme.PriorityCode, order = order += 10 }, tx, cancellationToken: ct));
            foreach (var link in theme.Links)
            {
                var sql = link.Kind switch
                {
                    LinkKind.Measure => "select id from measure where partnership_id = @partnershipId and code = @Key",
                    LinkKind.AuditQuestion => """
                        select q.id from audit_question q join audit a on a.partnership_id = q.partnership_id and a.id = q.audit_id
                        where q.partnership_id = @partnershipId and a.title = @Key and q.position = @Detail::int
                        """,
                    LinkKind.Standard => """
                        select s.id from framework_standard s join framework f on f.partnership_id = s.partnership_id and f.id = s.framework_id
                        where s.partnership_id = @partnershipId and f.code = @Key and s.code = @Detail order by f.version desc limit 1
                        """,
                    LinkKind.VoiceQuestion => """
                        select q.id from voice_question q join voice_activity a on a.partnership_id = q.partnership_id and a.id = q.activity_id
                        where q.partnership_id = @partnershipId and (a.series_key = @Key or a.title = @Key) and q.question_key = @Detail
                        order by a.period_end desc limit 1
                        """,
                    _ => null,
                };
                int? targetId = null;
                if (sql is not null)
                    targetId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(sql, new { partnershipId, link.Key, link.Detail }, tx, cancellationToken: ct))
                        ?? throw new InvalidOperationException($"Demo link not found: {link}");
                await conn.ExecuteAsync(new CommandDefinition("""
                    insert into triangulation_link (partnership_id, theme_id, kind, measure_id, audit_question_id, summary_topic, standard_id, voice_question_id)
                    values (@partnershipId, @themeId, @Kind, @MeasureId, @AuditQuestionId, @Topic, @StandardId, @VoiceQuestionId)
                    """, new
                {
                    partnershipId, themeId, Kind = link.Kind.ToDb(),
                    MeasureId = link.Kind == LinkKind.Measure ? targetId : null, AuditQuestionId = link.Kind == LinkKind.AuditQuestion ? targetId : null,
                    Topic = link.Kind == LinkKind.SummaryTopic ? link.Key : null, StandardId = link.Kind == LinkKind.Standard ? targetId : null,
                    VoiceQuestionId = link.Kind == LinkKind.VoiceQuestion ? targetId : null,
                }, tx, cancellationToken: ct));
            }
        }
    }
}
