using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;

namespace Scorecard.Web.Components.Shared;

/// <summary>
/// Markup for one grid cell, built once per object of the shared read model (a quarter's figure, a trend, a measure)
/// and reused by every circuit that draws it. A cell drawn as elements costs each circuit a dozen render-tree frames and
/// its own strings, kept for the life of the page (twice: the current and the previous tree); drawn from here it costs
/// one frame pointing at a string that all viewers share (issue 10 §1). The cache holds its objects weakly, so it lives
/// exactly as long as the snapshot (or a viewer's suppressed copy) that owns them.
/// </summary>
public static class SharedMarkup
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, RenderFragment>> Cache = new();

    /// <summary>
    /// The fragment for <paramref name="owner"/> drawn as <paramref name="variant"/> (everything besides the owner that
    /// the markup depends on); <paramref name="build"/> makes the HTML, already encoded, on first use.
    /// </summary>
    public static RenderFragment For(object owner, string variant, Func<string> build)
    {
        var drawings = Cache.GetValue(owner, static _ => new ConcurrentDictionary<string, RenderFragment>(StringComparer.Ordinal));
        if (drawings.TryGetValue(variant, out var fragment))
            return fragment;
        var markup = build();
        return drawings.GetOrAdd(variant, builder => builder.AddMarkupContent(0, markup));
    }

}
