using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Improvement;

namespace Scorecard.Data.Meetings;

/// <summary>A meeting to plan. <paramref name="AgencyIds"/> are the agencies invited; null invites the partnership's
/// active agencies outside education (schools are represented by the education lead, as in the arrangements).</summary>
public sealed record NewMeeting(MeetingKind Kind, string Title, DateOnly MeetingDate, IReadOnlyList<int>? AgencyIds = null);

/// <summary>Whether one invited agency was represented, and by whom (a role: "Head of safeguarding").</summary>
public sealed record AttendanceInput(int AgencyId, bool Attended, string Representative = "");

/// <summary>
/// What the meeting records against an item. A new challenge or action names the agency it goes to and its due date; an
/// action also its owner (a person or role). <paramref name="SubjectKind"/> and <paramref name="SubjectKey"/> name what it is
/// about when the item has no subject of its own (otherwise the item's subject is used).
/// </summary>
public sealed record NewMeetingRecord(
    MeetingRecordKind Kind, string Text, int? OwnerAgencyId = null, DateOnly? DueDate = null, string? OwnerPerson = null,
    SourceKind? SubjectKind = null, string? SubjectKey = null);

/// <summary>
/// Commands of the QA subgroup's and the Executive's meetings (issue 13 §4): plan, record attendance, build the agenda
/// from every registered <see cref="IAgendaSource"/> (keeping the chair's order and drops), reorder, drop, add items,
/// and minute decisions, new challenges and new actions. Each runs in one transaction with its change-log entry.
/// </summary>
public sealed class MeetingCommands(
    NpgsqlDataSource dataSource, IEnumerable<IAgendaSource> sources, TimeProvider clock, ChallengeCommands challenges, ActionCommands actions)
{
    private const string ItemField = "AgendaItemId";

    public async Task<Result<int>> CreateAsync(Actor actor, NewMeeting meeting, CancellationToken ct)
    {
        MeetingAccess.RequireRunner(actor, meeting.Kind);
        var v = new Validator();
        v.Required(nameof(meeting.Title), meeting.Title, "Title", 200, 3);
        v.When(meeting.MeetingDate.Year is < 2000 or > 2100, nameof(meeting.MeetingDate), "Choose a date between 2000 and 2100.");
        v.When(meeting.AgencyIds is { Count: 0 }, nameof(meeting.AgencyIds), "Invite at least one agency.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            int[] invited;
            if (meeting.AgencyIds is { } ids)
            {
                invited = ids.Distinct().ToArray();
                var known = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                    "select count(*)::int from agency where partnership_id = @PartnershipId and id = any(@invited)",
                    new { actor.PartnershipId, invited }, tx, cancellationToken: ct));
                if (known != invited.Length)
                    return Result<int>.Fail(nameof(meeting.AgencyIds), "Invite agencies of this partnership.");
            }
            else
            {
                invited = (await conn.QueryAsync<int>(new CommandDefinition(
                    "select id from agency where partnership_id = @PartnershipId and active and sector <> 'education' order by name",
                    new { actor.PartnershipId }, tx, cancellationToken: ct))).ToArray();
            }
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into meeting (partnership_id, kind, title, meeting_date, created_by)
                values (@PartnershipId, @Kind, @Title, @MeetingDate, @CreatedBy) returning id
                """, new { actor.PartnershipId, Kind = meeting.Kind.ToDb(), Title = meeting.Title.Trim(), meeting.MeetingDate, CreatedBy = UserOrNull(actor) },
                tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into meeting_attendance (partnership_id, meeting_id, agency_id, attended)
                select @PartnershipId, @id, unnest(@invited), false
                """, new { actor.PartnershipId, id, invited }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "meeting", id, "create",
                $"Planned the {meeting.Kind.Label()} meeting \"{meeting.Title.Trim()}\" on {meeting.MeetingDate.ToString("d MMMM yyyy", MeetingWords.Uk)}", null,
                new { Kind = meeting.Kind.ToDb(), Title = meeting.Title.Trim(), meeting.MeetingDate, Invited = invited }, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    /// <summary>Marks a meeting held (or planned again).</summary>
    public async Task<Result<bool>> SetStatusAsync(Actor actor, int meetingId, MeetingStatus status, CancellationToken ct) =>
        await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            if (m.Status == status)
                return Result<bool>.Ok(false);
            await conn.ExecuteAsync(new CommandDefinition("update meeting set status = @Status where partnership_id = @PartnershipId and id = @meetingId",
                new { actor.PartnershipId, meetingId, Status = status.ToDb() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "meeting", meetingId, "update", $"Meeting \"{m.Title}\" marked {status.ToDb()}",
                new { Status = m.Status.ToDb() }, new { Status = status.ToDb() }, ct);
            return Result<bool>.Ok(true);
        }, ct);

    /// <summary>Records who was represented. Every agency named must have been invited; agencies not named are unchanged.</summary>
    public async Task<Result<bool>> RecordAttendanceAsync(Actor actor, int meetingId, IReadOnlyList<AttendanceInput> attendance, CancellationToken ct)
    {
        var v = new Validator();
        foreach (var a in attendance)
            v.When((a.Representative ?? "").Trim().Length > 200, "Representative", "A representative's role must be at most 200 characters.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            var ids = attendance.Select(a => a.AgencyId).Distinct().ToArray();
            var before = (await conn.QueryAsync<(int AgencyId, bool Attended, string Representative)>(new CommandDefinition(
                "select agency_id, attended, representative from meeting_attendance where partnership_id = @PartnershipId and meeting_id = @meetingId and agency_id = any(@ids) for update",
                new { actor.PartnershipId, meetingId, ids }, tx, cancellationToken: ct))).ToList();
            if (before.Count != ids.Length)
                return Result<bool>.Fail("AgencyId", "Record attendance only for agencies invited to this meeting.");
            await conn.ExecuteAsync(new CommandDefinition("""
                update meeting_attendance a set attended = t.attended, representative = t.representative
                from unnest(@Agencies, @Attended, @Representatives) as t(agency_id, attended, representative)
                where a.partnership_id = @PartnershipId and a.meeting_id = @meetingId and a.agency_id = t.agency_id
                """, new
            {
                actor.PartnershipId, meetingId,
                Agencies = attendance.Select(a => a.AgencyId).ToArray(),
                Attended = attendance.Select(a => a.Attended).ToArray(),
                Representatives = attendance.Select(a => (a.Representative ?? "").Trim()).ToArray(),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "meeting_attendance", meetingId, "update",
                $"Recorded attendance at \"{m.Title}\": {attendance.Count(a => a.Attended)} of {attendance.Count} agencies represented",
                before.Select(b => new { b.AgencyId, b.Attended, b.Representative }).ToList(),
                attendance.Select(a => new { a.AgencyId, a.Attended, Representative = (a.Representative ?? "").Trim() }).ToList(), ct);
            return Result<bool>.Ok(true);
        }, ct);
    }

    /// <summary>
    /// Builds (or rebuilds) the agenda from what every registered source proposes since the previous meeting of the same
    /// kind (or the last two months, for the first): <see cref="AgendaBuilder.Build"/> keeps the chair's order, drops and
    /// own items. Returns the number of items on the agenda.
    /// </summary>
    public async Task<Result<int>> BuildAgendaAsync(Actor actor, int meetingId, CancellationToken ct)
    {
        var head = await HeadAsync(actor, meetingId, ct);
        if (head is null)
            return Result<int>.Fail(ItemField, "That meeting does not exist.");
        MeetingAccess.RequireRunner(actor, head.Kind);
        DateOnly since;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            since = await MeetingQueries.PreviousMeetingDateAsync(conn, null, actor.PartnershipId, head.Kind, head.MeetingDate, ct) ?? head.MeetingDate.AddMonths(-2);
        var candidates = await AgendaSources.FindAllAsync(sources, actor, since, head.MeetingDate, ct);

        return await InMeetingAsync<int>(actor, meetingId, async (conn, tx, m) =>
        {
            var existing = await ExistingEntriesAsync(conn, tx, actor.PartnershipId, meetingId, ct);
            var agenda = AgendaBuilder.Build(m.Kind, existing, candidates);
            var keptIds = agenda.Where(e => e.Id is not null).Select(e => e.Id!.Value).ToArray();
            var removed = existing.Where(e => e.Id is { } id && !keptIds.Contains(id)).ToList();
            await conn.ExecuteAsync(new CommandDefinition(
                "delete from agenda_item where partnership_id = @PartnershipId and meeting_id = @meetingId and id = any(@Ids)",
                new { actor.PartnershipId, meetingId, Ids = removed.Select(e => e.Id!.Value).ToArray() }, tx, cancellationToken: ct));
            await WriteEntriesAsync(conn, tx, actor.PartnershipId, meetingId, agenda, ct);
            await conn.ExecuteAsync(new CommandDefinition("update meeting set agenda_built_at = @Now where partnership_id = @PartnershipId and id = @meetingId",
                new { actor.PartnershipId, meetingId, Now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
            var added = agenda.Count(e => e.Id is null);
            await ChangeLog.WriteAsync(conn, tx, actor, "meeting", meetingId, "update",
                $"{(existing.Count == 0 ? "Built" : "Rebuilt")} the agenda of \"{m.Title}\": {agenda.Count} items ({added} new, {removed.Count} no longer proposed)",
                existing.Count == 0 ? null : new { Items = existing.Select(e => e.SourceKey ?? e.Title).ToList() },
                new { Since = since, Items = agenda.Select(e => e.SourceKey ?? e.Title).ToList() }, ct);
            return Result<int>.Ok(agenda.Count(e => !e.Dropped));
        }, ct);
    }

    /// <summary>Moves an item up (negative) or down (positive) the agenda.</summary>
    public async Task<Result<bool>> MoveItemAsync(Actor actor, int meetingId, int itemId, int delta, CancellationToken ct) =>
        await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            var existing = await ExistingEntriesAsync(conn, tx, actor.PartnershipId, meetingId, ct);
            var index = existing.ToList().FindIndex(e => e.Id == itemId);
            if (index < 0)
                return Result<bool>.Fail(ItemField, "That item is not on this meeting's agenda.");
            var moved = AgendaBuilder.Move(existing, index, delta);
            var to = moved.ToList().FindIndex(e => e.Id == itemId);
            if (to == index)
                return Result<bool>.Ok(false);
            await WriteEntriesAsync(conn, tx, actor.PartnershipId, meetingId, moved, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "agenda_item", itemId, "update",
                $"Moved \"{existing[index].Title}\" from {index + 1} to {to + 1} on the agenda of \"{m.Title}\"",
                new { Position = index + 1 }, new { Position = to + 1 }, ct);
            return Result<bool>.Ok(true);
        }, ct);

    /// <summary>Drops an item from the agenda (it stays listed, struck through, and can be restored) or restores it.</summary>
    public async Task<Result<bool>> SetDroppedAsync(Actor actor, int meetingId, int itemId, bool dropped, CancellationToken ct) =>
        await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            var title = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "update agenda_item set dropped = @dropped where partnership_id = @PartnershipId and meeting_id = @meetingId and id = @itemId and dropped <> @dropped returning title",
                new { actor.PartnershipId, meetingId, itemId, dropped }, tx, cancellationToken: ct));
            if (title is null)
            {
                var exists = await ItemExistsAsync(conn, tx, actor.PartnershipId, meetingId, itemId, ct);
                return exists ? Result<bool>.Ok(false) : Result<bool>.Fail(ItemField, "That item is not on this meeting's agenda.");
            }
            await ChangeLog.WriteAsync(conn, tx, actor, "agenda_item", itemId, "update",
                $"{(dropped ? "Dropped" : "Restored")} \"{title}\" {(dropped ? "from" : "to")} the agenda of \"{m.Title}\"",
                new { Dropped = !dropped }, new { Dropped = dropped }, ct);
            return Result<bool>.Ok(true);
        }, ct);

    /// <summary>Adds the chair's own item at the end of the agenda.</summary>
    public async Task<Result<int>> AddItemAsync(Actor actor, int meetingId, string title, string reason, CancellationToken ct)
    {
        var v = new Validator();
        v.Required("Title", title, "Title", 300, 3);
        v.When((reason ?? "").Trim().Length > 2000, "Reason", "The note must be at most 2,000 characters.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into agenda_item (partnership_id, meeting_id, position, title, reason)
                values (@PartnershipId, @meetingId,
                        (select coalesce(max(position), 0) + 1 from agenda_item where partnership_id = @PartnershipId and meeting_id = @meetingId),
                        @Title, @Reason)
                returning id
                """, new { actor.PartnershipId, meetingId, Title = title.Trim(), Reason = (reason ?? "").Trim() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "agenda_item", id, "create", $"Added \"{title.Trim()}\" to the agenda of \"{m.Title}\"",
                null, new { Title = title.Trim(), Reason = (reason ?? "").Trim() }, ct);
            return Result<int>.Ok(id);
        }, ct);
    }

    /// <summary>
    /// Records a decision, a new challenge or a new action against an agenda item. A new challenge is raised in the
    /// challenge log (to the agency, at this meeting, about the item's subject) and a new action created in action plans
    /// (its source the item's subject), each through that feature's own command and its rules, in the same transaction as
    /// the minute, which keeps the link. The subject is the item's measure, risk, theme, challenge, action plan's source or
    /// an action's source; for an item without one (late returns, an audit, the chair's own) the record names it.
    /// </summary>
    public async Task<Result<int>> RecordAsync(Actor actor, int meetingId, int itemId, NewMeetingRecord record, CancellationToken ct)
    {
        var v = new Validator();
        var isChallenge = record.Kind == MeetingRecordKind.NewChallenge;
        v.Required("Text", record.Text, record.Kind == MeetingRecordKind.Decision ? "The decision" : isChallenge ? "The challenge" : "The action",
            isChallenge ? 2000 : record.Kind == MeetingRecordKind.NewAction ? 500 : 4000, isChallenge || record.Kind == MeetingRecordKind.NewAction ? 5 : 3);
        v.When(record.Kind != MeetingRecordKind.Decision && record.OwnerAgencyId is null, "OwnerAgencyId",
            isChallenge ? "Choose the agency the challenge is put to." : "Choose the agency that owns the action.");
        v.When(record.DueDate is { Year: < 2000 or > 2100 }, "DueDate", "Choose a due date between 2000 and 2100.");
        v.When(record.Kind != MeetingRecordKind.Decision && record.DueDate is null, "DueDate",
            isChallenge ? "Choose the date the agency's response is due." : "Choose the date the action is due.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await InMeetingAsync(actor, meetingId, async (conn, tx, m) =>
        {
            var found = await conn.QuerySingleOrDefaultAsync<ItemHead>(new CommandDefinition(
                "select title, source_key from agenda_item where partnership_id = @PartnershipId and meeting_id = @meetingId and id = @itemId",
                new { actor.PartnershipId, meetingId, itemId }, tx, cancellationToken: ct));
            if (found is null)
                return Result<int>.Fail(ItemField, "That item is not on this meeting's agenda.");
            var title = found.Title;
            if (record.OwnerAgencyId is { } owner && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select exists (select 1 from agency where partnership_id = @PartnershipId and id = @owner)", new { actor.PartnershipId, owner }, tx, cancellationToken: ct)))
                return Result<int>.Fail("OwnerAgencyId", "Choose an agency of this partnership.");

            int? challengeId = null, actionId = null;
            SourceLink? subject = null;
            if (record.Kind != MeetingRecordKind.Decision)
            {
                subject = record.SubjectKind is { } sk ? new SourceLink(sk, record.SubjectKey ?? "") : await SubjectOfAsync(conn, tx, actor.PartnershipId, found.SourceKey, ct);
                if (subject is null)
                    return Result<int>.Fail("Subject", "This item has no measure, finding, standard, theme or risk of its own: choose what the "
                        + (isChallenge ? "challenge" : "action") + " is about.");
                // The other feature's command joins this transaction: its rules, validation and change-log entry, one commit.
                using (Transactions.Join(dataSource, conn, tx))
                {
                    if (isChallenge)
                    {
                        var raised = await challenges.RaiseAsync(actor,
                            new NewChallenge(record.Text.Trim(), subject.Kind, subject.Key, record.OwnerAgencyId!.Value, m.MeetingDate, record.DueDate!.Value), ct);
                        if (!raised.Succeeded)
                            return Result<int>.Fail(Rename(raised.Errors));
                        challengeId = raised.Value;
                    }
                    else
                    {
                        var today = DateOnly.FromDateTime(clock.GetLocalNow().Date);
                        var start = m.MeetingDate > today ? today : m.MeetingDate;
                        var created = await actions.CreateAsync(actor,
                            new NewAction(record.Text.Trim(), subject.Kind, subject.Key, record.OwnerAgencyId!.Value, (record.OwnerPerson ?? "").Trim(),
                                start, record.DueDate!.Value, null), ct);
                        if (!created.Succeeded)
                            return Result<int>.Fail(Rename(created.Errors));
                        actionId = created.Value;
                    }
                }
            }
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into meeting_record (partnership_id, meeting_id, agenda_item_id, record_kind, text, owner_agency_id, due_date, recorded_by, recorded_at, challenge_id, action_id)
                values (@PartnershipId, @meetingId, @itemId, @Kind, @Text, @OwnerAgencyId, @DueDate, @RecordedBy, @Now, @challengeId, @actionId)
                returning id
                """, new
            {
                actor.PartnershipId, meetingId, itemId, Kind = record.Kind.ToDb(), Text = record.Text.Trim(),
                OwnerAgencyId = record.Kind == MeetingRecordKind.Decision ? null : record.OwnerAgencyId, record.DueDate,
                RecordedBy = UserOrNull(actor), Now = clock.GetUtcNow().UtcDateTime, challengeId, actionId,
            }, tx, cancellationToken: ct));
            var linked = challengeId is { } c ? $" (challenge {c})" : actionId is { } a ? $" (action {a})" : "";
            await ChangeLog.WriteAsync(conn, tx, actor, "meeting_record", id, "create",
                $"{record.Kind.Label()}{linked} recorded against \"{title}\" at \"{m.Title}\"", null,
                new { Kind = record.Kind.ToDb(), Text = record.Text.Trim(), record.OwnerAgencyId, record.DueDate, AgendaItemId = itemId, Subject = subject?.ToString(), challengeId, actionId }, ct);
            return Result<int>.Ok(id);
        }, ct);
    }

    /// <summary>
    /// What a challenge or action raised against an agenda item is about, from the item's source key: a measure, a risk
    /// (escalated or overdue for review), a triangulation theme, a challenge, the source of an action plan or of an action.
    /// Null for items without a subject of their own (late returns, an audit as a whole, the chair's own items).
    /// </summary>
    public static SourceLink? SubjectOf(string? sourceKey)
    {
        var colon = sourceKey?.IndexOf(':') ?? -1;
        if (sourceKey is null || colon <= 0)
            return null;
        var (prefix, rest) = (sourceKey[..colon], sourceKey[(colon + 1)..]);
        return prefix switch
        {
            "measure" => new SourceLink(SourceKind.Measure, rest),
            "risk" or "risk-review" => new SourceLink(SourceKind.Risk, rest),
            "theme" => new SourceLink(SourceKind.TriangulationTheme, rest),
            "challenge" => new SourceLink(SourceKind.Challenge, rest),
            "plan" when rest.IndexOf(':') is var c2 && c2 > 0 && DbEnum.TryParse<SourceKind>(rest[..c2], out var kind) => new SourceLink(kind, rest[(c2 + 1)..]),
            _ => null,
        };
    }

    private static async Task<SourceLink?> SubjectOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, string? sourceKey, CancellationToken ct)
    {
        if (sourceKey is not null && sourceKey.StartsWith("action:", StringComparison.Ordinal)
            && int.TryParse(sourceKey["action:".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var actionId))
        {
            var source = await conn.QuerySingleOrDefaultAsync<ActionSource>(new CommandDefinition(
                "select source_kind as kind, source_key as key from improvement_action where partnership_id = @partnershipId and id = @actionId",
                new { partnershipId, actionId }, tx, cancellationToken: ct));
            return source is null ? null : new SourceLink(DbEnum.Parse<SourceKind>(source.Kind), source.Key);
        }
        return SubjectOf(sourceKey);
    }

    /// <summary>The challenge log's and action plans' field names as the meeting's record form names them.</summary>
    private static IReadOnlyList<FieldError> Rename(IReadOnlyList<FieldError> errors) => errors.Select(e => e with
    {
        Field = e.Field switch
        {
            nameof(NewChallenge.Question) or nameof(NewAction.Title) => "Text",
            nameof(NewChallenge.ToAgencyId) => "OwnerAgencyId",
            nameof(NewChallenge.SubjectKey) => "Subject",
            _ => e.Field,
        },
    }).ToList();

    private sealed record ItemHead(string Title, string? SourceKey);

    private sealed record ActionSource(string Kind, string Key);

    internal sealed record MeetingHead(int Id, MeetingKind Kind, string Title, DateOnly MeetingDate, MeetingStatus Status);

    private async Task<MeetingHead?> HeadAsync(Actor actor, int meetingId, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<MeetingHead>(new CommandDefinition(
            "select id, kind, title, meeting_date, status from meeting where partnership_id = @PartnershipId and id = @meetingId",
            new { actor.PartnershipId, meetingId }, cancellationToken: ct));
    }

    /// <summary>Runs <paramref name="work"/> in one transaction with the meeting's row locked, after checking the actor may run it.</summary>
    private Task<Result<T>> InMeetingAsync<T>(Actor actor, int meetingId, Func<NpgsqlConnection, NpgsqlTransaction, MeetingHead, Task<Result<T>>> work, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var m = await conn.QuerySingleOrDefaultAsync<MeetingHead>(new CommandDefinition(
                "select id, kind, title, meeting_date, status from meeting where partnership_id = @PartnershipId and id = @meetingId for update",
                new { actor.PartnershipId, meetingId }, tx, cancellationToken: ct));
            if (m is null)
                return Result<T>.Fail("MeetingId", "That meeting does not exist.");
            MeetingAccess.RequireRunner(actor, m.Kind);
            return await work(conn, tx, m);
        }, _ => null, ct);
    }

    private sealed record EntryRaw(int Id, string? Kind, string? SourceKey, string Title, string Reason, int Urgency, string Link, string Facts, bool Dropped, bool HasRecords);

    private static async Task<IReadOnlyList<AgendaEntry>> ExistingEntriesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, int meetingId, CancellationToken ct)
    {
        const string sql = """
            select i.id, i.kind, i.source_key, i.title, i.reason, i.urgency, i.link, i.facts::text as facts, i.dropped,
                   exists (select 1 from meeting_record r where r.partnership_id = i.partnership_id and r.agenda_item_id = i.id) as has_records
            from agenda_item i
            where i.partnership_id = @partnershipId and i.meeting_id = @meetingId
            order by i.position, i.id
            """;
        return (await conn.QueryAsync<EntryRaw>(new CommandDefinition(sql, new { partnershipId, meetingId }, tx, cancellationToken: ct)))
            .Select(r => new AgendaEntry(r.Id, AgendaFacts.Kind(r.Kind), r.SourceKey, r.Title, r.Reason, r.Urgency, r.Link, AgendaFacts.FromJson(r.Facts), r.Dropped, r.HasRecords))
            .ToList();
    }

    /// <summary>Writes the agenda in order: updates stored items (position and refreshed content), inserts new ones.</summary>
    private static async Task WriteEntriesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, int meetingId, IReadOnlyList<AgendaEntry> agenda, CancellationToken ct)
    {
        var stored = agenda.Select((e, i) => (Entry: e, Position: i + 1)).Where(x => x.Entry.Id is not null).ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            update agenda_item a set position = t.position, title = t.title, reason = t.reason, urgency = t.urgency, link = t.link, facts = t.facts::jsonb,
                   kind = t.kind
            from unnest(@Ids, @Positions, @Titles, @Reasons, @Urgencies, @Links, @Facts, @Kinds) as t(id, position, title, reason, urgency, link, facts, kind)
            where a.partnership_id = @partnershipId and a.meeting_id = @meetingId and a.id = t.id
            """, new
        {
            partnershipId, meetingId,
            Ids = stored.Select(x => x.Entry.Id!.Value).ToArray(),
            Positions = stored.Select(x => x.Position).ToArray(),
            Titles = stored.Select(x => Clip(x.Entry.Title, 300)).ToArray(),
            Reasons = stored.Select(x => Clip(x.Entry.Reason, 2000)).ToArray(),
            Urgencies = stored.Select(x => x.Entry.Urgency).ToArray(),
            Links = stored.Select(x => Clip(x.Entry.Link, 500)).ToArray(),
            Facts = stored.Select(x => AgendaFacts.ToJson(x.Entry.Facts)).ToArray(),
            Kinds = stored.Select(x => x.Entry.Kind is { } k ? k.ToDb() : null).ToArray(),
        }, tx, cancellationToken: ct));
        var fresh = agenda.Select((e, i) => (Entry: e, Position: i + 1)).Where(x => x.Entry.Id is null).ToList();
        if (fresh.Count == 0)
            return;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into agenda_item (partnership_id, meeting_id, position, kind, source_key, title, reason, urgency, link, facts)
            select @partnershipId, @meetingId, t.position, t.kind, t.source_key, t.title, t.reason, t.urgency, t.link, t.facts::jsonb
            from unnest(@Positions, @Kinds, @Keys, @Titles, @Reasons, @Urgencies, @Links, @Facts) as t(position, kind, source_key, title, reason, urgency, link, facts)
            """, new
        {
            partnershipId, meetingId,
            Positions = fresh.Select(x => x.Position).ToArray(),
            Kinds = fresh.Select(x => x.Entry.Kind is { } k ? k.ToDb() : null).ToArray(),
            Keys = fresh.Select(x => x.Entry.SourceKey).ToArray(),
            Titles = fresh.Select(x => Clip(x.Entry.Title, 300)).ToArray(),
            Reasons = fresh.Select(x => Clip(x.Entry.Reason, 2000)).ToArray(),
            Urgencies = fresh.Select(x => x.Entry.Urgency).ToArray(),
            Links = fresh.Select(x => Clip(x.Entry.Link, 500)).ToArray(),
            Facts = fresh.Select(x => AgendaFacts.ToJson(x.Entry.Facts)).ToArray(),
        }, tx, cancellationToken: ct));
    }

    private static async Task<bool> ItemExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, int meetingId, int itemId, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from agenda_item where partnership_id = @partnershipId and meeting_id = @meetingId and id = @itemId)",
            new { partnershipId, meetingId, itemId }, tx, cancellationToken: ct));

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static int? UserOrNull(Actor actor) => actor.UserId == 0 ? null : actor.UserId;
}
