using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>An uploaded return: which agency and quarter the sender chose, and the file exactly as received.</summary>
/// <param name="Commentary">Commentary typed on the preview page, by measure code; it replaces the file's commentary for that measure.</param>
/// <param name="ApiTokenId">Set by the import API: the token that sent the file (recorded instead of a user).</param>
public sealed record ReturnUpload(
    int AgencyId, int PeriodId, string FileName, byte[] Bytes,
    IReadOnlyDictionary<string, string>? Commentary = null, int? ApiTokenId = null);

/// <summary>One problem with an upload. File-level problems have an empty sheet and cell.</summary>
/// <param name="Sheet">The sheet, e.g. "Return".</param>
/// <param name="Cell">The cell address, e.g. "D7".</param>
/// <param name="MeasureCode">The measure the row is for, when known.</param>
/// <param name="Message">What is wrong and what to do, in plain English.</param>
public sealed record ReturnIssue(string Sheet, string Cell, string MeasureCode, string Message);

/// <summary>One measure of the preview: the value now held for the quarter, the new one, and its errors and warnings.</summary>
public sealed record ReturnPreviewRow(
    string MeasureCode, string MeasureTitle, MeasureUnit Unit, int? RowNumber,
    decimal? Numerator, decimal? Denominator, decimal? NewValue, decimal? OldValue, decimal? PreviousQuarterValue,
    string Commentary, IReadOnlyList<string> Warnings, IReadOnlyList<ReturnIssue> Errors)
{
    /// <summary>A warned value needs commentary before the return can be submitted.</summary>
    public bool NeedsCommentary => Warnings.Count > 0;

    public bool Changed => NewValue != OldValue;
}

/// <summary>What every template kind's upload result says first: how the check (or the commit) ended.</summary>
public interface IUploadResult
{
    ReturnImportStatus Status { get; }

    string Message { get; }
}

/// <summary>A template kind's upload service, as the upload pages use it: read within the size limit, check (dry run), commit.</summary>
public interface ITemplateUploads<TResult> where TResult : IUploadResult
{
    ReturnUploadOptions Options { get; }

    /// <summary>Reads an upload from a stream, stopping one byte past the size limit; null when it is larger.</summary>
    Task<byte[]?> ReadLimitedAsync(Stream stream, CancellationToken ct = default);

    /// <summary>The result for an upload refused for its size before it was read whole.</summary>
    TResult TooLarge(long? length);

    /// <summary>Checks an upload and shows what it would change. Writes nothing.</summary>
    Task<TResult> PreviewAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default);

    /// <summary>Checks an upload and, when it is valid, stores it as a new version in one transaction.</summary>
    Task<TResult> CommitAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default);
}

public enum ReturnImportStatus
{
    /// <summary>The file was refused before its cells were read (wrong type, unsafe, damaged).</summary>
    Refused,

    /// <summary>The file is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>The file was read but its contents have errors.</summary>
    Invalid,

    /// <summary>Dry run: the file is valid; nothing was written.</summary>
    Previewed,

    /// <summary>A new version was committed.</summary>
    Committed,

    /// <summary>The file is byte-for-byte the current accepted version: nothing was written.</summary>
    Unchanged,
}

/// <summary>
/// The outcome of checking (and perhaps committing) an upload. The page and the API show the same thing. <see cref="Errors"/>
/// holds at most <see cref="ReturnUploadOptions.MaxErrors"/> errors; <see cref="ErrorCount"/> counts them all.
/// </summary>
public sealed record ReturnImportResult(
    ReturnImportStatus Status, string Message, IReadOnlyList<ReturnIssue> Errors, IReadOnlyList<ReturnPreviewRow> Rows,
    int? Version = null, long? ReturnId = null) : IUploadResult
{
    private readonly int? errorCount;

    /// <summary>How many errors the upload has, of which <see cref="Errors"/> lists the first.</summary>
    public int ErrorCount { get => errorCount ?? Errors.Count; init => errorCount = value; }

    /// <summary>How many errors are counted but not listed.</summary>
    public int UnlistedErrorCount => Math.Max(0, ErrorCount - Errors.Count);

    public bool Succeeded => Status is ReturnImportStatus.Previewed or ReturnImportStatus.Committed or ReturnImportStatus.Unchanged;

    public int WarningCount => Rows.Count(r => r.NeedsCommentary);
}
