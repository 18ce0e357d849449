using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>One action as listed.</summary>
/// <summary>One page of the action list and the counts of the whole filtered list.</summary>
public sealed record ActionListPage(IReadOnlyList<ActionRow> Rows, int Total, int Overdue, int AwaitingModeration, int Page, int Pages);

public sealed record ActionRow(
    int Id, string Title, SourceKind SourceKind, string SourceKey, string SourceTitle, int OwnerAgencyId, string OwnerAgencyName,
    string OwnerPerson, DateOnly StartDate, DateOnly DueDate, string? SuccessMeasureCode, ActionStatus Status, DateOnly? CompletedOn,
    DateOnly? LastUpdateOn, int Returns)
{
    /// <summary>Set by the query from today's date.</summary>
    public bool Overdue { get; init; }

    public SourceLink Source => new(SourceKind, SourceKey);
}

public sealed record ActionProgressRow(int Id, DateOnly NotedOn, string Note, ActionStatus StatusAfter, string RecordedByName, DateTime RecordedAt);

public sealed record ActionModerationRow(int Id, ModerationDecision Outcome, string Reason, string ModeratedByName, DateTime ModeratedAt);

public sealed record ActionEvidenceFileRow(long Id, string FileName, string ContentType, int SizeBytes, DateTime UploadedAt);

/// <summary>An action with its progress, moderation history and evidence.</summary>
public sealed record ActionDetail(
    ActionRow Action, string CompletionEvidence, string? CloseReason, int? LearningReviewId,
    IReadOnlyList<ActionProgressRow> Progress, IReadOnlyList<ActionModerationRow> Moderations, IReadOnlyList<ActionEvidenceFileRow> Files);

/// <summary>Filters of the actions list; an agency user's list is always their own agency's.</summary>
public sealed record ActionFilter(SourceKind? SourceKind = null, string? SourceKey = null, int? AgencyId = null, ActionStatus? Status = null, bool OverdueOnly = false)
{
    /// <summary>Several sources of <see cref="SourceKind"/> at once (an audit's findings, an activity's messages); null for any.</summary>
    public IReadOnlyList<string>? SourceKeys { get; init; }
}

/// <summary>The actions of one source: complete when every one is closed, then reportable to the Executive.</summary>
public sealed record ActionPlan(SourceLink Source, string SourceTitle, IReadOnlyList<ActionRow> Actions, bool Complete, DateTime? SignedOffAt, string? SignedOffBy)
{
    public bool AwaitingSignOff => Complete && SignedOffAt is null;
}

/// <summary>A complete plan awaiting the Executive's sign-off.</summary>
public sealed record PlanAwaitingSignOff(SourceLink Source, string SourceTitle, int Actions, DateTime LastClosedAt);

public sealed record EvidenceDownload(string FileName, string ContentType, byte[] Bytes);

/// <summary>Reads action plans; an agency user sees only their own agency's actions (checked here).</summary>
public sealed class ActionQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().Date);

    private static readonly string RowSql = $"""
        select a.id, a.title, a.source_kind, a.source_key, {SourceLinks.TitleSql("a", "source_kind", "source_key")} as source_title,
               a.owner_agency_id, ag.name as owner_agency_name, a.owner_person, a.start_date, a.due_date, m.code as success_measure_code,
               a.status, a.completed_on,
               (select max(p.noted_on) from action_progress p where p.partnership_id = a.partnership_id and p.action_id = a.id) as last_update_on,
               (select count(*)::int from action_moderation mo where mo.partnership_id = a.partnership_id and mo.action_id = a.id and mo.outcome = 'returned') as returns
        from improvement_action a
        join agency ag on ag.partnership_id = a.partnership_id and ag.id = a.owner_agency_id
        left join measure m on m.partnership_id = a.partnership_id and m.id = a.success_measure_id

        """;

    /// <summary>The actions matching the filter: overdue first, then off track, at risk, awaiting moderation, the rest.</summary>
    public async Task<IReadOnlyList<ActionRow>> ListAsync(Actor actor, ActionFilter filter, CancellationToken ct)
    {
        var agencyId = ImprovementAccess.SeesAll(actor) ? filter.AgencyId : actor.AgencyId;
        if (!ImprovementAccess.SeesAll(actor) && filter.AgencyId is { } asked && asked != actor.AgencyId)
            throw new AccessDeniedException($"{actor.DisplayName} may not list another agency's actions.");
        var sql = RowSql + """
            where a.partnership_id = @PartnershipId
              and (@Kind::text is null or a.source_kind = @Kind)
              and (@Key::text is null or a.source_key = @Key)
              and (@Keys::text[] is null or a.source_key = any(@Keys))
              and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)
              and (@Status::text is null or a.status = @Status)
              and (not @OverdueOnly or (a.status not in ('completed', 'closed') and a.due_date < @Today))
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ActionRow>(new CommandDefinition(sql, new
        {
            actor.PartnershipId, Kind = filter.SourceKind is { } k ? k.ToDb() : null, Key = filter.SourceKey, Keys = filter.SourceKeys?.ToArray(), AgencyId = agencyId, Status = filter.Status is { } st ? st.ToDb() : null,
            filter.OverdueOnly, Today,
        }, cancellationToken: ct));
        return Order(rows);
    }

    /// <summary>The actions of any of several sources of one kind (a measure; an audit's findings; a submission's standards,
    /// owned by its agency; a theme; an activity's messages), for the sources' pages; one query. No keys, no actions. An
    /// agency user sees their own agency's only.</summary>
    public async Task<IReadOnlyList<ActionRow>> ForSourcesAsync(Actor actor, SourceKind kind, IReadOnlyList<string> keys, int? ownerAgencyId, CancellationToken ct)
    {
        if (keys.Count == 0)
            return [];
        var agencyId = ImprovementAccess.SeesAll(actor) ? ownerAgencyId : actor.AgencyId;
        if (!ImprovementAccess.SeesAll(actor) && ownerAgencyId is { } asked && asked != actor.AgencyId)
            return [];
        return await ListAsync(actor, new ActionFilter(kind, AgencyId: agencyId) { SourceKeys = keys }, ct);
    }

    /// <summary>
    /// One page of the filtered list (overdue and at risk first, as <see cref="ListAsync"/>) with the counts of the whole
    /// list, so a page holds only the rows it shows. A page past the end gives the last page.
    /// </summary>
    public async Task<ActionListPage> PageAsync(Actor actor, ActionFilter filter, int page, int pageSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var all = await ListAsync(actor, filter, ct);
        var pages = Math.Max(1, (all.Count + pageSize - 1) / pageSize);
        var p = Math.Clamp(page, 1, pages);
        return new ActionListPage(all.Skip((p - 1) * pageSize).Take(pageSize).ToList(), all.Count, all.Count(r => r.Overdue),
            all.Count(r => r.Status == ActionStatus.Completed), p, pages);
    }

    private List<ActionRow> Order(IEnumerable<ActionRow> rows)
    {
        var today = Today;
        return rows.Select(r => r with { Overdue = ActionRules.IsOverdue(r.Status, r.DueDate, today) })
            .OrderBy(r => ActionRules.Rank(r.Status, r.DueDate, today)).ThenBy(r => r.DueDate).ThenBy(r => r.Id)
            .ToList();
    }

    /// <summary>An action with its history; null when there is none of this partnership; another agency's refused.</summary>
    public async Task<ActionDetail?> GetAsync(Actor actor, int actionId, CancellationToken ct)
    {
        var sql = RowSql + """
             where a.partnership_id = @PartnershipId and a.id = @actionId;
            select completion_evidence, close_reason,
                   case when source_kind = 'learning_review_recommendation' then
                       (select r.review_id from learning_review_recommendation r where r.partnership_id = a.partnership_id and r.id::text = a.source_key) end as learning_review_id
            from improvement_action a where partnership_id = @PartnershipId and id = @actionId;
            select id, noted_on, note, status_after, recorded_by_name, recorded_at from action_progress where partnership_id = @PartnershipId and action_id = @actionId order by id;
            select id, outcome, reason, moderated_by_name, moderated_at from action_moderation where partnership_id = @PartnershipId and action_id = @actionId order by id;
            select id, file_name, content_type, size_bytes, uploaded_at from action_evidence_file where partnership_id = @PartnershipId and action_id = @actionId order by id;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, actionId }, cancellationToken: ct));
        var row = (await grid.ReadAsync<ActionRow>()).SingleOrDefault();
        if (row is null)
            return null;
        ImprovementAccess.RequireSees(actor, row.OwnerAgencyId);
        var extra = await grid.ReadSingleAsync<(string Evidence, string? CloseReason, int? LearningReviewId)>();
        var progress = (await grid.ReadAsync<ActionProgressRow>()).ToList();
        var moderations = (await grid.ReadAsync<ActionModerationRow>()).ToList();
        var files = (await grid.ReadAsync<ActionEvidenceFileRow>()).ToList();
        return new ActionDetail(Order([row])[0], extra.Evidence, extra.CloseReason, extra.LearningReviewId, progress, moderations, files);
    }

    /// <summary>The action plan of a source: its actions (an agency user's own only), complete or not, signed off or not.</summary>
    public async Task<ActionPlan> PlanAsync(Actor actor, SourceLink source, CancellationToken ct)
    {
        var actions = await ListAsync(actor, new ActionFilter(source.Kind, source.Key), ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var title = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            $"select {SourceLinks.TitleSql("src", "src_kind", "src_key")} from (select @PartnershipId as partnership_id, @Kind::text as src_kind, @Key::text as src_key) src",
            new { actor.PartnershipId, Kind = source.Kind.ToDb(), source.Key }, cancellationToken: ct));
        // Completeness is the plan's, not the viewer's share of it.
        var statuses = (await conn.QueryAsync<string>(new CommandDefinition(
            "select status from improvement_action where partnership_id = @PartnershipId and source_kind = @Kind and source_key = @Key",
            new { actor.PartnershipId, Kind = source.Kind.ToDb(), source.Key }, cancellationToken: ct))).Select(DbEnum.Parse<ActionStatus>).ToList();
        var complete = ActionRules.PlanComplete(statuses);
        var signOff = await conn.QuerySingleOrDefaultAsync<(DateTime At, string By)?>(new CommandDefinition("""
            select s.signed_off_at, s.signed_off_by_name from action_plan_sign_off s
            where s.partnership_id = @PartnershipId and s.source_kind = @Kind and s.source_key = @Key
              and s.signed_off_at >= (select max(a.closed_at) from improvement_action a where a.partnership_id = s.partnership_id and a.source_kind = s.source_kind and a.source_key = s.source_key)
            order by s.signed_off_at desc limit 1
            """, new { actor.PartnershipId, Kind = source.Kind.ToDb(), source.Key }, cancellationToken: ct));
        return new ActionPlan(source, title ?? source.Key, actions, complete, complete ? signOff?.At : null, complete ? signOff?.By : null);
    }

    internal const string AwaitingSignOffSql = """
        select a.source_kind, a.source_key, count(*)::int as actions, max(a.closed_at) as last_closed_at
        from improvement_action a
        where a.partnership_id = @PartnershipId
        group by a.source_kind, a.source_key
        having bool_and(a.status = 'closed')
           and not exists (select 1 from action_plan_sign_off s where s.partnership_id = @PartnershipId and s.source_kind = a.source_kind
                           and s.source_key = a.source_key and s.signed_off_at >= max(a.closed_at))
        order by max(a.closed_at) desc
        """;

    /// <summary>Complete plans (every action closed) not signed off since their last action closed. Not for agency users:
    /// a plan spans agencies.</summary>
    public async Task<IReadOnlyList<PlanAwaitingSignOff>> AwaitingSignOffAsync(Actor actor, CancellationToken ct)
    {
        if (!ImprovementAccess.SeesAll(actor))
            return [];
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Kind, string Key, int Actions, DateTime LastClosedAt)>(new CommandDefinition(AwaitingSignOffSql, new { actor.PartnershipId }, cancellationToken: ct));
        var result = new List<PlanAwaitingSignOff>();
        foreach (var r in rows)
        {
            var title = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
                $"select {SourceLinks.TitleSql("src", "src_kind", "src_key")} from (select @PartnershipId as partnership_id, @Kind::text as src_kind, @Key::text as src_key) src",
                new { actor.PartnershipId, r.Kind, r.Key }, cancellationToken: ct));
            result.Add(new PlanAwaitingSignOff(new SourceLink(DbEnum.Parse<SourceKind>(r.Kind), r.Key), title ?? r.Key, r.Actions, r.LastClosedAt));
        }
        return result;
    }

    /// <summary>The actions whose success measure is <paramref name="measureCode"/>, with their dates (for the SPC chart's marks).</summary>
    public async Task<IReadOnlyList<ActionRow>> ForSuccessMeasureAsync(Actor actor, string measureCode, CancellationToken ct)
    {
        var sql = RowSql + """
            where a.partnership_id = @PartnershipId and m.code = @measureCode
              and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ActionRow>(new CommandDefinition(sql, new
        {
            actor.PartnershipId, measureCode, AgencyId = ImprovementAccess.SeesAll(actor) ? (int?)null : actor.AgencyId,
        }, cancellationToken: ct));
        return Order(rows);
    }

    /// <summary>An evidence file's bytes; null when there is none; another agency's refused.</summary>
    public async Task<EvidenceDownload?> EvidenceFileAsync(Actor actor, long fileId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string FileName, string ContentType, byte[] Bytes, int OwnerAgencyId)?>(new CommandDefinition("""
            select f.file_name, f.content_type, f.bytes, a.owner_agency_id
            from action_evidence_file f join improvement_action a on a.partnership_id = f.partnership_id and a.id = f.action_id
            where f.partnership_id = @PartnershipId and f.id = @fileId
            """, new { actor.PartnershipId, fileId }, cancellationToken: ct));
        if (row is not { } r)
            return null;
        ImprovementAccess.RequireSees(actor, r.OwnerAgencyId);
        return new EvidenceDownload(r.FileName, r.ContentType, r.Bytes);
    }
}
