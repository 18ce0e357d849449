using System.Globalization;
using System.Text.RegularExpressions;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>
/// An audit samples a case by an anonymised reference only. A child's name or date of birth in an audit record would
/// make the audit's working papers personal data about that child, to be shared with every agency on the panel; a
/// reference such as <c>NEG-07</c> is enough to find the case in the agency's own system. So the field refuses anything
/// shaped like a name (letters and spaces, no digit) or a date, with a message that says why.
/// </summary>
public static partial class CaseReference
{
    public const string Example = "NEG24-07";

    /// <summary>The reference as stored (trimmed, upper case), or the reason it is refused.</summary>
    public static (string? Reference, string? Problem) Check(string? raw)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
            return (null, "Case reference is required.");
        if (LooksLikeDate(text))
            return (null, $"A case reference must not contain a date (a date of birth identifies a child). Use the anonymised reference, e.g. {Example}.");
        if (text.Any(char.IsWhiteSpace) || text.Contains(',') || text.Contains('\''))
            return (null, $"A case reference is letters, digits and hyphens with no spaces, never a child's name. Use the anonymised reference, e.g. {Example}.");
        var upper = text.ToUpperInvariant();
        if (!Shape().IsMatch(upper))
            return (null, $"A case reference is 3 to 24 letters, digits and hyphens, starting with a letter or digit, e.g. {Example}.");
        if (!upper.Any(char.IsAsciiDigit))
            return (null, $"A case reference must contain a digit: it is a reference, never a child's name. Use the anonymised reference, e.g. {Example}.");
        return (upper, null);
    }

    private static bool LooksLikeDate(string text)
    {
        if (SeparatedDate().IsMatch(text) || IsoDate().IsMatch(text) || MonthNameDate().IsMatch(text))
            return true;
        // An eight-digit run that is a real date (ddMMyyyy or yyyyMMdd).
        foreach (Match m in EightDigits().Matches(text))
        {
            if (DateTime.TryParseExact(m.Value, ["ddMMyyyy", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                && d.Year is >= 1990 and <= 2100)
                return true;
        }
        return false;
    }

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9-]{2,23}$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})(?!\d)")]
    private static partial Regex SeparatedDate();

    [GeneratedRegex(@"(?<!\d)(19|20)\d{2}[-/.]?[01]\d[-/.]?[0-3]\d(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\d{1,2}[-/. ]?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[-/. ]?\d{2,4}", RegexOptions.IgnoreCase)]
    private static partial Regex MonthNameDate();

    [GeneratedRegex(@"(?<!\d)\d{8}(?!\d)")]
    private static partial Regex EightDigits();
}
