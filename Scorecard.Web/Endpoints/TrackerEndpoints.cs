using Scorecard.Data.Common;
using Microsoft.Net.Http.Headers;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>The file downloads of the tracker and the return history: plain GETs, so the browser saves them as files.</summary>
public static class TrackerEndpoints
{
    public static void MapTrackerEndpoints(this IEndpointRouteBuilder app)
    {
        var returns = app.MapGroup("/returns").RequireAuthorization(Policies.SignedIn);
        returns.MapGet("/files/{returnId:long}", DownloadOriginalFileAsync);
        returns.MapGet("/tracker/export", ExportChasingListAsync).RequireAuthorization(Policies.Oversight);
    }

    /// <summary>The original file of a return version: 404 when there is none, 403 (from the Data layer) when it is another agency's.</summary>
    private static async Task<IResult> DownloadOriginalFileAsync(long returnId, HttpContext context, ReturnHistoryQueries history)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var file = await history.GetOriginalFileAsync(actor, returnId, context.RequestAborted);
        if (file is null)
            return Results.NotFound();
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        // A stored original is the sender's file: always a download (Results.File with a name answers
        // "Content-Disposition: attachment"), never sniffed into something a browser would render or run.
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.File(file.Bytes, ContentTypeFor(file.FileName), file.FileName);
    }

    private static async Task<IResult> ExportChasingListAsync(int? quarters, string? sector, HttpContext context, TrackerExport export)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var file = await export.BuildChasingListAsync(actor, new SubmissionMatrixRequest(quarters ?? 8, sector), context.RequestAborted);
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }

    private static string ContentTypeFor(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? Excel.ContentType : "application/octet-stream";
}
