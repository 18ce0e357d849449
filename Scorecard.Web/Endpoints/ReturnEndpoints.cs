using Scorecard.Data.Common;
using Microsoft.AspNetCore.Http.Features;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>The template download (signed-in users) and the import API (per-agency bearer tokens).</summary>
public static class ReturnEndpoints
{

    public static void MapReturnEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/returns/template", DownloadTemplateAsync).RequireAuthorization();
        app.MapPost("/api/returns", ImportAsync).AllowAnonymous().DisableAntiforgery();
    }

    /// <summary>GET /returns/template?agency={id}&amp;period={id}: an agency user for their own agency, an admin for any.</summary>
    private static async Task<IResult> DownloadTemplateAsync(HttpContext http, ReturnTemplateService templates, int? agency, int? period)
    {
        if (ScorecardClaims.ToActor(http.User) is not { } actor)
            return Results.Unauthorized();
        var agencyId = agency ?? actor.AgencyId;
        if (agencyId is null || period is null)
            return Results.BadRequest(new { message = "Say which agency and quarter: /returns/template?agency={id}&period={id}." });
        try
        {
            var file = await templates.BuildTemplateAsync(actor, agencyId.Value, period.Value, http.RequestAborted);
            return file is null ? Results.NotFound() : Results.File(file.Bytes, Excel.ContentType, file.FileName);
        }
        catch (AccessDeniedException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    /// <summary>
    /// POST /api/returns?period={id}[&amp;agency={id}][&amp;dryRun=true][&amp;fileName=…] with <c>Authorization: Bearer sc_…</c>.
    /// The body is the .xlsx itself, or a multipart form with one file. The same checks and transaction as the upload page.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, ApiTokenService tokens, ReturnImportService imports,
        int? period, int? agency, bool? dryRun, string? fileName)
    {
        var ct = http.RequestAborted;
        var authorization = http.Request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        if (await tokens.AuthenticateAsync(bearer, ct) is not { } identity)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Json(new { status = "unauthorized", message = "Send a valid, unrevoked API token as \"Authorization: Bearer <token>\"." },
                statusCode: StatusCodes.Status401Unauthorized);
        }
        if (period is null)
            return Results.Json(new { status = "bad_request", message = "Say which quarter the return is for: ?period={id}." }, statusCode: StatusCodes.Status400BadRequest);

        var (stream, name) = await OpenBodyAsync(http, ct);
        if (stream is null)
            return Results.Json(new { status = "bad_request", message = "Send the .xlsx as the request body, or as the one file of a multipart form." },
                statusCode: StatusCodes.Status400BadRequest);
        if (http.Request.ContentLength is { } declared && declared > imports.Options.MaxFileBytes + 64 * 1024)
            return Respond(imports.TooLarge(declared));
        var bytes = await imports.ReadLimitedAsync(stream, ct);
        if (bytes is null)
            return Respond(imports.TooLarge(http.Request.ContentLength));

        var actor = identity.ToActor();
        var upload = new ReturnUpload(agency ?? identity.AgencyId, period.Value, fileName ?? name ?? "api-upload.xlsx", bytes, ApiTokenId: identity.TokenId);
        try
        {
            var result = dryRun == true
                ? await imports.PreviewAsync(actor, upload, ct)
                : await imports.CommitAsync(actor, upload, ct);
            return Respond(result);
        }
        catch (AccessDeniedException)
        {
            return Results.Json(new { status = "forbidden", message = "This token may send returns only for its own agency." }, statusCode: StatusCodes.Status403Forbidden);
        }
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
        var body = new
        {
            status = result.Status switch
            {
                ReturnImportStatus.TooLarge => "too_large",
                ReturnImportStatus.Refused => "refused",
                ReturnImportStatus.Invalid => "invalid",
                ReturnImportStatus.Previewed => "valid",
                ReturnImportStatus.Committed => "committed",
                _ => "unchanged",
            },
            message = result.Message,
            version = result.Version,
            returnId = result.ReturnId,
            errorCount = result.ErrorCount,
            errors = result.Errors.Select(e => new { sheet = e.Sheet, cell = e.Cell, measureCode = e.MeasureCode, message = e.Message }),
            warnings = result.Rows.Where(r => r.NeedsCommentary).Select(r => new { measureCode = r.MeasureCode, warnings = r.Warnings, commentary = r.Commentary }),
            rows = result.Rows.Select(r => new { measureCode = r.MeasureCode, numerator = r.Numerator, denominator = r.Denominator, oldValue = r.OldValue, newValue = r.NewValue }),
        };
        return Results.Json(body, statusCode: status);
    }
}
