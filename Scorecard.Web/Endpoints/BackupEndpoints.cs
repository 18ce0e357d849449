using Microsoft.Net.Http.Headers;
using Scorecard.Data.Accounts;
using Scorecard.Data.Backup;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>Issue 15's download: the whole partnership as one archive (administrators only).</summary>
public static class BackupEndpoints
{
    public static void MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/backups").RequireAuthorization(p => p.RequireRole(Roles.Admin));
        group.MapGet("/partnership-archive", ExportPartnershipAsync);
    }

    /// <summary>
    /// Builds the archive in a temporary file (the zip writer is synchronous, and a half-sent archive must not look whole),
    /// then sends it; the file is deleted when the response is done.
    /// </summary>
    private static async Task<IResult> ExportPartnershipAsync(HttpContext context, PartnershipArchive archive, TimeProvider clock)
    {
        if (ScorecardClaims.ToActor(context.User) is not { } actor)
            return Results.Unauthorized();
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var manifest = await archive.ExportAsync(actor, temp, context.RequestAborted);
            temp.Position = 0;
            context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
            return Results.File(temp, "application/zip", $"partnership-{manifest.PartnershipCode}-{clock.GetUtcNow():yyyyMMdd-HHmm}.zip");
        }
        catch
        {
            await temp.DisposeAsync();
            throw;
        }
    }
}
