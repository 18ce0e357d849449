using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        var colours = new ColourTable();
        var runs = new List<Run>(4096);
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
                var id = colours.Add(pixel & 0x00FFFFFF, length);
                runs.Add(new Run(y * stride + 1 + x, length, id));
                x += length;
            }
        }

        var (palette, index) = colours.Palette();
        // Each row starts with filter type 0 (none): the zeroed array has it already.
        var data = new byte[stride * height];
        foreach (var run in CollectionsMarshal.AsSpan(runs))
            data.AsSpan(run.Offset, run.Length).Fill(index[run.Colour]);

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
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
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
        private readonly List<long> counts = new(512);
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
            var ranked = Enumerable.Range(0, colours.Count).OrderByDescending(id => counts[id]).ThenBy(id => id).ToArray();
            var palette = ranked.Take(256).Select(id => colours[id]).ToArray();
            var index = new byte[colours.Count];
            for (var r = 0; r < ranked.Length; r++)
                index[ranked[r]] = r < 256 ? (byte)r : Nearest(palette, colours[ranked[r]]);
            return (palette, index);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static byte Nearest(uint[] palette, uint colour)
        {
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < palette.Length; i++)
            {
                int dr = (int)(colour & 0xFF) - (int)(palette[i] & 0xFF);
                int dg = (int)((colour >> 8) & 0xFF) - (int)((palette[i] >> 8) & 0xFF);
                int db = (int)((colour >> 16) & 0xFF) - (int)((palette[i] >> 16) & 0xFF);
                var distance = dr * dr + dg * dg + db * db;
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = i;
                }
            }
            return (byte)best;
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
