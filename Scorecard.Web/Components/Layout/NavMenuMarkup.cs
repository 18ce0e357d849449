using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace Scorecard.Web.Components.Layout;

/// <summary>One entry of the main navigation (<see cref="NavMenu"/>).</summary>
/// <param name="Href">Where it goes, from the root ("/scorecard").</param>
/// <param name="Roles">Who sees it; none: everyone signed in.</param>
/// <param name="Group">The collapsible group it sits in ("" for none).</param>
public sealed record NavEntry(string Href, string Label, string Icon, NavLinkMatch Match = NavLinkMatch.Prefix, string[]? Roles = null, string Group = "");

/// <summary>
/// The main navigation's HTML, built once per role set and current entry for the whole process and shared by every
/// circuit (issue 10 §1): the look of MudBlazor's nav menu from its own CSS classes, the current page marked with
/// <c>aria-current="page"</c>, groups as native disclosure widgets (no state on the server).
/// </summary>
public static class NavMenuMarkup
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Html(IReadOnlyList<NavEntry> entries, IReadOnlyList<string> roles, string relativeUri)
    {
        var visible = entries.Where(e => e.Roles is null || e.Roles.Any(roles.Contains)).ToList();
        var path = "/" + relativeUri.Split('?', '#')[0].Trim('/');
        var active = visible.Where(e => Matches(e, path)).OrderByDescending(e => e.Href.Length).FirstOrDefault();
        var key = $"{string.Join(',', roles)}|{active?.Href}|{entries.Count}";
        return Cache.Count < 1024 ? Cache.GetOrAdd(key, _ => Build(visible, active)) : Build(visible, active);
    }

    private static bool Matches(NavEntry entry, string path) => entry.Match == NavLinkMatch.All
        ? string.Equals(path, entry.Href, StringComparison.OrdinalIgnoreCase)
        : string.Equals(path, entry.Href, StringComparison.OrdinalIgnoreCase)
          || path.StartsWith(entry.Href.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);

    private static string Build(IReadOnlyList<NavEntry> visible, NavEntry? active)
    {
        var html = new StringBuilder("<div class=\"mud-navmenu mud-navmenu-default pt-2\">");
        foreach (var group in visible.GroupBy(e => e.Group))
        {
            if (group.Key.Length > 0)
            {
                html.Append("<details class=\"app-nav-group\" open><summary class=\"mud-nav-link\">");
                html.Append(Icon(GroupIcon(group.Key)));
                html.Append($"<span class=\"mud-nav-link-text\">{WebUtility.HtmlEncode(group.Key)}</span></summary>");
            }
            foreach (var entry in group)
            {
                var current = ReferenceEquals(entry, active);
                html.Append($"<div class=\"mud-nav-item\"><a href=\"{WebUtility.HtmlEncode(entry.Href)}\" class=\"mud-nav-link{(current ? " active" : "")}\"{(current ? " aria-current=\"page\"" : "")}>");
                html.Append(Icon(entry.Icon));
                html.Append($"<span class=\"mud-nav-link-text\">{WebUtility.HtmlEncode(entry.Label)}</span></a></div>");
            }
            if (group.Key.Length > 0)
                html.Append("</details>");
        }
        return html.Append("</div>").ToString();
    }

    private static string GroupIcon(string group) => group switch
    {
        "Quality assurance" => Icons.Material.Outlined.FactCheck,
        "Closing the loop" => Icons.Material.Outlined.Loop,
        _ => Icons.Material.Outlined.AdminPanelSettings,
    };

    private static string Icon(string svg) =>
        $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-medium mud-nav-link-icon\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{svg}</svg>";
}
