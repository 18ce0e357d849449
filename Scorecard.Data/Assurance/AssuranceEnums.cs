using System.Collections.Frozen;
using System.Text;

namespace Scorecard.Data.Assurance;

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
    Section175157,
    TrueForUs,
    [Obsolete("Stored spelling, for Dapper's reading only")] section_11 = Section11,
    [Obsolete("Stored spelling, for Dapper's reading only")] section_175_157 = Section175157,
    [Obsolete("Stored spelling, for Dapper's reading only")] true_for_us = TrueForUs,
}

/// <summary>A grading or a self-assessment version: a draft counts for nothing until it is submitted.</summary>
public enum SubmissionStatus { Draft, Submitted, Superseded }

/// <summary>
/// The one mapping between these enums and the snake_case text the schema stores. Dapper never consults a type handler
/// for an enum (it converts an enum parameter to its integer before looking), so: reading relies on Dapper's
/// <c>Enum.Parse(ignoreCase: true)</c>, with <c>[Obsolete]</c> aliases where the stored text differs from a member name by
/// more than case; writing always passes <see cref="ToDb{T}(T)"/>. The same mechanism as the types helper's
/// <c>Common/DbEnum</c>, kept here until the two are folded together.
/// </summary>
public static class AssuranceEnum
{
    public static string ToDb<T>(this T value) where T : struct, Enum =>
        Names<T>.ToText.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name}");

    public static string? ToDb<T>(this T? value) where T : struct, Enum => value?.ToDb();

    public static string[] ToDb<T>(this IEnumerable<T> values) where T : struct, Enum => values.Select(v => v.ToDb()).ToArray();

    public static T Parse<T>(string text) where T : struct, Enum =>
        Names<T>.FromText.TryGetValue(text, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(text), text, $"Unknown {typeof(T).Name}");

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Names<T>.FromText.TryGetValue(text, out value);
    }

    public static IReadOnlyList<T> All<T>() where T : struct, Enum => Names<T>.Values;

    /// <summary>"ThematicDeepDive" → "thematic_deep_dive": an underscore before each capital and before a run of digits
    /// ("Section11" → "section_11"). Section175157 alone is spelt out (section_175_157).</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1]))))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static class Names<T> where T : struct, Enum
    {
        // From the declared member names, not ToString(): a value with an alias may print as either name.
        private static readonly (T Value, string Text)[] Members = typeof(T)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => !f.IsDefined(typeof(ObsoleteAttribute), false))
            .Select(f => ((T)f.GetValue(null)!, f.Name == nameof(FrameworkKind.Section175157) ? "section_175_157" : SnakeCase(f.Name)))
            .ToArray();

        public static readonly IReadOnlyList<T> Values = Members.Select(m => m.Value).ToArray();
        public static readonly FrozenDictionary<T, string> ToText = Members.ToFrozenDictionary(m => m.Value, m => m.Text);
        public static readonly FrozenDictionary<string, T> FromText = Members.ToFrozenDictionary(m => m.Text, m => m.Value, StringComparer.Ordinal);
    }
}

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

    public static string Label(this Rating rating) => rating switch
    {
        Rating.Met => "Met",
        Rating.PartlyMet => "Partly met",
        Rating.NotMet => "Not met",
        _ => rating.ToString(),
    };
}
