using Scorecard.Data.Common;
using Microsoft.Net.Http.Headers;
using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>The file downloads of the tracker and the return history: plain GETs, so the browser saves them as files.</summary>
public static class TrackerEndpoints
{
    public static void MapTrackerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/returns/files/{returnId:long}", DownloadOriginalFileAsync).RequireAuthorization();
        app.MapGet("/returns/tracker/export", ExportChasingListAsync)
            .RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.QaMember, Roles.Executive));
    }

    /// <summary>The original file of a return version: 404 when there is none, 403 when it is another agency's.</summary>
    private static async Task<IResult> DownloadOriginalFileAsync(long returnId, HttpContext context, ReturnHistoryQueries history, ILoggerFactory loggers)
    {
        if (ScorecardClaims.ToActor(context.User) is not { } actor)
            return Results.Unauthorized();
        try
        {
            var file = await history.GetOriginalFileAsync(actor, returnId, context.RequestAborted);
            if (file is null)
                return Results.NotFound();
            context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
            // A stored original is the sender's file: always a download (Results.File with a name answers
            // "Content-Disposition: attachment"), never sniffed into something a browser would render or run.
            context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return Results.File(file.Bytes, ContentTypeFor(file.FileName), file.FileName);
        }
        catch (AccessDeniedException e)
        {
            loggers.CreateLogger(typeof(TrackerEndpoints)).LogWarning("Refused return file {ReturnId}: {Reason}", returnId, e.Message);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    private static async Task<IResult> ExportChasingListAsync(int? quarters, string? sector, HttpContext context, TrackerExport export)
    {
        if (ScorecardClaims.ToActor(context.User) is not { } actor)
            return Results.Unauthorized();
        var file = await export.BuildChasingListAsync(actor, new SubmissionMatrixRequest(quarters ?? 8, sector), context.RequestAborted);
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }

    private static string ContentTypeFor(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? Excel.ContentType : "application/octet-stream";
}
