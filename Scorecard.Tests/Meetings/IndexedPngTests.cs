using Scorecard.Data.Meetings.Pack;
using SkiaSharp;

namespace Scorecard.Tests.Meetings;

public sealed class IndexedPngTests
{
    [Fact]
    public void AnImageOfAtMost256ColoursDecodesToExactlyItsPixels()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(300, 40, SKColorType.Rgb888x, SKAlphaType.Opaque));
        for (var y = 0; y < 40; y++)
            for (var x = 0; x < 300; x++)
                bitmap.SetPixel(x, y, x < 100 ? SKColors.White : new SKColor((byte)(x % 256), (byte)(x / 3), 0x40));
        using var pixmap = bitmap.PeekPixels();

        var png = IndexedPng.Encode(pixmap);

        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((300, 40), (decoded.Width, decoded.Height));
        for (var y = 0; y < 40; y++)
            for (var x = 0; x < 300; x++)
                Assert.Equal(bitmap.GetPixel(x, y), decoded.GetPixel(x, y));
        Assert.Equal(3, png[25]); // IHDR colour type: indexed
    }

    [Fact]
    public void ARareColourBeyondThe256MostFrequentTakesTheNearestKeptColour()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(300, 2, SKColorType.Rgb888x, SKAlphaType.Opaque));
        // Black, 256 reds two pixels each (the last red, tied, ranks after the others: it is not kept either), and one colour of a single pixel.
        for (var x = 0; x < 256; x++)
        {
            bitmap.SetPixel(x, 0, new SKColor((byte)x, 0, 0));
            bitmap.SetPixel(x, 1, new SKColor((byte)x, 0, 0));
        }
        for (var x = 256; x < 300; x++)
        {
            bitmap.SetPixel(x, 0, SKColors.Black);
            bitmap.SetPixel(x, 1, SKColors.Black);
        }
        bitmap.SetPixel(299, 1, new SKColor(200, 3, 0));
        using var pixmap = bitmap.PeekPixels();

        using var decoded = SKBitmap.Decode(IndexedPng.Encode(pixmap));

        Assert.Equal(new SKColor(200, 0, 0), decoded.GetPixel(299, 1));
        Assert.Equal(new SKColor(17, 0, 0), decoded.GetPixel(17, 1));
        Assert.Equal(SKColors.Black, decoded.GetPixel(298, 1));
    }

    [Fact]
    public void EveryRareColourTakesTheNearestKeptColourAsASearchOfEachOneWouldFind()
    {
        // 256 frequent colours (8 pixels each) spread over the cube, then 400 rare ones (1 pixel each) between them: each
        // rare pixel must decode to the kept colour at the least squared distance, the lowest palette index among equals
        // (palette order: most frequent first, ties by first appearance, so the frequent colours keep their order here).
        var random = new Random(7);
        var kept = Enumerable.Range(0, 256).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).Distinct().ToList();
        var rare = Enumerable.Range(0, 400).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)))
            .Where(c => !kept.Contains(c)).Distinct().ToList();
        var pixels = kept.SelectMany(c => Enumerable.Repeat(c, 8)).Concat(rare).ToList();
        using var bitmap = new SKBitmap(new SKImageInfo(pixels.Count, 1, SKColorType.Rgb888x, SKAlphaType.Opaque));
        for (var x = 0; x < pixels.Count; x++)
            bitmap.SetPixel(x, 0, pixels[x]);
        using var pixmap = bitmap.PeekPixels();

        using var decoded = SKBitmap.Decode(IndexedPng.Encode(pixmap));

        static int Distance(SKColor a, SKColor b) => (a.Red - b.Red) * (a.Red - b.Red) + (a.Green - b.Green) * (a.Green - b.Green) + (a.Blue - b.Blue) * (a.Blue - b.Blue);
        for (var x = kept.Count * 8; x < pixels.Count; x++)
        {
            var nearest = kept.OrderBy(k => Distance(k, pixels[x])).First(); // a stable sort: the lowest index among equals
            Assert.Equal(nearest, decoded.GetPixel(x, 0));
        }
        Assert.Equal(kept[3], decoded.GetPixel(3 * 8, 0));
    }

    [Fact]
    public void APackChartIsTheSameBytesEachTimeAndSmallerThanAnRgbPng()
    {
        var chart = new PackChart("CSC-REREF Re-referrals", "Per cent", ["Q1 2024-25", "Q2 2024-25", "Q3 2024-25", "Q4 2024-25"],
            [20.5, 22, 19, 25], ["#5F6B7A", "#5F6B7A", "#C62828", "#5F6B7A"], [21, 21, 21, 21], [27, 27, 27, 27], [15, 15, 15, 15], 22, "Summary");
        var png = PackCharts.Xmr(chart);
        Assert.Equal(png, PackCharts.Xmr(chart));
        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((PackCharts.ChartWidth, PackCharts.ChartHeight), (decoded.Width, decoded.Height));
        using var image = SKImage.FromBitmap(decoded);
        using var rgb = image.Encode(SKEncodedImageFormat.Png, 100);
        Assert.True(png.Length < rgb.Size / 2, $"{png.Length} bytes against {rgb.Size} as RGB");
    }
}
