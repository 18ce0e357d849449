using Dapper;
using Npgsql;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>A link to an action's source or a challenge's subject: a kind and a key (a measure's code, else a row's id).</summary>
public sealed record SourceLink(SourceKind Kind, string Key)
{
    /// <summary>"risk:12", stable across builds (agenda keys, URLs).</summary>
    public override string ToString() => $"{Kind.ToDb()}:{Key}";
}

/// <summary>
/// Validates and describes source links. The key must name a row of the same partnership: a measure by its code; an
/// audit finding, self-assessment standard, learning review recommendation, risk, challenge, voice message ("you said,
/// we did") or triangulation theme by its id. (Before issue 12's tables, voice messages and themes were plain keys: rows
/// stored then still show their key as their title.)
/// </summary>
public static class SourceLinks
{
    /// <summary>The key normalised (trimmed; a measure's code upper-cased), or the reason it is not a link of this partnership.</summary>
    public static async Task<(string? Key, string? Problem)> CheckAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, SourceKind kind, string? key, CancellationToken ct)
    {
        var k = (key ?? "").Trim();
        if (k.Length == 0)
            return (null, $"Choose the {kind.Label().ToLowerInvariant()} this is about.");
        if (kind == SourceKind.Measure)
        {
            k = k.ToUpperInvariant();
            var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from measure where partnership_id = @partnershipId and code = @k)", new { partnershipId, k }, tx, cancellationToken: ct));
            return exists ? (k, null) : (null, $"There is no measure with the code \"{k}\" in this partnership.");
        }
        if (!int.TryParse(k, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
            return (null, $"That is not a {kind.Label().ToLowerInvariant()} of this partnership.");
        var sql = kind switch
        {
            SourceKind.AuditFinding => "select exists (select 1 from audit_finding where partnership_id = @partnershipId and id = @id)",
            SourceKind.SelfAssessmentStandard => "select exists (select 1 from framework_standard where partnership_id = @partnershipId and id = @id)",
            SourceKind.LearningReviewRecommendation => "select exists (select 1 from learning_review_recommendation where partnership_id = @partnershipId and id = @id)",
            SourceKind.Risk => "select exists (select 1 from risk where partnership_id = @partnershipId and id = @id)",
            SourceKind.Challenge => "select exists (select 1 from challenge where partnership_id = @partnershipId and id = @id)",
            SourceKind.VoiceMessage => "select exists (select 1 from voice_message where partnership_id = @partnershipId and id = @id)",
            SourceKind.TriangulationTheme => "select exists (select 1 from triangulation_theme where partnership_id = @partnershipId and id = @id)",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var found = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { partnershipId, id }, tx, cancellationToken: ct));
        return found ? (id.ToString(System.Globalization.CultureInfo.InvariantCulture), null) : (null, $"That is not a {kind.Label().ToLowerInvariant()} of this partnership.");
    }

    /// <summary>
    /// A SQL expression giving the title of the source named by <c>{alias}.{kindColumn}</c> and <c>{alias}.{keyColumn}</c>
    /// (the key itself where no row matches: a plain key stored before issue 12), for the queries of actions and challenges.
    /// </summary>
    internal static string TitleSql(string alias, string kindColumn, string keyColumn) => $"""
        coalesce(case {alias}.{kindColumn}
            when 'measure' then (select m.code || ' ' || m.title from measure m where m.partnership_id = {alias}.partnership_id and m.code = {alias}.{keyColumn})
            when 'audit_finding' then (select au.title || ': ' || left(f.statement, 120) from audit_finding f join audit au on au.partnership_id = f.partnership_id and au.id = f.audit_id
                                       where f.partnership_id = {alias}.partnership_id and f.id::text = {alias}.{keyColumn})
            when 'self_assessment_standard' then (select fw.title || ' ' || s.code || ': ' || s.title from framework_standard s join framework fw on fw.partnership_id = s.partnership_id and fw.id = s.framework_id
                                       where s.partnership_id = {alias}.partnership_id and s.id::text = {alias}.{keyColumn})
            when 'learning_review_recommendation' then (select lr.title || ', recommendation ' || r.position || ': ' || left(r.text, 120) from learning_review_recommendation r
                                       join learning_review lr on lr.partnership_id = r.partnership_id and lr.id = r.review_id
                                       where r.partnership_id = {alias}.partnership_id and r.id::text = {alias}.{keyColumn})
            when 'risk' then (select 'Risk ' || rk.id || ': ' || rk.title from risk rk where rk.partnership_id = {alias}.partnership_id and rk.id::text = {alias}.{keyColumn})
            when 'voice_message' then (select 'You said: ' || left(vm.message, 120) || ' (' || va.title || ')' from voice_message vm
                                       join voice_activity va on va.partnership_id = vm.partnership_id and va.id = vm.activity_id
                                       where vm.partnership_id = {alias}.partnership_id and vm.id::text = {alias}.{keyColumn})
            when 'triangulation_theme' then (select 'Theme: ' || t.title from triangulation_theme t where t.partnership_id = {alias}.partnership_id and t.id::text = {alias}.{keyColumn})
            when 'challenge' then (select 'Challenge ' || c.id || ': ' || left(c.question, 120) from challenge c where c.partnership_id = {alias}.partnership_id and c.id::text = {alias}.{keyColumn})
        end, {alias}.{keyColumn})
        """;

    /// <summary>The page that holds a source, where this branch knows one; otherwise the page of its action plan.</summary>
    public static string Href(SourceKind kind, string key, int? learningReviewId = null) => kind switch
    {
        SourceKind.Measure => $"/scorecard/measures/{Uri.EscapeDataString(key)}",
        SourceKind.Risk => $"/improvement/risks/{Uri.EscapeDataString(key)}",
        SourceKind.Challenge => $"/improvement/challenges/{Uri.EscapeDataString(key)}",
        SourceKind.TriangulationTheme when int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var theme) => $"/triangulation/themes/{theme}",
        SourceKind.LearningReviewRecommendation when learningReviewId is { } lr => $"/improvement/learning-reviews/{lr}",
        _ => PlanHref(kind, key),
    };

    /// <summary>The page of the action plan of a source: its actions, whether complete, its sign-off.</summary>
    public static string PlanHref(SourceKind kind, string key) => $"/improvement/plans/{kind.ToDb()}/{Uri.EscapeDataString(key)}";
}
