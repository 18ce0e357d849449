using Scorecard.Data.Catalog;
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
        // The sector's word, as the tracker's links have always said it (sector=health); empty for every sector.
        Sector? chosen = null;
        if (!string.IsNullOrWhiteSpace(sector) && (chosen = Sectors.Parse(sector)) is null)
            return Results.Problem($"There is no sector \"{(sector.Length > 40 ? sector[..40] + "…" : sector)}\". Use one of: {string.Join(", ", Sectors.All)}, or leave it empty for every sector.",
                statusCode: StatusCodes.Status400BadRequest);
        var file = await export.BuildChasingListAsync(actor, new SubmissionMatrixRequest(quarters ?? 8, chosen), context.RequestAborted);
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.File(file.Bytes, Excel.ContentType, file.FileName);
    }

    private static string ContentTypeFor(string fileName) =>
        fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? Excel.ContentType : "application/octet-stream";
}
