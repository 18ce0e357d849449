using Microsoft.Net.Http.Headers;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>
/// The file downloads of audits and self-assessments (issue 11): evidence files, Excel exports and the self-assessment
/// workbook. Plain GETs so the browser saves them as files. Who may have what is decided in the Data layer (an agency
/// user asking for another agency's file or workbook gets 403 through <see cref="ScorecardExceptionHandler"/>).
/// </summary>
public static class AssuranceEndpoints
{
    public static void MapAssuranceEndpoints(this IEndpointRouteBuilder app)
    {
        var assurance = app.MapGroup("/assurance").RequireAuthorization(Policies.SignedIn);
        assurance.MapGet("/evidence/{fileId:long}", DownloadEvidenceAsync);
        assurance.MapGet("/audits/{auditId:int}/export", ExportAuditAsync);
        assurance.MapGet("/cycles/{cycleId:int}/heat-map/export", ExportHeatMapAsync).RequireAuthorization(Policies.Oversight);
        assurance.MapGet("/cycles/{cycleId:int}/submissions/export", ExportSubmissionsAsync);
        assurance.MapGet("/cycles/{cycleId:int}/workbook", DownloadWorkbookAsync);
        assurance.MapGet("/audit-summaries/template", DownloadAuditSummaryTemplateAsync).RequireAuthorization(Policies.ReturnSenders);
    }

    /// <summary>GET /assurance/audit-summaries/template?agency={id}&amp;period={id}: the single-agency audit summary template
    /// (the returns pipeline's second template kind), pre-filled with the current version; an agency user's own agency
    /// only (else 403 from the Data layer), an admin's any.</summary>
    private static async Task<IResult> DownloadAuditSummaryTemplateAsync(int? agency, int? period, HttpContext http, AuditSummaryReturnService summaries, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        if ((agency ?? actor.AgencyId) is not { } agencyId || period is not { } periodId)
            return Results.Problem("Say which agency and quarter: /assurance/audit-summaries/template?agency={id}&period={id}.", statusCode: StatusCodes.Status400BadRequest);
        return Download(http, await summaries.BuildTemplateAsync(actor, agencyId, periodId, ct));
    }

    /// <summary>
    /// GET /assurance/evidence/{id}: served only to the agency, QA members, admins and executives (the Data layer checks),
    /// always as an attachment, with <c>nosniff</c> (and the product's strict content security policy), under the content type
    /// identified from the bytes when it was stored (never HTML or script). A PDF that carries JavaScript is therefore
    /// saved, never rendered in the product's origin.
    /// </summary>
    private static async Task<IResult> DownloadEvidenceAsync(long fileId, HttpContext http, SelfAssessmentQueries queries, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var file = await queries.EvidenceFileAsync(actor, fileId, ct);
        if (file is null)
            return Results.NotFound();
        NoStore(http);
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.File(file.Bytes, SafeContentType(file.ContentType), EvidenceFiles.SafeName(file.FileName));
    }

    /// <summary>The stored type when it is one of the five evidence types, else a plain download.</summary>
    internal static string SafeContentType(string stored) => stored is EvidenceFiles.Pdf or EvidenceFiles.Docx or EvidenceFiles.Xlsx or EvidenceFiles.Png or EvidenceFiles.Jpeg
        ? stored
        : "application/octet-stream";

    private static async Task<IResult> ExportAuditAsync(int auditId, HttpContext http, AssuranceExports exports, CancellationToken ct) =>
        Download(http, await exports.AuditAsync(ScorecardClaims.RequireActor(http.User), auditId, ct));

    private static async Task<IResult> ExportHeatMapAsync(int cycleId, HttpContext http, AssuranceExports exports, CancellationToken ct) =>
        Download(http, await exports.HeatMapAsync(ScorecardClaims.RequireActor(http.User), cycleId, ct));

    private static async Task<IResult> ExportSubmissionsAsync(int cycleId, HttpContext http, AssuranceExports exports, CancellationToken ct) =>
        Download(http, await exports.SubmissionsAsync(ScorecardClaims.RequireActor(http.User), cycleId, ct));

    /// <summary>GET /assurance/cycles/{id}/workbook?agency={id}: the agency's pre-filled self-assessment workbook (its own
    /// agency for an agency user, who may leave out <c>agency</c>; any agency in the cycle for admins and QA members).</summary>
    private static async Task<IResult> DownloadWorkbookAsync(int cycleId, int? agency, HttpContext http, SelfAssessmentWorkbook workbooks, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        if ((agency ?? actor.AgencyId) is not { } agencyId)
            return Results.Problem("Say which agency: /assurance/cycles/{id}/workbook?agency={id}.", statusCode: StatusCodes.Status400BadRequest);
        return Download(http, await workbooks.BuildAsync(actor, cycleId, agencyId, ct));
    }

    private static IResult Download(HttpContext http, FileDownload? file)
    {
        if (file is null)
            return Results.NotFound();
        NoStore(http);
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
}
