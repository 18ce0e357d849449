using Scorecard.Data.Accounts;

namespace Scorecard.Data.Meetings;

/// <summary>Whose meeting it is: the QA subgroup's (bi-monthly, scrutinises the dashboard) or the Executive's.</summary>
public enum MeetingKind
{
    QaSubgroup,
    Executive,
    [Obsolete("Stored spelling, for Dapper's reading only")] qa_subgroup = QaSubgroup,
}

/// <summary>A meeting is planned until it has been held.</summary>
public enum MeetingStatus { Planned, Held }

/// <summary>What the meeting recorded against an agenda item.</summary>
public enum MeetingRecordKind
{
    Decision,
    NewChallenge,
    NewAction,
    [Obsolete("Stored spelling, for Dapper's reading only")] new_challenge = NewChallenge,
    [Obsolete("Stored spelling, for Dapper's reading only")] new_action = NewAction,
}

public static class MeetingWords
{
    /// <summary>Dates in meeting papers are written in UK English whatever the server's culture (a pack must redraw identically anywhere).</summary>
    public static readonly System.Globalization.CultureInfo Uk = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static string Label(this MeetingKind kind) => kind switch
    {
        MeetingKind.QaSubgroup => "QA subgroup",
        _ => "Executive",
    };

    public static string Label(this MeetingRecordKind kind) => kind switch
    {
        MeetingRecordKind.Decision => "Decision",
        MeetingRecordKind.NewChallenge => "New challenge",
        _ => "New action",
    };

    /// <summary>The agenda's section heading for items of a kind; chair's own items are "Other business".</summary>
    public static string Section(AgendaItemKind? kind) => kind switch
    {
        AgendaItemKind.ScorecardException => "Scorecard exceptions",
        AgendaItemKind.ReturnLateOrMissing => "Late and missing returns",
        AgendaItemKind.EscalatedRisk => "Risks at 12 or above",
        AgendaItemKind.RiskReviewOverdue => "Risks overdue for review",
        AgendaItemKind.ActionOverdue => "Overdue actions",
        AgendaItemKind.ActionAwaitingModeration => "Actions awaiting moderation",
        AgendaItemKind.ActionPlanAwaitingSignOff => "Action plans awaiting sign-off",
        AgendaItemKind.ChallengeAwaitingResponse => "Challenges awaiting a response",
        AgendaItemKind.ChallengeOverdue => "Overdue challenges",
        AgendaItemKind.ContestedTheme => "Contested themes",
        AgendaItemKind.AuditReporting => "Audits reporting",
        _ => "Other business",
    };
}

/// <summary>
/// Who may do what with meetings (issue 13 §4, Roles and rules): admins and QA members run the QA subgroup's meetings;
/// executives read every meeting and run the Executive's (as do admins and QA members, who service it); agency users have
/// no access. Checked here in the Data layer whatever the page offered.
/// </summary>
public static class MeetingAccess
{
    /// <summary>Reading meetings, agendas, minutes and packs.</summary>
    public static void RequireReader(Actor actor)
    {
        if (!CanRead(actor))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not read the partnership's meetings.");
    }

    public static bool CanRead(Actor actor) => actor.Role is Role.Admin or Role.QaMember or Role.Executive;

    /// <summary>Whether <paramref name="actor"/> may plan, change and minute a meeting of <paramref name="kind"/>.</summary>
    public static bool CanRun(Actor actor, MeetingKind kind) => actor.Role switch
    {
        Role.Admin or Role.QaMember => true,
        Role.Executive => kind == MeetingKind.Executive,
        _ => false,
    };

    public static void RequireRunner(Actor actor, MeetingKind kind)
    {
        if (!CanRun(actor, kind))
            throw new AccessDeniedException($"{actor.DisplayName} ({actor.Role.ToDb()}) may not run {kind.Label()} meetings.");
    }
}
