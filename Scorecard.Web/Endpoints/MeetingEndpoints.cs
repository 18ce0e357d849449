using Microsoft.Net.Http.Headers;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>
/// The meeting pack as files (issue 13 §4): the stored .docx of any version, exactly as issued, and the print-friendly
/// HTML view of the same pack. Roles are checked again in the Data layer (403 through the one exception handler).
/// </summary>
public static class MeetingEndpoints
{
    public static void MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        var meetings = app.MapGroup("/meetings").RequireAuthorization(Policies.Oversight);
        meetings.MapGet("/{meetingId:int}/pack.docx", DownloadPackAsync);
        meetings.MapGet("/{meetingId:int}/pack/{version:int}.docx", DownloadPackAsync);
        meetings.MapGet("/{meetingId:int}/pack/print", PrintViewAsync);
    }

    /// <summary>The stored pack (the latest, or the version asked for), byte for byte as it was generated; 404 when none.</summary>
    private static async Task<IResult> DownloadPackAsync(int meetingId, int? version, HttpContext context, MeetingQueries queries)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var pack = await queries.GetPackAsync(actor, meetingId, version, context.RequestAborted);
        if (pack is null)
            return Results.NotFound();
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.File(pack.Docx, PackDocument.ContentType, pack.FileName);
    }

    /// <summary>The print view: of the stored version asked for (or the latest), or a draft of the pack as it would be now.</summary>
    private static async Task<IResult> PrintViewAsync(int meetingId, int? version, HttpContext context, MeetingQueries queries, MeetingPackService packs)
    {
        var actor = ScorecardClaims.RequireActor(context.User);
        var stored = await queries.GetPackAsync(actor, meetingId, version, context.RequestAborted);
        var model = stored is not null ? PackModel.FromJson(stored.Model) : version is null ? await packs.PreviewAsync(actor, meetingId, context.RequestAborted) : null;
        if (model is null)
            return Results.NotFound();
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.Content(PackHtml.Render(model), "text/html; charset=utf-8");
    }
}
