namespace Scorecard.Web.Accessibility;

/// <summary>
/// Who to tell about an accessibility problem (section "Accessibility" of the settings). Each partnership sets its own; the
/// statement falls back to the administrators when none is set.
/// </summary>
public sealed class AccessibilityOptions
{
    /// <summary>An e-mail address for accessibility problems and requests for another format.</summary>
    public string ContactEmail { get; set; } = "";

    /// <summary>A telephone number, optional.</summary>
    public string ContactPhone { get; set; } = "";

    /// <summary>Working days within which the partnership replies.</summary>
    public int ReplyWithinDays { get; set; } = 5;

    public bool IsValid() => (ContactEmail.Length == 0 || ContactEmail.Contains('@')) && ReplyWithinDays is > 0 and <= 30;
}
