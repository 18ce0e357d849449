using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Performance;

/// <summary>
/// Records and removes process changes: the quarters from which a measure's SPC limits are recalculated. Admins and QA
/// subgroup members decide this in the meeting, with the reason, and every change is logged (Making Data Count: limits
/// are recalculated only when the process is known to have changed).
/// </summary>
public sealed class ProcessChangeCommands(NpgsqlDataSource dataSource)
{
    public const int MinimumReasonLength = 5;
    public const int MaximumReasonLength = 500;

    public Task<Result<int>> AddAsync(Actor actor, int measureId, int periodId, string? reason, CancellationToken ct)
    {
        RequireReviewer(actor);
        var text = (reason ?? "").Trim();
        var v = new Validator();
        v.When(text.Length < MinimumReasonLength, "Reason", "Say why the process changed (at least 5 characters): the limits will be recalculated from this quarter.");
        v.When(text.Length > MaximumReasonLength, "Reason", $"The reason must be at most {MaximumReasonLength} characters.");
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var names = await conn.QuerySingleOrDefaultAsync<(string Code, int FiscalYear, int Quarter)?>(new CommandDefinition("""
                select m.code, p.fiscal_year, p.quarter::int
                from measure m, reporting_period p
                where m.partnership_id = @PartnershipId and m.id = @MeasureId and m.active
                  and p.partnership_id = @PartnershipId and p.id = @PeriodId
                """, new { actor.PartnershipId, MeasureId = measureId, PeriodId = periodId }, tx, cancellationToken: ct));
            if (names is not { } n)
                return Result<int>.Fail("Quarter", "That measure or quarter does not exist in your partnership.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into spc_process_change (partnership_id, measure_id, period_id, reason, created_by)
                values (@PartnershipId, @MeasureId, @PeriodId, @Reason, @UserId) returning id
                """, new { actor.PartnershipId, MeasureId = measureId, PeriodId = periodId, Reason = text, actor.UserId }, tx, cancellationToken: ct));
            var label = Catalog.PeriodLabels.Format(n.FiscalYear, n.Quarter);
            await ChangeLog.WriteAsync(conn, tx, actor, "spc_process_change", id, "create",
                $"Recalculated {n.Code}'s limits from {label}: {text}", null, new { MeasureId = measureId, PeriodId = periodId, Reason = text }, ct);
            return Result<int>.Ok(id);
        }, e => new FieldError("Quarter", "A process change is already recorded for this quarter."), ct);
    }

    public Task<Result<bool>> RemoveAsync(Actor actor, int processChangeId, CancellationToken ct)
    {
        RequireReviewer(actor);
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<(int MeasureId, int PeriodId, string Reason)?>(new CommandDefinition("""
                delete from spc_process_change where partnership_id = @PartnershipId and id = @Id
                returning measure_id, period_id, reason
                """, new { actor.PartnershipId, Id = processChangeId }, tx, cancellationToken: ct));
            if (before is not { } b)
                return Result<bool>.Fail("", "That process change no longer exists.");
            await ChangeLog.WriteAsync(conn, tx, actor, "spc_process_change", processChangeId, "delete",
                $"Removed a process change: {b.Reason}", new { b.MeasureId, b.PeriodId, b.Reason }, null, ct);
            return Result<bool>.Ok(true);
        }, _ => null, ct);
    }

    /// <summary>The QA subgroup and admins decide where a measure's process changed; executives and agencies do not.</summary>
    public static bool CanRecord(Actor actor) => actor.Role is Role.Admin or Role.QaMember;

    private static void RequireReviewer(Actor actor)
    {
        if (!CanRecord(actor))
            throw new AccessDeniedException("Only the QA subgroup and administrators record process changes.");
    }
}
