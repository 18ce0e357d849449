using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// Marks and unmarks single quarters of a measure as known special causes ("ghosting", as the Making Data Count tools
/// allow): a ghosted quarter is drawn hollow and left out of the SPC mean, limits and rules, so one accepted outlier
/// does not turn the points before it into special causes (issue 8 §1). QA members and admins decide it, with a
/// reason; every change is logged, and the change log's trigger tells the read model (sql/0015).
/// </summary>
public sealed class GhostedPointCommands(NpgsqlDataSource dataSource)
{
    public const int MinimumReasonLength = 5;
    public const int MaximumReasonLength = 500;

    /// <summary>Ghosts one quarter of a measure. Refused without a reason of 5 to 500 characters, or twice for the same quarter.</summary>
    public Task<Result<int>> AddAsync(Actor actor, int measureId, int periodId, string? reason, CancellationToken ct)
    {
        RequireReviewer(actor);
        var text = (reason ?? "").Trim();
        var v = new Validator();
        v.When(text.Length < MinimumReasonLength, "Reason", "Say what the known special cause was (at least 5 characters): the quarter will be left out of the limits.");
        v.When(text.Length > MaximumReasonLength, "Reason", $"The reason must be at most {MaximumReasonLength} characters.");
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var names = await conn.QuerySingleOrDefaultAsync<(string Code, int FiscalYear, int Quarter)?>(new CommandDefinition(LookupSql,
                new { actor.PartnershipId, MeasureId = measureId, PeriodId = periodId }, tx, cancellationToken: ct));
            if (names is not { } n)
                return Result<int>.Fail("Quarter", "That measure or quarter does not exist in your partnership.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(InsertSql,
                new { actor.PartnershipId, MeasureId = measureId, PeriodId = periodId, Reason = text, actor.UserId }, tx, cancellationToken: ct));
            var label = Catalog.PeriodLabels.Format(n.FiscalYear, n.Quarter);
            await ChangeLog.WriteAsync(conn, tx, actor, "spc_ghosted_point", id, "create",
                $"Left {n.Code}'s {label} out of the limits as a known special cause: {text}", null,
                new { MeasureId = measureId, PeriodId = periodId, Reason = text }, ct);
            return Result<int>.Ok(id);
        }, _ => new FieldError("Quarter", "That quarter is already marked as a known special cause."), ct);
    }

    /// <summary>Puts a ghosted quarter back into the limits.</summary>
    public Task<Result<bool>> RemoveAsync(Actor actor, int ghostedPointId, CancellationToken ct)
    {
        RequireReviewer(actor);
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<(int MeasureId, int PeriodId, string Reason)?>(new CommandDefinition(DeleteSql,
                new { actor.PartnershipId, Id = ghostedPointId }, tx, cancellationToken: ct));
            if (before is not { } b)
                return Result<bool>.Fail("", "That known special cause is no longer recorded.");
            await ChangeLog.WriteAsync(conn, tx, actor, "spc_ghosted_point", ghostedPointId, "delete",
                $"Put a quarter back into the limits (was: {b.Reason})", new { b.MeasureId, b.PeriodId, b.Reason }, null, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The QA subgroup and admins decide which quarters are known special causes; executives and agencies do not.</summary>
    public static bool CanRecord(Actor actor) => actor.Role is Role.Admin or Role.QaMember;

    private const string LookupSql = """
        select m.code, p.fiscal_year, p.quarter::int
        from measure m, reporting_period p
        where m.partnership_id = @PartnershipId and m.id = @MeasureId and m.active
          and p.partnership_id = @PartnershipId and p.id = @PeriodId
        """;

    private const string InsertSql = """
        insert into spc_ghosted_point (partnership_id, measure_id, period_id, reason, created_by)
        values (@PartnershipId, @MeasureId, @PeriodId, @Reason, @UserId) returning id
        """;

    private const string DeleteSql = """
        delete from spc_ghosted_point where partnership_id = @PartnershipId and id = @Id
        returning measure_id, period_id, reason
        """;

    private static void RequireReviewer(Actor actor)
    {
        if (!CanRecord(actor))
            throw new AccessDeniedException("Only the QA subgroup and administrators mark known special causes.");
    }
}
