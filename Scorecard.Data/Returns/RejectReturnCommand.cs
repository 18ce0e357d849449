using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>What a rejection did: the version rejected and, when it was the accepted one, the earlier version accepted again.</summary>
public sealed record RejectOutcome(long ReturnId, int Version, long? ReinstatedReturnId, int? ReinstatedVersion);

/// <summary>
/// An admin rejects a version of a return, with a reason. When that version was the accepted (current) one, the latest
/// earlier superseded version becomes the accepted one again, so the scorecard reads the previous figures. Admin only; logged.
/// </summary>
public sealed class RejectReturnCommand(NpgsqlDataSource dataSource)
{
    public const int MaxReasonLength = 1000;

    public Task<Result<RejectOutcome>> RejectAsync(Actor actor, long returnId, string? reason, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = new Validator();
        v.Required("Reason", reason, "A reason for rejecting", MaxReasonLength, minLength: 5);
        if (!v.IsValid)
            return Task.FromResult(Result<RejectOutcome>.Fail(v.Errors));
        var why = reason!.Trim();
        return Transactions.RunAsync(dataSource, (conn, tx) => RejectInTransactionAsync(conn, tx, actor, returnId, why, ct), _ => null, ct);
    }

    private static async Task<Result<RejectOutcome>> RejectInTransactionAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, long returnId, string reason, CancellationToken ct)
    {
        // Lock every version of this agency and quarter, so a commit or another rejection running at the same time waits.
        const string lockSql = """
            select r.id, r.agency_id, a.name as agency_name, p.fiscal_year, p.quarter::int as quarter, r.version, r.status
            from data_return r
            join agency a on a.partnership_id = r.partnership_id and a.id = r.agency_id
            join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
            where r.partnership_id = @PartnershipId
              and (r.agency_id, r.period_id) = (select agency_id, period_id from data_return where partnership_id = @PartnershipId and id = @ReturnId)
            order by r.version
            for update of r
            """;
        // The rejected row leaves the partial unique index (one accepted per agency and quarter) before another row enters it.
        const string rejectSql = """
            update data_return set status = @Rejected, rejected_by = @UserId, rejected_at = now(), rejected_reason = @Reason
            where partnership_id = @PartnershipId and id = @ReturnId
            """;
        const string reinstateSql = "update data_return set status = @Accepted where partnership_id = @PartnershipId and id = @ReturnId";

        var versions = (await conn.QueryAsync<(long Id, int AgencyId, string AgencyName, int FiscalYear, int Quarter, int Version, ReturnStatus Status)>(
            new CommandDefinition(lockSql, new { actor.PartnershipId, ReturnId = returnId }, tx, cancellationToken: ct))).ToList();
        var target = versions.FirstOrDefault(r => r.Id == returnId);
        if (target == default)
            return Result<RejectOutcome>.Fail("", "That return version does not exist.");
        if (target.Status == ReturnStatus.Rejected)
            return Result<RejectOutcome>.Fail("", $"Version {target.Version} has already been rejected.");
        if (!target.Status.CanBeRejected())
            return Result<RejectOutcome>.Fail("", $"Version {target.Version} is {target.Status.ToDb()}: only a submitted or accepted version can be rejected.");

        await conn.ExecuteAsync(new CommandDefinition(rejectSql,
            new { actor.PartnershipId, ReturnId = returnId, actor.UserId, Reason = reason, Rejected = ReturnStatus.Rejected.ToDb() }, tx, cancellationToken: ct));
        var previous = target.Status == ReturnStatus.Accepted
            ? versions.Where(r => r.Version < target.Version && r.Status == ReturnStatus.Superseded).OrderByDescending(r => r.Version).FirstOrDefault()
            : default;
        if (previous != default)
        {
            await conn.ExecuteAsync(new CommandDefinition(reinstateSql, new { actor.PartnershipId, ReturnId = previous.Id, Accepted = ReturnStatus.Accepted.ToDb() }, tx, cancellationToken: ct));
        }

        var quarter = PeriodLabels.Format(target.FiscalYear, target.Quarter);
        var outcome = previous == default
            ? new RejectOutcome(returnId, target.Version, null, null)
            : new RejectOutcome(returnId, target.Version, previous.Id, previous.Version);
        var then = outcome.ReinstatedVersion is { } back ? $"version {back} is current again" : "no earlier version to fall back to";
        await ChangeLog.WriteAsync(conn, tx, actor, "data_return", returnId, "reject",
            $"Rejected version {target.Version} of {target.AgencyName}'s {quarter} return ({then}): {reason}",
            new { Status = target.Status.ToDb(), target.Version },
            new { Status = ReturnStatus.Rejected.ToDb(), Reason = reason, outcome.ReinstatedReturnId, outcome.ReinstatedVersion }, ct);
        if (outcome.ReinstatedReturnId is { } reinstated)
        {
            await ChangeLog.WriteAsync(conn, tx, actor, "data_return", reinstated, "update",
                $"Version {outcome.ReinstatedVersion} of {target.AgencyName}'s {quarter} return accepted again after version {target.Version} was rejected",
                new { Status = ReturnStatus.Superseded.ToDb() }, new { Status = ReturnStatus.Accepted.ToDb() }, ct);
        }
        return Result<RejectOutcome>.Ok(outcome);
    }
}
