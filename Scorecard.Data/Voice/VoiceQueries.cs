using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Common;

namespace Scorecard.Data.Voice;

/// <summary>An activity in the list and calendar. <see cref="RunBy"/> is the agency's name or the forum.</summary>
public sealed record VoiceActivityRow(
    int Id, string Title, VoiceMethod Method, RespondentGroup RespondentGroup, string Cohort, int? AgencyId, string? AgencyName,
    string Forum, string? SeriesKey, int? Wave, DateOnly PeriodStart, DateOnly PeriodEnd, int Respondents, VoiceSource Source,
    int Questions, int Messages)
{
    public string RunBy => AgencyName ?? Forum;
}

/// <summary>One wave of a question, as the viewer may see it.</summary>
public sealed record WavePoint(int ActivityId, int Wave, DateOnly PeriodEnd, DisclosedResult Result);

/// <summary>A change between consecutive waves: the words, or why it is withheld.</summary>
public sealed record WaveStep(int FromWave, int ToWave, WaveChange? Change, string Withheld);

/// <summary>A question of an activity with what the viewer may see of its results, and its trend across the series' waves.</summary>
public sealed record VoiceQuestionView(
    int Id, int Position, string QuestionKey, string Wording, AnswerScale Scale, DisclosedResult Result,
    IReadOnlyList<WavePoint> Waves, IReadOnlyList<WaveStep> Steps);

/// <summary>A key message: the quote only when approved or the viewer is in QA (<see cref="QuoteWithheld"/> says one exists).</summary>
public sealed record VoiceMessageView(
    int Id, string Message, string? Quote, bool QuoteWithheld, ConsentBasis? ConsentBasis, QuoteReview ReviewStatus, string YouSaidWeDid);

public sealed record VoiceActivityView(
    VoiceActivityRow Activity, IReadOnlyList<VoiceQuestionView> Questions, IReadOnlyList<VoiceMessageView> Messages,
    bool ViewerSeesSmallNumbers, bool ViewerMayEdit);

/// <summary>
/// Reads voice activities. Everyone signed in sees the partnership's voice results (issue 12, Roles and rules), with
/// small numbers suppressed per viewer by <see cref="VoiceDisclosure"/> and quotes shown outside QA only once approved.
/// </summary>
public sealed class VoiceQueries(NpgsqlDataSource dataSource)
{
    private const string ActivitySql = """
        select a.id, a.title, a.method, a.respondent_group, a.cohort, a.agency_id, ag.name as agency_name, a.forum, a.series_key,
               a.wave::int as wave, a.period_start, a.period_end, a.respondents, a.source,
               (select count(*)::int from voice_question q where q.partnership_id = a.partnership_id and q.activity_id = a.id) as questions,
               (select count(*)::int from voice_message m where m.partnership_id = a.partnership_id and m.activity_id = a.id) as messages
        from voice_activity a
        left join agency ag on ag.partnership_id = a.partnership_id and ag.id = a.agency_id
        where a.partnership_id = @PartnershipId
        """;

    /// <summary>The partnership's activities, latest first; optionally only one respondent group or one year (by period end).</summary>
    public async Task<IReadOnlyList<VoiceActivityRow>> ListAsync(Actor actor, RespondentGroup? group, int? year, CancellationToken ct)
    {
        const string sql = ActivitySql + """

              and (@Group::text is null or a.respondent_group = @Group)
              and (@year::int is null or extract(year from a.period_end) = @year)
            order by a.period_end desc, a.title
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<VoiceActivityRow>(new CommandDefinition(sql, new { actor.PartnershipId, Group = group?.ToDb(), year }, cancellationToken: ct))).ToList();
    }

    // Classes with setters, not positional records: Dapper matches constructors by the column's reported type, and
    // Npgsql reports an int[] column as System.Array.
    private sealed class QuestionRaw
    {
        public int Id { get; init; }
        public int ActivityId { get; init; }
        public int Position { get; init; }
        public string QuestionKey { get; init; } = "";
        public string Wording { get; init; } = "";
        public AnswerScale Scale { get; init; }
        public int[] Counts { get; init; } = [];
    }

    private sealed class WaveRaw
    {
        public int ActivityId { get; init; }
        public int Wave { get; init; }
        public DateOnly PeriodEnd { get; init; }
        public int? AgencyId { get; init; }
        public int Respondents { get; init; }
        public RespondentGroup RespondentGroup { get; init; }
        public string QuestionKey { get; init; } = "";
        public AnswerScale Scale { get; init; }
        public int[] Counts { get; init; } = [];
    }

    private sealed record MessageRaw(int Id, string Message, string? Quote, ConsentBasis? ConsentBasis, QuoteReview ReviewStatus, string YouSaidWeDid);

    /// <summary>One activity as the viewer may see it, or null when there is none in their partnership.</summary>
    public async Task<VoiceActivityView?> ActivityAsync(Actor actor, int activityId, CancellationToken ct)
    {
        const string sql = ActivitySql + """

              and a.id = @activityId;
            select id, activity_id, position::int as position, question_key, wording, scale, counts
            from voice_question where partnership_id = @PartnershipId and activity_id = @activityId order by position;
            select a.id as activity_id, a.wave::int as wave, a.period_end, a.agency_id, a.respondents, a.respondent_group, q.question_key, q.scale, q.counts
            from voice_activity a
            join voice_question q on q.partnership_id = a.partnership_id and q.activity_id = a.id
            where a.partnership_id = @PartnershipId
              and a.series_key = (select series_key from voice_activity where partnership_id = @PartnershipId and id = @activityId)
            order by q.question_key, a.wave;
            select id, message, quote, consent_basis, review_status, you_said_we_did
            from voice_message where partnership_id = @PartnershipId and activity_id = @activityId order by id;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, activityId }, cancellationToken: ct));
        var activity = await multi.ReadSingleOrDefaultAsync<VoiceActivityRow>();
        if (activity is null)
            return null;
        var questions = (await multi.ReadAsync<QuestionRaw>()).ToList();
        var waves = (await multi.ReadAsync<WaveRaw>()).ToLookup(w => w.QuestionKey);
        var messages = (await multi.ReadAsync<MessageRaw>()).ToList();

        var maySee = VoiceDisclosure.MaySeeSmallNumbers(actor, activity.AgencyId);
        var manager = VoiceAccess.IsManager(actor);
        var questionViews = questions.Select(q =>
        {
            var result = VoiceDisclosure.Disclose(q.Scale, activity.RespondentGroup, activity.Respondents, q.Counts, maySee);
            var points = waves[q.QuestionKey].Where(w => w.Scale == q.Scale)
                .Select(w => new WavePoint(w.ActivityId, w.Wave, w.PeriodEnd,
                    VoiceDisclosure.Disclose(w.Scale, w.RespondentGroup, w.Respondents, w.Counts, VoiceDisclosure.MaySeeSmallNumbers(actor, w.AgencyId))))
                .ToList();
            return new VoiceQuestionView(q.Id, q.Position, q.QuestionKey, q.Wording, q.Scale, result, points, Steps(points));
        }).ToList();
        var messageViews = messages.Select(m =>
        {
            var show = m.Quote is not null && (manager || m.ReviewStatus == QuoteReview.ApprovedForSharing);
            return new VoiceMessageView(m.Id, m.Message, show ? m.Quote : null, m.Quote is not null && !show, m.ConsentBasis, m.ReviewStatus, m.YouSaidWeDid);
        }).ToList();
        var mayEdit = manager || (actor.Role == Role.AgencyUser && activity.AgencyId is { } a && a == actor.AgencyId);
        return new VoiceActivityView(activity, questionViews, messageViews, maySee, mayEdit);
    }

    /// <summary>Changes between consecutive waves; withheld when either wave is hidden from the viewer (the other end and the
    /// change would give it back: <see cref="Disclosure.Change"/>).</summary>
    public static IReadOnlyList<WaveStep> Steps(IReadOnlyList<WavePoint> points)
    {
        var steps = new List<WaveStep>();
        for (var i = 1; i < points.Count; i++)
        {
            var (from, to) = (points[i - 1], points[i]);
            var decision = Disclosure.Change(from.Result.Suppressed, to.Result.Suppressed);
            if (!decision.Show || from.Result.Share is not { } a || to.Result.Share is not { } b)
            {
                steps.Add(new WaveStep(from.Wave, to.Wave, null, decision.Show ? "No answers in one of the waves." : "No change shown: one of the two waves is not shown."));
                continue;
            }
            steps.Add(new WaveStep(from.Wave, to.Wave, VoiceStatistics.Compare(a.Positive, a.Total, b.Positive, b.Total), ""));
        }
        return steps;
    }
}
