using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Assurance.SelfAssessment;

/// <summary>Where things are in the self-assessment workbook. The import reads the same cells back.</summary>
public static class SelfAssessmentWorkbookLayout
{
    public const int CurrentVersion = 1;
    public const string TemplateKind = "self_assessment";
    public const string Sheet = "Self-assessment";
    public const int HeaderRow = 5;
    public const int FirstDataRow = 6;
    public const int CodeColumn = 1;        // A
    public const int TitleColumn = 2;       // B
    public const int GoodColumn = 3;        // C
    public const int ExpectedColumn = 4;    // D
    public const int RatingColumn = 5;      // E
    public const int EvidenceColumn = 6;    // F
    public const int ActionsColumn = 7;     // G
    public const string SignOffNameLabel = "Signed off by (name)";
    public const string SignOffRoleLabel = "Role of the signing lead";
    public const string SignOffDateLabel = "Date signed off";

    /// <summary>Keys of the very hidden details sheet (column A), values in column B.</summary>
    public static readonly IReadOnlyList<string> DetailKeys = ["template_kind", "template_version", "partnership_id", "cycle_id", "agency_id"];

    public static string FileName(string agencyShortName, string cycleName)
    {
        static string Safe(string s) => new string(s.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return $"self-assessment-{Safe(agencyShortName)}-{Safe(cycleName)}.xlsx".Replace("--", "-");
    }

    /// <summary>The rating typed in a cell: "Met", "Partly met", "Not met" (any case), or the stored names.</summary>
    public static bool TryParseRating(string? text, out Rating rating)
    {
        var t = (text ?? "").Trim().ToLowerInvariant().Replace('_', ' ');
        (var ok, rating) = t switch
        {
            "met" or "green" => (true, Rating.Met),
            "partly met" or "partially met" or "amber" => (true, Rating.PartlyMet),
            "not met" or "red" => (true, Rating.NotMet),
            _ => (false, Rating.Met),
        };
        return ok;
    }
}

/// <summary>One standard of an uploaded self-assessment beside what Scorecard holds (the draft, else the current submission).</summary>
public sealed record SelfAssessmentPreviewRow(
    string StandardCode, string StandardTitle, Rating? OldRating, Rating? NewRating, bool EvidenceChanged, bool ActionsChanged)
{
    public bool Changed => OldRating != NewRating || EvidenceChanged || ActionsChanged;
}

/// <summary>The outcome of checking (and perhaps committing) a self-assessment workbook: the same statuses and issue
/// shape as a data return (<see cref="ReturnImportStatus"/>, <see cref="ReturnIssue"/>).</summary>
public sealed record SelfAssessmentImportResult(
    ReturnImportStatus Status, string Message, IReadOnlyList<ReturnIssue> Errors, IReadOnlyList<SelfAssessmentPreviewRow> Rows,
    bool Submitted = false, long? SubmissionId = null)
{
    public bool Succeeded => Status is ReturnImportStatus.Previewed or ReturnImportStatus.Committed or ReturnImportStatus.Unchanged;
}

/// <summary>
/// The self-assessment workbook (issue 11 §3, "Excel in"): generated per agency × cycle and pre-filled with the agency's
/// draft (or current submission), protected except for the rating, evidence, actions and sign-off cells; and its upload,
/// through the returns pipeline's safe path (<see cref="XlsxPackage"/>: bytes identified, zip limits, no DTDs; the
/// shared streaming reader; no formulas), a dry-run preview, and one all-or-nothing transaction that saves the ratings
/// and, when the sign-off is filled in, submits them as a new version — the same end as the on-screen form.
/// </summary>
public sealed class SelfAssessmentWorkbook(NpgsqlDataSource dataSource, ReturnUploadOptions uploadOptions)
{
    private const string WhatItIs = "a Scorecard self-assessment workbook";

    private sealed record Context(
        int CycleId, string CycleName, string FrameworkTitle, DateOnly Deadline, bool Closed, bool InScope,
        string AgencyName, string AgencyShortName);

    private sealed record StandardState(int StandardId, string Code, string Title, string Good, string Expected, Rating? Rating, string Evidence, string Actions);

    /// <summary>Reading options: evidence narratives run to 8,000 characters, longer than a return's commentary.</summary>
    private ReturnUploadOptions ReadOptions => uploadOptions with { MaxCommentaryLength = 8_000 };

    /// <summary>Builds the agency's pre-filled workbook, or null when the cycle or agency is not in the actor's partnership.</summary>
    /// <exception cref="AccessDeniedException">The actor may not self-assess for that agency.</exception>
    public async Task<FileDownload?> BuildAsync(Actor actor, int cycleId, int agencyId, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var context = await LoadContextAsync(conn, null, actor.PartnershipId, cycleId, agencyId, ct);
        if (context is null || !context.InScope)
            return null;
        var standards = await LoadStandardsAsync(conn, null, actor.PartnershipId, cycleId, agencyId, ct);
        var signOff = await conn.QuerySingleOrDefaultAsync<(string? Name, string? Role)?>(new CommandDefinition("""
            select sign_off_name, sign_off_role from self_assessment
            where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status = 'submitted'
            """, new { actor.PartnershipId, cycleId, agencyId }, cancellationToken: ct));

        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add(SelfAssessmentWorkbookLayout.Sheet);
        Excel.Text(ws.Cell(1, 1), $"{context.CycleName}: {context.AgencyName}").Style.Font.SetBold(true).Font.SetFontSize(14);
        Excel.Text(ws.Cell(2, 1), $"{context.FrameworkTitle}. Deadline {context.Deadline:d MMMM yyyy}.");
        Excel.Text(ws.Cell(3, 1), "Rate each standard Met, Partly met or Not met, describe your evidence and your own improvement actions. " +
            "Fill in the sign-off at the bottom to submit; without it the upload is saved as your draft. Upload it under Self-assessment in Scorecard.");
        string[] headers = ["Code", "Standard", "What good looks like", "Evidence expected", "Rating", "Your evidence", "Your improvement actions"];
        for (var c = 0; c < headers.Length; c++)
            Excel.Text(ws.Cell(SelfAssessmentWorkbookLayout.HeaderRow, c + 1), headers[c]).Style.Font.SetBold(true).Fill.SetBackgroundColor(XLColor.FromHtml("#E3ECF5"));
        var row = SelfAssessmentWorkbookLayout.FirstDataRow;
        foreach (var s in standards)
        {
            Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.CodeColumn), s.Code);
            Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.TitleColumn), s.Title);
            Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.GoodColumn), s.Good);
            Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.ExpectedColumn), s.Expected);
            var rating = ws.Cell(row, SelfAssessmentWorkbookLayout.RatingColumn);
            Excel.Text(rating, s.Rating?.Label() ?? "");
            Unlock(rating);
            rating.SetDataValidation().List("\"Met,Partly met,Not met\"", true);
            Unlock(Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.EvidenceColumn), s.Evidence));
            Unlock(Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.ActionsColumn), s.Actions));
            ws.Row(row).Style.Alignment.SetWrapText(true).Alignment.SetVertical(XLAlignmentVerticalValues.Top);
            row++;
        }
        row++;
        foreach (var (label, value) in new[]
                 {
                     (SelfAssessmentWorkbookLayout.SignOffNameLabel, signOff?.Name ?? ""),
                     (SelfAssessmentWorkbookLayout.SignOffRoleLabel, signOff?.Role ?? ""),
                     (SelfAssessmentWorkbookLayout.SignOffDateLabel, ""),
                 })
        {
            Excel.Text(ws.Cell(row, SelfAssessmentWorkbookLayout.CodeColumn), label).Style.Font.SetBold(true);
            var input = ws.Cell(row, SelfAssessmentWorkbookLayout.TitleColumn);
            Excel.Text(input, value);
            Unlock(input);
            input.Style.Fill.SetBackgroundColor(XLColor.FromHtml("#FFF8E1"));
            row++;
        }
        Excel.SetWidths(ws, [10, 40, 50, 40, 14, 60, 45]);
        ws.SheetView.FreezeRows(SelfAssessmentWorkbookLayout.HeaderRow);
        ws.Protect();

        var details = workbook.Worksheets.Add(ReturnTemplateLayout.DetailsSheet);
        object[] values = [SelfAssessmentWorkbookLayout.TemplateKind, SelfAssessmentWorkbookLayout.CurrentVersion, actor.PartnershipId, cycleId, agencyId];
        for (var i = 0; i < values.Length; i++)
        {
            Excel.Text(details.Cell(i + 1, 1), SelfAssessmentWorkbookLayout.DetailKeys[i]);
            if (values[i] is string text)
                Excel.Text(details.Cell(i + 1, 2), text);
            else
                details.Cell(i + 1, 2).SetValue(Convert.ToInt32(values[i], CultureInfo.InvariantCulture));
        }
        details.Protect();
        details.Visibility = XLWorksheetVisibility.VeryHidden;
        return new FileDownload(SelfAssessmentWorkbookLayout.FileName(context.AgencyShortName, context.CycleName), Excel.ToBytes(workbook));
    }

    /// <summary>Checks an uploaded workbook and shows what it would change. Writes nothing.</summary>
    public Task<SelfAssessmentImportResult> PreviewAsync(Actor actor, int cycleId, int agencyId, string fileName, byte[] bytes, CancellationToken ct) =>
        ImportAsync(actor, cycleId, agencyId, fileName, bytes, commit: false, ct);

    /// <summary>Checks an uploaded workbook and, when it has no errors, saves it in one transaction: the ratings into the
    /// agency's draft and, with a complete sign-off, the draft submitted as the new current version.</summary>
    public Task<SelfAssessmentImportResult> CommitAsync(Actor actor, int cycleId, int agencyId, string fileName, byte[] bytes, CancellationToken ct) =>
        ImportAsync(actor, cycleId, agencyId, fileName, bytes, commit: true, ct);

    private async Task<SelfAssessmentImportResult> ImportAsync(Actor actor, int cycleId, int agencyId, string fileName, byte[] bytes, bool commit, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        var options = ReadOptions;
        // The cycle, the agency and the standards are asked for first, so the database answers while the file is read.
        var loading = LoadAsync(actor.PartnershipId, cycleId, agencyId, ct);
        var (grid, refused) = ReadGrid(bytes, options);
        if (grid is null)
        {
            await IgnoreAsync(loading);
            return refused!;
        }
        var (context, standards) = await loading;
        if (context is null)
            return Invalid("That cycle does not exist.", []);
        if (!context.InScope)
            return Invalid($"{context.AgencyName} is not in {context.CycleName}.", []);
        if (context.Closed)
            return Invalid($"{context.CycleName} is closed: self-assessments can no longer change.", []);

        var detailErrors = CheckDetails(grid, actor.PartnershipId, cycleId, agencyId, context);
        if (detailErrors.Count > 0)
            return Invalid(detailErrors[0].Message, detailErrors);

        var parsed = Parse(grid, standards);
        var errors = grid.Issues.Concat(parsed.Errors).Take(options.MaxErrors).ToList();
        if (errors.Count > 0)
            return new SelfAssessmentImportResult(ReturnImportStatus.Invalid,
                errors.Count == 1 ? "The workbook has 1 error to put right." : $"The workbook has {errors.Count} errors to put right.", errors, parsed.Rows);

        var willSubmit = parsed.SignOff is not null;
        var unrated = parsed.Ratings.Count(r => r.Rating is null);
        if (willSubmit && unrated > 0)
            return Invalid($"The sign-off is filled in but {unrated} {(unrated == 1 ? "standard is" : "standards are")} not rated: rate every standard to submit, or clear the sign-off to save a draft.", []);
        var changed = parsed.Rows.Count(r => r.Changed);
        if (!commit)
        {
            var what = willSubmit ? "submit it as your self-assessment, signed off" : "save it as your draft (fill in the sign-off to submit)";
            return new SelfAssessmentImportResult(ReturnImportStatus.Previewed,
                $"{changed} of {parsed.Rows.Count} standards differ from what Scorecard holds. Saving will {what}. Nothing has been saved yet.", [], parsed.Rows);
        }

        var sha = SHA256.HashData(bytes);
        var name = EvidenceFiles.SafeName(fileName);
        name = name.Length <= 200 ? name : name[..200];
        var stored = await StoreAsync(actor, cycleId, agencyId, context, parsed, name, bytes, sha, changed, ct);
        var result = stored is { } submissionId ? Result<long>.Ok(submissionId) : Result<long>.Fail("CycleId", $"{context.CycleName} was closed, or {context.AgencyName} taken out of it, while the workbook was being checked. Nothing was saved.");
        if (!result.Succeeded)
            return Invalid(result.Errors[0].Message, result.Errors.Select(e => new ReturnIssue("", "", "", e.Message)).ToList());
        return new SelfAssessmentImportResult(ReturnImportStatus.Committed,
            willSubmit
                ? $"{context.AgencyName}'s self-assessment for {context.CycleName} was submitted from {name}, signed off by {parsed.SignOff!.Name}."
                : $"{context.AgencyName}'s self-assessment for {context.CycleName} was saved as a draft from {name}. Fill in the sign-off (in the workbook or on screen) to submit it.",
            [], parsed.Rows, willSubmit, result.Value);
    }

    /// <summary>Reads the workbook's sheet through the returns pipeline's safe path; a refusal comes back as the result to give.</summary>
    private static (WorkbookGrid? Grid, SelfAssessmentImportResult? Refused) ReadGrid(byte[] bytes, ReturnUploadOptions options)
    {
        try
        {
            using var package = XlsxPackage.Open(bytes, options);
            return (ReturnWorkbookReader.ReadGrid(package, SelfAssessmentWorkbookLayout.Sheet, WhatItIs, options), null);
        }
        catch (UploadRefusedException e)
        {
            return (null, Refused(e.TooLarge ? ReturnImportStatus.TooLarge : ReturnImportStatus.Refused, e.Message));
        }
        catch (WorkbookCellException e)
        {
            return (null, Invalid(e.Message, [e.Issue]));
        }
        catch (InvalidDataException)
        {
            return (null, Refused(ReturnImportStatus.Refused, "The file is damaged: part of it cannot be unpacked. Download a fresh workbook, fill it in and upload that."));
        }
    }

    /// <summary>One round trip: the cycle and agency, and the standards with the agency's answers.</summary>
    private async Task<(Context? Context, IReadOnlyList<StandardState> Standards)> LoadAsync(int partnershipId, int cycleId, int agencyId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(ContextSql + ";\n" + StandardsSql,
            new { partnershipId, cycleId, agencyId }, cancellationToken: ct));
        var context = await multi.ReadSingleOrDefaultAsync<Context>();
        return (context, (await multi.ReadAsync<StandardState>()).ToList());
    }

    /// <summary>Waits for a load whose answer is no longer needed (the file was refused): the refusal is what the sender
    /// must see, so a failure of the load is not reported instead of it.</summary>
    private static async Task IgnoreAsync(Task load)
    {
        try
        {
            await load;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
        }
    }

    /// <summary>
    /// Saves an uploaded workbook in one transaction and one batch of statements (one round trip, then the commit): the
    /// advisory lock of the agency's draft; the draft, created if there is none (with the current version's evidence files);
    /// every rating upserted from arrays (<c>unnest</c>); with a sign-off, the current version superseded and the draft
    /// submitted; and one change-log entry for the whole import. Returns the submission's id, or null (and nothing is kept)
    /// when the cycle closed or the agency left it since the checks.
    /// </summary>
    private async Task<long?> StoreAsync(Actor actor, int cycleId, int agencyId, Context context, Parsed parsed, string name, byte[] bytes, byte[] sha, int changed, CancellationToken ct)
    {
        var submit = parsed.SignOff is not null;
        var signOff = parsed.SignOff;
        var summary = submit
            ? $"{context.AgencyName}: self-assessment workbook {name} uploaded to {context.CycleName} and submitted, signed off by {signOff!.Name.Trim()} ({signOff.Role.Trim()}); {changed} standards changed"
            : $"{context.AgencyName}: self-assessment workbook {name} uploaded to {context.CycleName} as the draft; {changed} standards changed";
        var after = JsonSerializer.Serialize(new
        {
            cycleId, agencyId, FileName = name, Sha256 = Convert.ToHexStringLower(sha), Submit = submit,
            SignOff = signOff?.Name.Trim(), SignOffRole = signOff?.Role.Trim(), signOff?.Date,
            Ratings = parsed.Ratings.Select(r => new { r.StandardId, Rating = r.Rating.ToDb() }),
        }, LogJson);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var userId = Audits.AuditCommands.UserOrNull(actor);
        bool ok;
        long rated;
        long? id;
        await using (var multi = await conn.QueryMultipleAsync(new CommandDefinition(StoreSql, new
        {
            p = actor.PartnershipId, cycleId, agencyId, userId, userName = actor.DisplayName,
            standards = parsed.Ratings.Select(r => r.StandardId).ToArray(),
            ratings = parsed.Ratings.Select(r => r.Rating.ToDb()).ToArray(),
            evidence = parsed.Ratings.Select(r => (r.Evidence ?? "").Trim()).ToArray(),
            actions = parsed.Ratings.Select(r => (r.Actions ?? "").Trim()).ToArray(),
            name, bytes, sha, submit,
            signName = signOff?.Name.Trim(), signRole = signOff?.Role.Trim(), signDate = signOff?.Date,
            summary, after,
        }, tx, cancellationToken: ct)))
        {
            await multi.ReadAsync<int>();                          // the lock
            ok = await multi.ReadSingleAsync<bool>();              // the cycle is open and the agency in it (draft made if none)
            rated = await multi.ReadSingleAsync<long>();           // ratings written
            await multi.ReadSingleAsync<long>();                   // versions superseded
            id = await multi.ReadSingleOrDefaultAsync<long?>();    // the draft, saved (and submitted), logged
        }
        if (!ok || id is null || rated != parsed.Ratings.Count)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
        if (BeforeCommit is { } hook)
            await hook(conn, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Test hook: runs inside the store's transaction after every statement and before it commits.</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    private static readonly System.Text.Json.JsonSerializerOptions LogJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private const string StoreSql = """
        select 1 from (select pg_advisory_xact_lock(hashtext(concat_ws(':', 'self_assessment', @p, @cycleId, @agencyId)))) l;

        with cyc as (
            select c.framework_id from assessment_cycle c
            where c.partnership_id = @p and c.id = @cycleId and c.closed_at is null
              and exists (select 1 from cycle_agency ca where ca.partnership_id = c.partnership_id and ca.cycle_id = c.id and ca.agency_id = @agencyId)
        ), cur as (
            select id from self_assessment where partnership_id = @p and cycle_id = @cycleId and agency_id = @agencyId and status = 'submitted'
        ), made as (
            insert into self_assessment (partnership_id, cycle_id, framework_id, agency_id, version, status, updated_by)
            select @p, @cycleId, cyc.framework_id, @agencyId,
                   (select coalesce(max(version), 0) + 1 from self_assessment where partnership_id = @p and cycle_id = @cycleId and agency_id = @agencyId),
                   'draft', @userId
            from cyc
            where not exists (select 1 from self_assessment where partnership_id = @p and cycle_id = @cycleId and agency_id = @agencyId and status = 'draft')
            returning id
        ), files as (
            insert into evidence_file (partnership_id, submission_id, standard_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by, uploaded_at)
            select ef.partnership_id, made.id, ef.standard_id, ef.file_name, ef.content_type, ef.size_bytes, ef.sha256, ef.bytes, ef.uploaded_by, ef.uploaded_at
            from made join evidence_file ef on ef.partnership_id = @p and ef.submission_id = (select id from cur)
            returning 1
        )
        select exists (select 1 from cyc) and (select count(*) from files) >= 0;

        with up as (
            insert into self_assessment_rating (partnership_id, submission_id, framework_id, standard_id, rating, evidence, actions)
            select @p, d.id, d.framework_id, t.standard_id, t.rating, t.evidence, t.actions
            from self_assessment d
            cross join unnest(@standards, @ratings, @evidence, @actions) as t(standard_id, rating, evidence, actions)
            where d.partnership_id = @p and d.cycle_id = @cycleId and d.agency_id = @agencyId and d.status = 'draft'
            on conflict (partnership_id, submission_id, standard_id)
            do update set rating = excluded.rating, evidence = excluded.evidence, actions = excluded.actions
            returning 1
        )
        select count(*) from up;

        with gone as (
            update self_assessment set status = 'superseded'
            where partnership_id = @p and cycle_id = @cycleId and agency_id = @agencyId and status = 'submitted' and @submit
            returning 1
        )
        select count(*) from gone;

        with saved as (
            update self_assessment
            set source = 'upload', file_name = @name, file_bytes = @bytes, file_sha256 = @sha, updated_by = @userId, updated_at = now(),
                status = case when @submit then 'submitted' else status end,
                sign_off_name = case when @submit then @signName else sign_off_name end,
                sign_off_role = case when @submit then @signRole else sign_off_role end,
                signed_off_on = case when @submit then @signDate::date else signed_off_on end,
                submitted_by = case when @submit then @userId else submitted_by end,
                submitted_at = case when @submit then now() else submitted_at end
            where partnership_id = @p and cycle_id = @cycleId and agency_id = @agencyId and status = 'draft'
            returning id
        ), logged as (
            insert into change_log (partnership_id, user_id, user_name, entity, entity_id, action, summary, before, after)
            select @p, @userId, @userName, 'self_assessment', saved.id::text, 'import', @summary, null, @after::jsonb from saved
            returning 1
        )
        select id from saved where (select count(*) from logged) = 1;
        """;

    private static List<ReturnIssue> CheckDetails(WorkbookGrid grid, int partnershipId, int cycleId, int agencyId, Context context)
    {
        const string sheet = ReturnTemplateLayout.DetailsSheet;
        if (grid.Details is not { } d || !SelfAssessmentWorkbookLayout.DetailKeys.All(d.ContainsKey)
            || d["template_kind"].Text?.Trim() != SelfAssessmentWorkbookLayout.TemplateKind)
            return [new ReturnIssue("", "", "", "This workbook is not a Scorecard self-assessment workbook (it does not say which cycle and agency it is for). " +
                "Download your self-assessment workbook from Scorecard, copy your answers into it and upload that.")];
        int? Detail(string key) => d[key] is { Kind: CellKind.Number, Number: { } n } && n == decimal.Truncate(n) && n is >= int.MinValue and <= int.MaxValue ? (int)n : null;
        var errors = new List<ReturnIssue>();
        if (Detail("template_version") != SelfAssessmentWorkbookLayout.CurrentVersion)
            errors.Add(new ReturnIssue(sheet, d["template_version"].Address, "", "This workbook's version is no longer accepted. Download a fresh workbook, copy your answers in and upload that."));
        else if (Detail("partnership_id") != partnershipId)
            errors.Add(new ReturnIssue(sheet, d["partnership_id"].Address, "", "This workbook belongs to another partnership. Download your own partnership's workbook from Scorecard."));
        else if (Detail("agency_id") != agencyId)
            errors.Add(new ReturnIssue(sheet, d["agency_id"].Address, "", $"This workbook was made for another agency, not {context.AgencyName}. Download {context.AgencyName}'s workbook and upload that."));
        else if (Detail("cycle_id") != cycleId)
            errors.Add(new ReturnIssue(sheet, d["cycle_id"].Address, "", $"This workbook is for a different cycle, not {context.CycleName}. Download the workbook for {context.CycleName}."));
        return errors;
    }

    private sealed record Parsed(IReadOnlyList<RatingInput> Ratings, IReadOnlyList<SelfAssessmentPreviewRow> Rows, SignOff? SignOff, IReadOnlyList<ReturnIssue> Errors);

    private static Parsed Parse(WorkbookGrid grid, IReadOnlyList<StandardState> standards)
    {
        const string sheet = SelfAssessmentWorkbookLayout.Sheet;
        var errors = new List<ReturnIssue>();
        var byCode = standards.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ratings = new List<RatingInput>();
        var rows = new List<SelfAssessmentPreviewRow>();
        string? signName = null, signRole = null;
        DateOnly? signDate = null;
        string? dateAddress = null;
        CellValue? At(int row, int column) => grid.Cells.TryGetValue((row, column), out var c) ? c : null;
        string TextAt(int row, int column, int max, string label)
        {
            if (At(row, column) is not { } cell)
                return "";
            if (cell.Truncated || (cell.Text ?? "").Length > max)
            {
                errors.Add(new ReturnIssue(sheet, cell.Address, "", $"{label} is {cell.TextLength:N0} characters; at most {max:N0} are accepted."));
                return "";
            }
            return cell.Kind == CellKind.Number ? cell.Number?.ToString(CultureInfo.InvariantCulture) ?? "" : (cell.Text ?? "").Trim();
        }

        var lastRow = grid.Cells.Keys.Select(k => k.Row).DefaultIfEmpty(0).Max();
        for (var row = SelfAssessmentWorkbookLayout.FirstDataRow; row <= lastRow; row++)
        {
            var codeText = TextAt(row, SelfAssessmentWorkbookLayout.CodeColumn, 200, "The code");
            if (codeText.Length == 0)
                continue;
            switch (codeText)
            {
                case SelfAssessmentWorkbookLayout.SignOffNameLabel:
                    signName = TextAt(row, SelfAssessmentWorkbookLayout.TitleColumn, 120, "The signing lead's name");
                    continue;
                case SelfAssessmentWorkbookLayout.SignOffRoleLabel:
                    signRole = TextAt(row, SelfAssessmentWorkbookLayout.TitleColumn, 120, "The signing lead's role");
                    continue;
                case SelfAssessmentWorkbookLayout.SignOffDateLabel:
                    if (At(row, SelfAssessmentWorkbookLayout.TitleColumn) is { } dateCell)
                    {
                        dateAddress = dateCell.Address;
                        signDate = ParseDate(dateCell);
                        if (signDate is null)
                            errors.Add(new ReturnIssue(sheet, dateCell.Address, "", "The sign-off date is not a date: type it as dd/mm/yyyy."));
                    }
                    continue;
            }
            if (!byCode.TryGetValue(codeText, out var standard))
            {
                errors.Add(new ReturnIssue(sheet, ReturnWorkbookReader.Address(SelfAssessmentWorkbookLayout.CodeColumn, row), SenderText.Excerpt(codeText, 20),
                    $"\"{SenderText.Excerpt(codeText, 20)}\" is not a standard of this framework. Do not change the codes in column A."));
                continue;
            }
            if (!seen.Add(standard.Code))
            {
                errors.Add(new ReturnIssue(sheet, ReturnWorkbookReader.Address(SelfAssessmentWorkbookLayout.CodeColumn, row), standard.Code, $"Standard {standard.Code} appears twice."));
                continue;
            }
            var ratingText = TextAt(row, SelfAssessmentWorkbookLayout.RatingColumn, 40, "The rating");
            Rating? rating = null;
            if (ratingText.Length > 0)
            {
                if (SelfAssessmentWorkbookLayout.TryParseRating(ratingText, out var r))
                    rating = r;
                else
                    errors.Add(new ReturnIssue(sheet, ReturnWorkbookReader.Address(SelfAssessmentWorkbookLayout.RatingColumn, row), standard.Code,
                        $"\"{SenderText.Excerpt(ratingText, 20)}\" is not a rating: choose Met, Partly met or Not met."));
            }
            var evidence = TextAt(row, SelfAssessmentWorkbookLayout.EvidenceColumn, 8000, $"The evidence for {standard.Code}");
            var actions = TextAt(row, SelfAssessmentWorkbookLayout.ActionsColumn, 4000, $"The improvement actions for {standard.Code}");
            ratings.Add(new RatingInput(standard.StandardId, rating, evidence, actions));
            rows.Add(new SelfAssessmentPreviewRow(standard.Code, standard.Title, standard.Rating, rating, evidence != standard.Evidence, actions != standard.Actions));
        }
        foreach (var missing in standards.Where(s => !seen.Contains(s.Code)))
            errors.Add(new ReturnIssue(sheet, "", missing.Code, $"Standard {missing.Code} is missing from the workbook. Download a fresh workbook rather than deleting rows."));

        SignOff? signOff = null;
        var anySign = !string.IsNullOrWhiteSpace(signName) || !string.IsNullOrWhiteSpace(signRole) || signDate is not null;
        if (anySign)
        {
            if (string.IsNullOrWhiteSpace(signName) || signName.Length < 2)
                errors.Add(new ReturnIssue(sheet, "", "", "The sign-off needs the signing lead's name (or clear the sign-off to save a draft)."));
            if (string.IsNullOrWhiteSpace(signRole) || signRole.Length < 2)
                errors.Add(new ReturnIssue(sheet, "", "", "The sign-off needs the signing lead's role (or clear the sign-off to save a draft)."));
            if (signDate is null && dateAddress is null)
                errors.Add(new ReturnIssue(sheet, "", "", "The sign-off needs the date it was signed off (or clear the sign-off to save a draft)."));
            if (errors.Count == 0)
                signOff = new SignOff(signName!, signRole!, signDate!.Value);
        }
        return new Parsed(ratings, rows, signOff, errors);
    }

    private static DateOnly? ParseDate(CellValue cell)
    {
        if (cell.Kind == CellKind.Number && cell.Number is { } n && n is > 0 and < 2958466)
            return DateOnly.FromDateTime(DateTime.FromOADate((double)n));
        if (cell.Kind == CellKind.Text && DateOnly.TryParseExact((cell.Text ?? "").Trim(), ["d/M/yyyy", "dd/MM/yyyy", "yyyy-MM-dd", "d MMMM yyyy", "d MMM yyyy"],
                CultureInfo.GetCultureInfo("en-GB"), DateTimeStyles.None, out var d))
            return d;
        return null;
    }

    private const string ContextSql = """
        select c.id as cycle_id, c.name as cycle_name, f.title as framework_title, c.deadline, c.closed_at is not null as closed,
               exists (select 1 from cycle_agency ca where ca.partnership_id = c.partnership_id and ca.cycle_id = c.id and ca.agency_id = @agencyId) as in_scope,
               ag.name as agency_name, ag.short_name as agency_short_name
        from assessment_cycle c
        join framework f on f.partnership_id = c.partnership_id and f.id = c.framework_id
        join agency ag on ag.partnership_id = c.partnership_id and ag.id = @agencyId
        where c.partnership_id = @partnershipId and c.id = @cycleId
        """;

    /// <summary>The framework's standards with the agency's answers: from its draft if it has one, else its current submission.</summary>
    private const string StandardsSql = """
        select st.id as standard_id, st.code, st.title, st.what_good_looks_like as good, st.evidence_expected as expected,
               r.rating, coalesce(r.evidence, '') as evidence, coalesce(r.actions, '') as actions
        from assessment_cycle c
        join framework_standard st on st.partnership_id = c.partnership_id and st.framework_id = c.framework_id
        left join lateral (select s.id from self_assessment s
                           where s.partnership_id = c.partnership_id and s.cycle_id = c.id and s.agency_id = @agencyId and s.status in ('draft', 'submitted')
                           order by (s.status = 'draft') desc limit 1) cur on true
        left join self_assessment_rating r on r.partnership_id = st.partnership_id and r.submission_id = cur.id and r.standard_id = st.id
        where c.partnership_id = @partnershipId and c.id = @cycleId
        order by st.position
        """;

    private static async Task<Context?> LoadContextAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, int cycleId, int agencyId, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<Context>(new CommandDefinition(ContextSql, new { partnershipId, cycleId, agencyId }, tx, cancellationToken: ct));

    private static async Task<IReadOnlyList<StandardState>> LoadStandardsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, int cycleId, int agencyId, CancellationToken ct) =>
        (await conn.QueryAsync<StandardState>(new CommandDefinition(StandardsSql, new { partnershipId, cycleId, agencyId }, tx, cancellationToken: ct))).ToList();

    private static void Unlock(IXLCell cell) => cell.Style.Protection.SetLocked(false);

    private static SelfAssessmentImportResult Refused(ReturnImportStatus status, string message) =>
        new(status, message, [new ReturnIssue("", "", "", message)], []);

    private static SelfAssessmentImportResult Invalid(string message, IReadOnlyList<ReturnIssue> errors) =>
        new(ReturnImportStatus.Invalid, message, errors.Count > 0 ? errors : [new ReturnIssue("", "", "", message)], []);
}
