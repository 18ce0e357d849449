using Microsoft.Net.Http.Headers;
using Scorecard.Data.Common;
using Scorecard.Data.Improvement;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>The loop's file downloads (issue 13 §1–3): Excel exports of actions, the risk register and the challenge log,
/// and action evidence files. Plain GETs, so the browser saves them; scope and role checked in the Data layer.</summary>
public static class ImprovementEndpoints
{
    public static void MapImprovementEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/improvement").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/actions/export", ExportActionsAsync);
        group.MapGet("/risks/export", ExportRisksAsync).RequireAuthorization(Policies.Oversight);
        group.MapGet("/challenges/export", ExportChallengesAsync);
        group.MapGet("/evidence/{fileId:long}", DownloadEvidenceAsync);
    }

    private static async Task<IResult> ExportActionsAsync(string? source, int? agency, string? status, bool? overdue, HttpContext context, ImprovementExport export)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var filter = new ActionFilter(DbEnum.TryParse<SourceKind>(source, out var k) ? k : null, null, agency,
            DbEnum.TryParse<ActionStatus>(status, out var s) ? s : null, overdue ?? false);
        return File(context, await export.ActionsAsync(actor, filter, context.RequestAborted));
    }

    private static async Task<IResult> ExportRisksAsync(HttpContext context, ImprovementExport export) =>
        File(context, await export.RisksAsync(ScorecardClaims.RequireActor(context.User), context.RequestAborted));

    private static async Task<IResult> ExportChallengesAsync(string? status, int? agency, bool? overdue, HttpContext context, ImprovementExport export)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var filter = new ChallengeFilter(DbEnum.TryParse<ChallengeStatus>(status, out var s) ? s : null, agency, OverdueOnly: overdue ?? false);
        return File(context, await export.ChallengesAsync(actor, filter, context.RequestAborted));
    }

    /// <summary>An evidence file: 404 when none, 403 (from the Data layer) when another agency's; always an attachment, never sniffed.</summary>
    private static async Task<IResult> DownloadEvidenceAsync(long fileId, HttpContext context, ActionQueries queries)
    {
        var file = await queries.EvidenceFileAsync(ScorecardClaims.RequireActor(context.User), fileId, context.RequestAborted);
        if (file is null)
            return Results.NotFound();
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.File(file.Bytes, file.ContentType, file.FileName);
    }

    private static IResult File(HttpContext context, FileDownload file)
    {
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }
}
