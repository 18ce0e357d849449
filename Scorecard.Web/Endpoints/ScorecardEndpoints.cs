using Scorecard.Data.Common;
using Scorecard.Data.Accounts;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Endpoints;

/// <summary>Excel exports of the scorecard as filtered and of one measure's history. The filters are the page's URL parameters.</summary>
public static class ScorecardEndpoints
{
    public static void MapScorecardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/scorecard/export", async (HttpContext http, ScorecardReadModel readModel, TimeProvider clock,
            string? priority, string? agency, string? sector, string? rag, string? exceptions, string? quarter, CancellationToken ct) =>
        {
            if (ScorecardClaims.ToActor(http.User) is not { } actor)
                return Results.Unauthorized();
            var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
            var data = snapshot.Data;
            var (filter, errors) = ScorecardFilter.Parse(priority, agency, sector, rag, exceptions, quarter, data);
            if (errors.Count > 0)
                return Results.Problem(string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest, title: "The export's filters are not valid");
            ScorecardView view;
            try
            {
                view = ScorecardViewBuilder.Build(snapshot, actor, filter.Scope, filter.Quarter, forExport: true);
            }
            catch (AccessDeniedException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden);
            }
            var now = clock.GetUtcNow();
            var bytes = ScorecardExport.Scorecard(data, view, filter, filter.Apply(view.Lines), actor.DisplayName, now);
            return Results.File(bytes, Excel.ContentType, $"scorecard-{view.Period?.Key ?? "none"}-{now:yyyyMMdd-HHmm}.xlsx");
        }).RequireAuthorization();

        app.MapGet("/scorecard/measures/{code}/export", async (HttpContext http, ScorecardReadModel readModel, TimeProvider clock, string code, string? quarter, CancellationToken ct) =>
        {
            if (ScorecardClaims.ToActor(http.User) is not { } actor)
                return Results.Unauthorized();
            var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
            var data = snapshot.Data;
            var detail = ScorecardViewBuilder.BuildMeasure(snapshot, actor, code, quarter, forExport: true);
            if (detail is null)
                return Results.NotFound();
            var now = clock.GetUtcNow();
            var bytes = ScorecardExport.MeasureHistory(detail, actor.DisplayName, now);
            return Results.File(bytes, Excel.ContentType, $"{detail.Line.Measure.Code}-history-{now:yyyyMMdd-HHmm}.xlsx");
        }).RequireAuthorization();
    }
}
