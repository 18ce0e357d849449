using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;

namespace Scorecard.Data.Meetings.Demo;

/// <summary>A demo meeting: date, attendance by agency key, agenda (source key or null, title, reason) and minutes.</summary>
public sealed record DemoMeeting(
    DateOnly Date, MeetingStatus Status, IReadOnlyList<(string AgencyKey, bool Attended)> Attendance,
    IReadOnlyList<DemoAgendaItem> Items);

public sealed record DemoAgendaItem(AgendaItemKind? Kind, string? SourceKey, string Title, string Reason, IReadOnlyList<AgendaFact> Facts,
    IReadOnlyList<(MeetingRecordKind Kind, string Text, string? OwnerKey)> Records);

/// <summary>
/// The demo's QA subgroup meetings (issue 13, Demo data; deterministic): every two months over the two years to the
/// demo's last quarter, each held, with attendance (HMP/YOI Styal rarely attends), an agenda drawn from the demo's
/// planted signals and late returns, and minutes; then one planned meeting. Packs are generated after the load for the
/// last <see cref="PackedMeetings"/> held meetings only, so the load stays fast; the others get theirs with one click.
/// </summary>
public static class MeetingDemo
{
    public const int PackedMeetings = 2;
    public const string RareAttenderKey = "hmpyoi-styal";
    public static readonly DateOnly FirstMeeting = new(2024, 1, 10);
    public const int HeldMeetings = 12;

    public static IReadOnlyList<DemoMeeting> Generate(DemoPartnership demo, int seed = 1304)
    {
        var random = new Random(seed);
        var members = demo.Agencies.Where(a => a.Sector != "education").Select(a => a.Key).ToList();
        var measures = demo.Measures.ToDictionary(m => m.Code);
        var signals = demo.Signals;
        var signalCodes = new[] { signals.ShiftMeasureCode, signals.TrendMeasureCode, signals.OutlierMeasureCode, signals.NeverMetMeasureCode };
        var late = demo.Agencies.Single(a => a.Key == signals.LateAgencyKey);
        var meetings = new List<DemoMeeting>();
        for (var i = 0; i <= HeldMeetings; i++)
        {
            var date = FirstMeeting.AddMonths(2 * i);
            var held = i < HeldMeetings;
            var attendance = members.Select(k => (k, held && (k == RareAttenderKey ? i % 4 == 1 : random.NextDouble() < 0.88))).ToList();
            var items = new List<DemoAgendaItem>();
            foreach (var code in signalCodes.Where((_, j) => (i + j) % 2 == 0))
            {
                var m = measures[code];
                var reason = code == signals.NeverMetMeasureCode ? "Consistently failing the target" : code == signals.OutlierMeasureCode ? "Special cause: concern" : "Red";
                var owner = m.OwnerAgencyKey;
                var records = held
                    ? new List<(MeetingRecordKind, string, string?)>
                    {
                        (MeetingRecordKind.Decision, $"The subgroup discussed {m.Title.ToLowerInvariant()} and asked for the owner's explanation.", null),
                    }
                    : [];
                if (held && random.NextDouble() < 0.5)
                    records.Add((MeetingRecordKind.NewChallenge, $"What is behind the change in {m.Title.ToLowerInvariant()}, and what is being done about it?", owner));
                if (held && random.NextDouble() < 0.35)
                    records.Add((MeetingRecordKind.NewAction, $"Bring a short deep dive on {m.Title.ToLowerInvariant()} to the next meeting.", owner));
                items.Add(new DemoAgendaItem(AgendaItemKind.ScorecardException, ScorecardExceptionsAgendaSource.SourceKey(code), $"{m.Code} {m.Title}", reason,
                    [new AgendaFact("Owner", demo.Agencies.Single(a => a.Key == owner).Name), new AgendaFact("Priority", m.PriorityCode)], records));
            }
            if (i >= 8)
            {
                items.Add(new DemoAgendaItem(AgendaItemKind.ReturnLateOrMissing, $"returns:meeting-{i}", "Late and missing returns", $"{late.Name} late",
                    [new AgendaFact(late.Name, "Late")],
                    held ? [(MeetingRecordKind.NewAction, "Agree a date for the outstanding return with the trust's data lead.", late.Key)] : []));
            }
            if (i % 3 == 0)
                items.Add(new DemoAgendaItem(null, null, "Annual report: the subgroup's contribution", "For agreement", [], held ? [(MeetingRecordKind.Decision, "Agreed for the annual report.", null)] : []));
            meetings.Add(new DemoMeeting(date, held ? MeetingStatus.Held : MeetingStatus.Planned, attendance, items));
        }
        return meetings;
    }

    /// <summary>Stores the demo meetings in the demo load's transaction.</summary>
    public static async Task LoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, DemoPartnership demo,
        IReadOnlyDictionary<string, int> agencyIds, CancellationToken ct)
    {
        var qa = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select id from app_user where partnership_id = @partnershipId and role = 'qa_member' order by id limit 1", new { partnershipId }, tx, cancellationToken: ct));
        foreach (var (meeting, i) in Generate(demo).Select((m, i) => (m, i)))
        {
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into meeting (partnership_id, kind, title, meeting_date, status, agenda_built_at, created_by)
                values (@partnershipId, 'qa_subgroup', @Title, @Date, @Status, @Built, @qa) returning id
                """, new
            {
                partnershipId, Title = $"QA subgroup, {meeting.Date:MMMM yyyy}", meeting.Date, Status = meeting.Status.ToDb(),
                Built = meeting.Date.AddDays(-7).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc), qa,
            }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into meeting_attendance (partnership_id, meeting_id, agency_id, attended, representative)
                select @partnershipId, @id, a, t, case when t then 'Safeguarding lead' else '' end from unnest(@Agencies, @Attended) as x(a, t)
                """, new
            {
                partnershipId, id,
                Agencies = meeting.Attendance.Select(a => agencyIds[a.AgencyKey]).ToArray(),
                Attended = meeting.Attendance.Select(a => a.Attended).ToArray(),
            }, tx, cancellationToken: ct));
            for (var p = 0; p < meeting.Items.Count; p++)
            {
                var item = meeting.Items[p];
                var itemId = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                    insert into agenda_item (partnership_id, meeting_id, position, kind, source_key, title, reason, link, facts)
                    values (@partnershipId, @id, @Position, @Kind, @SourceKey, @Title, @Reason, @Link, @Facts::jsonb) returning id
                    """, new
                {
                    partnershipId, id, Position = p + 1, Kind = item.Kind is { } k ? k.ToDb() : null, item.SourceKey, item.Title, item.Reason,
                    Link = ScorecardExceptionsAgendaSource.MeasureCode(item.SourceKey) is { } code ? $"/scorecard/measures/{code}" : item.Kind is null ? "" : "/returns/tracker",
                    Facts = AgendaFacts.ToJson(item.Facts),
                }, tx, cancellationToken: ct));
                foreach (var r in item.Records)
                {
                    await conn.ExecuteAsync(new CommandDefinition("""
                        insert into meeting_record (partnership_id, meeting_id, agenda_item_id, record_kind, text, owner_agency_id, due_date, recorded_by, recorded_at)
                        values (@partnershipId, @id, @itemId, @Kind, @Text, @Owner, @Due, @qa, @At)
                        """, new
                    {
                        partnershipId, id, itemId, Kind = r.Kind.ToDb(), r.Text, Owner = r.OwnerKey is null ? (int?)null : agencyIds[r.OwnerKey],
                        Due = r.OwnerKey is null ? (DateOnly?)null : meeting.Date.AddMonths(2), qa,
                        At = meeting.Date.ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc),
                    }, tx, cancellationToken: ct));
                }
            }
        }
    }

    /// <summary>
    /// Generates and stores the packs of the last <see cref="PackedMeetings"/> held demo meetings (after the demo load has
    /// committed, so the scorecard under their charts is readable). A failure is logged, never fatal: any pack can be
    /// generated again from the meeting's page.
    /// </summary>
    public static async Task GeneratePacksAsync(NpgsqlDataSource dataSource, int partnershipId, DemoPartnership demo, ILogger? logger, CancellationToken ct)
    {
        // Benchmark copies of the demo carry no users; their packs are left to be generated on demand.
        if (demo.Users.Count == 0)
            return;
        try
        {
            var clock = TimeProvider.System;
            var packs = new MeetingPackService(dataSource, new ScorecardReadModel(new ScorecardQueries(dataSource, clock), clock));
            var system = new Actor(partnershipId, 0, "Demo loader", Role.Admin, null);
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var ids = (await conn.QueryAsync<int>(new CommandDefinition("""
                select id from meeting m where partnership_id = @partnershipId and status = 'held'
                  and not exists (select 1 from meeting_pack p where p.partnership_id = m.partnership_id and p.meeting_id = m.id)
                order by meeting_date desc limit @PackedMeetings
                """, new { partnershipId, PackedMeetings }, cancellationToken: ct))).ToList();
            foreach (var id in ids)
                await packs.GenerateAsync(system, id, ct);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            logger?.LogWarning(e, "The demo meetings' packs were not generated; generate them from each meeting's page");
        }
    }
}
