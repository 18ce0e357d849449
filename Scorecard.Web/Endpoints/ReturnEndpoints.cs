using Scorecard.Data.Common;
using Microsoft.AspNetCore.Http.Features;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>
/// The template download (signed-in users) and the import API (per-agency bearer tokens through
/// <see cref="ApiTokenAuthenticationHandler"/>). The API answers problem details (RFC 9457) for every refusal.
/// </summary>
public static class ReturnEndpoints
{
    public static void MapReturnEndpoints(this IEndpointRouteBuilder app)
    {
        var returns = app.MapGroup("/returns").RequireAuthorization(Policies.SignedIn);
        returns.MapGet("/template", DownloadTemplateAsync);

        var api = app.MapGroup("/api/returns").RequireAuthorization(Policies.ApiAgency).DisableAntiforgery();
        api.MapPost("", ImportAsync);
    }

    /// <summary>GET /returns/template?agency={id}&amp;period={id}: an agency user for their own agency (else 403), an admin for any.</summary>
    private static async Task<IResult> DownloadTemplateAsync(HttpContext http, ReturnTemplateService templates, int? agency, int? period)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var agencyId = agency ?? actor.AgencyId;
        if (agencyId is null || period is null)
            return Results.Problem("Say which agency and quarter: /returns/template?agency={id}&period={id}.", statusCode: StatusCodes.Status400BadRequest);
        var file = await templates.BuildTemplateAsync(actor, agencyId.Value, period.Value, http.RequestAborted);
        return file is null ? Results.NotFound() : Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }

    /// <summary>
    /// POST /api/returns?period={id}[&amp;agency={id}][&amp;dryRun=true][&amp;fileName=…] with <c>Authorization: Bearer sc_…</c>.
    /// The body is the .xlsx itself, or a multipart form with one file. The same checks and transaction as the upload page.
    /// Another agency than the token's is refused by the import service (403 through <see cref="ScorecardExceptionHandler"/>).
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, ReturnImportService imports,
        int? period, int? agency, bool? dryRun, string? fileName)
    {
        var ct = http.RequestAborted;
        var identity = ApiTokenClaims.ToIdentity(http.User) ?? throw new AccessDeniedException("This request carries no API token.");
        if (period is null)
            return ApiProblems.Result(StatusCodes.Status400BadRequest, "bad_request", "Say which quarter the return is for: ?period={id}.");

        var (stream, name) = await OpenBodyAsync(http, ct);
        if (stream is null)
            return ApiProblems.Result(StatusCodes.Status400BadRequest, "bad_request", "Send the .xlsx as the request body, or as the one file of a multipart form.");
        if (http.Request.ContentLength is { } declared && declared > imports.Options.MaxFileBytes + 64 * 1024)
            return Respond(imports.TooLarge(declared));
        var bytes = await imports.ReadLimitedAsync(stream, ct);
        if (bytes is null)
            return Respond(imports.TooLarge(http.Request.ContentLength));

        var actor = identity.ToActor();
        var upload = new ReturnUpload(agency ?? identity.AgencyId, period.Value, fileName ?? name ?? "api-upload.xlsx", bytes, ApiTokenId: identity.TokenId);
        var result = dryRun == true
            ? await imports.PreviewAsync(actor, upload, ct)
            : await imports.CommitAsync(actor, upload, ct);
        return Respond(result);
    }

    private static async Task<(Stream? Stream, string? Name)> OpenBodyAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            return form.Files.Count == 1 ? (form.Files[0].OpenReadStream(), form.Files[0].FileName) : (null, null);
        }
        // Let an oversized raw body reach the size check (which answers 413 with a message) rather than Kestrel's limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        return (http.Request.Body, null);
    }

    /// <summary>A success is the import's JSON (<c>status</c> committed, valid or unchanged); a refusal is problem details
    /// carrying the same members (<c>code</c> too_large, refused or invalid, <c>errors</c>, <c>warnings</c>, <c>rows</c>).</summary>
    private static IResult Respond(ReturnImportResult result)
    {
        var status = result.Status switch
        {
            ReturnImportStatus.Committed => StatusCodes.Status201Created,
            ReturnImportStatus.Previewed or ReturnImportStatus.Unchanged => StatusCodes.Status200OK,
            ReturnImportStatus.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ReturnImportStatus.Refused => StatusCodes.Status415UnsupportedMediaType,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        var code = result.Status switch
        {
            ReturnImportStatus.TooLarge => "too_large",
            ReturnImportStatus.Refused => "refused",
            ReturnImportStatus.Invalid => "invalid",
            ReturnImportStatus.Previewed => "valid",
            ReturnImportStatus.Committed => "committed",
            _ => "unchanged",
        };
        var details = new Dictionary<string, object?>
        {
            ["version"] = result.Version,
            ["returnId"] = result.ReturnId,
            ["errorCount"] = result.ErrorCount,
            ["errors"] = result.Errors.Select(e => new { sheet = e.Sheet, cell = e.Cell, measureCode = e.MeasureCode, message = e.Message }),
            ["warnings"] = result.Rows.Where(r => r.NeedsCommentary).Select(r => new { measureCode = r.MeasureCode, warnings = r.Warnings, commentary = r.Commentary }),
            ["rows"] = result.Rows.Select(r => new { measureCode = r.MeasureCode, numerator = r.Numerator, denominator = r.Denominator, oldValue = r.OldValue, newValue = r.NewValue }),
        };
        if (status >= 400)
            return ApiProblems.Result(status, code, result.Message, details);
        var body = new Dictionary<string, object?> { ["status"] = code, ["message"] = result.Message };
        foreach (var (key, value) in details)
            body[key] = value;
        return Results.Json(body, statusCode: status);
    }
}
