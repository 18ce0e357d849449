using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

public sealed record ChallengeRow(
    int Id, string Question, SourceKind SubjectKind, string SubjectKey, string SubjectTitle, int ToAgencyId, string ToAgencyName,
    string RaisedByName, DateOnly RaisedOn, DateOnly? MeetingDate, DateOnly DueDate, ChallengeStatus Status, ChallengeView? View,
    string? CloseReason, EscalationStage? Stage)
{
    public bool Overdue { get; init; }

    public SourceLink Subject => new(SubjectKind, SubjectKey);
}

public sealed record ChallengeEntryRow(int Id, ChallengeEntryKind Kind, ChallengeView? View, string Text, string WrittenByName, DateTime WrittenAt);

public sealed record ChallengeEscalationRow(int Id, EscalationStage Stage, string EscalatedTo, DateOnly EscalatedOn, string Note, string RecordedByName);

/// <summary>A challenge with its exchange and escalation steps, and the meeting it was raised at (the meeting whose minute
/// raised it, else the QA subgroup's meeting on its meeting date) for those who may read meetings.</summary>
public sealed record ChallengeDetail(ChallengeRow Challenge, IReadOnlyList<ChallengeEntryRow> Entries, IReadOnlyList<ChallengeEscalationRow> Escalations)
{
    public int? MeetingId { get; init; }
}

public sealed record ChallengeFilter(ChallengeStatus? Status = null, int? AgencyId = null, SourceKind? SubjectKind = null, string? SubjectKey = null, bool OverdueOnly = false, bool OpenOnly = false)
{
    /// <summary>Several subjects of <see cref="SubjectKind"/> at once (an audit's findings, a cycle's standards); null for any.</summary>
    public IReadOnlyList<string>? SubjectKeys { get; init; }
}

/// <summary>Reads the challenge log; an agency user sees only the challenges put to their own agency (checked here).</summary>
public sealed class ChallengeQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    /// <summary>Awaiting the agency (a first response or further information) and past its due date.</summary>
    public static bool IsOverdue(ChallengeStatus status, DateOnly due, DateOnly today) =>
        status is ChallengeStatus.AwaitingResponse or ChallengeStatus.FurtherInformation && due < today;

    private static readonly string RowSql = $"""
        select c.id, c.question, c.subject_kind, c.subject_key, {SourceLinks.TitleSql("c", "subject_kind", "subject_key")} as subject_title,
               c.to_agency_id, ag.name as to_agency_name, c.raised_by_name, c.raised_on, c.meeting_date, c.due_date, c.status, c.view, c.close_reason,
               (select e.stage from challenge_escalation e where e.partnership_id = c.partnership_id and e.challenge_id = c.id order by e.id desc limit 1) as stage
        from challenge c
        join agency ag on ag.partnership_id = c.partnership_id and ag.id = c.to_agency_id

        """;

    /// <summary>The log, filtered: overdue first, then awaiting the subgroup, then the rest by due date; closed last.</summary>
    public async Task<IReadOnlyList<ChallengeRow>> ListAsync(Actor actor, ChallengeFilter filter, CancellationToken ct)
    {
        if (!ImprovementAccess.SeesAll(actor) && filter.AgencyId is { } asked && asked != actor.AgencyId)
            throw new AccessDeniedException($"{actor.DisplayName} may not list another agency's challenges.");
        var agencyId = ImprovementAccess.SeesAll(actor) ? filter.AgencyId : actor.AgencyId;
        var sql = RowSql + """
            where c.partnership_id = @PartnershipId
              and (@Status::text is null or c.status = @Status)
              and (@AgencyId::int is null or c.to_agency_id = @AgencyId)
              and (@Kind::text is null or c.subject_kind = @Kind)
              and (@Key::text is null or c.subject_key = @Key)
              and (@Keys::text[] is null or c.subject_key = any(@Keys))
              and (not @OpenOnly or c.status <> 'closed')
              and (not @OverdueOnly or (c.status in ('awaiting_response', 'further_information') and c.due_date < @Today))
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChallengeRow>(new CommandDefinition(sql, new
        {
            actor.PartnershipId, Status = filter.Status is { } s ? s.ToDb() : null, AgencyId = agencyId,
            Kind = filter.SubjectKind is { } k ? k.ToDb() : null, Key = filter.SubjectKey, Keys = filter.SubjectKeys?.ToArray(), filter.OpenOnly, filter.OverdueOnly, Today,
        }, cancellationToken: ct));
        return Order(rows);
    }

    private List<ChallengeRow> Order(IEnumerable<ChallengeRow> rows)
    {
        var today = Today;
        return rows.Select(r => r with { Overdue = IsOverdue(r.Status, r.DueDate, today) })
            .OrderBy(r => r.Overdue ? 0 : r.Status switch
            {
                ChallengeStatus.Responded => 1,
                ChallengeStatus.Escalated => 2,
                ChallengeStatus.AwaitingResponse or ChallengeStatus.FurtherInformation => 3,
                _ => 4,
            })
            .ThenBy(r => r.DueDate).ThenBy(r => r.Id).ToList();
    }

    /// <summary>The challenges about one subject (a measure's code, a finding's id…), for its page.</summary>
    public Task<IReadOnlyList<ChallengeRow>> ForSubjectAsync(Actor actor, SourceLink subject, CancellationToken ct) =>
        ListAsync(actor, new ChallengeFilter(SubjectKind: subject.Kind, SubjectKey: subject.Key), ct);

    /// <summary>The challenges about any of several subjects of one kind (an audit's findings, a cycle's standards), optionally
    /// only those put to one agency; one query. No keys, no challenges.</summary>
    public async Task<IReadOnlyList<ChallengeRow>> ForSubjectsAsync(Actor actor, SourceKind kind, IReadOnlyList<string> keys, int? toAgencyId, CancellationToken ct) =>
        keys.Count == 0 ? [] : await ListAsync(actor, new ChallengeFilter(AgencyId: toAgencyId, SubjectKind: kind) { SubjectKeys = keys }, ct);

    /// <summary>The challenges put to one agency, about anything, for the agency's page; an agency user only their own.</summary>
    public Task<IReadOnlyList<ChallengeRow>> ForAgencyAsync(Actor actor, int agencyId, CancellationToken ct) =>
        ListAsync(actor, new ChallengeFilter(AgencyId: agencyId), ct);

    /// <summary>A challenge with its exchange and escalation steps; null when none of this partnership; another agency's refused.</summary>
    public async Task<ChallengeDetail?> GetAsync(Actor actor, int challengeId, CancellationToken ct)
    {
        var sql = RowSql + """
             where c.partnership_id = @PartnershipId and c.id = @challengeId;
            select id, kind, view, text, written_by_name, written_at from challenge_entry where partnership_id = @PartnershipId and challenge_id = @challengeId order by id;
            select id, stage, escalated_to, escalated_on, note, recorded_by_name from challenge_escalation where partnership_id = @PartnershipId and challenge_id = @challengeId order by id;
            select coalesce(
                (select r.meeting_id from meeting_record r where r.partnership_id = @PartnershipId and r.challenge_id = @challengeId),
                (select m.id from meeting m join challenge c on c.partnership_id = m.partnership_id and c.meeting_date = m.meeting_date
                 where m.partnership_id = @PartnershipId and c.id = @challengeId order by (m.kind = 'qa_subgroup') desc, m.id limit 1));
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, challengeId }, cancellationToken: ct));
        var row = (await grid.ReadAsync<ChallengeRow>()).SingleOrDefault();
        if (row is null)
            return null;
        ImprovementAccess.RequireSees(actor, row.ToAgencyId);
        var entries = (await grid.ReadAsync<ChallengeEntryRow>()).ToList();
        var escalations = (await grid.ReadAsync<ChallengeEscalationRow>()).ToList();
        var meetingId = await grid.ReadSingleAsync<int?>();
        // Agency users do not read the partnership's meetings (MeetingAccess): they see the date only.
        return new ChallengeDetail(Order([row])[0], entries, escalations) { MeetingId = ImprovementAccess.SeesAll(actor) ? meetingId : null };
    }
}

/// <summary>A subject a page lists challenges about: its key (an id, a code) and the short label of its "raise a challenge" link.</summary>
public sealed record ChallengeSubject(string Key, string Label);
