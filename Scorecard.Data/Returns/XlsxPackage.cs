using System.IO.Compression;
using System.Text;
using System.Xml;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>Limits applied to an uploaded return before and while it is read. Configured under <c>Scorecard:Uploads</c>.</summary>
/// <param name="MaxFileBytes">The largest upload accepted (the default 5 MB is far more than a return needs).</param>
/// <param name="MaxEntries">The most zip entries a workbook may have (a template has about a dozen).</param>
/// <param name="MaxUncompressedBytes">The most all entries may inflate to together, checked in the central directory and again while inflating.</param>
/// <param name="MaxRows">The most rows the return sheet may hold or claim in its dimension.</param>
/// <param name="MaxCommentaryLength">The longest commentary accepted for one measure.</param>
/// <param name="ChangeWarningPercent">A value moving more than this percentage from the previous quarter is a warning that needs commentary.</param>
/// <param name="MaxSharedStrings">The most entries the workbook's shared-string table may hold (a template has a few hundred).</param>
/// <param name="MaxTextCharacters">The most characters of cell text kept from the whole workbook (each cell's text is cut at its limit first).</param>
/// <param name="MaxErrors">The most errors listed for one upload; the rest are counted.</param>
/// <param name="MaxValues">The largest value accepted per unit (<c>count</c>, <c>percent</c>, <c>rate_per_10k</c>, <c>days</c>,
/// <c>score</c>); units not listed use <see cref="DefaultMaxValues"/>. Numerators and denominators use the <c>count</c> maximum.</param>
public sealed record ReturnUploadOptions(
    long MaxFileBytes = 5 * 1024 * 1024,
    int MaxEntries = 200,
    long MaxUncompressedBytes = 64 * 1024 * 1024,
    int MaxRows = 20_000,
    int MaxCommentaryLength = 2_000,
    decimal ChangeWarningPercent = 25m,
    int MaxSharedStrings = 100_000,
    int MaxTextCharacters = 4_000_000,
    int MaxErrors = 200,
    IReadOnlyDictionary<string, decimal>? MaxValues = null)
{
    /// <summary>
    /// Caps far above any real figure and far below what breaks arithmetic: a count of 10 million (a partnership's
    /// children number a few hundred thousand), a percentage of 100, a rate per 10,000 of 10,000 (the numerator is part
    /// of the denominator), 10,000 days (27 years, longer than a childhood) and a score of 10,000.
    /// </summary>
    public static readonly IReadOnlyDictionary<MeasureUnit, decimal> DefaultMaxValues = new Dictionary<MeasureUnit, decimal>
    {
        [MeasureUnit.Count] = 10_000_000m,
        [MeasureUnit.Percent] = 100m,
        [MeasureUnit.RatePer10k] = 10_000m,
        [MeasureUnit.Days] = 10_000m,
        [MeasureUnit.Score] = 10_000m,
    };

    /// <summary>The largest value accepted for a measure of this unit (<see cref="MaxValues"/> is keyed by the stored name).</summary>
    public decimal MaxValueFor(MeasureUnit unit) =>
        MaxValues is not null && MaxValues.TryGetValue(unit.ToDb(), out var max) ? max
        : DefaultMaxValues.TryGetValue(unit, out var fallback) ? fallback : DefaultMaxValues[MeasureUnit.Count];
}

/// <summary>Why a file was refused before its cells were read, with the plain-English message shown to the sender.</summary>
public sealed class UploadRefusedException(string message, bool tooLarge = false) : Exception(message)
{
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// An uploaded .xlsx opened safely: identified by its bytes (never by its name), its central directory checked
/// against the entry and size limits before anything is inflated, each entry inflated through a counting stream that
/// refuses more bytes than the directory declared, and every XML part read with DTDs prohibited (no XXE).
/// </summary>
internal sealed class XlsxPackage : IDisposable
{
    public const string WorkbookContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    private const string MacroWorkbookContentType = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
    private const string TemplateContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml";
    private const string SendInstead = "Download the return template from Scorecard, fill it in and upload it as an Excel workbook (.xlsx).";

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
        IgnoreComments = true,
        CloseInput = true,
        MaxCharactersFromEntities = 0,
    };

    private readonly ZipArchive zip;
    private readonly Dictionary<string, ZipArchiveEntry> entries;
    private readonly ReturnUploadOptions options;
    private long inflated;

    private XlsxPackage(ZipArchive zip, ReturnUploadOptions options)
    {
        this.zip = zip;
        this.options = options;
        entries = zip.Entries.GroupBy(e => e.FullName, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The workbook part's path inside the zip, e.g. <c>xl/workbook.xml</c>.</summary>
    public string WorkbookPart { get; private set; } = "";

    /// <summary>Checks the bytes and opens the package, or throws <see cref="UploadRefusedException"/> saying what to send instead.</summary>
    public static XlsxPackage Open(byte[] bytes, ReturnUploadOptions options)
    {
        if (bytes.Length == 0)
            throw new UploadRefusedException($"The file is empty. {SendInstead}");
        if (bytes.Length > options.MaxFileBytes)
            throw new UploadRefusedException(TooLargeMessage(bytes.Length, options), tooLarge: true);
        IdentifyOrRefuse(bytes);
        CheckCentralDirectory(bytes, options);

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw new UploadRefusedException($"The file is damaged: it starts like an Excel workbook but cannot be opened. {SendInstead}");
        }
        var package = new XlsxPackage(zip, options);
        try
        {
            package.WorkbookPart = package.FindWorkbookPart();
            return package;
        }
        catch
        {
            package.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Says the file is over the limit. The size is given only when it is known and reads as larger than the limit
    /// (a chunked body's size is unknown, and 5 MB and one byte still reads "5 MB").
    /// </summary>
    public static string TooLargeMessage(long? length, ReturnUploadOptions options)
    {
        var limit = FileSizes.Describe(options.MaxFileBytes);
        var size = length is { } l && l > options.MaxFileBytes && FileSizes.Describe(l) != limit
            ? $"The file is {FileSizes.Describe(l)}, larger than the {limit} Scorecard accepts."
            : $"The file is larger than {limit}, the most Scorecard accepts.";
        return size + " A return template is far smaller: check you chose the right file, or download a fresh template.";
    }

    /// <summary>Identifies the file by its first bytes (its "magic number"), whatever its name says.</summary>
    private static void IdentifyOrRefuse(byte[] bytes)
    {
        ReadOnlySpan<byte> ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        var span = bytes.AsSpan();
        if (span.StartsWith(ole))
        {
            // An encrypted .xlsx (Office "Encrypt with Password") is an OLE compound file holding the streams
            // EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO 2.3.4); any other compound file is a legacy .xls.
            if (ContainsUtf16(span, "EncryptedPackage") || ContainsUtf16(span, "EncryptionInfo"))
                throw new UploadRefusedException("The file is password-protected (encrypted), so Scorecard cannot read it. " +
                    "In Excel choose File › Info › Protect Workbook › Encrypt with Password, clear the password, save and upload it again.");
            throw new UploadRefusedException("This is an old Excel 97–2003 (.xls) file. Scorecard needs an Excel workbook (.xlsx): " +
                "download the return template from Scorecard and fill it in, or open this file in Excel and save it as \"Excel Workbook (*.xlsx)\".");
        }
        if (span.StartsWith("PK\u0003\u0004"u8))
            return;
        if (span.StartsWith("PK\u0005\u0006"u8))
            throw new UploadRefusedException($"The file is an empty zip archive, not an Excel workbook. {SendInstead}");
        if (span.StartsWith("MZ"u8) || span.StartsWith("\u007fELF"u8))
            throw new UploadRefusedException($"This file is a program, not a spreadsheet. {SendInstead}");
        if (span.StartsWith("%PDF"u8))
            throw new UploadRefusedException($"This is a PDF document, not a spreadsheet. {SendInstead}");
        if (LooksLikeText(span))
            throw new UploadRefusedException("This is a text or CSV file, not an Excel workbook. Scorecard reads returns only from its own template: " +
                "download the return template, copy your figures into it and upload the .xlsx.");
        throw new UploadRefusedException($"This file is not an Excel workbook (.xlsx). {SendInstead}");
    }

    private static bool ContainsUtf16(ReadOnlySpan<byte> haystack, string needle) =>
        haystack.IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;

    private static bool LooksLikeText(ReadOnlySpan<byte> span)
    {
        var sample = span[..Math.Min(span.Length, 4096)];
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            sample = sample[3..];
        foreach (var b in sample)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Reads the zip's end-of-central-directory record and central directory straight from the bytes, so the entry
    /// count and declared uncompressed sizes are bounded before a single byte is inflated (APPNOTE.TXT 4.3.12, 4.3.16).
    /// </summary>
    private static void CheckCentralDirectory(byte[] bytes, ReturnUploadOptions options)
    {
        const int eocdSize = 22;
        var eocd = -1;
        for (var i = bytes.Length - eocdSize; i >= Math.Max(0, bytes.Length - eocdSize - 65_535); i--)
        {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x05 && bytes[i + 3] == 0x06)
            {
                eocd = i;
                break;
            }
        }
        if (eocd < 0)
            throw new UploadRefusedException($"The file is damaged or cut short: it starts like an Excel workbook but its end is missing. {SendInstead}");
        var count = BitConverter.ToUInt16(bytes, eocd + 10);
        var dirSize = BitConverter.ToUInt32(bytes, eocd + 12);
        var dirOffset = BitConverter.ToUInt32(bytes, eocd + 16);
        if (count == 0xFFFF || dirOffset == 0xFFFFFFFF)
            throw new UploadRefusedException($"The file is a ZIP64 archive, which no return template needs. {SendInstead}");
        if (count > options.MaxEntries)
            throw new UploadRefusedException($"The file holds {count:N0} parts; a return workbook has at most {options.MaxEntries:N0}. {SendInstead}");
        if ((long)dirOffset + dirSize > eocd)
            throw new UploadRefusedException($"The file is damaged: its table of contents points outside the file. {SendInstead}");

        long total = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var p = (int)dirOffset;
        for (var n = 0; n < count; n++)
        {
            if (p + 46 > eocd || BitConverter.ToUInt32(bytes, p) != 0x02014B50)
                throw new UploadRefusedException($"The file is damaged: its table of contents cannot be read. {SendInstead}");
            var uncompressed = BitConverter.ToUInt32(bytes, p + 24);
            if (uncompressed == 0xFFFFFFFF)
                throw new UploadRefusedException($"The file is a ZIP64 archive, which no return template needs. {SendInstead}");
            total += uncompressed;
            if (total > options.MaxUncompressedBytes)
                throw new UploadRefusedException(
                    $"The file unpacks to more than {FileSizes.Describe(options.MaxUncompressedBytes)}, far more than any return (it may be a \"zip bomb\"). {SendInstead}");
            var nameLength = BitConverter.ToUInt16(bytes, p + 28);
            if (p + 46 + nameLength > eocd)
                throw new UploadRefusedException($"The file is damaged: its table of contents cannot be read. {SendInstead}");
            var rawName = bytes.AsSpan(p + 46, nameLength);
            CheckEntryName(rawName, uncompressed, seen);
            // Unzip tools that stream the file read each entry's local header, not the central directory: the two
            // names must agree, or the stored original could unpack differently from what was checked (APPNOTE.TXT 4.3.7).
            var local = (long)BitConverter.ToUInt32(bytes, p + 42);
            if (local + 30 > bytes.Length || BitConverter.ToUInt32(bytes, (int)local) != 0x04034B50
                || local + 30 + BitConverter.ToUInt16(bytes, (int)local + 26) > bytes.Length
                || !bytes.AsSpan((int)local + 30, BitConverter.ToUInt16(bytes, (int)local + 26)).SequenceEqual(rawName))
                throw new UploadRefusedException($"The file is damaged: an entry's name in its table of contents differs from the entry itself. {SendInstead}");
            var extraLength = BitConverter.ToUInt16(bytes, p + 30);
            var localNameLength = BitConverter.ToUInt16(bytes, (int)local + 26);
            var localExtraLength = BitConverter.ToUInt16(bytes, (int)local + 28);
            if (p + 46 + nameLength + extraLength > eocd || local + 30 + localNameLength + localExtraLength > bytes.Length)
                throw new UploadRefusedException($"The file is damaged: its table of contents cannot be read. {SendInstead}");
            if (HasUnicodePathField(bytes.AsSpan(p + 46 + nameLength, extraLength))
                || HasUnicodePathField(bytes.AsSpan((int)local + 30 + localNameLength, localExtraLength)))
                throw new UploadRefusedException(
                    $"The file gives an entry a second, different name (a zip \"Unicode path\" field), which Excel never writes and some unzip tools obey. {SendInstead}");
            p += 46 + nameLength + extraLength + BitConverter.ToUInt16(bytes, p + 32);
        }
    }

    /// <summary>
    /// Whether a zip extra field holds an Info-ZIP Unicode Path record (header 0x7075, APPNOTE.TXT 4.6.9): unzip tools use
    /// its name instead of the checked one, so a safe-looking entry could unpack as "../../evil".
    /// </summary>
    private static bool HasUnicodePathField(ReadOnlySpan<byte> extra)
    {
        while (extra.Length >= 4)
        {
            var id = BitConverter.ToUInt16(extra);
            var size = BitConverter.ToUInt16(extra[2..]);
            if (id == 0x7075)
                return true;
            if (4 + size > extra.Length)
                return false;
            extra = extra[(4 + size)..];
        }
        return false;
    }

    /// <summary>
    /// Refuses zip entry names that could escape a folder when the stored original is unpacked (absolute paths, drive
    /// letters, backslashes, "." and ".." segments), names that collide (the same part twice, or two names differing only
    /// in capitals: part names are compared case-insensitively), and names that are not part names under the Open
    /// Packaging Conventions (ECMA-376 Part 2: non-empty segments of RFC 3986 pchar characters, not ending in a dot;
    /// "[Content_Types].xml" is the one zip item that is not a part). Folder entries (a name ending in "/", empty) are allowed.
    /// </summary>
    private static void CheckEntryName(ReadOnlySpan<byte> raw, uint uncompressed, HashSet<string> seen)
    {
        var name = Encoding.UTF8.GetString(raw);
        string? reason = null;
        if (name.Length == 0)
            reason = "is empty";
        else if (name[0] == '/')
            reason = "starts with \"/\" (an absolute path)";
        else if (name.Contains('\\'))
            reason = "contains a backslash (a Windows path)";
        else if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
            reason = "starts with a drive letter (an absolute path)";
        else
        {
            var folder = name.EndsWith('/') && uncompressed == 0;
            var segments = (folder ? name[..^1] : name).Split('/');
            if (segments.Any(s => s is "." or ".."))
                reason = "has a \".\" or \"..\" segment (a path that leaves its folder)";
            else if (name != "[Content_Types].xml" && !segments.All(IsPartNameSegment))
                reason = "is not a valid part name (letters, digits and - . _ ~ in segments separated by \"/\", as the Open Packaging Conventions require)";
        }
        if (reason is not null)
            throw new UploadRefusedException($"The file contains an entry named \"{SenderText.Excerpt(name)}\", which {reason}. " +
                $"Excel never writes such names: the file may have been made to attack the server. {SendInstead}");
        if (!seen.Add(name))
        {
            var first = seen.First(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            throw new UploadRefusedException(first == name
                ? $"The file contains two entries named \"{SenderText.Excerpt(name)}\". A workbook has each part once. {SendInstead}"
                : $"The file contains entries named \"{SenderText.Excerpt(first)}\" and \"{SenderText.Excerpt(name)}\", which differ only in capitals " +
                  $"and so name the same part. A workbook has each part once. {SendInstead}");
        }
    }

    private static bool IsPartNameSegment(string segment)
    {
        if (segment.Length == 0 || segment.EndsWith('.'))
            return false;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@')
                continue;
            // A percent-encoded octet, but never an encoded "/" or "\\" (ECMA-376 Part 2, part name rules).
            if (c == '%' && i + 2 < segment.Length && char.IsAsciiHexDigit(segment[i + 1]) && char.IsAsciiHexDigit(segment[i + 2])
                && !segment.AsSpan(i + 1, 2).Equals("2f", StringComparison.OrdinalIgnoreCase)
                && !segment.AsSpan(i + 1, 2).Equals("5c", StringComparison.OrdinalIgnoreCase))
            {
                i += 2;
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>
    /// Finds the workbook part (the package's officeDocument relationship, ECMA-376 Part 2, 9.3) and its content type
    /// ([Content_Types].xml: an Override for the part, else the Default for its extension), refusing macro-enabled
    /// workbooks, templates and other Office documents.
    /// </summary>
    private string FindWorkbookPart()
    {
        if (!entries.ContainsKey("[Content_Types].xml") || !entries.ContainsKey("_rels/.rels"))
            throw new UploadRefusedException($"The file is a zip archive but not an Excel workbook. {SendInstead}");
        var (defaults, overrides) = Read("[Content_Types].xml", reader =>
        {
            var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var o = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.GetAttribute("ContentType") is not { } type)
                    continue;
                if (reader.LocalName == "Default" && reader.GetAttribute("Extension") is { } extension)
                    d[extension] = type;
                else if (reader.LocalName == "Override" && reader.GetAttribute("PartName") is { } part)
                    o[part.TrimStart('/')] = type;
            }
            return (d, o);
        });
        var workbook = Read("_rels/.rels", reader =>
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                    && reader.GetAttribute("Type")?.EndsWith("/officeDocument", StringComparison.Ordinal) == true)
                    return reader.GetAttribute("Target")?.TrimStart('/');
            }
            return null;
        });
        var contentType = workbook is null ? null
            : overrides.GetValueOrDefault(workbook) ?? defaults.GetValueOrDefault(Path.GetExtension(workbook).TrimStart('.'));
        if (contentType == MacroWorkbookContentType)
            throw new UploadRefusedException("This is a macro-enabled workbook (.xlsm). Scorecard does not accept files that can run macros: " +
                "save it as \"Excel Workbook (*.xlsx)\", or download the return template and upload that.");
        if (contentType == TemplateContentType)
            throw new UploadRefusedException("This is an Excel template (.xltx). Save it as \"Excel Workbook (*.xlsx)\" and upload that.");
        if (contentType != WorkbookContentType || workbook is null || !entries.ContainsKey(workbook))
            throw new UploadRefusedException($"The file is an Office document but not an Excel workbook. {SendInstead}");
        if (entries.Keys.Any(k => k.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            throw new UploadRefusedException("The workbook contains macros. Scorecard does not accept files that can run macros: " +
                "download the return template and upload that.");
        var linking = overrides.Where(o => IsLinkOrMacroSheet(o.Value)).Select(o => o.Key)
            .Concat(entries.Keys.Where(k => k.Contains("externalLink", StringComparison.OrdinalIgnoreCase)
                || k.Contains("/embeddings/", StringComparison.OrdinalIgnoreCase) || k.Contains("/activeX/", StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault();
        if (linking is not null || defaults.Values.Any(IsLinkOrMacroSheet))
            throw LinkRefused();
        // Every XML part is read to its end with DTDs prohibited, wherever the DTD is (not just in the first kilobyte),
        // whether Scorecard reads the part or only stores it. A part counts as XML by its name or by its first bytes.
        // The same pass refuses what would make Excel reach outside the file when an admin opens the stored original:
        // a relationship to an external target other than a hyperlink (a UNC path leaks the reader's credentials),
        // and a defined name holding a DDE call or an external workbook reference.
        foreach (var name in entries.Keys.Where(IsXmlPart).ToList())
            Read(name, reader =>
            {
                // Reading a defined name's content moves the reader on to the next node already: do not skip it.
                var onNext = false;
                while (onNext || reader.Read())
                {
                    onNext = false;
                    if (reader.NodeType != XmlNodeType.Element)
                        continue;
                    if (reader.LocalName == "Relationship"
                        && string.Equals(reader.GetAttribute("TargetMode"), "External", StringComparison.OrdinalIgnoreCase)
                        && reader.GetAttribute("Type")?.EndsWith("/hyperlink", StringComparison.Ordinal) != true)
                        throw LinkRefused();
                    if (reader.LocalName == "definedName" && !reader.IsEmptyElement)
                    {
                        var definition = reader.ReadElementContentAsString();
                        onNext = true;
                        if (definition.Contains('|') || definition.Contains('['))
                            throw LinkRefused();
                    }
                }
                return 0;
            });
        return workbook;
    }

    private static UploadRefusedException LinkRefused() => new(
        "The workbook links to other files or programs (external links, DDE, Excel 4.0 macro sheets, embedded objects or ActiveX controls), " +
        "which a return never needs and which can run programs when the file is opened. Download a fresh template, type your figures in and upload that.");

    private static bool IsLinkOrMacroSheet(string contentType) =>
        contentType.Contains("externalLink", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("macrosheet", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("vbaProject", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("oleObject", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("activeX", StringComparison.OrdinalIgnoreCase);

    private bool IsXmlPart(string name)
    {
        if (name.EndsWith('/'))
            return false;
        if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".vml", StringComparison.OrdinalIgnoreCase))
            return true;
        // Sniff the first bytes of any other part: XML (UTF-8 with or without a byte-order mark, or UTF-16) starts with "<" after white space.
        Span<byte> head = stackalloc byte[64];
        using var stream = new BoundedStream(entries[name].Open(), entries[name].Length, this, null);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> span = head[..read];
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return true;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            span = span[3..];
        span = span.TrimStart(" \t\r\n"u8);
        return span.Length > 0 && span[0] == (byte)'<';
    }

    private static UploadRefusedException DtdRefused(string name) => new(
        $"The part {name} of the file contains a document type declaration (DTD), which Scorecard refuses for safety (it can be used to read files on the server). " +
        "Excel never writes one: download a fresh template, copy your figures in and upload that.");

    public bool Exists(string name) => entries.ContainsKey(name);

    /// <summary>
    /// Parses one part with an XML reader that prohibits DTDs and resolves nothing, inflating through the byte budget;
    /// a DTD or malformed XML becomes a plain-English refusal.
    /// </summary>
    public T Read<T>(string name, Func<XmlReader, T> parse)
    {
        using var reader = XmlReader.Create(OpenEntry(name), XmlSettings);
        try
        {
            return parse(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw DtdRefused(name);
        }
        catch (XmlException)
        {
            throw new UploadRefusedException($"The part {name} of the file is not well-formed XML, so the file is damaged. {SendInstead}");
        }
    }

    private Stream OpenEntry(string name)
    {
        if (!entries.TryGetValue(name, out var entry))
            throw new UploadRefusedException($"The workbook is missing its part {name}. {SendInstead}");
        return new BoundedStream(entry.Open(), entry.Length, this, new MarkupGuard(name));
    }

    private void Count(long bytes)
    {
        inflated += bytes;
        if (inflated > options.MaxUncompressedBytes * 2)
            throw new UploadRefusedException($"The file unpacks to far more than it declares (it may be a \"zip bomb\"). {SendInstead}");
    }

    public void Dispose() => zip.Dispose();

    /// <summary>
    /// Bounds what one XML node can make a reader hold. An XML reader keeps a whole start tag (with its attribute values)
    /// in memory, and a comment or CDATA section too, so a 60 MB attribute in a 70 KB upload would cost 120 MB. Excel
    /// never writes a run of more than a few hundred kilobytes between two "&lt;" (a cell holds at most 32,767
    /// characters), so a longer run (or a longer comment or CDATA section) refuses the file while it inflates.
    /// </summary>
    internal sealed class MarkupGuard(string part)
    {
        public const int MaxRunBytes = 1024 * 1024;
        private long run;
        private ulong tail;
        private int mode; // 0 markup and text, 1 inside a comment, 2 inside a CDATA section

        /// <summary>Scans inflated bytes. Runs of bytes that cannot change the state (in markup and text, anything but "&lt;",
        /// "-" and "["; in a comment or CDATA section, anything but "&gt;") are skipped with a vectorised search and counted
        /// at once, so the guard costs little on the ordinary file.</summary>
        public void Scan(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                var next = mode == 0 ? bytes.IndexOfAny("<-["u8) : bytes.IndexOf((byte)'>');
                var skip = next < 0 ? bytes.Length : next;
                if (skip > 0)
                {
                    foreach (var b in bytes[Math.Max(0, skip - 8)..skip])
                        tail = (tail << 8) | b;
                    run += skip;
                    if (run > MaxRunBytes)
                        throw TooLong();
                    bytes = bytes[skip..];
                    if (next < 0)
                        return;
                }
                Step(bytes[0]);
                bytes = bytes[1..];
            }
        }

        private void Step(byte b)
        {
            tail = (tail << 8) | b;
            run++;
            switch (mode)
            {
                case 0 when b == (byte)'<':
                    run = 1;
                    break;
                case 0 when b == (byte)'-' && (tail & 0xFFFFFFFF) == 0x3C212D2D: // "<!--"
                    mode = 1;
                    break;
                case 0 when b == (byte)'[' && tail == 0x215B43444154415B: // "![CDATA["
                    mode = 2;
                    break;
                case 1 when b == (byte)'>' && (tail & 0xFFFFFF) == 0x2D2D3E: // "-->"
                case 2 when b == (byte)'>' && (tail & 0xFFFFFF) == 0x5D5D3E: // "]]>"
                    mode = 0;
                    break;
            }
            if (run > MaxRunBytes)
                throw TooLong();
        }

        private UploadRefusedException TooLong() => new(
            $"The part {part} of the file holds more than 1 MB of text or markup in one piece, far more than Excel writes " +
            $"(a cell holds at most 32,767 characters), so Scorecard does not read it. {SendInstead}");
    }

    /// <summary>Refuses more bytes than the central directory declared for the entry, so a lying header cannot inflate without bound.</summary>
    private sealed class BoundedStream(Stream inner, long declared, XlsxPackage owner, MarkupGuard? guard) : Stream
    {
        private long read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            read += n;
            owner.Count(n);
            if (read > declared)
                throw new UploadRefusedException($"A part of the file unpacks to more than it declares (it may be a \"zip bomb\"). {SendInstead}");
            guard?.Scan(buffer[..n]);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => declared;
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>Text the sender wrote, as it may appear in a message: never more than a short excerpt, clearly cut.</summary>
internal static class SenderText
{
    public const int ExcerptLength = 80;

    /// <summary>The text itself when short; else its first 80 characters and "…" (control characters become spaces either way).</summary>
    public static string Excerpt(string? text, int length = ExcerptLength)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var cut = text.Length > length ? text[..length] : text;
        if (cut.Any(char.IsControl))
            cut = new string(cut.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1]))
            cut = cut[..^1];
        return text.Length > length ? cut + "…" : cut;
    }
}
