using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;
using SkiaSharp;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// Encodes an opaque chart as an 8-bit indexed-colour PNG (PNG specification, ISO/IEC 15948, colour type 3). A chart
/// is mostly runs of a few flat colours, so one byte per pixel instead of three makes the file about a third of an RGB
/// PNG's size and quicker to compress. Anti-aliased edges can give more than 256 colours: the 256 most frequent are kept
/// exactly and each rarer one (a few edge pixels) takes the nearest kept colour. Deterministic: the same pixels give
/// the same bytes (colours ranked by count, ties by first appearance; rows unfiltered; one zlib stream).
/// </summary>
internal static class IndexedPng
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();
    private static readonly ZLibCompressionOptions Level = new() { CompressionLevel = 2 };

    /// <summary>The PNG of an opaque 32-bit pixmap (RGB in the low three bytes, as <see cref="SKColorType.Rgb888x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // drawn a few times an hour: tier-0 code would be several times slower
    public static byte[] Encode(SKPixmap pixmap)
    {
        if (pixmap.ColorType is not (SKColorType.Rgb888x or SKColorType.Rgba8888))
            throw new ArgumentException($"Expected RGB pixels, not {pixmap.ColorType}.", nameof(pixmap));
        int width = pixmap.Width, height = pixmap.Height, stride = width + 1;
        var pixels = pixmap.GetPixelSpan<uint>();
        if (pixmap.RowBytes != width * 4)
            throw new ArgumentException("Expected tightly packed rows.", nameof(pixmap));

        // Runs of one colour, each with the colour's id (in order of first appearance) and where it goes in the image data.
        // The runs (some 20,000 for a chart) and the image data (430 KB) are pooled: fresh arrays of that size are
        // large-object allocations, zeroed and collected only with generation 2, for every chart drawn.
        var colours = new ColourTable();
        var runs = ArrayPool<Run>.Shared.Rent(16 * 1024);
        var size = stride * height;
        var pooled = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var count = 0;
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * width, width);
                var x = 0;
                while (x < width)
                {
                    var pixel = row[x];
                    int length;
                    if (x + 1 < width && row[x + 1] != pixel)
                        length = 1; // an anti-aliased edge: not worth a vector search
                    else
                    {
                        var next = row[(x + 1)..].IndexOfAnyExcept(pixel);
                        length = next < 0 ? width - x : next + 1;
                    }
                    if (count == runs.Length)
                    {
                        var bigger = ArrayPool<Run>.Shared.Rent(runs.Length * 2);
                        runs.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<Run>.Shared.Return(runs);
                        runs = bigger;
                    }
                    runs[count++] = new Run(y * stride + 1 + x, length, colours.Add(pixel & 0x00FFFFFF, length));
                    x += length;
                }
            }

            var (palette, index) = colours.Palette();
            // Each row starts with filter type 0 (none); the runs cover every pixel.
            var data = pooled.AsSpan(0, size);
            for (var y = 0; y < height; y++)
                data[y * stride] = 0;
            foreach (var run in runs.AsSpan(0, count))
                data.Slice(run.Offset, run.Length).Fill(index[run.Colour]);
            return Package(width, height, palette, data);
        }
        finally
        {
            ArrayPool<Run>.Shared.Return(runs);
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private static byte[] Package(int width, int height, uint[] palette, ReadOnlySpan<byte> data)
    {

        using var png = new MemoryStream(16 * 1024);
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 3; // colour type: indexed
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        Chunk(png, "IHDR"u8, header);
        var plte = new byte[palette.Length * 3];
        for (var i = 0; i < palette.Length; i++)
        {
            plte[i * 3] = (byte)palette[i];
            plte[i * 3 + 1] = (byte)(palette[i] >> 8);
            plte[i * 3 + 2] = (byte)(palette[i] >> 16);
        }
        Chunk(png, "PLTE"u8, plte);
        using var compressed = new MemoryStream(16 * 1024);
        // Level 2: a chart's long runs compress almost as well as at the default level 6 (about 10% larger) in a sixth of
        // the time, which was half of a chart's encoding.
        using (var zlib = new ZLibStream(compressed, Level, leaveOpen: true))
            zlib.Write(data);
        Chunk(png, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private readonly record struct Run(int Offset, int Length, int Colour);

    /// <summary>The distinct colours of an image with their pixel counts (open addressing: a chart has a few hundred).</summary>
    private sealed class ColourTable
    {
        private uint[] keys = new uint[1024];
        private int[] slots = new int[1024];
        private readonly List<uint> colours = new(512);
        private readonly List<int> counts = new(512);
        private uint lastColour = uint.MaxValue;
        private int lastId = -1;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Add(uint colour, int pixels)
        {
            if (colour != lastColour)
            {
                lastColour = colour;
                lastId = Find(colour);
            }
            counts[lastId] += pixels;
            return lastId;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Find(uint colour)
        {
            var mask = keys.Length - 1;
            var i = (int)((colour * 2654435761u) >> 16) & mask;
            while (slots[i] != 0)
            {
                if (keys[i] == colour)
                    return slots[i] - 1;
                i = (i + 1) & mask;
            }
            keys[i] = colour;
            slots[i] = colours.Count + 1;
            colours.Add(colour);
            counts.Add(0);
            if (colours.Count * 2 > keys.Length)
                Grow();
            return colours.Count - 1;
        }

        private void Grow()
        {
            var old = colours;
            keys = new uint[keys.Length * 2];
            slots = new int[slots.Length * 2];
            var mask = keys.Length - 1;
            for (var id = 0; id < old.Count; id++)
            {
                var i = (int)((old[id] * 2654435761u) >> 16) & mask;
                while (slots[i] != 0)
                    i = (i + 1) & mask;
                keys[i] = old[id];
                slots[i] = id + 1;
            }
        }

        /// <summary>The palette (at most 256 colours, most frequent first) and each colour id's palette index.</summary>
        public (uint[] Palette, byte[] Index) Palette()
        {
            // Ranked by count (most first), ties by id (first appearance): one key per colour, sorted as numbers.
            var ranked = new long[colours.Count];
            for (var id = 0; id < ranked.Length; id++)
                ranked[id] = ((long)(int.MaxValue - counts[id]) << 32) | (uint)id;
            Array.Sort(ranked);
            var kept = Math.Min(256, ranked.Length);
            var palette = new uint[kept];
            var index = new byte[colours.Count];
            for (var r = 0; r < kept; r++)
            {
                var id = (int)ranked[r];
                palette[r] = colours[id];
                index[id] = (byte)r;
            }
            if (ranked.Length > kept)
            {
                var nearest = new NearestColour(palette);
                for (var r = kept; r < ranked.Length; r++)
                {
                    var id = (int)ranked[r];
                    index[id] = nearest.Of(colours[id]);
                }
            }
            return (palette, index);
        }
    }

    /// <summary>
    /// The palette entry nearest a colour (squared RGB distance; the lowest index among equals), eight entries at a time:
    /// a chart has some 500 colours outside its palette of 256.
    /// </summary>
    private sealed class NearestColour
    {
        private readonly int[] red, green, blue;

        public NearestColour(uint[] palette)
        {
            // Padded to whole vectors with an impossible colour (far from every real one), so it is never the nearest.
            var length = (palette.Length + Vector<int>.Count - 1) / Vector<int>.Count * Vector<int>.Count;
            red = new int[length];
            green = new int[length];
            blue = new int[length];
            for (var i = 0; i < length; i++)
            {
                var c = i < palette.Length ? palette[i] : 0u;
                red[i] = i < palette.Length ? (int)(c & 0xFF) : 10_000; // 10,000² × 1 is far above 3 × 255², and no overflow
                green[i] = (int)((c >> 8) & 0xFF);
                blue[i] = (int)((c >> 16) & 0xFF);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public byte Of(uint colour)
        {
            var r = new Vector<int>((int)(colour & 0xFF));
            var g = new Vector<int>((int)((colour >> 8) & 0xFF));
            var b = new Vector<int>((int)((colour >> 16) & 0xFF));
            var best = new Vector<int>(int.MaxValue);
            var bestAt = Vector<int>.Zero;
            var at = Vector<int>.Indices;
            var step = new Vector<int>(Vector<int>.Count);
            for (var i = 0; i < red.Length; i += Vector<int>.Count)
            {
                var dr = new Vector<int>(red, i) - r;
                var dg = new Vector<int>(green, i) - g;
                var db = new Vector<int>(blue, i) - b;
                var distance = dr * dr + dg * dg + db * db;
                var closer = Vector.LessThan(distance, best);
                best = Vector.ConditionalSelect(closer, distance, best);
                bestAt = Vector.ConditionalSelect(closer, at, bestAt);
                at += step;
            }
            // Each lane kept its first nearest; across lanes the smallest distance wins, then the lowest index.
            int winner = int.MaxValue, winnerAt = 0;
            for (var lane = 0; lane < Vector<int>.Count; lane++)
            {
                if (best[lane] < winner || (best[lane] == winner && bestAt[lane] < winnerAt))
                {
                    winner = best[lane];
                    winnerAt = bestAt[lane];
                }
            }
            return (byte)winnerAt;
        }
    }

    private static void Chunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, ~Crc(data, Crc(type, uint.MaxValue)));
        png.Write(word);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint Crc(ReadOnlySpan<byte> bytes, uint crc)
    {
        foreach (var b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
