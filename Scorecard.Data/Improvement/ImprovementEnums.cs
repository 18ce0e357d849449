namespace Scorecard.Data.Improvement;

// Stored as snake_case text through Common/DbEnum (write with .ToDb()); the [Obsolete] aliases are the stored spellings
// Dapper's case-insensitive Enum.Parse needs when reading a name of more than one word.

/// <summary>Where an action comes from, or what a challenge is about (issue 13 §1, §3): a measure (by code) or a row
/// validated by id (audit findings, self-assessment standards, learning review recommendations, risks, challenges, voice
/// "you said, we did" messages, triangulation themes); see SourceLinks.</summary>
public enum SourceKind
{
    Measure,
    AuditFinding,
    SelfAssessmentStandard,
    LearningReviewRecommendation,
    Risk,
    Challenge,
    VoiceMessage,
    TriangulationTheme,
    [Obsolete("Stored spelling, for Dapper's reading only")] audit_finding = AuditFinding,
    [Obsolete("Stored spelling, for Dapper's reading only")] self_assessment_standard = SelfAssessmentStandard,
    [Obsolete("Stored spelling, for Dapper's reading only")] learning_review_recommendation = LearningReviewRecommendation,
    [Obsolete("Stored spelling, for Dapper's reading only")] voice_message = VoiceMessage,
    [Obsolete("Stored spelling, for Dapper's reading only")] triangulation_theme = TriangulationTheme,
}

/// <summary>An action's status (issue 13 §1). Completed waits for the QA subgroup's moderation; closed is final.</summary>
public enum ActionStatus
{
    NotStarted,
    OnTrack,
    AtRisk,
    OffTrack,
    Completed,
    Closed,
    [Obsolete("Stored spelling, for Dapper's reading only")] not_started = NotStarted,
    [Obsolete("Stored spelling, for Dapper's reading only")] on_track = OnTrack,
    [Obsolete("Stored spelling, for Dapper's reading only")] at_risk = AtRisk,
    [Obsolete("Stored spelling, for Dapper's reading only")] off_track = OffTrack,
}

/// <summary>The QA subgroup's moderation of a completed action.</summary>
public enum ModerationDecision { Accepted, Returned }

/// <summary>Local child safeguarding practice review, or rapid review.</summary>
public enum LearningReviewType
{
    Lcspr,
    RapidReview,
    [Obsolete("Stored spelling, for Dapper's reading only")] rapid_review = RapidReview,
}

public enum LearningReviewStatus
{
    InProgress,
    Completed,
    Closed,
    [Obsolete("Stored spelling, for Dapper's reading only")] in_progress = InProgress,
}

/// <summary>The groups that own risks: the two subgroups of the Executive, the rapid review panel and task and finish
/// groups (arrangements, "Subgroups of the Safeguarding Executive").</summary>
public enum Subgroup
{
    QualityAssurance,
    LearningAndImprovement,
    RapidReviewPanel,
    TaskAndFinish,
    [Obsolete("Stored spelling, for Dapper's reading only")] quality_assurance = QualityAssurance,
    [Obsolete("Stored spelling, for Dapper's reading only")] learning_and_improvement = LearningAndImprovement,
    [Obsolete("Stored spelling, for Dapper's reading only")] rapid_review_panel = RapidReviewPanel,
    [Obsolete("Stored spelling, for Dapper's reading only")] task_and_finish = TaskAndFinish,
}

public enum RiskStatus { Open, Closed }

/// <summary>A crossing of the escalation threshold: up to 12 or above, or back below 12.</summary>
public enum EscalationDirection
{
    Escalated,
    DeEscalated,
    [Obsolete("Stored spelling, for Dapper's reading only")] de_escalated = DeEscalated,
}

public enum ChallengeStatus
{
    AwaitingResponse,
    Responded,
    FurtherInformation,
    Escalated,
    Closed,
    [Obsolete("Stored spelling, for Dapper's reading only")] awaiting_response = AwaitingResponse,
    [Obsolete("Stored spelling, for Dapper's reading only")] further_information = FurtherInformation,
}

/// <summary>The subgroup's view of an agency's response.</summary>
public enum ChallengeView
{
    Satisfactory,
    FurtherInformation,
    Escalate,
    [Obsolete("Stored spelling, for Dapper's reading only")] further_information = FurtherInformation,
}

public enum ChallengeEntryKind { Response, View }

/// <summary>The stages of the Pan-Cheshire Escalation Policy's general principles of resolution (arrangements,
/// "Escalation and Dispute Resolution"), in order.</summary>
public enum EscalationStage
{
    /// <summary>The two agencies meet to find a satisfactory solution.</summary>
    AgencyToAgency,
    /// <summary>Unresolved or involving several agencies: the full partnership seeks a resolution.</summary>
    FullPartnership,
    /// <summary>The three statutory safeguarding partners determine the resolution.</summary>
    StatutoryPartners,
    /// <summary>Disagreement between the statutory partners: the council's Leader/CE, the ICB's accountable officer and the Chief Constable.</summary>
    LeadersAndChiefs,
    [Obsolete("Stored spelling, for Dapper's reading only")] agency_to_agency = AgencyToAgency,
    [Obsolete("Stored spelling, for Dapper's reading only")] full_partnership = FullPartnership,
    [Obsolete("Stored spelling, for Dapper's reading only")] statutory_partners = StatutoryPartners,
    [Obsolete("Stored spelling, for Dapper's reading only")] leaders_and_chiefs = LeadersAndChiefs,
}

/// <summary>Words for the improvement enums, written once.</summary>
public static class ImprovementWords
{
    public static string Label(this SourceKind kind) => kind switch
    {
        SourceKind.Measure => "Measure",
        SourceKind.AuditFinding => "Audit finding",
        SourceKind.SelfAssessmentStandard => "Self-assessment standard",
        SourceKind.LearningReviewRecommendation => "Learning review recommendation",
        SourceKind.Risk => "Risk",
        SourceKind.Challenge => "Challenge",
        SourceKind.VoiceMessage => "Voice: you said, we did",
        SourceKind.TriangulationTheme => "Triangulation theme",
        _ => kind.ToString(),
    };

    public static string Label(this ActionStatus status) => status switch
    {
        ActionStatus.NotStarted => "Not started",
        ActionStatus.OnTrack => "On track",
        ActionStatus.AtRisk => "At risk",
        ActionStatus.OffTrack => "Off track",
        ActionStatus.Completed => "Completed: awaiting moderation",
        ActionStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    public static string Label(this LearningReviewType type) => type switch
    {
        LearningReviewType.Lcspr => "Local child safeguarding practice review",
        LearningReviewType.RapidReview => "Rapid review",
        _ => type.ToString(),
    };

    public static string Label(this LearningReviewStatus status) => status switch
    {
        LearningReviewStatus.InProgress => "In progress",
        LearningReviewStatus.Completed => "Completed",
        LearningReviewStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    public static string Label(this Subgroup subgroup) => subgroup switch
    {
        Subgroup.QualityAssurance => "Quality Assurance",
        Subgroup.LearningAndImprovement => "Learning and Improvement",
        Subgroup.RapidReviewPanel => "Rapid Review Panel",
        Subgroup.TaskAndFinish => "Task and finish group",
        _ => subgroup.ToString(),
    };

    public static string Label(this ChallengeStatus status) => status switch
    {
        ChallengeStatus.AwaitingResponse => "Awaiting response",
        ChallengeStatus.Responded => "Responded: awaiting the subgroup's view",
        ChallengeStatus.FurtherInformation => "Further information requested",
        ChallengeStatus.Escalated => "Escalated",
        ChallengeStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    public static string Label(this ChallengeView view) => view switch
    {
        ChallengeView.Satisfactory => "Satisfactory",
        ChallengeView.FurtherInformation => "Further information needed",
        ChallengeView.Escalate => "Escalate",
        _ => view.ToString(),
    };

    public static string Label(this EscalationStage stage) => stage switch
    {
        EscalationStage.AgencyToAgency => "Stage 1: the agencies meet",
        EscalationStage.FullPartnership => "Stage 2: the full partnership",
        EscalationStage.StatutoryPartners => "Stage 3: the statutory safeguarding partners",
        EscalationStage.LeadersAndChiefs => "Stage 4: Leader/CE, ICB accountable officer and Chief Constable",
        _ => stage.ToString(),
    };

    public static string Label(this EscalationDirection direction) => direction switch
    {
        EscalationDirection.Escalated => "Escalated to the Executive",
        EscalationDirection.DeEscalated => "De-escalated",
        _ => direction.ToString(),
    };
}
