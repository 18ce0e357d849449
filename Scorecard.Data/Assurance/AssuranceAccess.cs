using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance;

/// <summary>
/// Who may do what with audits and self-assessments (issue 11, Roles and rules): admins and QA members run audits,
/// cycles and moderation; agency users grade and self-assess only for their own agency; executives read everything.
/// Checked here in the Data layer whatever the page offered.
/// </summary>
public static class AssuranceAccess
{
    /// <summary>Creating and running audits, cycles and moderation.</summary>
    public static void RequireRunner(Actor actor)
    {
        if (actor.Role is not (Role.Admin or Role.QaMember))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not run audits, cycles or moderation.");
    }

    /// <summary>Grading or self-assessing for <paramref name="agencyId"/>: the agency's own users, or an admin or QA member
    /// entering it on the agency's behalf. Executives only read.</summary>
    public static void RequireActFor(Actor actor, int agencyId)
    {
        var allowed = actor.Role switch
        {
            Role.Admin or Role.QaMember => true,
            Role.AgencyUser => actor.AgencyId == agencyId,
            _ => false,
        };
        if (!allowed)
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not grade or self-assess for agency {agencyId}.");
    }

    /// <summary>Sees every agency's work at once (everyone but agency users).</summary>
    public static bool SeesAll(Actor actor) => actor.Role != Role.AgencyUser;
}
