using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Meetings;

/// <summary>Reads meetings, agendas, minutes, attendance and packs. Admins, QA members and executives only.</summary>
public sealed class MeetingQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private sealed record HeadRaw(int Id, MeetingKind Kind, string Title, DateOnly MeetingDate, MeetingStatus Status, DateTime? AgendaBuiltAt);

    private sealed record ItemRaw(int Id, int Position, string? Kind, string? SourceKey, string Title, string Reason, string Link, int Urgency, string Facts, bool Dropped);

    /// <summary>Every meeting of the partnership, latest first.</summary>
    public async Task<IReadOnlyList<MeetingSummary>> ListAsync(Actor actor, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        const string sql = """
            select m.id, m.kind, m.title, m.meeting_date, m.status,
                   (select count(*)::int from agenda_item i where i.partnership_id = m.partnership_id and i.meeting_id = m.id and not i.dropped) as items,
                   (select count(*)::int from meeting_record r where r.partnership_id = m.partnership_id and r.meeting_id = m.id) as records,
                   (select count(*)::int from meeting_attendance a where a.partnership_id = m.partnership_id and a.meeting_id = m.id) as invited,
                   (select count(*)::int from meeting_attendance a where a.partnership_id = m.partnership_id and a.meeting_id = m.id and a.attended) as attended,
                   (select count(*)::int from meeting_pack p where p.partnership_id = m.partnership_id and p.meeting_id = m.id) as packs
            from meeting m
            where m.partnership_id = @PartnershipId
            order by m.meeting_date desc, m.id desc
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<MeetingSummary>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    /// <summary>One meeting with its attendance, agenda (dropped items included, in order), records and packs; null when not found.</summary>
    public async Task<MeetingDetail?> GetAsync(Actor actor, int meetingId, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await LoadAsync(conn, null, actor.PartnershipId, meetingId, ct);
    }

    internal static async Task<MeetingDetail?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, int meetingId, CancellationToken ct)
    {
        const string sql = """
            select id, kind, title, meeting_date, status, agenda_built_at from meeting where partnership_id = @partnershipId and id = @meetingId;
            select a.agency_id, g.name as agency_name, a.attended, a.representative
            from meeting_attendance a join agency g on g.partnership_id = a.partnership_id and g.id = a.agency_id
            where a.partnership_id = @partnershipId and a.meeting_id = @meetingId
            order by g.name;
            select id, position, kind, source_key, title, reason, link, urgency, facts::text as facts, dropped
            from agenda_item where partnership_id = @partnershipId and meeting_id = @meetingId order by position, id;
            select r.id, r.agenda_item_id, r.record_kind as kind, r.text, r.owner_agency_id, g.name as owner_agency_name, r.due_date,
                   coalesce(u.display_name, '') as recorded_by_name, r.recorded_at, r.challenge_id, r.action_id
            from meeting_record r
            left join agency g on g.partnership_id = r.partnership_id and g.id = r.owner_agency_id
            left join app_user u on u.partnership_id = r.partnership_id and u.id = r.recorded_by
            where r.partnership_id = @partnershipId and r.meeting_id = @meetingId
            order by r.recorded_at, r.id;
            select p.version, p.created_at, coalesce(u.display_name, '') as created_by_name, p.sha256, length(p.docx) as bytes
            from meeting_pack p left join app_user u on u.partnership_id = p.partnership_id and u.id = p.created_by
            where p.partnership_id = @partnershipId and p.meeting_id = @meetingId
            order by p.version desc;
            """;
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { partnershipId, meetingId }, tx, cancellationToken: ct));
        var m = await multi.ReadSingleOrDefaultAsync<HeadRaw>();
        if (m is null)
            return null;
        var attendance = (await multi.ReadAsync<AttendeeRow>()).ToList();
        var items = (await multi.ReadAsync<ItemRaw>())
            .Select(r => new AgendaItemRow(r.Id, r.Position, AgendaFacts.Kind(r.Kind), r.SourceKey, r.Title, r.Reason, r.Link, r.Urgency, AgendaFacts.FromJson(r.Facts), r.Dropped))
            .ToList();
        var records = (await multi.ReadAsync<MeetingRecordRow>()).ToList();
        var packs = (await multi.ReadAsync<PackVersion>()).ToList();
        return new MeetingDetail(m.Id, m.Kind, m.Title, m.MeetingDate, m.Status, m.AgendaBuiltAt, attendance, items, records, packs);
    }

    /// <summary>
    /// Attendance per agency over the twelve months to <paramref name="asOf"/>, counting held meetings of
    /// <paramref name="kind"/>: the figure partnerships put in their annual reports. Without a date, the year runs to the
    /// latest meeting held (so a quiet spell does not empty the figure).
    /// </summary>
    public async Task<AttendanceYear> AttendanceAsync(Actor actor, MeetingKind kind, DateOnly? asOf, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var to = asOf ?? await conn.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(
            "select max(meeting_date) from meeting where partnership_id = @PartnershipId and kind = @Kind and status = 'held' and meeting_date <= @today",
            new { actor.PartnershipId, Kind = kind.ToDb(), today }, cancellationToken: ct)) ?? today;
        var from = to.AddYears(-1);
        const string sql = """
            select m.id as meeting_id, m.meeting_date, a.agency_id, g.name as agency_name, a.attended
            from meeting m
            join meeting_attendance a on a.partnership_id = m.partnership_id and a.meeting_id = m.id
            join agency g on g.partnership_id = a.partnership_id and g.id = a.agency_id
            where m.partnership_id = @PartnershipId and m.kind = @Kind and m.status = 'held'
              and m.meeting_date > @from and m.meeting_date <= @to
            """;
        var marks = (await conn.QueryAsync<AttendanceMark>(new CommandDefinition(sql,
            new { actor.PartnershipId, Kind = kind.ToDb(), from, to }, cancellationToken: ct))).ToList();
        return new AttendanceYear(from, to, marks.Select(m => m.MeetingId).Distinct().Count(), AttendanceRates.ForYear(marks, to));
    }

    /// <summary>The date of the last meeting of <paramref name="kind"/> before <paramref name="before"/>, if any.</summary>
    internal static Task<DateOnly?> PreviousMeetingDateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, MeetingKind kind, DateOnly before, CancellationToken ct) =>
        conn.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(
            "select max(meeting_date) from meeting where partnership_id = @partnershipId and kind = @Kind and meeting_date < @before",
            new { partnershipId, Kind = kind.ToDb(), before }, tx, cancellationToken: ct));

    /// <summary>A stored pack's bytes (the latest when <paramref name="version"/> is null); null when there is none.</summary>
    public async Task<StoredPack?> GetPackAsync(Actor actor, int meetingId, int? version, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        const string sql = """
            select p.version, p.model, p.docx, p.sha256, m.title, m.meeting_date
            from meeting_pack p join meeting m on m.partnership_id = p.partnership_id and m.id = p.meeting_id
            where p.partnership_id = @PartnershipId and p.meeting_id = @meetingId and (@version::int is null or p.version = @version)
            order by p.version desc limit 1
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StoredPack>(new CommandDefinition(sql, new { actor.PartnershipId, meetingId, version }, cancellationToken: ct));
    }
}

/// <summary>A pack as stored: the model it was drawn from (JSON) and the document's bytes.</summary>
public sealed record StoredPack(int Version, string Model, byte[] Docx, string Sha256, string Title, DateOnly MeetingDate)
{
    public string FileName => $"meeting-pack-{MeetingDate:yyyy-MM-dd}-v{Version}.docx";
}
