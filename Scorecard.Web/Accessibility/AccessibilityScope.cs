namespace Scorecard.Web.Accessibility;

/// <summary>Who a page is checked as: a demo account of a role, or someone not signed in.</summary>
public enum CheckedRole { Administrator, QaMember, Executive, PoliceUser, SchoolUser, SignedOut }

/// <summary>
/// One page (or one state of a page a user reaches: a filter applied, a dialog open, a validation error) that the browser
/// sweep checks. <paramref name="Path"/> may hold placeholders ({police}, {latest}, {measure}) the tests resolve.
/// </summary>
public sealed record CheckedPage(string Name, string Title, string Path, CheckedRole[] Roles, string? State = null);

/// <summary>A journey the browser tests walk with the keyboard alone.</summary>
public sealed record KeyboardJourney(string TestName, string Description);

/// <summary>Something known not to meet the standard, why, and what the partnership does about it (the statement's "non-accessible content").</summary>
public sealed record KnownIssue(string What, string Criterion, string Plan);

/// <summary>
/// What the accessibility tests check, in one place: the browser sweep reads its pages, roles and rule tags from here, the
/// keyboard journeys are named here, and the accessibility statement (<c>/accessibility</c>) is written from the same lists
/// (Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, regulation 8). A new page
/// joins the sweep, and the statement, with one line in <see cref="Pages"/>.
/// </summary>
public static class AccessibilityScope
{
    /// <summary>The standard the statement claims and the sweep tests against.</summary>
    public const string Standard = "Web Content Accessibility Guidelines (WCAG) version 2.2, level AA";

    /// <summary>axe-core's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules the sweep runs.</summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    /// <summary>The window the sweep uses: the smallest screen a meeting projects.</summary>
    public const string SweepWindow = "1366 × 768 CSS pixels";

    /// <summary>When the sweep, the journeys and the reflow checks last ran and passed in full. Update it when you re-run them.</summary>
    public static readonly DateOnly LastTested = new(2026, 11, 30);

    private static readonly CheckedRole[] SignedIn = [CheckedRole.Administrator, CheckedRole.QaMember, CheckedRole.Executive, CheckedRole.PoliceUser, CheckedRole.SchoolUser];
    private static readonly CheckedRole[] Everyone = [.. SignedIn, CheckedRole.SignedOut];
    private static readonly CheckedRole[] Admin = [CheckedRole.Administrator];
    private static readonly CheckedRole[] QaOrAdmin = [CheckedRole.Administrator, CheckedRole.QaMember];
    private static readonly CheckedRole[] Oversight = [CheckedRole.Administrator, CheckedRole.QaMember, CheckedRole.Executive];
    private static readonly CheckedRole[] Senders = [CheckedRole.Administrator, CheckedRole.PoliceUser];

    /// <summary>
    /// Every page of the product and the states users reach, with the roles each is checked as. A page a role may not open
    /// is still checked as that role: the refusal it shows must itself be accessible.
    /// </summary>
    public static readonly CheckedPage[] Pages =
    [
        new("sign-in", "Sign in", "/account/login", [CheckedRole.SignedOut]),
        new("sign-in-error", "Sign in", "/account/login", [CheckedRole.SignedOut], "after a wrong password"),
        new("accessibility", "Accessibility statement", "/accessibility", Everyone),
        new("home", "Home", "/", SignedIn),
        new("scorecard", "Scorecard", "/scorecard", SignedIn),
        new("scorecard-exceptions", "Scorecard", "/scorecard?exceptions=true&rag=red,amber", SignedIn, "filtered to red and amber exceptions"),
        new("scorecard-empty", "Scorecard", "/scorecard?rag=context&exceptions=true", Oversight, "a filter no measure matches (the empty state)"),
        new("scorecard-bad-filter", "Scorecard", "/scorecard?quarter=1999-Q9", Oversight, "a link with a quarter that does not exist (the validation message)"),
        new("scorecard-agency-list", "Scorecard", "/scorecard", Oversight, "the agency and sector list open"),
        new("measure", "Measure", "/scorecard/measures/CSC-REREF", SignedIn),
        new("measure-table", "Measure", "/scorecard/measures/CSC-REREF", Oversight, "the chart's data shown as a table"),
        new("measure-schools", "Measure (schools)", "/scorecard/measures/EDU-DSL-TRAINING", SignedIn),
        new("agency-view", "Agency view", "/scorecard/agencies/{police}", SignedIn),
        new("trends", "Trends by priority", "/trends", SignedIn),
        new("trends-table", "Trends by priority", "/trends", [CheckedRole.Executive, CheckedRole.SchoolUser], "a priority's sparklines shown as a table"),
        new("measures-catalogue", "Measures", "/measures", SignedIn),
        new("my-returns", "Our returns", "/my-returns", SignedIn),
        new("upload", "Send a return", "/returns/upload?agency={police}&period={latest}", SignedIn),
        new("upload-errors", "Send a return", "/returns/upload?agency={police}&period={latest}", Senders, "a file with errors previewed"),
        new("upload-warnings", "Send a return", "/returns/upload?agency={police}&period={latest}", Senders, "a file with a warning previewed, submitted without an explanation"),
        new("history", "Return history", "/returns/history/{police}/{latest}", SignedIn),
        new("tracker", "Submission tracker", "/returns/tracker", SignedIn),
        new("admin-users", "Users", "/admin/users", SignedIn),
        new("admin-user-dialog", "Users", "/admin/users", Admin, "the new user dialog open"),
        new("admin-agencies", "Agencies", "/admin/agencies", SignedIn),
        new("admin-priorities", "Priorities", "/admin/priorities", SignedIn),
        new("admin-periods", "Reporting periods", "/admin/periods", SignedIn),
        new("admin-measure-new", "New measure", "/admin/measures/new", SignedIn),
        new("admin-measure-invalid", "New measure", "/admin/measures/new", Admin, "saved with nothing filled in (validation errors)"),
        new("admin-measure-edit", "Edit measure", "/admin/measures/{measure}", SignedIn),
        new("admin-api-tokens", "API tokens", "/admin/api-tokens", SignedIn),
        new("admin-change-log", "Change log", "/admin/change-log", SignedIn),
        new("admin-backups", "Backups", "/admin/backups", SignedIn),
        new("not-found", "Page not found", "/no-such-page", SignedIn),
        new("audit-programme", "Audit programme", "/assurance/audits", SignedIn),
        new("audit-new", "New audit", "/assurance/audits/new", QaOrAdmin),
        new("audit", "Audit", "/assurance/audits/{audit}", SignedIn),
        new("cycles", "Self-assessment cycles", "/assurance/cycles", SignedIn),
        new("cycle", "Self-assessment cycle", "/assurance/cycles/{cycle}", SignedIn),
        new("submission", "Self-assessment submission", "/assurance/cycles/{cycle}/agencies/{police}", [CheckedRole.Administrator, CheckedRole.QaMember, CheckedRole.Executive, CheckedRole.PoliceUser]),
        new("audit-summary-upload", "Send an audit summary", "/assurance/audit-summaries/upload?agency={police}&period={latest}", SignedIn),
        new("voice", "Voice activities", "/voice", SignedIn),
        new("voice-new", "New voice activity", "/voice/new", SignedIn),
        new("voice-summary", "Voice by theme", "/voice/summary", SignedIn),
        new("voice-activity", "Voice activity", "/voice/activities/{activity}", SignedIn),
        new("voice-activity-edit", "Edit a voice activity", "/voice/activities/{activity}/edit", [CheckedRole.QaMember, CheckedRole.PoliceUser]),
        new("triangulation", "Triangulation", "/triangulation", SignedIn),
        new("theme", "Triangulation theme", "/triangulation/themes/{theme}", SignedIn),
        new("theme-new", "New line of enquiry", "/triangulation/themes/new", QaOrAdmin),
        new("theme-edit", "Edit a line of enquiry", "/triangulation/themes/{theme}/edit", QaOrAdmin),
        new("meetings", "Meetings", "/meetings", Oversight),
        new("meeting", "Meeting", "/meetings/{meeting}", Oversight),
        new("presenter", "Presenter view", "/meetings/{meeting}/present", Oversight),
        new("actions", "Actions", "/improvement/actions", SignedIn),
        new("action-new", "New action", "/improvement/actions/new", QaOrAdmin),
        new("action", "Action", "/improvement/actions/{action}", SignedIn),
        new("action-plan", "Action plan", "/improvement/plans/{plankind}/{plankey}", SignedIn),
        new("challenges", "Challenges", "/improvement/challenges", SignedIn),
        new("challenge-new", "New challenge", "/improvement/challenges/new", QaOrAdmin),
        new("challenge", "Challenge", "/improvement/challenges/{challenge}", SignedIn),
        new("learning-reviews", "Learning reviews", "/improvement/learning-reviews", SignedIn),
        new("learning-review", "Learning review", "/improvement/learning-reviews/{review}", SignedIn),
        new("risks", "Risk register", "/improvement/risks", Oversight),
        new("risk-new", "New risk", "/improvement/risks/new", QaOrAdmin),
        new("risk", "Risk", "/improvement/risks/{risk}", Oversight),
    ];

    /// <summary>Routes that are not swept, and why (the statement says so).</summary>
    public static readonly (string Route, string Reason)[] NotSwept =
    [
        ("/setup", "the first-run page, shown once before any administrator exists; its form is the sign-in page's"),
        ("/error", "the error page, shown only when the server fails"),
        ("/not-found", "the not-found page, checked through an unknown address (the \"not-found\" line)"),
        ("/account/access-denied", "the refusal page, checked through every administration page opened by a role that may not use it"),
    ];

    /// <summary>The journeys done with the keyboard alone (Tab, Shift+Tab, Enter, Space and arrow keys; no mouse).</summary>
    public static readonly KeyboardJourney[] Journeys =
    [
        new("SignInWithTheKeyboardAlone", "Sign in."),
        new("FilterTheScorecardToExceptionsAndOpenAMeasureWithTheKeyboardAlone", "Filter the scorecard to exceptions and open a measure."),
        new("AnAgencyUserDownloadsUploadsFixesAWarningAndSubmitsWithTheKeyboardAlone", "As an agency user, download the template, upload a return, explain a warning and submit it."),
        new("AnAdminEditsAMeasureAndSavesWithTheKeyboardAlone", "As an administrator, edit a measure and save it."),
    ];

    /// <summary>The pages checked for reflow: usable at 320 CSS pixels wide and at 200% zoom without loss of content.</summary>
    public static readonly string[] ReflowPages = ["Scorecard", "Measure", "Submission tracker", "Send a return"];

    /// <summary>What is known not to meet the standard or was not tested.</summary>
    public static readonly KnownIssue[] KnownIssues =
    [
        new("The statistical process control chart on a measure's page is drawn by Plotly and cannot be explored point by point with a keyboard or screen reader.",
            "1.1.1 Non-text content, 2.1.1 Keyboard",
            "Each chart has a sentence saying what it shows and its latest signal, and a \"Show the data as a table\" button with every point, its type and the limits."),
        new("On the scorecard, the \"Agency or sector\" list opened with the arrow key stays open after Escape or after Tab moves on, covering part of the page until something else is clicked or chosen.",
            "2.1.2 No keyboard trap is met (Tab leaves it); 1.4.13 Content on hover or focus is not fully met",
            "To be fixed in the scorecard's filters; until then choose an agency or press Tab and continue."),
        new("The Excel return templates and exports are not tested for accessibility.",
            "Documents are outside the automated checks",
            "The template's cells are labelled in its first row and instructions sheet; tell us if you cannot use it and we will take your return another way."),
        new("Automated checks find only part of the problems a person would; the product has not yet had a manual audit with screen readers.",
            "All",
            "A manual audit with NVDA, JAWS and VoiceOver is planned before the service is offered to other partnerships."),
    ];

    public static string Describe(CheckedRole role) => role switch
    {
        CheckedRole.Administrator => "an administrator",
        CheckedRole.QaMember => "a member of the quality assurance subgroup",
        CheckedRole.Executive => "an executive member",
        CheckedRole.PoliceUser => "an agency user (police)",
        CheckedRole.SchoolUser => "an agency user (a school)",
        CheckedRole.SignedOut => "someone not signed in",
        _ => role.ToString(),
    };
}
