using System.Collections.Concurrent;
using System.Globalization;
using SkiaSharp;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// Draws the pack's charts server-side as PNG with SkiaSharp (issue 13 §4: rendered, not a screenshot): the XmR chart
/// (values coloured by point type, mean, process limits, target) and the 5×5 risk heat map. Deterministic: the same
/// model gives the same bytes (no clock, no randomness, fixed fonts and sizes).
/// </summary>
public static class PackCharts
{
    /// <summary>Pixels per unit of the drawing's 1200 × 560 layout: 960 × 448 pixels print sharp at the page's width.</summary>
    private const float Scale = 0.8f;
    private const int LayoutWidth = 1200, LayoutHeight = 560, LayoutHeatMap = 620;
    public const int ChartWidth = (int)(LayoutWidth * Scale);
    public const int ChartHeight = (int)(LayoutHeight * Scale);
    public const int HeatMapSize = (int)(LayoutHeatMap * Scale);

    private static readonly SKTypeface Typeface =
        SKFontManager.Default.MatchFamily("DejaVu Sans") ?? SKFontManager.Default.MatchFamily("Liberation Sans") ?? SKTypeface.Default;

    /// <summary>The XmR chart as a PNG.</summary>
    public static byte[] Xmr(PackChart chart)
    {
        using var surface = Surface(ChartWidth, ChartHeight);
        var canvas = surface.Canvas;
        // The quarters along the bottom and the legend are the same for every chart of the same quarters: drawn once,
        // then copied (first, so whatever is drawn next lies over them as if they had been drawn here).
        canvas.Save();
        canvas.ResetMatrix();
        canvas.DrawImage(BottomStrip(chart.Labels), 0, StripTop * Scale, SKSamplingOptions.Default);
        canvas.Restore();
        var plotW = LayoutWidth - Left - Right;
        var plotH = LayoutHeight - Top - Bottom;
        const float left = Left, top = Top;
        using var font = new SKFont(Typeface, 18);
        using var small = new SKFont(Typeface, 15);
        using var text = new SKPaint { Color = new SKColor(0x1B, 0x1F, 0x24), IsAntialias = true };
        canvas.DrawText(Clip(chart.Title, 90), left, 30, SKTextAlign.Left, font, text);

        var all = chart.Values.Concat(chart.Mean).Concat(chart.Upper).Concat(chart.Lower).Append(chart.Target)
            .Where(v => v is not null).Select(v => v!.Value).ToList();
        var (min, max) = all.Count == 0 ? (0d, 1d) : (all.Min(), all.Max());
        if (max - min < 1e-9) { min -= 1; max += 1; }
        var pad = (max - min) * 0.08;
        min -= pad; max += pad;
        var n = Math.Max(1, chart.Labels.Count);
        float X(int i) => QuarterX(i, n);
        float Y(double v) => (float)(top + plotH * (1 - (v - min) / (max - min)));

        // Lines that are always level or upright (axes, ticks, target, legend) are drawn without anti-aliasing: as sharp,
        // and far cheaper to draw and to encode (no blended edge colours).
        using var axis = new SKPaint { Color = new SKColor(0x9E, 0xA7, 0xB0), StrokeWidth = 1, IsAntialias = false, Style = SKPaintStyle.Stroke };
        canvas.DrawLine(left, top, left, top + plotH, axis);
        canvas.DrawLine(left, top + plotH, left + plotW, top + plotH, axis);
        for (var t = 0; t <= 4; t++)
        {
            var v = min + (max - min) * t / 4;
            var y = Y(v);
            canvas.DrawLine(left - 5, y, left, y, axis);
            canvas.DrawText(v.ToString("0.#", CultureInfo.InvariantCulture), left - 8, y + 5, SKTextAlign.Right, small, text);
        }
        canvas.Save();
        canvas.Translate(22, top + plotH / 2);
        canvas.RotateDegrees(-90);
        canvas.DrawText(Clip(chart.YAxis, 40), 0, 0, SKTextAlign.Center, small, text);
        canvas.Restore();

        DrawSeries(canvas, chart.Mean, X, Y, new SKColor(0x1B, 0x1F, 0x24), 2, null, levelSharp: true);
        using (var dash = SKPathEffect.CreateDash([10, 6], 0))
        {
            DrawSeries(canvas, chart.Upper, X, Y, new SKColor(0x7F, 0x8C, 0x9A), 2, dash, levelSharp: true);
            DrawSeries(canvas, chart.Lower, X, Y, new SKColor(0x7F, 0x8C, 0x9A), 2, dash, levelSharp: true);
        }
        if (chart.Target is { } target)
        {
            using var dot = SKPathEffect.CreateDash([3, 5], 0);
            using var red = new SKPaint { Color = new SKColor(0xD3, 0x2F, 0x2F), StrokeWidth = 2.5f, IsAntialias = false, Style = SKPaintStyle.Stroke, PathEffect = dot };
            canvas.DrawLine(left, Y(target), left + plotW, Y(target), red);
        }
        DrawSeries(canvas, chart.Values, X, Y, new SKColor(0x5F, 0x6B, 0x7A), 2, null);
        // The points, one path per colour: each draw call costs Skia a pipeline of its own.
        using (var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill })
        {
            var byColour = new SortedDictionary<string, SKPathBuilder>(StringComparer.Ordinal);
            for (var i = 0; i < chart.Values.Count; i++)
            {
                if (chart.Values[i] is not { } v)
                    continue;
                if (!byColour.TryGetValue(chart.Colours[i], out var points))
                    byColour[chart.Colours[i]] = points = new SKPathBuilder();
                points.AddCircle(X(i), Y(v), 7);
            }
            foreach (var (colour, points) in byColour)
            {
                fill.Color = SKColor.Parse(colour);
                using var path = points.Detach();
                canvas.DrawPath(path, fill);
                points.Dispose();
            }
        }

        return Png(surface);
    }

    private const float Left = 90, Right = 80, Top = 50, Bottom = 110;
    /// <summary>Where the strip of quarters and legend starts (layout units; a whole pixel at <see cref="Scale"/>).</summary>
    private const float StripTop = 455;
    private const int StripsKept = 8;
    private static readonly ConcurrentDictionary<string, SKImage> Strips = new(StringComparer.Ordinal);

    private static float QuarterX(int i, int n) => Left + (n == 1 ? (LayoutWidth - Left - Right) / 2 : (LayoutWidth - Left - Right) * i / (n - 1));

    /// <summary>
    /// The bottom strip of an XmR chart (the quarters' labels and the legend), drawn once per set of quarters and kept
    /// (a few, 320 KB each): every chart of a pack has the same. An image is never disposed while kept, so another
    /// thread may still be drawing one that a full cache let go (the collector frees it).
    /// </summary>
    private static SKImage BottomStrip(IReadOnlyList<string> labels)
    {
        var key = string.Join('\u001F', labels);
        if (Strips.TryGetValue(key, out var kept))
            return kept;
        if (Strips.Count >= StripsKept)
            Strips.Clear();
        return Strips.GetOrAdd(key, _ => DrawStrip(labels));
    }

    private static SKImage DrawStrip(IReadOnlyList<string> labels)
    {
        using var surface = SKSurface.Create(new SKImageInfo(ChartWidth, (int)((LayoutHeight - StripTop) * Scale), SKColorType.Rgb888x, SKAlphaType.Opaque));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale(Scale);
        canvas.Translate(0, -StripTop);
        using var small = new SKFont(Typeface, 15);
        using var text = new SKPaint { Color = new SKColor(0x1B, 0x1F, 0x24), IsAntialias = true };
        var n = Math.Max(1, labels.Count);
        var step = Math.Max(1, (int)Math.Ceiling(n / 12.0));
        for (var i = 0; i < labels.Count; i += step)
        {
            canvas.Save();
            canvas.Translate(QuarterX(i, n), LayoutHeight - Bottom + 12);
            canvas.RotateDegrees(35);
            canvas.DrawText(labels[i], 0, 10, SKTextAlign.Left, small, text);
            canvas.Restore();
        }
        var legend = new (string Label, SKColor Colour)[]
        {
            ("Value", new SKColor(0x5F, 0x6B, 0x7A)), ("Mean", new SKColor(0x1B, 0x1F, 0x24)),
            ("Process limits", new SKColor(0x7F, 0x8C, 0x9A)), ("Target", new SKColor(0xD3, 0x2F, 0x2F)),
        };
        var lx = Left;
        foreach (var (label, colour) in legend)
        {
            using var p = new SKPaint { Color = colour, StrokeWidth = 3, IsAntialias = false };
            canvas.DrawLine(lx, LayoutHeight - 18, lx + 24, LayoutHeight - 18, p);
            canvas.DrawText(label, lx + 30, LayoutHeight - 12, SKTextAlign.Left, small, text);
            lx += 40 + small.MeasureText(label) + 20;
        }
        return surface.Snapshot();
    }

    /// <summary>The 5×5 heat map of risks (likelihood up, impact across), each cell coloured by score with its count.</summary>
    public static byte[] HeatMap(PackHeatMap map)
    {
        using var surface = Surface(HeatMapSize, HeatMapSize);
        var canvas = surface.Canvas;
        const float left = 90, top = 20, cell = 100;
        using var font = new SKFont(Typeface, 28);
        using var small = new SKFont(Typeface, 16);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var dark = new SKPaint { Color = new SKColor(0x1B, 0x1F, 0x24), IsAntialias = true };
        using var border = new SKPaint { Color = SKColors.White, StrokeWidth = 3, Style = SKPaintStyle.Stroke };
        for (var likelihood = 1; likelihood <= 5; likelihood++)
        {
            for (var impact = 1; impact <= 5; impact++)
            {
                var x = left + (impact - 1) * cell;
                var y = top + (5 - likelihood) * cell;
                using var fill = new SKPaint { Color = SKColor.Parse(PackHeatMap.Colour(likelihood, impact)), Style = SKPaintStyle.Fill };
                canvas.DrawRect(x, y, cell, cell, fill);
                canvas.DrawRect(x, y, cell, cell, border);
                var count = map.Counts[likelihood - 1][impact - 1];
                if (count > 0)
                    canvas.DrawText(count.ToString(CultureInfo.InvariantCulture), x + cell / 2, y + cell / 2 + 10, SKTextAlign.Center, font, white);
            }
            canvas.DrawText(likelihood.ToString(CultureInfo.InvariantCulture), left - 14, top + (5 - likelihood) * cell + cell / 2 + 6, SKTextAlign.Right, small, dark);
        }
        for (var impact = 1; impact <= 5; impact++)
            canvas.DrawText(impact.ToString(CultureInfo.InvariantCulture), left + (impact - 1) * cell + cell / 2, top + 5 * cell + 24, SKTextAlign.Center, small, dark);
        canvas.DrawText("Impact", left + 2.5f * cell, top + 5 * cell + 56, SKTextAlign.Center, small, dark);
        canvas.Save();
        canvas.Translate(30, top + 2.5f * cell);
        canvas.RotateDegrees(-90);
        canvas.DrawText("Likelihood", 0, 0, SKTextAlign.Center, small, dark);
        canvas.Restore();
        return Png(surface);
    }

    /// <summary>
    /// A line through the values, broken where one is missing: one path for the sloped segments (anti-aliased) and, when
    /// <paramref name="levelSharp"/>, one for the level ones (the mean and limits between process changes), which are as
    /// sharp without anti-aliasing and far cheaper to draw and encode. One draw call per path, with joined corners.
    /// </summary>
    private static void DrawSeries(SKCanvas canvas, IReadOnlyList<double?> values, Func<int, float> x, Func<double, float> y, SKColor colour, float width, SKPathEffect? effect, bool levelSharp = false)
    {
        using var sloped = new SKPathBuilder();
        using var level = new SKPathBuilder();
        bool anySloped = false, anyLevel = false;
        SKPathBuilder? last = null;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i - 1] is not { } a || values[i] is not { } b)
            {
                last = null;
                continue;
            }
            var isLevel = levelSharp && a == b;
            var builder = isLevel ? level : sloped;
            if (last != builder)
                builder.MoveTo(x(i - 1), y(a));
            builder.LineTo(x(i), y(b));
            last = builder;
            if (isLevel)
                anyLevel = true;
            else
                anySloped = true;
        }
        Stroke(canvas, sloped, anySloped, colour, width, effect, antialias: true);
        Stroke(canvas, level, anyLevel, colour, width, effect, antialias: false);
    }

    private static void Stroke(SKCanvas canvas, SKPathBuilder builder, bool any, SKColor colour, float width, SKPathEffect? effect, bool antialias)
    {
        if (!any)
            return;
        using var paint = new SKPaint { Color = colour, StrokeWidth = width, IsAntialias = antialias, Style = SKPaintStyle.Stroke, PathEffect = effect };
        using var path = builder.Detach();
        canvas.DrawPath(path, paint);
    }

    /// <summary>An opaque white surface drawn in layout units.</summary>
    private static SKSurface Surface(int width, int height)
    {
        var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgb888x, SKAlphaType.Opaque));
        surface.Canvas.Clear(SKColors.White);
        surface.Canvas.Scale(Scale);
        return surface;
    }

    /// <summary>
    /// The chart as an indexed-colour PNG (<see cref="IndexedPng"/>): a third of the bytes of an RGB PNG, which the pack
    /// stores twice (in the document and in the chart cache) and every later generation reads back.
    /// </summary>
    private static byte[] Png(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var pixmap = image.PeekPixels();
        return IndexedPng.Encode(pixmap);
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
