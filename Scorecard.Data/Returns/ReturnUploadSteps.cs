using System.Data.Common;
using Dapper;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>Why an upload stopped before anything was stored: the status, the message and the issues, in the shape both
/// template kinds (the data return and the audit summary) report.</summary>
public sealed record UploadFailure(ReturnImportStatus Status, string Message, IReadOnlyList<ReturnIssue> Errors)
{
    /// <summary>Refused before its cells were read (wrong type, unsafe, damaged, too large).</summary>
    public static UploadFailure Refused(ReturnImportStatus status, string message) => new(status, message, [new ReturnIssue("", "", "", message)]);

    /// <summary>Read, but wrong; with <paramref name="message"/> as the one issue when no other is given.</summary>
    public static UploadFailure Invalid(string message, IReadOnlyList<ReturnIssue> errors) =>
        new(ReturnImportStatus.Invalid, message, errors.Count > 0 ? errors : [new ReturnIssue("", "", "", message)]);
}

/// <summary>What a template kind's hidden details sheet must say, and how the messages name the template.</summary>
/// <param name="Kind">The <c>template_kind</c> detail the kind must carry; null for the data return, whose template has none.</param>
/// <param name="Keys">The detail keys every template of the kind has.</param>
/// <param name="AcceptedVersions">The template versions still accepted.</param>
/// <param name="TemplateName">"return template", "audit summary template".</param>
/// <param name="DownloadWhat">What to download instead of a workbook that is not a template: "the template for the quarter".</param>
internal sealed record TemplateDetailsSpec(string? Kind, IReadOnlyList<string> Keys, IReadOnlySet<int> AcceptedVersions, string TemplateName, string DownloadWhat);

/// <summary>
/// The steps every template kind's upload takes alike, written once: open the package safely and read it (refusals
/// mapped to one status and message), check the template's hidden details against the chosen agency and quarter, keep
/// a client's file name sane, and the versioned store's lock and state (one accepted version per agency × quarter, the
/// new one superseding it, in one transaction). The data return (<see cref="ReturnImportService"/>) and the single-agency
/// audit summary (<see cref="AuditSummaryReturnService"/>) each add only their own cells and rows.
/// </summary>
internal static class ReturnUploadSteps
{
    /// <summary>Opens <paramref name="bytes"/> through the shared safe checks (<see cref="XlsxPackage"/>) and reads it with
    /// <paramref name="read"/>; a refusal, a bad cell or a damaged zip comes back as the failure.</summary>
    public static (T? Read, UploadFailure? Failure) Open<T>(byte[] bytes, ReturnUploadOptions options, Func<XlsxPackage, T> read) where T : class
    {
        try
        {
            using var package = XlsxPackage.Open(bytes, options);
            return (read(package), null);
        }
        catch (UploadRefusedException e)
        {
            return (null, UploadFailure.Refused(e.TooLarge ? ReturnImportStatus.TooLarge : ReturnImportStatus.Refused, e.Message));
        }
        catch (WorkbookCellException e)
        {
            return (null, UploadFailure.Invalid(e.Message, [e.Issue]));
        }
        catch (InvalidDataException)
        {
            return (null, UploadFailure.Refused(ReturnImportStatus.Refused,
                "The file is damaged: part of it cannot be unpacked. Download a fresh template, fill it in and upload that."));
        }
    }

    /// <summary>
    /// Reads an upload from a stream, stopping one byte past the size limit so an oversized upload is never held whole.
    /// Returns null when the stream is larger than <see cref="ReturnUploadOptions.MaxFileBytes"/>.
    /// </summary>
    public static async Task<byte[]?> ReadLimitedAsync(Stream stream, ReturnUploadOptions options, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxFileBytes)
                return null;
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Checks the hidden details a template carries (kind, version, partnership, agency, quarter) against what the sender
    /// chose. A workbook without them, or of another kind, or of a version no longer accepted, gets that one error;
    /// otherwise an error for the partnership or the agency, and one for the quarter.
    /// </summary>
    public static List<ReturnIssue> CheckDetails(IReadOnlyDictionary<string, CellValue>? details, TemplateDetailsSpec spec,
        int partnershipId, int agencyId, int periodId, string agencyName, string periodLabel)
    {
        const string sheet = ReturnTemplateLayout.DetailsSheet;
        if (details is null || !spec.Keys.All(details.ContainsKey) || (spec.Kind is { } kind && details["template_kind"].Text?.Trim() != kind))
            return [new ReturnIssue("", "", "", $"This workbook is not a Scorecard {spec.TemplateName} (it does not say which agency and quarter it is for). " +
                $"Download {spec.DownloadWhat} from Scorecard, copy your figures into it and upload that.")];
        int? Detail(string key) => details[key] is { Kind: CellKind.Number, Number: { } n } && n == decimal.Truncate(n) && n is >= int.MinValue and <= int.MaxValue ? (int)n : null;
        string At(string key) => details[key].Address;

        if (Detail("template_version") is not { } version || !spec.AcceptedVersions.Contains(version))
            return [new ReturnIssue(sheet, At("template_version"), "",
                $"This template is version {SenderText.Excerpt(details["template_version"].Text ?? "unknown", 20)}, which is no longer accepted. " +
                $"Download a fresh template for {periodLabel}, copy your figures into it and upload that.")];
        var errors = new List<ReturnIssue>();
        if (Detail("partnership_id") != partnershipId)
            errors.Add(new ReturnIssue(sheet, At("partnership_id"), "", "This template belongs to another partnership. Download your own partnership's template from Scorecard."));
        else if (Detail("agency_id") != agencyId)
            errors.Add(new ReturnIssue(sheet, At("agency_id"), "",
                $"This template was made for another agency, not {agencyName}. Download {agencyName}'s template and upload that."));
        if (Detail("period_id") != periodId)
            errors.Add(new ReturnIssue(sheet, At("period_id"), "",
                $"This template is for a different quarter, not {periodLabel}. Download the template for {periodLabel}, or choose the template's quarter when you upload."));
        return errors;
    }

    /// <summary>Keeps only the file's own name (never a client's path), at a sane length; <paramref name="fallback"/> when none is left.</summary>
    public static string SafeFileName(string name, string fallback)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        file = new string(file.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (file.Length == 0)
            file = fallback;
        return file.Length <= 200 ? file : file[..200];
    }

    /// <summary>
    /// Serialises the writers of one version chain (a table's agency × quarter) until the transaction ends, so concurrent
    /// uploads get consecutive versions and the state read after it cannot change underneath. Re-entrant in one transaction.
    /// </summary>
    public static Task LockChainAsync(DbConnection conn, DbTransaction tx, VersionChain chain, int partnershipId, int agencyId, int periodId, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended(@Table || ':' || @partnershipId || ':' || @agencyId || ':' || @periodId, 0))",
            new { Table = chain.ToDb(), partnershipId, agencyId, periodId }, tx, cancellationToken: ct));
}

/// <summary>The tables that hold a version chain per agency × quarter (one accepted version, the older ones superseded);
/// <see cref="Common.DbEnum.ToDb{T}(T)"/> gives the table's name, which is the lock's key.</summary>
internal enum VersionChain { DataReturn, AuditSummaryReturn }
