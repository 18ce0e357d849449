using System.Collections.Frozen;
using System.Text;

namespace Scorecard.Data.Common;

/// <summary>
/// The one mapping between a domain enum and the snake_case text the database stores (<c>RatePer10k</c> ⇄
/// <c>rate_per_10k</c>, <c>HigherIsBetter</c> ⇄ <c>higher_is_better</c>). No stored value is spelled anywhere else.
/// <para>Reading: Dapper turns text into an enum with <c>Enum.Parse(ignoreCase: true)</c> and never consults a type
/// handler for an enum (it converts enums to their underlying integer before looking for one), so an enum whose stored
/// names differ from its member names by more than case declares those names as <c>[Obsolete]</c> aliases; this class
/// ignores the aliases. Writing: Dapper would send an enum parameter as its integer, so parameters are always passed as
/// <see cref="ToDb{T}(T)"/> (the tests in <c>Common/DbEnumTests</c> pin both behaviours).</para>
/// </summary>
public static class DbEnum
{
    /// <summary>The stored text of <paramref name="value"/>.</summary>
    public static string ToDb<T>(this T value) where T : struct, Enum =>
        Names<T>.ToText.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name}");

    /// <summary>The stored text of <paramref name="value"/>, or null (SQL null) when there is none.</summary>
    public static string? ToDb<T>(this T? value) where T : struct, Enum => value?.ToDb();

    /// <summary>The stored text of each value, for SQL <c>= any(@values)</c>.</summary>
    public static string[] ToDb<T>(this IEnumerable<T> values) where T : struct, Enum => values.Select(v => v.ToDb()).ToArray();

    /// <summary>The value whose stored text is <paramref name="text"/>; throws on anything else.</summary>
    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(text), text, $"Unknown {typeof(T).Name}");

    /// <summary>Parses stored text (exact, lower-case); false for anything else, including null.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Names<T>.FromText.TryGetValue(text, out value);
    }

    /// <summary>Every value of <typeparamref name="T"/> in declaration order.</summary>
    public static IReadOnlyList<T> All<T>() where T : struct, Enum => Names<T>.Values;

    /// <summary>"RatePer10k" → "rate_per_10k": an underscore before each capital and before a run of digits.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1])));
            if (boundary)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static class Names<T> where T : struct, Enum
    {
        // From the declared member names, never ToString(): a value with an [Obsolete] alias may print as either name.
        private static readonly (T Value, string Text)[] Members = typeof(T)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => !f.IsDefined(typeof(ObsoleteAttribute), false))
            .Select(f => ((T)f.GetValue(null)!,
                f.GetCustomAttributes(typeof(DbNameAttribute), false) is [DbNameAttribute named, ..] ? named.Name : SnakeCase(f.Name)))
            .ToArray();

        public static readonly IReadOnlyList<T> Values = Members.Select(m => m.Value).ToArray();
        public static readonly FrozenDictionary<T, string> ToText = Members.ToFrozenDictionary(m => m.Value, m => m.Text);
        public static readonly FrozenDictionary<string, T> FromText = Members.ToFrozenDictionary(m => m.Text, m => m.Value, StringComparer.Ordinal);
    }
}

/// <summary>
/// The stored text of an enum member whose name does not snake-case to it (<c>Section175157</c> is stored
/// <c>section_175_157</c>, not <c>section_175157</c>). Dapper reads such text through an <c>[Obsolete]</c> alias as well.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class DbNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
