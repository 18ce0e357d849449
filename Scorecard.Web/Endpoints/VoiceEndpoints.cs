using Scorecard.Data.Common;
using Scorecard.Data.Triangulation;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>Exports of the triangulation matrix and of one theme's evidence (issue 12 §2), small numbers hidden whoever downloads.</summary>
public static class VoiceEndpoints
{
    public static void MapVoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var triangulation = app.MapGroup("/triangulation").RequireAuthorization(Policies.SignedIn);
        triangulation.MapGet("/export", ExportMatrixAsync);
        triangulation.MapGet("/themes/{themeId:int}/export", ExportThemeAsync);
    }

    /// <summary>GET /triangulation/export?priority=P2: the matrix as filtered, with every cell's evidence.</summary>
    private static async Task<IResult> ExportMatrixAsync(HttpContext http, TriangulationQueries queries, TimeProvider clock, string? priority, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var matrix = await queries.MatrixAsync(actor, priority, null, ct, forExport: true);
        var now = clock.GetUtcNow();
        return Results.File(TriangulationExport.Matrix(matrix, actor.DisplayName, now), Excel.ContentType, $"triangulation-{matrix.AsAt:yyyyMMdd}-{now:yyyyMMdd-HHmm}.xlsx");
    }

    private static async Task<IResult> ExportThemeAsync(HttpContext http, TriangulationQueries queries, TimeProvider clock, int themeId, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var detail = await queries.ThemeAsync(actor, themeId, null, ct, forExport: true);
        if (detail is null)
            return Results.NotFound();
        var now = clock.GetUtcNow();
        return Results.File(TriangulationExport.Theme(detail, actor.DisplayName, now), Excel.ContentType, $"theme-{themeId}-evidence-{now:yyyyMMdd-HHmm}.xlsx");
    }
}
