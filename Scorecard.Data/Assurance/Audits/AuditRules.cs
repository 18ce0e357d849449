using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>
/// The rules an audit's commands share, written once: what a valid audit, question and finding look like, and the
/// tenancy checks that the agencies, priority and questions named belong to the actor's partnership (and audit). Used by
/// <see cref="AuditCommands"/> (create, findings) and <see cref="AuditEditCommands"/> (edit), so a create and an edit can
/// never disagree about what is acceptable or say it differently.
/// </summary>
internal static class AuditRules
{
    public const int MaxQuestions = 50;

    /// <summary>An audit's details: title, lead person, theme, planned quarter and the order of its dates.</summary>
    public static void Details(Validator v, AuditDetails d)
    {
        v.Required(nameof(d.Title), d.Title, "Title", 200, 3);
        v.Required(nameof(d.LeadPerson), d.LeadPerson, "Lead person", 120, 2);
        v.When((d.Theme ?? "").Length > 2000, nameof(d.Theme), "Theme must be at most 2,000 characters.");
        v.When(d.PlannedQuarter is < 1 or > 4, nameof(d.PlannedQuarter), "Quarter must be 1 to 4.");
        v.When(d.PlannedFiscalYear is < 2000 or > 2100, nameof(d.PlannedFiscalYear), "Year must be between 2000 and 2100.");
        v.When(d.FieldworkStart is { } fs && d.FieldworkEnd is { } fe && fe < fs, nameof(d.FieldworkEnd), "Fieldwork cannot end before it starts.");
        v.When(d.FieldworkStart is { } s && d.ReportDate is { } r && r < s, nameof(d.ReportDate), "The report cannot come before fieldwork starts.");
    }

    /// <summary>A question's text: a short key line of enquiry.</summary>
    public static void Question(Validator v, string field, string? text, string label) => v.Required(field, text, label, 500, 5);

    /// <summary>A finding's statement.</summary>
    public static void Statement(Validator v, string? statement) => v.Required("Statement", statement, "Statement", 2000, 5);

    /// <summary>The lead agency and the priority (when given) must be the actor's partnership's; null when they are.</summary>
    public static async Task<FieldError?> CheckLeadAndPriorityAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int leadAgencyId, int? priorityId, CancellationToken ct)
    {
        const string sql = """
            select exists (select 1 from agency where partnership_id = @PartnershipId and id = @leadAgencyId) as agency_ok,
                   @priorityId::int is null or exists (select 1 from priority where partnership_id = @PartnershipId and id = @priorityId) as priority_ok
            """;
        var (agencyOk, priorityOk) = await conn.QuerySingleAsync<(bool, bool)>(new CommandDefinition(sql,
            new { actor.PartnershipId, leadAgencyId, priorityId }, tx, cancellationToken: ct));
        return !agencyOk ? new FieldError(nameof(AuditDetails.LeadAgencyId), "Choose a lead agency of this partnership.")
            : !priorityOk ? new FieldError(nameof(AuditDetails.PriorityId), "Choose a priority of this partnership.")
            : null;
    }

    /// <summary>How many of the named agencies are the partnership's, and how many of the named questions are the audit's.</summary>
    public static Task<(int KnownAgencies, int KnownQuestions)> CountFindingLinksAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int auditId, int[] agencies, int[] questions, CancellationToken ct) =>
        conn.QuerySingleAsync<(int, int)>(new CommandDefinition("""
            select (select count(*)::int from agency where partnership_id = @PartnershipId and id = any(@agencies)),
                   (select count(*)::int from audit_question where partnership_id = @PartnershipId and audit_id = @auditId and id = any(@questions))
            """, new { actor.PartnershipId, auditId, agencies, questions }, tx, cancellationToken: ct));

    /// <summary>A finding may name only the partnership's agencies and the audit's questions (each distinct id once).</summary>
    public static FieldError? CheckFindingLinks(int knownAgencies, int agencies, int knownQuestions, int questions) =>
        knownAgencies != agencies ? new FieldError("AgencyIds", "Choose agencies of this partnership.")
        : knownQuestions != questions ? new FieldError("QuestionIds", "Choose questions of this audit.")
        : null;
}
