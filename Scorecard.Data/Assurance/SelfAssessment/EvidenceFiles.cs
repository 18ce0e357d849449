using System.IO.Compression;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.SelfAssessment;

/// <summary>Settings of self-assessment evidence (bound from configuration section <c>Assurance</c>).</summary>
public sealed class AssuranceOptions
{
    /// <summary>The largest evidence file accepted, in bytes (10 MB unless configured).</summary>
    public int MaxEvidenceBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Identifies an evidence file by its bytes, never by its name or the browser's claimed type: PDF (<c>%PDF-</c>),
/// PNG (its 8-byte signature), JPEG (<c>FF D8 FF</c>), and DOCX / XLSX (a zip holding <c>word/document.xml</c> or
/// <c>xl/workbook.xml</c>, with no macro project). Anything else is refused with a message saying what is accepted.
/// A PDF may still carry script; it is stored and only ever served as an attachment with <c>nosniff</c>.
/// </summary>
public static class EvidenceFiles
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    private const string Accepted = "Evidence must be a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file.";
    private const long MaxUnzippedBytes = 200L * 1024 * 1024;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The content type identified from the bytes, or the reason the file is refused.</summary>
    public static Result<string> Identify(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length == 0)
            return Result<string>.Fail("File", "The file is empty.");
        if (bytes.Length > maxBytes)
            return Result<string>.Fail("File", $"The file is {FormatSize(bytes.Length)}; evidence files may be at most {FormatSize(maxBytes)}.");
        if (bytes.StartsWith("%PDF-"u8))
            return Result<string>.Ok(Pdf);
        if (bytes.StartsWith(PngSignature))
            return Result<string>.Ok(Png);
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            return Result<string>.Ok(Jpeg);
        if (bytes.StartsWith("PK\u0003\u0004"u8))
            return IdentifyOfficeFile(bytes.ToArray());
        return Result<string>.Fail("File", Accepted);
    }

    private static Result<string> IdentifyOfficeFile(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (zip.Entries.Sum(e => e.Length) > MaxUnzippedBytes)
                return Result<string>.Fail("File", "The file expands to more than 200 MB when opened, so it is refused.");
            if (names.Any(n => n.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase) || n.EndsWith("vbaData.xml", StringComparison.OrdinalIgnoreCase)))
                return Result<string>.Fail("File", "The file contains macros. Save it as a macro-free .docx or .xlsx and upload that.");
            if (zip.GetEntry("[Content_Types].xml") is { } types)
            {
                using var reader = new StreamReader(types.Open());
                if (reader.ReadToEnd().Contains("macroEnabled", StringComparison.OrdinalIgnoreCase))
                    return Result<string>.Fail("File", "The file is macro-enabled. Save it as a macro-free .docx or .xlsx and upload that.");
            }
            if (names.Contains("word/document.xml"))
                return Result<string>.Ok(Docx);
            if (names.Contains("xl/workbook.xml"))
                return Result<string>.Ok(Xlsx);
            return Result<string>.Fail("File", Accepted);
        }
        catch (InvalidDataException)
        {
            return Result<string>.Fail("File", "The file looks like a Word or Excel file but cannot be opened. " + Accepted);
        }
    }

    /// <summary>A file name safe to store and offer back: the last path segment, control characters removed, at most 255 characters.</summary>
    public static string SafeName(string? name)
    {
        var last = Path.GetFileName((name ?? "").Replace('\\', '/').Split('/')[^1]);
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length == 0)
            clean = "evidence";
        return clean.Length <= 255 ? clean : clean[..255];
    }

    private static string FormatSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";
}
