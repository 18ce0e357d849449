using Microsoft.Playwright;

namespace Scorecard.Tests.Browser.Accessibility;

/// <summary>Moving through a page as a keyboard user does: Tab and Shift+Tab until the wanted control has focus, never a click.</summary>
public static class Keyboard
{
    public static Task<bool> IsFocusedAsync(ILocator target) => target.EvaluateAsync<bool>("el => el === document.activeElement || el.contains(document.activeElement)");

    /// <summary>
    /// Presses Tab (or Shift+Tab) until <paramref name="target"/> has focus, and fails, naming what was focused, if it is
    /// not reached within <paramref name="maxPresses"/>: a control a keyboard cannot reach is the defect these tests exist for.
    /// </summary>
    public static async Task<int> TabToAsync(IPage page, ILocator target, int maxPresses = 120, bool backwards = false)
    {
        await target.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (await IsFocusedAsync(target))
            return 0;
        var seen = new List<string>();
        for (var presses = 1; presses <= maxPresses; presses++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await IsFocusedAsync(target))
                return presses;
            seen.Add(await FocusedAsync(page));
        }
        throw new Xunit.Sdk.XunitException($"{(backwards ? "Shift+Tab" : "Tab")} did not reach the control in {maxPresses} presses; focus went through: {string.Join(" → ", seen.Distinct().Take(60))}");
    }

    /// <summary>A short description of the focused element: its tag, and its name or text.</summary>
    public static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>(
        "() => { const e = document.activeElement; if (!e) return 'nothing'; const name = e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || ''; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + name.trim().slice(0, 40); }");
}
