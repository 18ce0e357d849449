using System.IO.Compression;
using System.Text;
using System.Xml;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>Limits applied to an uploaded return before and while it is read. Configured under <c>Scorecard:Uploads</c>.</summary>
/// <param name="MaxFileBytes">The largest upload accepted (the default 5 MB is far more than a return needs).</param>
/// <param name="MaxEntries">The most zip entries a workbook may have (a template has about a dozen).</param>
/// <param name="MaxUncompressedBytes">The most all entries may inflate to together, checked in the central directory and again while inflating.</param>
/// <param name="MaxRows">The most rows the return sheet may hold or claim in its dimension.</param>
/// <param name="MaxCommentaryLength">The longest commentary accepted for one measure.</param>
/// <param name="ChangeWarningPercent">A value moving more than this percentage from the previous quarter is a warning that needs commentary.</param>
public sealed record ReturnUploadOptions(
    long MaxFileBytes = 5 * 1024 * 1024,
    int MaxEntries = 200,
    long MaxUncompressedBytes = 64 * 1024 * 1024,
    int MaxRows = 20_000,
    int MaxCommentaryLength = 2_000,
    decimal ChangeWarningPercent = 25m);

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

    public static string TooLargeMessage(long length, ReturnUploadOptions options) =>
        $"The file is {FileSizes.Describe(length)}; the most Scorecard accepts is {FileSizes.Describe(options.MaxFileBytes)}. A return template is far smaller: " +
        "check you chose the right file, or download a fresh template.";

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
            p += 46 + BitConverter.ToUInt16(bytes, p + 28) + BitConverter.ToUInt16(bytes, p + 30) + BitConverter.ToUInt16(bytes, p + 32);
        }
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
        // Parts Scorecard never reads could still carry a DTD; refuse those too rather than pass them on in the stored file.
        foreach (var name in entries.Keys.Where(k => k.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || k.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
            RefuseDoctype(name);
        return workbook;
    }

    private void RefuseDoctype(string name)
    {
        using var stream = OpenEntry(name);
        var buffer = new byte[1024];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var head = Encoding.UTF8.GetString(buffer, 0, read);
        if (head.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || head.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
            throw DtdRefused(name);
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
        return new BoundedStream(entry.Open(), entry.Length, this);
    }

    private void Count(long bytes)
    {
        inflated += bytes;
        if (inflated > options.MaxUncompressedBytes * 2)
            throw new UploadRefusedException($"The file unpacks to far more than it declares (it may be a \"zip bomb\"). {SendInstead}");
    }

    public void Dispose() => zip.Dispose();

    /// <summary>Refuses more bytes than the central directory declared for the entry, so a lying header cannot inflate without bound.</summary>
    private sealed class BoundedStream(Stream inner, long declared, XlsxPackage owner) : Stream
    {
        private long read;

        public override int Read(byte[] buffer, int offset, int count) => Account(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Account(inner.Read(buffer));

        private int Account(int n)
        {
            read += n;
            owner.Count(n);
            if (read > declared)
                throw new UploadRefusedException($"A part of the file unpacks to more than it declares (it may be a \"zip bomb\"). {SendInstead}");
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
