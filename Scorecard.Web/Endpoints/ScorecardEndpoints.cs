using Scorecard.Data.Common;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>Excel exports of the scorecard as filtered and of one measure's history. The filters are the page's URL parameters.</summary>
public static class ScorecardEndpoints
{
    public static void MapScorecardEndpoints(this IEndpointRouteBuilder app)
    {
        var scorecard = app.MapGroup("/scorecard").RequireAuthorization(Policies.SignedIn);
        scorecard.MapGet("/export", ExportScorecardAsync);
        scorecard.MapGet("/measures/{code}/export", ExportMeasureHistoryAsync);
    }

    /// <summary>GET /scorecard/export?priority=…: the scorecard as filtered. Another agency's or a sector's figures for an
    /// agency user are refused in the Data layer (403 through <see cref="ScorecardExceptionHandler"/>).</summary>
    private static async Task<IResult> ExportScorecardAsync(HttpContext http, ScorecardReadModel readModel, TimeProvider clock,
        string? priority, string? agency, string? sector, string? rag, string? exceptions, string? quarter, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
        var data = snapshot.Data;
        var (filter, errors) = ScorecardFilter.Parse(priority, agency, sector, rag, exceptions, quarter, data);
        if (errors.Count > 0)
            return Results.Problem(string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest, title: "The export's filters are not valid");
        var view = ScorecardViewBuilder.Build(snapshot, actor, filter.Scope, filter.Quarter, forExport: true);
        var now = clock.GetUtcNow();
        var bytes = ScorecardExport.Scorecard(data, view, filter, filter.Apply(view.Lines), actor.DisplayName, now);
        return Results.File(bytes, Excel.ContentType, $"scorecard-{view.Period?.Key ?? "none"}-{now:yyyyMMdd-HHmm}.xlsx");
    }

    private static async Task<IResult> ExportMeasureHistoryAsync(HttpContext http, ScorecardReadModel readModel, TimeProvider clock,
        string code, string? quarter, CancellationToken ct)
    {
        var actor = ScorecardClaims.RequireActor(http.User);
        var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
        var detail = ScorecardViewBuilder.BuildMeasure(snapshot, actor, code, quarter, forExport: true);
        if (detail is null)
            return Results.NotFound();
        var now = clock.GetUtcNow();
        var bytes = ScorecardExport.MeasureHistory(detail, actor.DisplayName, now);
        return Results.File(bytes, Excel.ContentType, $"{detail.Line.Measure.Code}-history-{now:yyyyMMdd-HHmm}.xlsx");
    }
}
