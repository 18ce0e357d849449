namespace Scorecard.Data.Voice;

// Stored as snake_case text through Common/DbEnum: write with .ToDb(); Dapper reads with Enum.Parse(ignoreCase), so a
// stored name with underscores has an [Obsolete] alias (DbEnum ignores the aliases).

/// <summary>How the views were gathered (issue 12 §1).</summary>
public enum VoiceMethod
{
    Survey,
    Consultation,
    FocusGroup,
    DirectWork,
    YouthForum,
    AuditConversation,
    PractitionerVisit,
    [Obsolete("Stored spelling, for Dapper's reading only")] focus_group = FocusGroup,
    [Obsolete("Stored spelling, for Dapper's reading only")] direct_work = DirectWork,
    [Obsolete("Stored spelling, for Dapper's reading only")] youth_forum = YouthForum,
    [Obsolete("Stored spelling, for Dapper's reading only")] audit_conversation = AuditConversation,
    [Obsolete("Stored spelling, for Dapper's reading only")] practitioner_visit = PractitionerVisit,
}

/// <summary>Whose voice it is. Children's and families' answers can identify a child; practitioners' cannot.</summary>
public enum RespondentGroup
{
    ChildrenYoungPeople,
    ParentsCarers,
    Practitioners,
    [Obsolete("Stored spelling, for Dapper's reading only")] children_young_people = ChildrenYoungPeople,
    [Obsolete("Stored spelling, for Dapper's reading only")] parents_carers = ParentsCarers,
}

/// <summary>The answer options of a question, in order; the positive answers are listed by <see cref="AnswerScales.PositiveAnswers"/>.</summary>
public enum AnswerScale
{
    AgreeNeitherDisagree,
    YesSometimesNo,
    YesNo,
    OneToFive,
    [Obsolete("Stored spelling, for Dapper's reading only")] agree_neither_disagree = AgreeNeitherDisagree,
    [Obsolete("Stored spelling, for Dapper's reading only")] yes_sometimes_no = YesSometimesNo,
    [Obsolete("Stored spelling, for Dapper's reading only")] yes_no = YesNo,
    [Obsolete("Stored spelling, for Dapper's reading only")] one_to_five = OneToFive,
}

/// <summary>On what basis a quote may be kept and, once approved, shared.</summary>
public enum ConsentBasis
{
    ConsentGiven,
    ParentalConsent,
    AnonymisedNoConsentNeeded,
    [Obsolete("Stored spelling, for Dapper's reading only")] consent_given = ConsentGiven,
    [Obsolete("Stored spelling, for Dapper's reading only")] parental_consent = ParentalConsent,
    [Obsolete("Stored spelling, for Dapper's reading only")] anonymised_no_consent_needed = AnonymisedNoConsentNeeded,
}

/// <summary>A quote is reviewed before anyone outside QA sees it.</summary>
public enum QuoteReview
{
    Draft,
    ApprovedForSharing,
    [Obsolete("Stored spelling, for Dapper's reading only")] approved_for_sharing = ApprovedForSharing,
}

public enum VoiceSource { Screen, Upload, Demo }

/// <summary>Labels and answer options, written down once.</summary>
public static class AnswerScales
{
    /// <summary>The answer options in stored order.</summary>
    public static IReadOnlyList<string> Answers(this AnswerScale scale) => scale switch
    {
        AnswerScale.AgreeNeitherDisagree => ["Agree", "Neither", "Disagree"],
        AnswerScale.YesSometimesNo => ["Yes", "Sometimes", "No"],
        AnswerScale.YesNo => ["Yes", "No"],
        AnswerScale.OneToFive => ["1", "2", "3", "4", "5"],
        _ => throw new ArgumentOutOfRangeException(nameof(scale)),
    };

    /// <summary>How many answers a count array of this scale has.</summary>
    public static int Width(this AnswerScale scale) => scale.Answers().Count;

    /// <summary>The positions (0-based) of the answers counted as positive: agree; yes; 4 and 5 on a 1–5 scale.
    /// "Sometimes" and "neither" are not positive.</summary>
    public static IReadOnlyList<int> PositiveAnswers(this AnswerScale scale) => scale switch
    {
        AnswerScale.OneToFive => [3, 4],
        _ => [0],
    };

    public static string Label(this AnswerScale scale) => scale switch
    {
        AnswerScale.AgreeNeitherDisagree => "Agree / neither / disagree",
        AnswerScale.YesSometimesNo => "Yes / sometimes / no",
        AnswerScale.YesNo => "Yes / no",
        AnswerScale.OneToFive => "1 to 5",
        _ => scale.ToString(),
    };

    public static string Label(this VoiceMethod method) => method switch
    {
        VoiceMethod.Survey => "Survey",
        VoiceMethod.Consultation => "Consultation",
        VoiceMethod.FocusGroup => "Focus group",
        VoiceMethod.DirectWork => "Direct work",
        VoiceMethod.YouthForum => "Youth forum",
        VoiceMethod.AuditConversation => "Audit conversation",
        VoiceMethod.PractitionerVisit => "Practitioner visit",
        _ => method.ToString(),
    };

    public static string Label(this RespondentGroup group) => group switch
    {
        RespondentGroup.ChildrenYoungPeople => "Children and young people",
        RespondentGroup.ParentsCarers => "Parents and carers",
        RespondentGroup.Practitioners => "Practitioners",
        _ => group.ToString(),
    };

    public static string Label(this ConsentBasis basis) => basis switch
    {
        ConsentBasis.ConsentGiven => "Consent given by the young person",
        ConsentBasis.ParentalConsent => "Parental consent",
        ConsentBasis.AnonymisedNoConsentNeeded => "Anonymised: consent not needed",
        _ => basis.ToString(),
    };

    /// <summary>Whether an answer count of 1–4 could identify a child (children's and families' answers).</summary>
    public static bool AboutChildren(this RespondentGroup group) => group != RespondentGroup.Practitioners;
}
