using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Voice;

namespace Scorecard.Data.Triangulation;

public sealed record ThemeInput(string Title, string Description, int PriorityId, int SortOrder = 0);

/// <summary>A link to one piece of evidence: exactly the field of its <see cref="Kind"/> is set.</summary>
public sealed record LinkInput(LinkKind Kind, int? Id = null, string? Topic = null)
{
    public static LinkInput Measure(int id) => new(LinkKind.Measure, id);
    public static LinkInput AuditQuestion(int id) => new(LinkKind.AuditQuestion, id);
    public static LinkInput SummaryTopic(string topic) => new(LinkKind.SummaryTopic, null, topic);
    public static LinkInput Standard(int id) => new(LinkKind.Standard, id);
    public static LinkInput VoiceQuestion(int id) => new(LinkKind.VoiceQuestion, id);
}

/// <summary>A QA member's assurance judgement for a meeting: with no override it records the computed verdict as the judgement.</summary>
public sealed record JudgementInput(DateOnly MeetingDate, Verdict? Override, Side OverrideSide, string Rationale);

/// <summary>
/// Changes themes, their links and rules, and records assurance judgements. QA members and admins manage themes and links
/// and record judgements; only admins tune a theme's rules (issue 12 §2). Each change is one transaction with its change log.
/// </summary>
public sealed class TriangulationCommands(NpgsqlDataSource dataSource, TriangulationQueries queries)
{
    public async Task<Result<int>> CreateThemeAsync(Actor actor, ThemeInput input, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        var v = new Validator();
        v.Required(nameof(input.Title), input.Title, "Title", 200, 3);
        v.When((input.Description ?? "").Length > 2000, nameof(input.Description), "The description must be at most 2,000 characters.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var priority = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from priority where partnership_id = @PartnershipId and id = @PriorityId)", new { actor.PartnershipId, input.PriorityId }, tx, cancellationToken: ct));
            if (!priority)
                return Result<int>.Fail(nameof(input.PriorityId), "Choose one of the partnership's priorities.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into triangulation_theme (partnership_id, title, description, priority_id, sort_order, created_by)
                values (@PartnershipId, @Title, @Description, @PriorityId, @SortOrder, @UserId) returning id
                """, new { actor.PartnershipId, Title = input.Title.Trim(), Description = (input.Description ?? "").Trim(), input.PriorityId, input.SortOrder, UserId = UserId(actor) }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_theme", id, "create", $"Line of enquiry \"{input.Title.Trim()}\"", null, input, ct);
            return Result<int>.Ok(id);
        }, e => e.ConstraintName == "triangulation_theme_title_key" ? new FieldError(nameof(input.Title), "There is already a theme with that title.") : null, ct);
    }

    /// <summary>Edits a theme's title, description, priority and order (QA members and admins), logged with before and after.</summary>
    public async Task<Result<bool>> UpdateThemeAsync(Actor actor, int themeId, ThemeInput input, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        var v = new Validator();
        v.Required(nameof(input.Title), input.Title, "Title", 200, 3);
        v.When((input.Description ?? "").Length > 2000, nameof(input.Description), "The description must be at most 2,000 characters.");
        v.When(input.SortOrder is < 0 or > 10_000, nameof(input.SortOrder), "The order must be between 0 and 10,000.");
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<ThemeBefore>(new CommandDefinition(
                "select title, description, priority_id, sort_order from triangulation_theme where partnership_id = @PartnershipId and id = @themeId for update",
                new { actor.PartnershipId, themeId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("Theme", "There is no such theme.");
            var priority = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from priority where partnership_id = @PartnershipId and id = @PriorityId)", new { actor.PartnershipId, input.PriorityId }, tx, cancellationToken: ct));
            if (!priority)
                return Result<bool>.Fail(nameof(input.PriorityId), "Choose one of the partnership's priorities.");
            var after = new ThemeBefore(input.Title.Trim(), (input.Description ?? "").Trim(), input.PriorityId, input.SortOrder);
            if (after == before)
                return Result<bool>.Ok(false);
            await conn.ExecuteAsync(new CommandDefinition("""
                update triangulation_theme set title = @Title, description = @Description, priority_id = @PriorityId, sort_order = @SortOrder
                where partnership_id = @PartnershipId and id = @themeId
                """, new { actor.PartnershipId, themeId, after.Title, after.Description, after.PriorityId, after.SortOrder }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_theme", themeId, "update",
                before.Title == after.Title ? $"Line of enquiry \"{after.Title}\" edited" : $"Line of enquiry \"{before.Title}\" renamed \"{after.Title}\"", before, after, ct);
            return Result<bool>.Ok(true);
        }, e => e.ConstraintName == "triangulation_theme_title_key" ? new FieldError(nameof(input.Title), "There is already a theme with that title.") : null, ct);
    }

    private sealed record ThemeBefore(string Title, string Description, int PriorityId, int SortOrder);

    /// <summary>Links a theme to evidence; the evidence must be the partnership's own.</summary>
    public async Task<Result<int>> AddLinkAsync(Actor actor, int themeId, LinkInput link, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        var topic = string.IsNullOrWhiteSpace(link.Topic) ? null : link.Topic.Trim();
        if ((link.Kind == LinkKind.SummaryTopic) != (topic is not null) || (link.Kind != LinkKind.SummaryTopic && link.Id is null))
            return Result<int>.Fail("Link", "Choose the evidence to link.");
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var title = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select title from triangulation_theme where partnership_id = @PartnershipId and id = @themeId", new { actor.PartnershipId, themeId }, tx, cancellationToken: ct));
            if (title is null)
                return Result<int>.Fail("Theme", "There is no such theme.");
            var table = link.Kind switch
            {
                LinkKind.Measure => "measure",
                LinkKind.AuditQuestion => "audit_question",
                LinkKind.Standard => "framework_standard",
                LinkKind.VoiceQuestion => "voice_question",
                _ => null,
            };
            if (table is not null)
            {
                // The table name comes from the switch above, never from input.
                var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                    $"select exists (select 1 from {table} where partnership_id = @PartnershipId and id = @Id)", new { actor.PartnershipId, link.Id }, tx, cancellationToken: ct));
                if (!exists)
                    return Result<int>.Fail("Link", "That evidence is not in this partnership.");
            }
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into triangulation_link (partnership_id, theme_id, kind, measure_id, audit_question_id, summary_topic, standard_id, voice_question_id)
                values (@PartnershipId, @themeId, @Kind, @MeasureId, @AuditQuestionId, @topic, @StandardId, @VoiceQuestionId) returning id
                """, new
            {
                actor.PartnershipId, themeId, Kind = link.Kind.ToDb(), topic,
                MeasureId = link.Kind == LinkKind.Measure ? link.Id : null, AuditQuestionId = link.Kind == LinkKind.AuditQuestion ? link.Id : null,
                StandardId = link.Kind == LinkKind.Standard ? link.Id : null, VoiceQuestionId = link.Kind == LinkKind.VoiceQuestion ? link.Id : null,
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_link", id, "create", $"Evidence linked to \"{title}\"", null,
                new { themeId, Kind = link.Kind.ToDb(), link.Id, Topic = topic }, ct);
            return Result<int>.Ok(id);
        }, e => e.ConstraintName == "triangulation_link_key" ? new FieldError("Link", "That evidence is already linked to the theme.") : null, ct);
    }

    public async Task<Result<bool>> RemoveLinkAsync(Actor actor, int linkId, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var removed = await conn.QuerySingleOrDefaultAsync<RemovedLink>(new CommandDefinition("""
                delete from triangulation_link where partnership_id = @PartnershipId and id = @linkId
                returning theme_id, kind, coalesce(measure_id, audit_question_id, standard_id, voice_question_id) as target_id, summary_topic
                """, new { actor.PartnershipId, linkId }, tx, cancellationToken: ct));
            if (removed is null)
                return Result<bool>.Fail("Link", "There is no such link.");
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_link", linkId, "delete", "Evidence unlinked from a theme", removed, null, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    private sealed record RemovedLink(int ThemeId, string Kind, int? TargetId, string? SummaryTopic);

    /// <summary>An admin tunes one theme's lens rules (issue 12 §2: "explicit, documented rules that the admin can tune per theme").</summary>
    public async Task<Result<bool>> SetRulesAsync(Actor actor, int themeId, LensRules rules, CancellationToken ct)
    {
        actor.RequireAdmin();
        var problems = rules.Problems();
        if (problems.Count > 0)
            return Result<bool>.Fail(problems.Select(p => new FieldError("Rules", p)).ToList());
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select rules::text from triangulation_theme where partnership_id = @PartnershipId and id = @themeId for update", new { actor.PartnershipId, themeId }, tx, cancellationToken: ct));
            if (before is null)
                return Result<bool>.Fail("Theme", "There is no such theme.");
            var json = TriangulationEngine.Serialize(rules);
            await conn.ExecuteAsync(new CommandDefinition(
                "update triangulation_theme set rules = @json::jsonb where partnership_id = @PartnershipId and id = @themeId", new { actor.PartnershipId, themeId, json }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_theme", themeId, "update", "Lens rules tuned",
                TriangulationEngine.Rules(before), rules, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>
    /// Records the assurance judgement for a meeting: the verdict computed now (kept as it was, whatever later evidence does),
    /// and an overriding verdict with its rationale (10+ characters) when the QA member disagrees. A second judgement for the
    /// same meeting replaces the first; both are in the change log.
    /// </summary>
    public async Task<Result<int>> RecordJudgementAsync(Actor actor, int themeId, JudgementInput input, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        var rationale = (input.Rationale ?? "").Trim();
        var v = new Validator();
        v.When(input.Override is not null && rationale.Length < 10, nameof(input.Rationale), "Give the rationale for overriding the computed verdict (at least 10 characters).");
        v.When(rationale.Length > 4000, nameof(input.Rationale), "The rationale must be at most 4,000 characters.");
        v.When(input.Override == Verdict.Corroborated && input.OverrideSide == Side.None, nameof(input.OverrideSide), "Say whether the evidence corroborates a positive or a negative picture.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        var detail = await queries.ThemeAsync(actor, themeId, null, ct);
        if (detail is null)
            return Result<int>.Fail("Theme", "There is no such theme.");
        var computed = detail.Current.Verdict;
        var lenses = detail.Current.Lenses.ToDictionary(l => l.Lens.ToDb(), l => l.Judgement.ToDb());
        var overrideSide = input.Override switch
        {
            null => (Side?)null,
            Verdict.Corroborated => input.OverrideSide,
            _ => Side.None,
        };
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var previous = await conn.QuerySingleOrDefaultAsync<PreviousJudgement>(new CommandDefinition("""
                select id, computed_verdict, override_verdict, rationale from triangulation_judgement
                where partnership_id = @PartnershipId and theme_id = @themeId and meeting_date = @MeetingDate for update
                """, new { actor.PartnershipId, themeId, input.MeetingDate }, tx, cancellationToken: ct));
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into triangulation_judgement (partnership_id, theme_id, meeting_date, computed_verdict, computed_side, override_verdict, override_side, rationale, lenses, recorded_by)
                values (@PartnershipId, @themeId, @MeetingDate, @Computed, @ComputedSide, @Override, @OverrideSide, @rationale, @Lenses::jsonb, @UserId)
                on conflict (partnership_id, theme_id, meeting_date) do update
                   set computed_verdict = excluded.computed_verdict, computed_side = excluded.computed_side, override_verdict = excluded.override_verdict,
                       override_side = excluded.override_side, rationale = excluded.rationale, lenses = excluded.lenses,
                       recorded_by = excluded.recorded_by, recorded_at = now()
                returning id
                """, new
            {
                actor.PartnershipId, themeId, input.MeetingDate, Computed = computed.Verdict.ToDb(), ComputedSide = computed.Side.ToDb(),
                Override = input.Override?.ToDb(), OverrideSide = overrideSide?.ToDb(), rationale,
                Lenses = System.Text.Json.JsonSerializer.Serialize(lenses), UserId = UserId(actor),
            }, tx, cancellationToken: ct));
            var after = new { input.MeetingDate, Computed = computed.Label, Override = input.Override is { } o ? TriangulationWords.Label(o, overrideSide ?? Side.None) : null, Rationale = rationale, Lenses = lenses };
            await ChangeLog.WriteAsync(conn, tx, actor, "triangulation_judgement", id, previous is null ? "create" : "update",
                input.Override is { } ov
                    ? $"Assurance judgement on \"{detail.Current.Theme.Title}\" for {input.MeetingDate:d MMM yyyy}: {TriangulationWords.Label(ov, overrideSide ?? Side.None)} (computed: {computed.Label})"
                    : $"Assurance judgement on \"{detail.Current.Theme.Title}\" for {input.MeetingDate:d MMM yyyy}: computed verdict {computed.Label} accepted",
                previous, after, ct);
            return Result<int>.Ok(id);
        }, _ => null, ct);
    }

    private sealed record PreviousJudgement(int Id, string ComputedVerdict, string? OverrideVerdict, string Rationale);

    private static int? UserId(Actor actor) => actor.UserId == 0 ? null : actor.UserId;
}
