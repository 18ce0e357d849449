using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance;

// Stored as snake_case text through Common/DbEnum, the product's one mapping of domain enums (write with .ToDb(); Dapper
// reads by name, through the [Obsolete] aliases where the stored text differs from a member name by more than case).

/// <summary>Kinds of partnership audit (issue 11 §1).</summary>
public enum AuditType
{
    MultiAgencyCase,
    ThematicDeepDive,
    PractitionerVisit,
    [Obsolete("Stored spelling, for Dapper's reading only")] multi_agency_case = MultiAgencyCase,
    [Obsolete("Stored spelling, for Dapper's reading only")] thematic_deep_dive = ThematicDeepDive,
    [Obsolete("Stored spelling, for Dapper's reading only")] practitioner_visit = PractitionerVisit,
}

/// <summary>Where an audit is in its life, in order.</summary>
public enum AuditStatus { Planned, Fieldwork, Moderation, Reported, Closed }

/// <summary>The partnership's four-point grade, best first. <see cref="AssuranceScales.Score(Grade)"/> gives 4 … 1.</summary>
public enum Grade
{
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
    [Obsolete("Stored spelling, for Dapper's reading only")] requires_improvement = RequiresImprovement,
}

/// <summary>"Was the child's lived experience and voice evident?"</summary>
public enum YesPartlyNo { Yes, Partly, No }

public enum FindingType
{
    Strength,
    AreaForDevelopment,
    Recommendation,
    [Obsolete("Stored spelling, for Dapper's reading only")] area_for_development = AreaForDevelopment,
}

/// <summary>A self-assessment rating: green, amber, red. Ordinal score met = 2, partly met = 1, not met = 0.</summary>
public enum Rating
{
    Met,
    PartlyMet,
    NotMet,
    [Obsolete("Stored spelling, for Dapper's reading only")] partly_met = PartlyMet,
    [Obsolete("Stored spelling, for Dapper's reading only")] not_met = NotMet,
}

public enum ModerationOutcome { Agree, Moderated }

public enum FrameworkKind
{
    Section11,
    [DbName("section_175_157")] Section175157,
    TrueForUs,
    [Obsolete("Stored spelling, for Dapper's reading only")] section_11 = Section11,
    [Obsolete("Stored spelling, for Dapper's reading only")] section_175_157 = Section175157,
    [Obsolete("Stored spelling, for Dapper's reading only")] true_for_us = TrueForUs,
}

/// <summary>A school's or college's phase (agency.education_phase), for filtering the Section 175/157 heat map.</summary>
public enum EducationPhase
{
    Primary,
    Secondary,
    SixteenPlus,
    Independent,
    Other,
    [Obsolete("Stored spelling, for Dapper's reading only")] sixteen_plus = SixteenPlus,
}

/// <summary>A grading or a self-assessment version: a draft counts for nothing until it is submitted.</summary>
public enum SubmissionStatus { Draft, Submitted, Superseded }

/// <summary>The ordinal scales the statistics use, written down once.</summary>
public static class AssuranceScales
{
    /// <summary>Outstanding 4, good 3, requires improvement 2, inadequate 1.</summary>
    public static int Score(this Grade grade) => grade switch
    {
        Grade.Outstanding => 4,
        Grade.Good => 3,
        Grade.RequiresImprovement => 2,
        Grade.Inadequate => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(grade)),
    };

    /// <summary>Met 2, partly met 1, not met 0: the scale of the optimism gap (self minus moderated).</summary>
    public static int Score(this Rating rating) => rating switch
    {
        Rating.Met => 2,
        Rating.PartlyMet => 1,
        Rating.NotMet => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(rating)),
    };

    public static bool IsGoodOrBetter(this Grade grade) => grade is Grade.Outstanding or Grade.Good;

    public static string Label(this Grade grade) => grade switch
    {
        Grade.Outstanding => "Outstanding",
        Grade.Good => "Good",
        Grade.RequiresImprovement => "Requires improvement",
        Grade.Inadequate => "Inadequate",
        _ => grade.ToString(),
    };

    public static string Label(this EducationPhase phase) => phase switch
    {
        EducationPhase.Primary => "Primary",
        EducationPhase.Secondary => "Secondary",
        EducationPhase.SixteenPlus => "16 plus",
        EducationPhase.Independent => "Independent",
        _ => "Other education",
    };

    public static string Label(this Rating rating) => rating switch
    {
        Rating.Met => "Met",
        Rating.PartlyMet => "Partly met",
        Rating.NotMet => "Not met",
        _ => rating.ToString(),
    };
}
