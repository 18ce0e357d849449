using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Voice;

/// <summary>One question as entered or imported: its key (the same key in each wave of a series links the waves), wording,
/// scale and the number who gave each answer in the scale's order.</summary>
public sealed record VoiceQuestionInput(string QuestionKey, string Wording, AnswerScale Scale, IReadOnlyList<int> Counts);

/// <summary>A voice activity as entered on screen or read from a workbook.</summary>
public sealed record VoiceActivityInput(
    string Title, VoiceMethod Method, RespondentGroup RespondentGroup, string Cohort, int? AgencyId, string Forum,
    string? SeriesKey, int? Wave, DateOnly PeriodStart, DateOnly PeriodEnd, int Respondents, IReadOnlyList<VoiceQuestionInput> Questions);

public sealed record VoiceMessageInput(string Message, string? Quote, ConsentBasis? ConsentBasis, string YouSaidWeDid);

/// <summary>
/// Who may change voice data (issue 12, Roles and rules): admins and QA members manage every activity, theme and link;
/// agency users enter their own agency's activities (and their messages); executives read. Checked here whatever the page offered.
/// </summary>
public static class VoiceAccess
{
    public static bool IsManager(Actor actor) => actor.Role is Role.Admin or Role.QaMember;

    public static void RequireManager(Actor actor)
    {
        if (!IsManager(actor))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not manage voice activities or themes.");
    }

    /// <summary>Entering or changing an activity run by <paramref name="agencyId"/> (null: a forum, not an agency).</summary>
    public static void RequireEnterFor(Actor actor, int? agencyId)
    {
        if (IsManager(actor))
            return;
        if (actor.Role == Role.AgencyUser && agencyId is { } a && actor.AgencyId == a)
            return;
        throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not enter voice activities for {(agencyId is null ? "a forum" : $"agency {agencyId}")}.");
    }
}

/// <summary>Writes voice activities, their results and key messages: validated, in one transaction, logged.</summary>
public sealed partial class VoiceCommands(NpgsqlDataSource dataSource)
{
    [GeneratedRegex("^[a-z0-9-]{2,40}$")]
    private static partial Regex SeriesKeyPattern();

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex QuestionKeyPattern();

    /// <summary>Field errors for an activity, empty when it is acceptable.</summary>
    public static IReadOnlyList<FieldError> Validate(VoiceActivityInput input)
    {
        var v = new Validator();
        v.Required(nameof(input.Title), input.Title, "Title", 200, 3);
        v.Required(nameof(input.Cohort), input.Cohort, "Cohort", 120, 2);
        v.When(!Enum.IsDefined(input.Method), nameof(input.Method), "Choose a method.");
        v.When(!Enum.IsDefined(input.RespondentGroup), nameof(input.RespondentGroup), "Choose who answered.");
        v.When(input.AgencyId is null && (input.Forum ?? "").Trim().Length < 2, nameof(input.AgencyId), "Choose the agency that ran it, or name the forum.");
        v.When((input.Forum ?? "").Trim().Length > 200, nameof(input.Forum), "The forum's name must be at most 200 characters.");
        v.When(input.PeriodEnd < input.PeriodStart, nameof(input.PeriodEnd), "The period must end on or after it starts.");
        v.When(input.Respondents is < 0 or > 1_000_000, nameof(input.Respondents), "Respondents must be between 0 and 1,000,000.");
        v.When(input.SeriesKey is not null && !SeriesKeyPattern().IsMatch(input.SeriesKey), nameof(input.SeriesKey),
            "A series key is 2 to 40 lower-case letters, digits or hyphens (e.g. children-in-care-survey).");
        v.When((input.SeriesKey is null) != (input.Wave is null), nameof(input.Wave), "A wave number goes with a series key, and a series key with a wave number.");
        v.When(input.Wave is < 1 or > 100, nameof(input.Wave), "The wave number must be between 1 and 100.");
        v.When(input.Questions.Count is 0 or > 200, nameof(input.Questions), "An activity has between 1 and 200 questions.");
        for (var i = 0; i < input.Questions.Count; i++)
        {
            var q = input.Questions[i];
            var at = $"Questions[{i}]";
            v.When(!QuestionKeyPattern().IsMatch(q.QuestionKey ?? ""), $"{at}.QuestionKey", $"Question {i + 1}'s key must be 1 to 40 lower-case letters, digits or hyphens.");
            v.Required($"{at}.Wording", q.Wording, $"Question {i + 1}'s wording", 500, 3);
            if (!Enum.IsDefined(q.Scale))
            {
                v.Add($"{at}.Scale", $"Question {i + 1} needs an answer scale.");
                continue;
            }
            if (q.Counts.Count != q.Scale.Width())
                v.Add($"{at}.Counts", $"Question {i + 1} needs {q.Scale.Width()} counts ({string.Join(", ", q.Scale.Answers())}); it has {q.Counts.Count}.");
            else if (q.Counts.Any(c => c < 0))
                v.Add($"{at}.Counts", $"Question {i + 1}'s counts cannot be negative.");
            else if (q.Counts.Sum() > input.Respondents)
                v.Add($"{at}.Counts", $"Question {i + 1} has {q.Counts.Sum():N0} answers but the activity has {input.Respondents:N0} respondents.");
        }
        var duplicate = input.Questions.GroupBy(q => q.QuestionKey).FirstOrDefault(g => g.Count() > 1);
        v.When(duplicate is not null, nameof(input.Questions), $"The question key \"{duplicate?.Key}\" is used twice.");
        return v.Errors;
    }

    /// <summary>Records an activity with its questions and counts.</summary>
    public Task<Result<int>> CreateActivityAsync(Actor actor, VoiceActivityInput input, CancellationToken ct) =>
        CreateActivityAsync(actor, input, VoiceSource.Screen, ct);

    /// <summary>Records an activity (from the screen, an upload or the demo) with its questions, in one transaction.</summary>
    public async Task<Result<int>> CreateActivityAsync(Actor actor, VoiceActivityInput input, VoiceSource source, CancellationToken ct)
    {
        VoiceAccess.RequireEnterFor(actor, input.AgencyId);
        var errors = Validate(input);
        if (errors.Count > 0)
            return Result<int>.Fail(errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            if (input.AgencyId is { } agencyId && !await AgencyExistsAsync(conn, tx, actor.PartnershipId, agencyId, ct))
                return Result<int>.Fail(nameof(input.AgencyId), "There is no such agency in this partnership.");
            var id = await InsertAsync(conn, tx, actor, input, source, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "voice_activity", id, "create",
                $"Voice activity \"{input.Title.Trim()}\": {input.Questions.Count} questions, {input.Respondents:N0} respondents",
                null, new { input.Title, Method = input.Method.ToDb(), Group = input.RespondentGroup.ToDb(), input.AgencyId, input.SeriesKey, input.Wave, input.Respondents, Source = source.ToDb(), Questions = input.Questions.Count }, ct);
            return Result<int>.Ok(id);
        }, e => e.ConstraintName == "voice_activity_wave_key" ? new FieldError(nameof(input.Wave), "That wave of the series is already recorded.") : null, ct);
    }

    private static async Task<bool> AgencyExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, int agencyId, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from agency where partnership_id = @partnershipId and id = @agencyId)", new { partnershipId, agencyId }, tx, cancellationToken: ct));

    /// <summary>Inserts a validated activity and its questions in the caller's transaction (the import and the demo use it too).</summary>
    internal static async Task<int> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, VoiceActivityInput input, VoiceSource source, CancellationToken ct)
    {
        const string sql = """
            insert into voice_activity (partnership_id, title, method, respondent_group, cohort, agency_id, forum, series_key, wave,
                period_start, period_end, respondents, source, created_by)
            values (@PartnershipId, @Title, @Method, @Group, @Cohort, @AgencyId, @Forum, @SeriesKey, @Wave, @PeriodStart, @PeriodEnd, @Respondents, @Source, @CreatedBy)
            returning id
            """;
        var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(sql, new
        {
            actor.PartnershipId, Title = input.Title.Trim(), Method = input.Method.ToDb(), Group = input.RespondentGroup.ToDb(), Cohort = input.Cohort.Trim(),
            input.AgencyId, Forum = (input.Forum ?? "").Trim(), input.SeriesKey, Wave = (short?)input.Wave, input.PeriodStart, input.PeriodEnd, input.Respondents,
            Source = source.ToDb(), CreatedBy = actor.UserId == 0 ? (int?)null : actor.UserId,
        }, tx, cancellationToken: ct));
        const string questions = """
            insert into voice_question (partnership_id, activity_id, position, question_key, wording, scale, counts)
            select @PartnershipId, @id, ord, k, w, s, string_to_array(c, ',')::int[]
            from unnest(@Keys, @Wordings, @Scales, @Counts) with ordinality as t(k, w, s, c, ord)
            """;
        await conn.ExecuteAsync(new CommandDefinition(questions, new
        {
            actor.PartnershipId, id,
            Keys = input.Questions.Select(q => q.QuestionKey).ToArray(),
            Wordings = input.Questions.Select(q => q.Wording.Trim()).ToArray(),
            Scales = input.Questions.Select(q => q.Scale.ToDb()).ToArray(),
            Counts = input.Questions.Select(q => string.Join(',', q.Counts)).ToArray(),
        }, tx, cancellationToken: ct));
        return id;
    }

    private sealed record ActivityOwner(int? AgencyId, string Title);

    private sealed record ReviewRow(QuoteReview ReviewStatus, string? Quote)
    {
        public QuoteReview Status => ReviewStatus;
    }

    private sealed record YouSaidRow(int? AgencyId, string Before);

    private static async Task<ActivityOwner?> OwnerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int activityId, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<ActivityOwner>(new CommandDefinition(
            "select agency_id, title from voice_activity where partnership_id = @PartnershipId and id = @activityId for update",
            new { actor.PartnershipId, activityId }, tx, cancellationToken: ct));

    /// <summary>Adds a key message (what we were told) with an optional anonymised quote, which starts as a draft.</summary>
    public async Task<Result<int>> AddMessageAsync(Actor actor, int activityId, VoiceMessageInput input, CancellationToken ct)
    {
        var v = new Validator();
        v.Required(nameof(input.Message), input.Message, "The key message", 1000, 3);
        var quote = string.IsNullOrWhiteSpace(input.Quote) ? null : input.Quote.Trim();
        v.When(quote is { Length: < 3 or > 1000 }, nameof(input.Quote), "A quote is 3 to 1,000 characters.");
        v.When(quote is not null && input.ConsentBasis is null, nameof(input.ConsentBasis), "Record the consent basis for the quote.");
        v.When(input.ConsentBasis is { } c && !Enum.IsDefined(c), nameof(input.ConsentBasis), "Choose a consent basis.");
        v.When((input.YouSaidWeDid ?? "").Trim().Length > 2000, nameof(input.YouSaidWeDid), "\"You said, we did\" must be at most 2,000 characters.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var owner = await OwnerAsync(conn, tx, actor, activityId, ct) ?? throw new AccessDeniedException($"There is no voice activity {activityId} in this partnership.");
        VoiceAccess.RequireEnterFor(actor, owner.AgencyId);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            insert into voice_message (partnership_id, activity_id, message, quote, consent_basis, you_said_we_did, created_by)
            values (@PartnershipId, @activityId, @Message, @quote, @Consent, @YouSaid, @CreatedBy) returning id
            """, new
        {
            actor.PartnershipId, activityId, Message = input.Message.Trim(), quote, Consent = quote is null ? null : input.ConsentBasis?.ToDb(),
            YouSaid = (input.YouSaidWeDid ?? "").Trim(), CreatedBy = actor.UserId == 0 ? (int?)null : actor.UserId,
        }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "voice_message", id, "create", $"Key message for \"{owner.Title}\"{(quote is null ? "" : " with a quote (draft)")}",
            null, new { activityId, input.Message, HasQuote = quote is not null, ConsentBasis = input.ConsentBasis?.ToDb() }, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(id);
    }

    /// <summary>A QA member or admin approves a message's quote for sharing outside QA, or returns it to draft.</summary>
    public async Task<Result<bool>> ReviewQuoteAsync(Actor actor, int messageId, QuoteReview status, CancellationToken ct)
    {
        VoiceAccess.RequireManager(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(
            "select review_status, quote from voice_message where partnership_id = @PartnershipId and id = @messageId for update",
            new { actor.PartnershipId, messageId }, tx, cancellationToken: ct));
        if (before is null)
            return Result<bool>.Fail("Message", "There is no such message.");
        if (before.Quote is null)
            return Result<bool>.Fail("Quote", "This message has no quote to review.");
        await conn.ExecuteAsync(new CommandDefinition("""
            update voice_message set review_status = @Status, reviewed_by = @UserId, reviewed_at = now()
            where partnership_id = @PartnershipId and id = @messageId
            """, new { actor.PartnershipId, messageId, Status = status.ToDb(), UserId = actor.UserId == 0 ? (int?)null : actor.UserId }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "voice_message", messageId, "update",
            status == QuoteReview.ApprovedForSharing ? "Quote approved for sharing" : "Quote returned to draft",
            new { Status = before.Status.ToDb() }, new { Status = status.ToDb() }, ct);
        await tx.CommitAsync(ct);
        return Result<bool>.Ok(true);
    }

    /// <summary>Records what changed in response ("you said, we did").</summary>
    public async Task<Result<bool>> SetYouSaidWeDidAsync(Actor actor, int messageId, string text, CancellationToken ct)
    {
        text = (text ?? "").Trim();
        if (text.Length > 2000)
            return Result<bool>.Fail("YouSaidWeDid", "\"You said, we did\" must be at most 2,000 characters.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<YouSaidRow>(new CommandDefinition("""
            select a.agency_id, m.you_said_we_did as before from voice_message m
            join voice_activity a on a.partnership_id = m.partnership_id and a.id = m.activity_id
            where m.partnership_id = @PartnershipId and m.id = @messageId for update of m
            """, new { actor.PartnershipId, messageId }, tx, cancellationToken: ct));
        if (row is null)
            return Result<bool>.Fail("Message", "There is no such message.");
        VoiceAccess.RequireEnterFor(actor, row.AgencyId);
        await conn.ExecuteAsync(new CommandDefinition(
            "update voice_message set you_said_we_did = @text where partnership_id = @PartnershipId and id = @messageId",
            new { actor.PartnershipId, messageId, text }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "voice_message", messageId, "update", "\"You said, we did\" recorded",
            new { YouSaidWeDid = row.Before }, new { YouSaidWeDid = text }, ct);
        await tx.CommitAsync(ct);
        return Result<bool>.Ok(true);
    }

    private sealed class QuestionRow
    {
        public int Id { get; init; }
        public string QuestionKey { get; init; } = "";
        public string Wording { get; init; } = "";
        public AnswerScale Scale { get; init; }
        public int[] Counts { get; init; } = [];
    }

    private sealed record ActivityBefore(
        string Title, string Method, string RespondentGroup, string Cohort, int? AgencyId, string Forum, string? SeriesKey, int? Wave,
        DateOnly PeriodStart, DateOnly PeriodEnd, int Respondents);

    private static async Task<List<QuestionRow>> QuestionsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int activityId, CancellationToken ct) =>
        (await conn.QueryAsync<QuestionRow>(new CommandDefinition(
            "select id, question_key, wording, scale, counts from voice_question where partnership_id = @PartnershipId and activity_id = @activityId order by position",
            new { actor.PartnershipId, activityId }, tx, cancellationToken: ct))).ToList();

    private static VoiceQuestionInput Input(QuestionRow q) => new(q.QuestionKey, q.Wording, q.Scale, q.Counts);

    /// <summary>
    /// Edits an activity's own fields (its questions are edited one by one, so that links to them stay). An agency user
    /// edits only their own agency's activities and cannot hand one to another agency or a forum. Validated against the
    /// activity's questions (no question may have more answers than the respondents), logged with before and after.
    /// </summary>
    public async Task<Result<bool>> UpdateActivityAsync(Actor actor, int activityId, VoiceActivityInput input, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<ActivityBefore>(new CommandDefinition("""
            select title, method, respondent_group, cohort, agency_id, forum, series_key, wave::int as wave, period_start, period_end, respondents
            from voice_activity where partnership_id = @PartnershipId and id = @activityId for update
            """, new { actor.PartnershipId, activityId }, tx, cancellationToken: ct))
            ?? throw new AccessDeniedException($"There is no voice activity {activityId} in this partnership.");
        VoiceAccess.RequireEnterFor(actor, before.AgencyId);
        VoiceAccess.RequireEnterFor(actor, input.AgencyId);
        var questions = await QuestionsAsync(conn, tx, actor, activityId, ct);
        var errors = Validate(input with { Questions = questions.Select(Input).ToList() });
        if (errors.Count > 0)
            return Result<bool>.Fail(errors);
        if (input.AgencyId is { } agencyId && !await AgencyExistsAsync(conn, tx, actor.PartnershipId, agencyId, ct))
            return Result<bool>.Fail(nameof(input.AgencyId), "There is no such agency in this partnership.");
        var after = new ActivityBefore(input.Title.Trim(), input.Method.ToDb(), input.RespondentGroup.ToDb(), input.Cohort.Trim(), input.AgencyId,
            input.AgencyId is null ? (input.Forum ?? "").Trim() : "", input.SeriesKey, input.Wave, input.PeriodStart, input.PeriodEnd, input.Respondents);
        if (after == before)
            return Result<bool>.Ok(false);
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update voice_activity set title = @Title, method = @Method, respondent_group = @RespondentGroup, cohort = @Cohort, agency_id = @AgencyId,
                       forum = @Forum, series_key = @SeriesKey, wave = @Wave::smallint, period_start = @PeriodStart, period_end = @PeriodEnd, respondents = @Respondents
                where partnership_id = @PartnershipId and id = @activityId
                """, new
            {
                actor.PartnershipId, activityId, after.Title, after.Method, after.RespondentGroup, after.Cohort, after.AgencyId, after.Forum, after.SeriesKey,
                after.Wave, after.PeriodStart, after.PeriodEnd, after.Respondents,
            }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.ConstraintName == "voice_activity_wave_key")
        {
            return Result<bool>.Fail(nameof(input.Wave), "That wave of the series is already recorded.");
        }
        await ChangeLog.WriteAsync(conn, tx, actor, "voice_activity", activityId, "update", $"Voice activity \"{after.Title}\" edited", before, after, ct);
        await tx.CommitAsync(ct);
        return Result<bool>.Ok(true);
    }

    /// <summary>
    /// Adds a question to an activity (<paramref name="questionId"/> null) or edits one: its key, wording, scale and answer
    /// counts, for small activities entered on screen. Validated as the whole activity would be; logged.
    /// </summary>
    public async Task<Result<int>> SaveQuestionAsync(Actor actor, int activityId, int? questionId, VoiceQuestionInput question, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var activity = await conn.QuerySingleOrDefaultAsync<ActivityBefore>(new CommandDefinition("""
            select title, method, respondent_group, cohort, agency_id, forum, series_key, wave::int as wave, period_start, period_end, respondents
            from voice_activity where partnership_id = @PartnershipId and id = @activityId for update
            """, new { actor.PartnershipId, activityId }, tx, cancellationToken: ct))
            ?? throw new AccessDeniedException($"There is no voice activity {activityId} in this partnership.");
        VoiceAccess.RequireEnterFor(actor, activity.AgencyId);
        var questions = await QuestionsAsync(conn, tx, actor, activityId, ct);
        var index = questionId is { } qid ? questions.FindIndex(q => q.Id == qid) : questions.Count;
        if (index < 0)
            return Result<int>.Fail("Question", "There is no such question in this activity.");
        var inputs = questions.Select(Input).ToList();
        var clean = question with { QuestionKey = (question.QuestionKey ?? "").Trim(), Wording = (question.Wording ?? "").Trim() };
        if (index == inputs.Count)
            inputs.Add(clean);
        else
            inputs[index] = clean;
        var whole = new VoiceActivityInput(activity.Title, DbEnum.Parse<VoiceMethod>(activity.Method), DbEnum.Parse<RespondentGroup>(activity.RespondentGroup),
            activity.Cohort, activity.AgencyId, activity.Forum, activity.SeriesKey, activity.Wave, activity.PeriodStart, activity.PeriodEnd, activity.Respondents, inputs);
        // Only this question's errors (and a clash of its key) are reported, under the question's own number.
        var errors = Validate(whole).Where(e => e.Field.StartsWith($"Questions[{index}].") || e.Field == nameof(whole.Questions)).ToList();
        if (errors.Count > 0)
            return Result<int>.Fail(errors);
        int id;
        if (questionId is null)
        {
            id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into voice_question (partnership_id, activity_id, position, question_key, wording, scale, counts)
                values (@PartnershipId, @activityId,
                        (select coalesce(max(position), 0) + 1 from voice_question where partnership_id = @PartnershipId and activity_id = @activityId),
                        @QuestionKey, @Wording, @Scale, @Counts) returning id
                """, new { actor.PartnershipId, activityId, clean.QuestionKey, clean.Wording, Scale = clean.Scale.ToDb(), Counts = clean.Counts.ToArray() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "voice_question", id, "create", $"Question added to \"{activity.Title}\": {clean.Wording}",
                null, new { activityId, clean.QuestionKey, clean.Wording, Scale = clean.Scale.ToDb(), clean.Counts }, ct);
        }
        else
        {
            id = questionId.Value;
            var old = questions[index];
            await conn.ExecuteAsync(new CommandDefinition("""
                update voice_question set question_key = @QuestionKey, wording = @Wording, scale = @Scale, counts = @Counts
                where partnership_id = @PartnershipId and id = @id
                """, new { actor.PartnershipId, id, clean.QuestionKey, clean.Wording, Scale = clean.Scale.ToDb(), Counts = clean.Counts.ToArray() }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "voice_question", id, "update", $"Question of \"{activity.Title}\" edited: {clean.Wording}",
                new { old.QuestionKey, old.Wording, Scale = old.Scale.ToDb(), old.Counts }, new { clean.QuestionKey, clean.Wording, Scale = clean.Scale.ToDb(), clean.Counts }, ct);
        }
        await tx.CommitAsync(ct);
        return Result<int>.Ok(id);
    }

    private sealed record MessageBefore(int? AgencyId, string Title, string Message, string? Quote, string? ConsentBasis, string ReviewStatus, string YouSaidWeDid);

    /// <summary>
    /// Edits a key message, its quote, consent basis and "you said, we did". A changed quote goes back to draft (it must
    /// be reviewed again before anyone outside QA sees it). Agency users edit only their own agency's activities' messages.
    /// </summary>
    public async Task<Result<bool>> UpdateMessageAsync(Actor actor, int messageId, VoiceMessageInput input, CancellationToken ct)
    {
        var v = new Validator();
        v.Required(nameof(input.Message), input.Message, "The key message", 1000, 3);
        var quote = string.IsNullOrWhiteSpace(input.Quote) ? null : input.Quote.Trim();
        v.When(quote is { Length: < 3 or > 1000 }, nameof(input.Quote), "A quote is 3 to 1,000 characters.");
        v.When(quote is not null && input.ConsentBasis is null, nameof(input.ConsentBasis), "Record the consent basis for the quote.");
        v.When(input.ConsentBasis is { } c && !Enum.IsDefined(c), nameof(input.ConsentBasis), "Choose a consent basis.");
        v.When((input.YouSaidWeDid ?? "").Trim().Length > 2000, nameof(input.YouSaidWeDid), "\"You said, we did\" must be at most 2,000 characters.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<MessageBefore>(new CommandDefinition("""
            select a.agency_id, a.title, m.message, m.quote, m.consent_basis, m.review_status, m.you_said_we_did
            from voice_message m join voice_activity a on a.partnership_id = m.partnership_id and a.id = m.activity_id
            where m.partnership_id = @PartnershipId and m.id = @messageId for update of m
            """, new { actor.PartnershipId, messageId }, tx, cancellationToken: ct))
            ?? throw new AccessDeniedException($"There is no voice message {messageId} in this partnership.");
        VoiceAccess.RequireEnterFor(actor, before.AgencyId);
        if (!v.IsValid)
            return Result<bool>.Fail(v.Errors);
        var consent = quote is null ? null : input.ConsentBasis?.ToDb();
        var status = quote == before.Quote && consent == before.ConsentBasis ? before.ReviewStatus : QuoteReview.Draft.ToDb();
        var after = before with { Message = input.Message.Trim(), Quote = quote, ConsentBasis = consent, ReviewStatus = status, YouSaidWeDid = (input.YouSaidWeDid ?? "").Trim() };
        if (after == before)
            return Result<bool>.Ok(false);
        await conn.ExecuteAsync(new CommandDefinition("""
            update voice_message set message = @Message, quote = @Quote, consent_basis = @ConsentBasis, review_status = @ReviewStatus, you_said_we_did = @YouSaidWeDid,
                   reviewed_by = case when @ReviewStatus = review_status then reviewed_by end,
                   reviewed_at = case when @ReviewStatus = review_status then reviewed_at end
            where partnership_id = @PartnershipId and id = @messageId
            """, new { actor.PartnershipId, messageId, after.Message, after.Quote, after.ConsentBasis, after.ReviewStatus, after.YouSaidWeDid }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "voice_message", messageId, "update",
            $"Key message for \"{before.Title}\" edited{(status != before.ReviewStatus ? "; the changed quote is back in draft" : "")}",
            new { before.Message, before.Quote, before.ConsentBasis, before.ReviewStatus, before.YouSaidWeDid },
            new { after.Message, after.Quote, after.ConsentBasis, after.ReviewStatus, after.YouSaidWeDid }, ct);
        await tx.CommitAsync(ct);
        return Result<bool>.Ok(true);
    }
}
