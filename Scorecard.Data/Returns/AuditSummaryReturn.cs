using System.Globalization;
using System.Security.Cryptography;
using ClosedXML.Excel;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>
/// Where things are in the single-agency audit summary template (issue 11 §2), the returns pipeline's second template
/// kind per agency × quarter. One label per row in column A, the sender's answer beside it in column B; the upload reads
/// the same cells back, so a change here is a new <see cref="CurrentVersion"/>.
/// </summary>
public static class AuditSummaryTemplateLayout
{
    public const string TemplateKind = "audit_summary";
    public const int CurrentVersion = 1;
    public const string Sheet = "Audit summary";
    public const string InstructionsSheet = "Instructions";
    public const int LabelColumn = 1;  // A
    public const int ValueColumn = 2;  // B

    public const int TopicRow = 5;
    public const int CasesRow = 6;
    public const int OutstandingRow = 7;
    public const int GoodRow = 8;
    public const int RequiresImprovementRow = 9;
    public const int InadequateRow = 10;
    public const int VoiceYesRow = 11;
    public const int VoicePartlyRow = 12;
    public const int VoiceNoRow = 13;
    public const int FirstFindingRow = 15;
    public const int MaxFindings = 5;
    public const int MaxTopicLength = 200;
    public const int MaxFindingLength = 1_000;
    public const int MaxCases = 10_000;

    /// <summary>Keys of the very hidden details sheet (column A), values in column B, from row 1.</summary>
    public static readonly IReadOnlyList<string> DetailKeys = ["template_kind", "template_version", "partnership_id", "agency_id", "period_id"];

    /// <summary>The count rows with their labels, in sheet order.</summary>
    public static readonly IReadOnlyList<(int Row, string Label)> CountRows =
    [
        (CasesRow, "Number of cases audited"),
        (OutstandingRow, "Graded outstanding"),
        (GoodRow, "Graded good"),
        (RequiresImprovementRow, "Graded requires improvement"),
        (InadequateRow, "Graded inadequate"),
        (VoiceYesRow, "Child's lived experience and voice evident: yes"),
        (VoicePartlyRow, "Child's lived experience and voice evident: partly"),
        (VoiceNoRow, "Child's lived experience and voice evident: no"),
    ];

    /// <summary>The template versions still accepted.</summary>
    public static readonly IReadOnlySet<int> AcceptedVersions = new HashSet<int> { CurrentVersion };

    public static string Address(int row) => $"B{row}";

    public static string FileName(string agencyShortName, int fiscalYear, int quarter)
    {
        var safe = new string(agencyShortName.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return $"audit-summary-{safe}-{fiscalYear}-{(fiscalYear + 1) % 100:00}-Q{quarter}.xlsx";
    }
}

/// <summary>The outcome of checking (and perhaps committing) an audit summary workbook: the same statuses and issue shape
/// as a data return. <see cref="Summary"/> is what the file says; <see cref="Current"/> what Scorecard holds now.</summary>
public sealed record AuditSummaryImportResult(
    ReturnImportStatus Status, string Message, IReadOnlyList<ReturnIssue> Errors,
    AuditSummaryInput? Summary = null, AuditSummaryInput? Current = null, int? CurrentVersion = null, int? Version = null, long? ReturnId = null)
    : IUploadResult
{
    public bool Succeeded => Status is ReturnImportStatus.Previewed or ReturnImportStatus.Committed or ReturnImportStatus.Unchanged;
}

/// <summary>
/// Single-agency audit summaries through the returns pipeline (issue 11 §2): a second template kind beside the data
/// return, for the same agency × quarter and the same senders (an agency's own users, admins for any agency). The
/// generated template is protected except its answer cells; the upload takes the data return's path — the shared safe
/// checks (<see cref="XlsxPackage"/>: bytes identified, zip limits, no DTDs, no macros), the streaming reader (no
/// formulas), the template's hidden details (kind, version, partnership, agency, quarter), cell-level errors with sheet
/// and address, a dry-run preview beside the current version, and one all-or-nothing transaction writing a new version
/// (the last accepted one superseded, every version kept, the file and its SHA-256 stored, the change logged).
/// </summary>
public sealed class AuditSummaryReturnService(NpgsqlDataSource dataSource, ReturnUploadOptions options) : ITemplateUploads<AuditSummaryImportResult>
{
    private const string WhatItIs = "a Scorecard single-agency audit summary template";

    public ReturnUploadOptions Options => options;

    /// <summary>Reads an upload from a stream, stopping one byte past the size limit; null when it is larger.</summary>
    public Task<byte[]?> ReadLimitedAsync(Stream stream, CancellationToken ct = default) => ReturnUploadSteps.ReadLimitedAsync(stream, options, ct);

    /// <summary>The result for an upload refused for its size before it was read whole.</summary>
    public AuditSummaryImportResult TooLarge(long? length) =>
        Failed(UploadFailure.Refused(ReturnImportStatus.TooLarge, XlsxPackage.TooLargeMessage(length, options)));

    internal sealed class SummaryContext
    {
        public ReturnPeriod? Period { get; init; }
        public ReturnAgency? Agency { get; init; }
        public CurrentSummary? Current { get; init; }
    }

    /// <summary>The accepted version now held, with its file's SHA-256 (an identical file changes nothing).</summary>
    internal sealed class CurrentSummary : AuditSummaryFigures
    {
        public byte[]? FileSha256 { get; init; }
    }

    private static void RequireSender(Actor actor, int agencyId)
    {
        actor.RequireAnyRole(Role.Admin, Role.AgencyUser);
        actor.RequireAgency(agencyId);
    }

    /// <summary>The period, agency and current accepted summary in one round trip.</summary>
    internal static async Task<SummaryContext> LoadContextAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, int agencyId, int periodId, CancellationToken ct)
    {
        const string sql = """
            select id, fiscal_year, quarter::int as quarter, is_open from reporting_period where partnership_id = @partnershipId and id = @periodId;
            select id, name, short_name, active from agency where partnership_id = @partnershipId and id = @agencyId;
            select id, version, file_sha256, topic, cases_audited, graded_outstanding, graded_good, graded_requires_improvement, graded_inadequate,
                   voice_yes, voice_partly, voice_no, key_findings
            from audit_summary_return
            where partnership_id = @partnershipId and agency_id = @agencyId and period_id = @periodId and status = @Accepted;
            """;
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql,
            new { partnershipId, agencyId, periodId, Accepted = AuditSummaryStatus.Accepted.ToDb() }, tx, cancellationToken: ct));
        return new SummaryContext
        {
            Period = await multi.ReadSingleOrDefaultAsync<ReturnPeriod>(),
            Agency = await multi.ReadSingleOrDefaultAsync<ReturnAgency>(),
            Current = await multi.ReadSingleOrDefaultAsync<CurrentSummary>(),
        };
    }

    /// <summary>Builds the template, pre-filled with the current summary when there is one; null when the agency or quarter
    /// is not in the actor's partnership.</summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin or a user of that agency.</exception>
    public async Task<FileDownload?> BuildTemplateAsync(Actor actor, int agencyId, int periodId, CancellationToken ct = default)
    {
        RequireSender(actor, agencyId);
        SummaryContext context;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            context = await LoadContextAsync(conn, null, actor.PartnershipId, agencyId, periodId, ct);
        if (context.Period is not { } period || context.Agency is not { } agency)
            return null;

        using var workbook = new XLWorkbook();
        var instructions = workbook.Worksheets.Add(AuditSummaryTemplateLayout.InstructionsSheet);
        string[] lines =
        [
            $"Single-agency audit summary for {agency.Name}, {period.Label}",
            "",
            "1. Go to the \"Audit summary\" sheet and fill in the yellow cells only. Other cells are locked.",
            "2. Give the topic of the audit your agency ran this quarter and the number of cases it audited.",
            "3. Give how many cases were graded at each of the four grades. The four counts must add up to the cases audited.",
            "4. Give how many cases showed the child's lived experience and voice (yes, partly, no). They cannot add up to more than the cases audited.",
            "5. Give up to five key findings, one per yellow cell, each at most 1,000 characters. Never write a child's name or date of birth.",
            "6. Save the file as an Excel Workbook (.xlsx) and upload it under \"Audit summaries\" in Scorecard. You will see a preview and must confirm before anything is saved.",
            "",
            "This template is for this agency and this quarter only. Sending it again creates a new version; every version is kept.",
        ];
        for (var i = 0; i < lines.Length; i++)
            Excel.Text(instructions.Cell(i + 1, 1), lines[i]);
        instructions.Cell(1, 1).Style.Font.SetBold(true).Font.SetFontSize(14);
        instructions.Column(1).Width = 140;
        instructions.Column(1).Style.Alignment.WrapText = true;
        instructions.Protect();

        var ws = workbook.Worksheets.Add(AuditSummaryTemplateLayout.Sheet);
        Excel.Text(ws.Cell(1, 1), $"Single-agency audit summary: {agency.Name}").Style.Font.SetBold(true).Font.SetFontSize(14);
        Excel.Text(ws.Cell(2, 1), $"Quarter: {period.Label}");
        Excel.Text(ws.Cell(3, 1), "Fill in the yellow cells only. The grade counts must add up to the cases audited.").Style.Font.SetItalic(true);
        var current = context.Current;

        void Input(int row, string label, Action<IXLCell> fill, Action<IXLDataValidation>? validate)
        {
            Excel.Text(ws.Cell(row, AuditSummaryTemplateLayout.LabelColumn), label).Style.Font.SetBold(true);
            var cell = ws.Cell(row, AuditSummaryTemplateLayout.ValueColumn);
            fill(cell);
            cell.Style.Protection.SetLocked(false);
            cell.Style.Fill.BackgroundColor = XLColor.LightYellow;
            if (validate is not null)
                validate(cell.SetDataValidation());
        }

        Input(AuditSummaryTemplateLayout.TopicRow, "Audit topic", c => Excel.Text(c, current?.Topic ?? ""),
            v => v.TextLength.EqualOrLessThan(AuditSummaryTemplateLayout.MaxTopicLength));
        int?[] currentCounts = current is null ? new int?[8] :
            [current.CasesAudited, current.GradedOutstanding, current.GradedGood, current.GradedRequiresImprovement, current.GradedInadequate,
             current.VoiceYes, current.VoicePartly, current.VoiceNo];
        for (var i = 0; i < AuditSummaryTemplateLayout.CountRows.Count; i++)
        {
            var (row, label) = AuditSummaryTemplateLayout.CountRows[i];
            var value = currentCounts[i];
            Input(row, label, c => { if (value is { } n) c.Value = n; }, v =>
            {
                v.WholeNumber.Between(0, AuditSummaryTemplateLayout.MaxCases);
                v.ErrorTitle = "Whole number";
                v.ErrorMessage = "Enter a whole number, 0 or more.";
            });
        }
        Excel.Text(ws.Cell(AuditSummaryTemplateLayout.FirstFindingRow - 1, 1), "Key findings (up to five)").Style.Font.SetBold(true);
        for (var i = 0; i < AuditSummaryTemplateLayout.MaxFindings; i++)
        {
            var text = current is not null && i < current.KeyFindings.Length ? current.KeyFindings[i] : "";
            Input(AuditSummaryTemplateLayout.FirstFindingRow + i, $"Key finding {i + 1}", c => Excel.Text(c, text),
                v => v.TextLength.EqualOrLessThan(AuditSummaryTemplateLayout.MaxFindingLength));
            ws.Cell(AuditSummaryTemplateLayout.FirstFindingRow + i, AuditSummaryTemplateLayout.ValueColumn).Style.Alignment.WrapText = true;
        }
        ws.Column(1).Width = 50;
        ws.Column(2).Width = 90;
        ws.Protect();
        ws.SetTabActive();

        var details = workbook.Worksheets.Add(ReturnTemplateLayout.DetailsSheet);
        Excel.Text(details.Cell(1, 1), AuditSummaryTemplateLayout.DetailKeys[0]);
        Excel.Text(details.Cell(1, 2), AuditSummaryTemplateLayout.TemplateKind);
        int[] values = [AuditSummaryTemplateLayout.CurrentVersion, actor.PartnershipId, agency.Id, period.Id];
        for (var i = 0; i < values.Length; i++)
        {
            Excel.Text(details.Cell(i + 2, 1), AuditSummaryTemplateLayout.DetailKeys[i + 1]);
            details.Cell(i + 2, 2).Value = values[i];
        }
        details.Protect();
        details.Visibility = XLWorksheetVisibility.VeryHidden;
        workbook.Properties.Title = $"Single-agency audit summary: {agency.Name}, {period.Label}";
        workbook.Properties.Author = "Scorecard";
        return new FileDownload(AuditSummaryTemplateLayout.FileName(agency.ShortName, period.FiscalYear, period.Quarter), Excel.ToBytes(workbook));
    }

    /// <summary>Checks an upload and shows it beside the current version. Writes nothing.</summary>
    /// <exception cref="AccessDeniedException">The actor may not send this agency's return.</exception>
    public Task<AuditSummaryImportResult> PreviewAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default) =>
        ImportAsync(actor, upload, commit: false, ct);

    /// <summary>Checks an upload and, when it has no errors, stores it as a new accepted version in one transaction. A
    /// byte-identical re-upload of the current version stores nothing.</summary>
    /// <exception cref="AccessDeniedException">The actor may not send this agency's return.</exception>
    public Task<AuditSummaryImportResult> CommitAsync(Actor actor, ReturnUpload upload, CancellationToken ct = default) =>
        ImportAsync(actor, upload, commit: true, ct);

    private async Task<AuditSummaryImportResult> ImportAsync(Actor actor, ReturnUpload upload, bool commit, CancellationToken ct)
    {
        RequireSender(actor, upload.AgencyId);
        var (grid, failure) = ReturnUploadSteps.Open(upload.Bytes, options,
            package => ReturnWorkbookReader.ReadGrid(package, AuditSummaryTemplateLayout.Sheet, WhatItIs, options));
        if (failure is not null)
            return Failed(failure);

        SummaryContext context;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            context = await LoadContextAsync(conn, null, actor.PartnershipId, upload.AgencyId, upload.PeriodId, ct);
        if (context.Agency is not { Active: true } agency)
            return Invalid("That agency does not exist or no longer sends returns.", []);
        if (context.Period is not { } period)
            return Invalid("That quarter does not exist.", []);

        var detailErrors = ReturnUploadSteps.CheckDetails(grid!.Details, DetailsSpec, actor.PartnershipId, upload.AgencyId, upload.PeriodId, agency.Name, period.Label);
        if (!period.IsOpen)
            detailErrors.Add(new ReturnIssue("", "", "", $"{period.Label} is closed for returns. Ask the partnership's administrator to reopen it if this summary must change."));
        if (detailErrors.Count > 0)
            return Invalid(detailErrors[0].Message, detailErrors);

        var (summary, cellErrors) = Parse(grid);
        var errors = grid.Issues.Concat(cellErrors).Take(options.MaxErrors).ToList();
        if (errors.Count > 0 || summary is null)
            return new AuditSummaryImportResult(ReturnImportStatus.Invalid,
                errors.Count == 1 ? "The audit summary has 1 error to put right." : $"The audit summary has {errors.Count} errors to put right.",
                errors, null, context.Current?.ToInput(), context.Current?.Version);

        var sha = SHA256.HashData(upload.Bytes);
        if (!commit)
        {
            var identical = context.Current?.FileSha256 is { } currentSha && currentSha.AsSpan().SequenceEqual(sha);
            var message = identical
                ? $"This file is identical to version {context.Current!.Version}, already accepted: sending it again changes nothing."
                : context.Current is { } c
                    ? $"This summary would replace version {c.Version} for {period.Label}. Nothing has been saved yet."
                    : $"This is {agency.Name}'s first audit summary for {period.Label}. Nothing has been saved yet.";
            return new AuditSummaryImportResult(identical ? ReturnImportStatus.Unchanged : ReturnImportStatus.Previewed, message, [],
                summary, context.Current?.ToInput(), context.Current?.Version);
        }

        var fileName = ReturnUploadSteps.SafeFileName(upload.FileName, "audit-summary.xlsx");
        await using var write = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await write.BeginTransactionAsync(ct);
        // The same lock WriteVersionAsync takes (re-entrant in this transaction): the state read below cannot change under us.
        await ReturnUploadSteps.LockChainAsync(write, tx, VersionChain.AuditSummaryReturn, actor.PartnershipId, upload.AgencyId, upload.PeriodId, ct);
        var state = await LoadContextAsync(write, tx, actor.PartnershipId, upload.AgencyId, upload.PeriodId, ct);
        if (state.Period is not { IsOpen: true })
            return Invalid($"{period.Label} was closed for returns while you were checking the file. Ask the partnership's administrator to reopen it.", []);
        if (state.Current is { FileSha256: { } shaNow } now && shaNow.AsSpan().SequenceEqual(sha))
            return new AuditSummaryImportResult(ReturnImportStatus.Unchanged,
                $"This file is identical to version {now.Version}, already accepted: no new version was created.", [], summary, now.ToInput(), now.Version, now.Version, now.Id);
        var id = await AuditSummaryCommands.WriteVersionAsync(write, tx, actor, upload.AgencyId, upload.PeriodId, summary,
            upload.ApiTokenId is null ? AuditSummarySource.Upload : AuditSummarySource.Api, ct, fileName, upload.Bytes);
        var version = await write.ExecuteScalarAsync<int>(new CommandDefinition(
            "select version from audit_summary_return where partnership_id = @PartnershipId and id = @id", new { actor.PartnershipId, id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AuditSummaryImportResult(ReturnImportStatus.Committed,
            $"Version {version} of {agency.Name}'s audit summary for {period.Label} was saved ({summary.CasesAudited} cases on \"{summary.Topic.Trim()}\").",
            [], summary, state.Current?.ToInput(), state.Current?.Version, version, id);
    }

    /// <summary>The audit summary template's hidden details: its kind, and the versions still accepted.</summary>
    private static readonly TemplateDetailsSpec DetailsSpec = new(AuditSummaryTemplateLayout.TemplateKind, AuditSummaryTemplateLayout.DetailKeys,
        AuditSummaryTemplateLayout.AcceptedVersions, "audit summary template", "the audit summary template");

    /// <summary>Reads the answer cells, with an error at the cell for each that is wrong; the summary only when none is.</summary>
    internal static (AuditSummaryInput? Summary, List<ReturnIssue> Errors) Parse(WorkbookGrid grid)
    {
        const string sheet = AuditSummaryTemplateLayout.Sheet;
        var errors = new List<ReturnIssue>();
        CellValue? At(int row) => grid.Cells.TryGetValue((row, AuditSummaryTemplateLayout.ValueColumn), out var c) ? c : null;
        void Error(int row, string message) => errors.Add(new ReturnIssue(sheet, AuditSummaryTemplateLayout.Address(row), "", message));

        string Text(int row, int max, string label)
        {
            if (At(row) is not { } cell || cell.IsEmpty)
                return "";
            if (cell.Truncated || (cell.Text ?? "").Trim().Length > max)
            {
                Error(row, $"{label} is {Math.Max(cell.TextLength, (cell.Text ?? "").Length):N0} characters; at most {max:N0} are accepted.");
                return "";
            }
            return cell.Kind == CellKind.Number ? cell.Number?.ToString(CultureInfo.InvariantCulture) ?? "" : (cell.Text ?? "").Trim();
        }

        var topic = Text(AuditSummaryTemplateLayout.TopicRow, AuditSummaryTemplateLayout.MaxTopicLength, "The audit topic");
        if (topic.Length < 3 && errors.Count == 0)
            Error(AuditSummaryTemplateLayout.TopicRow, topic.Length == 0 ? "Give the audit's topic." : "The audit topic must be at least 3 characters.");

        var counts = new int?[AuditSummaryTemplateLayout.CountRows.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            var (row, label) = AuditSummaryTemplateLayout.CountRows[i];
            var cell = At(row);
            if (cell is null || cell.Value.IsEmpty)
            {
                Error(row, $"{label}: enter a whole number (0 if none).");
                continue;
            }
            var c = cell.Value;
            decimal? n = c.Kind switch
            {
                CellKind.Number => c.Number,
                CellKind.Text when decimal.TryParse((c.Text ?? "").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) => t,
                _ => null,
            };
            if (n is not { } v || v != decimal.Truncate(v))
                Error(row, $"{label}: \"{SenderText.Excerpt(c.Text ?? c.Number?.ToString(CultureInfo.InvariantCulture) ?? "", 20)}\" is not a whole number.");
            else if (v < 0 || v > AuditSummaryTemplateLayout.MaxCases)
                Error(row, $"{label}: {v:N0} is out of range; enter a whole number from 0 to {AuditSummaryTemplateLayout.MaxCases:N0}.");
            else
                counts[i] = (int)v;
        }
        if (counts.All(c => c is not null))
        {
            int cases = counts[0]!.Value, grades = counts[1]!.Value + counts[2]!.Value + counts[3]!.Value + counts[4]!.Value,
                voice = counts[5]!.Value + counts[6]!.Value + counts[7]!.Value;
            if (grades != cases)
                Error(AuditSummaryTemplateLayout.OutstandingRow,
                    $"The grades (B{AuditSummaryTemplateLayout.OutstandingRow}:B{AuditSummaryTemplateLayout.InadequateRow}) add up to {grades:N0}, not the {cases:N0} cases audited (B{AuditSummaryTemplateLayout.CasesRow}).");
            if (voice > cases)
                Error(AuditSummaryTemplateLayout.VoiceYesRow,
                    $"The child's-voice answers (B{AuditSummaryTemplateLayout.VoiceYesRow}:B{AuditSummaryTemplateLayout.VoiceNoRow}) add up to {voice:N0}, more than the {cases:N0} cases audited (B{AuditSummaryTemplateLayout.CasesRow}).");
        }

        var findings = new List<string>();
        for (var i = 0; i < AuditSummaryTemplateLayout.MaxFindings; i++)
        {
            var finding = Text(AuditSummaryTemplateLayout.FirstFindingRow + i, AuditSummaryTemplateLayout.MaxFindingLength, $"Key finding {i + 1}");
            if (finding.Length > 0)
                findings.Add(finding);
        }
        // Anything written below the fifth finding would be silently dropped: say so instead.
        var extra = grid.Cells.Keys.Where(k => k.Row >= AuditSummaryTemplateLayout.FirstFindingRow + AuditSummaryTemplateLayout.MaxFindings && !grid.Cells[k].IsEmpty)
            .OrderBy(k => k.Row).ThenBy(k => k.Column).FirstOrDefault();
        if (extra != default)
            errors.Add(new ReturnIssue(sheet, ReturnWorkbookReader.Address(extra.Column, extra.Row), "",
                $"Give at most {AuditSummaryTemplateLayout.MaxFindings} key findings, in B{AuditSummaryTemplateLayout.FirstFindingRow}:B{AuditSummaryTemplateLayout.FirstFindingRow + AuditSummaryTemplateLayout.MaxFindings - 1}; nothing below them is read."));

        if (errors.Count > 0)
            return (null, errors);
        var summary = new AuditSummaryInput(topic, counts[0]!.Value, counts[1]!.Value, counts[2]!.Value, counts[3]!.Value, counts[4]!.Value,
            counts[5]!.Value, counts[6]!.Value, counts[7]!.Value, findings);
        // The command's own rules as a backstop, so the form and the file can never disagree.
        foreach (var e in AuditSummaryCommands.Validate(summary))
            errors.Add(new ReturnIssue(sheet, "", "", e.Message));
        return errors.Count > 0 ? (null, errors) : (summary, errors);
    }

    private static AuditSummaryImportResult Failed(UploadFailure failure) => new(failure.Status, failure.Message, failure.Errors);

    private static AuditSummaryImportResult Invalid(string message, IReadOnlyList<ReturnIssue> errors) => Failed(UploadFailure.Invalid(message, errors));
}
