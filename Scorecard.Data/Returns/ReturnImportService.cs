using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;


namespace Scorecard.Data.Returns;

/// <summary>
/// The one path by which a return file enters Scorecard, used by the upload page and the import API alike:
/// refuse unsafe or wrong files by their bytes, read the cells, validate them, and either preview (dry run, nothing
/// written) or commit a new version in one transaction. Agency users may send only their own agency's return; admins any.
/// </summary>
public sealed class ReturnImportService(NpgsqlDataSource dataSource, ReturnUploadOptions options) : ITemplateUploads<ReturnImportResult>
{
    public ReturnUploadOptions Options => options;

    /// <summary>Test hook: runs inside the commit transaction after every row is written and before it commits.</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <summary>
    /// Reads an upload from a stream, stopping one byte past the size limit so an oversized upload is never held whole.
    /// Returns null when the stream is larger than <see cref="ReturnUploadOptions.MaxFileBytes"/>.
    /// </summary>
    public Task<byte[]?> ReadLimitedAsync(Stream stream, CancellationToken ct = default) => ReturnUploadSteps.ReadLimitedAsync(stream, options, ct);

    /// <summary>The result for an upload refused for its size before it was read whole.</summary>
    /// <param name="length">The file's size when known (null for a chunked body whose end was never reached).</param>
    public ReturnImportResult TooLarge(long? length) =>
        Refused(ReturnImportStatus.TooLarge, XlsxPackage.TooLargeMessage(length, options));

    /// <summary>Checks an upload and shows what it would change. Writes nothing.</summary>
    /// <exception cref="AccessDeniedException">The actor may not send this agency's return.</exception>
    public Task<ReturnImportResult> PreviewAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default) =>
        ImportAsync(actor, upload, commit: false, ct);

    /// <summary>
    /// Checks an upload and, when it has no errors and every warned value has commentary, stores it as a new accepted
    /// version in one transaction (the previous accepted version becomes superseded). A byte-identical re-upload of the
    /// current version stores nothing.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor may not send this agency's return.</exception>
    public Task<ReturnImportResult> CommitAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default) =>
        ImportAsync(actor, upload, commit: true, ct);

    private async Task<ReturnImportResult> ImportAsync(Actor actor, ReturnUpload upload, bool commit, CancellationToken ct)
    {
        actor.RequireAnyRole(Role.Admin, Role.AgencyUser);
        actor.RequireAgency(upload.AgencyId);

        var (workbook, failure) = ReturnUploadSteps.Open(upload.Bytes, options, package => ReturnWorkbookReader.Read(package, options));
        if (failure is not null)
            return Failed(failure);

        ReturnContext context;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            context = await ReturnContext.LoadAsync(conn, actor.PartnershipId, upload.AgencyId, upload.PeriodId, ct);
        if (context.Agency is not { Active: true })
            return Invalid("That agency does not exist or no longer sends returns.", []);
        if (context.Period is not { } period)
            return Invalid("That quarter does not exist.", []);

        var detailErrors = ReturnValidator.CheckDetails(workbook!, context, actor.PartnershipId, upload.AgencyId, upload.PeriodId);
        if (!period.IsOpen)
            detailErrors.Add(new ReturnIssue("", "", "", $"{period.Label} is closed for returns. Ask the partnership's administrator to reopen it if this return must change."));
        if (detailErrors.Count > 0)
            return Invalid(detailErrors[0].Message, detailErrors);

        var outcome = ReturnValidator.Validate(workbook!, context, upload.Commentary, options, requireCommentary: commit);
        if (outcome.ErrorCount > 0)
            return new ReturnImportResult(ReturnImportStatus.Invalid, ErrorsMessage(outcome), outcome.Errors, outcome.Rows) { ErrorCount = outcome.ErrorCount };

        var sha = SHA256.HashData(upload.Bytes);
        var identical = context.Current?.FileSha256 is { } currentSha && currentSha.AsSpan().SequenceEqual(sha);
        if (!commit)
        {
            var message = identical
                ? $"This file is identical to version {context.Current!.Version}, already accepted: sending it again changes nothing."
                : $"{outcome.Rows.Count(r => r.Changed)} of {outcome.Rows.Count} values differ from what Scorecard holds for {period.Label}. Nothing has been saved yet.";
            return new ReturnImportResult(identical ? ReturnImportStatus.Unchanged : ReturnImportStatus.Previewed, message, [], outcome.Rows, context.Current?.Version);
        }
        return await StoreAsync(actor, upload, context, period, outcome, sha, ct);
    }

    private async Task<ReturnImportResult> StoreAsync(Actor actor, ReturnUpload upload, ReturnContext context, ReturnPeriod period,
        ValidationOutcome outcome, byte[] sha, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var key = new { actor.PartnershipId, upload.AgencyId, upload.PeriodId, Accepted = ReturnStatus.Accepted.ToDb() };
        // Serialise writers of one agency's return for one quarter, so concurrent uploads get consecutive versions.
        // The lock is released by the transaction's end, whatever happens.
        await ReturnUploadSteps.LockChainAsync(conn, tx, VersionChain.DataReturn, actor.PartnershipId, upload.AgencyId, upload.PeriodId, ct);

        const string stateSql = """
            select is_open from reporting_period where partnership_id = @PartnershipId and id = @PeriodId;
            select id, version, file_sha256 from data_return
            where partnership_id = @PartnershipId and agency_id = @AgencyId and period_id = @PeriodId and status = @Accepted;
            select coalesce(max(version), 0) from data_return
            where partnership_id = @PartnershipId and agency_id = @AgencyId and period_id = @PeriodId;
            """;
        bool isOpen;
        CurrentVersion? current;
        int maxVersion;
        await using (var multi = await conn.QueryMultipleAsync(new CommandDefinition(stateSql, key, tx, cancellationToken: ct)))
        {
            isOpen = await multi.ReadSingleAsync<bool>();
            current = await multi.ReadSingleOrDefaultAsync<CurrentVersion>();
            maxVersion = await multi.ReadSingleAsync<int>();
        }
        if (!isOpen)
            return Invalid($"{period.Label} was closed for returns while you were checking the file. Ask the partnership's administrator to reopen it.", []);
        if (current?.FileSha256 is { } currentSha && currentSha.AsSpan().SequenceEqual(sha))
            return new ReturnImportResult(ReturnImportStatus.Unchanged,
                $"This file is identical to version {current.Version}, already accepted: no new version was created.", [], outcome.Rows, current.Version, current.Id);

        if (current is not null)
            await conn.ExecuteAsync(new CommandDefinition(
                "update data_return set status = @Superseded where partnership_id = @PartnershipId and id = @Id",
                new { actor.PartnershipId, current.Id, Superseded = ReturnStatus.Superseded.ToDb() }, tx, cancellationToken: ct));

        const string insertReturn = """
            insert into data_return (partnership_id, agency_id, period_id, version, status, source, submitted_by, api_token_id,
                                     file_name, file_bytes, file_sha256, value_count)
            values (@PartnershipId, @AgencyId, @PeriodId, @Version, @Accepted, @Source, @SubmittedBy, @ApiTokenId,
                    @FileName, @FileBytes, @FileSha256, @ValueCount)
            returning id
            """;
        var version = maxVersion + 1;
        var returnId = await conn.ExecuteScalarAsync<long>(new CommandDefinition(insertReturn, new
        {
            actor.PartnershipId,
            upload.AgencyId,
            upload.PeriodId,
            Version = version,
            Accepted = ReturnStatus.Accepted.ToDb(),
            Source = (upload.ApiTokenId is null ? ReturnSource.Upload : ReturnSource.Api).ToDb(),
            SubmittedBy = upload.ApiTokenId is null && actor.UserId != 0 ? actor.UserId : (int?)null,
            upload.ApiTokenId,
            FileName = SafeFileName(upload.FileName),
            FileBytes = upload.Bytes,
            FileSha256 = sha,
            ValueCount = outcome.Values.Count,
        }, tx, cancellationToken: ct));

        const string insertValues = """
            insert into measure_value (partnership_id, return_id, measure_id, numerator, denominator, value, commentary)
            select @PartnershipId, @ReturnId, t.measure_id, t.numerator, t.denominator, t.value, t.commentary
            from unnest(@MeasureIds, @Numerators, @Denominators, @Values, @Commentaries) as t(measure_id, numerator, denominator, value, commentary)
            """;
        await conn.ExecuteAsync(new CommandDefinition(insertValues, new
        {
            actor.PartnershipId,
            ReturnId = returnId,
            MeasureIds = outcome.Values.Select(v => v.MeasureId).ToArray(),
            Numerators = outcome.Values.Select(v => v.Numerator).ToArray(),
            Denominators = outcome.Values.Select(v => v.Denominator).ToArray(),
            Values = outcome.Values.Select(v => v.Value).ToArray(),
            Commentaries = outcome.Values.Select(v => v.Commentary).ToArray(),
        }, tx, cancellationToken: ct));

        var changed = outcome.Rows.Count(r => r.Changed);
        await ChangeLog.WriteAsync(conn, tx, actor, "data_return", returnId, "import",
            $"{context.Agency!.Name} {period.Label}: version {version} from {SafeFileName(upload.FileName)} ({outcome.Values.Count} values, {changed} changed)",
            current is null ? null : new { current.Version, ReturnId = current.Id, Status = ReturnStatus.Superseded.ToDb() },
            new
            {
                Version = version,
                ReturnId = returnId,
                upload.AgencyId,
                upload.PeriodId,
                FileName = SafeFileName(upload.FileName),
                Sha256 = Convert.ToHexStringLower(sha),
                ValueCount = outcome.Values.Count,
                upload.ApiTokenId,
                Changes = outcome.Rows.Where(r => r.Changed).Select(r => new { Code = r.MeasureCode, Old = r.OldValue, New = r.NewValue }),
            }, ct);

        if (BeforeCommit is { } hook)
            await hook(conn, ct);
        await tx.CommitAsync(ct);
        return new ReturnImportResult(ReturnImportStatus.Committed,
            $"Version {version} of {context.Agency.Name}'s return for {period.Label} was saved ({outcome.Values.Count} values).",
            [], outcome.Rows, version, returnId);
    }

    private static string ErrorsMessage(ValidationOutcome outcome) => outcome.ErrorCount switch
    {
        1 => "The return has 1 error to put right.",
        var n when n > outcome.Errors.Count =>
            $"The return has {n:N0} errors to put right: the first {outcome.Errors.Count:N0} are listed, and {n - outcome.Errors.Count:N0} more errors are not shown.",
        var n => $"The return has {n:N0} errors to put right.",
    };

    private static string SafeFileName(string name) => ReturnUploadSteps.SafeFileName(name, "return.xlsx");

    private static ReturnImportResult Failed(UploadFailure failure) => new(failure.Status, failure.Message, failure.Errors, []);

    private static ReturnImportResult Refused(ReturnImportStatus status, string message) => Failed(UploadFailure.Refused(status, message));

    private static ReturnImportResult Invalid(string message, IReadOnlyList<ReturnIssue> errors) => Failed(UploadFailure.Invalid(message, errors));
}
