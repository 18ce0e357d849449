namespace Scorecard.Data.Accounts;

/// <summary>The four roles of design.md. Stored in the database as admin, qa_member, executive and agency_user.</summary>
public enum Role { Admin, QaMember, Executive, AgencyUser }

public static class Roles
{
    public const string Admin = "admin";
    public const string QaMember = "qa_member";
    public const string Executive = "executive";
    public const string AgencyUser = "agency_user";

    public static readonly IReadOnlyList<string> All = [Admin, QaMember, Executive, AgencyUser];

    public static string ToDb(this Role role) => role switch
    {
        Role.Admin => Admin,
        Role.QaMember => QaMember,
        Role.Executive => Executive,
        Role.AgencyUser => AgencyUser,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Role Parse(string value) => value switch
    {
        Admin => Role.Admin,
        QaMember => Role.QaMember,
        Executive => Role.Executive,
        AgencyUser => Role.AgencyUser,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown role"),
    };

    public static string Label(this Role role) => role switch
    {
        Role.Admin => "Administrator",
        Role.QaMember => "QA subgroup member",
        Role.Executive => "Executive",
        Role.AgencyUser => "Agency user",
        _ => role.ToString(),
    };
}

/// <summary>Raised when someone asks the Data layer for something their role or agency does not allow.
/// The UI never offers such actions, so reaching this is unexpected (an edited URL or id) and is logged.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>
/// The signed-in user on whose behalf a query or command runs. Every Data-layer method takes one and
/// enforces role and agency scope itself, whatever the page did (design.md, Roles).
/// </summary>
public sealed record Actor(int PartnershipId, int UserId, string DisplayName, Role Role, int? AgencyId)
{
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Admins, QA members and executives see every agency; an agency user sees only their own.</summary>
    public bool CanSeeAgency(int agencyId) => Role != Role.AgencyUser || AgencyId == agencyId;

    public void RequireAdmin()
    {
        if (!IsAdmin)
            throw new AccessDeniedException($"{DisplayName} ({Role.ToDb()}) may not change the catalogue or accounts.");
    }

    public void RequireAnyRole(params Role[] roles)
    {
        if (!roles.Contains(Role))
            throw new AccessDeniedException($"{DisplayName} ({Role.ToDb()}) may not do this.");
    }

    public void RequireAgency(int agencyId)
    {
        if (!CanSeeAgency(agencyId))
            throw new AccessDeniedException($"{DisplayName} may only see their own agency's returns.");
    }
}
