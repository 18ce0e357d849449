using Scorecard.Data.Accounts;

namespace Scorecard.Data.Improvement;

/// <summary>
/// Who may do what with actions, risks, learning reviews and challenges (issue 13, Roles and rules): QA members and
/// admins raise challenges and actions, moderate, and run the register; agency users update their own agency's actions
/// and answer their own agency's challenges only; executives read everything and sign off complete plans. Checked here
/// in the Data layer whatever the page offered.
/// </summary>
public static class ImprovementAccess
{
    /// <summary>Raising actions and challenges, moderating, running the risk register and learning reviews.</summary>
    public static void RequireRunner(Actor actor)
    {
        if (actor.Role is not (Role.Admin or Role.QaMember))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not raise, moderate or run the register.");
    }

    /// <summary>Updating an action owned by <paramref name="ownerAgencyId"/>: that agency's own users, or a QA member or admin.</summary>
    public static void RequireActionOwner(Actor actor, int ownerAgencyId)
    {
        var allowed = actor.Role switch
        {
            Role.Admin or Role.QaMember => true,
            Role.AgencyUser => actor.AgencyId == ownerAgencyId,
            _ => false,
        };
        if (!allowed)
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not update another agency's action.");
    }

    /// <summary>Answering a challenge put to <paramref name="agencyId"/>: that agency's own users (or an admin entering the
    /// answer on the agency's behalf). The QA subgroup that raised it does not answer its own question.</summary>
    public static void RequireResponder(Actor actor, int agencyId)
    {
        var allowed = actor.Role switch
        {
            Role.Admin => true,
            Role.AgencyUser => actor.AgencyId == agencyId,
            _ => false,
        };
        if (!allowed)
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not answer a challenge put to another agency.");
    }

    /// <summary>Signing off a complete action plan: the Executive (or an admin recording its decision).</summary>
    public static void RequireSignOff(Actor actor)
    {
        if (actor.Role is not (Role.Executive or Role.Admin))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not sign off action plans.");
    }

    /// <summary>Reading the risk register: everyone but agency users (it is the partnership's, not an agency's).</summary>
    public static void RequireOversight(Actor actor)
    {
        if (actor.Role == Role.AgencyUser)
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not read the risk register.");
    }

    /// <summary>Reading something of <paramref name="agencyId"/>: an agency user only their own.</summary>
    public static void RequireSees(Actor actor, int agencyId)
    {
        if (!actor.CanSeeAgency(agencyId))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not see another agency's actions or challenges.");
    }

    public static bool SeesAll(Actor actor) => actor.Role != Role.AgencyUser;

    internal static int? UserOrNull(Actor actor) => actor.UserId == 0 ? null : actor.UserId;
}
