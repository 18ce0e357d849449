using Dapper;
using Npgsql;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Tests.Returns;

/// <summary>
/// Writes a new accepted version of a return the way a commit does (the previous accepted version becomes superseded,
/// its values are carried over with the given changes, the original file is kept), so history, rejection and the tracker
/// can be tested against real rows.
/// </summary>
public static class HistoryTestData
{
    public sealed record ValueChange(string MeasureCode, decimal? Value = null, string? Commentary = null);

    public sealed record AddedVersion(long ReturnId, int Version, long? PreviousReturnId);

    public static async Task<AddedVersion> AddVersionAsync(
        NpgsqlDataSource dataSource, int agencyId, int periodId, int? submittedBy, byte[]? file, string? fileName,
        IReadOnlyList<ValueChange> changes, DateTime? submittedAt = null, ReturnStatus status = ReturnStatus.Accepted)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var partnershipId = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select partnership_id from agency where id = @agencyId", new { agencyId }, tx));
        var args = new { partnershipId, agencyId, periodId };
        var previous = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select id from data_return
            where partnership_id = @partnershipId and agency_id = @agencyId and period_id = @periodId and status = 'accepted'
            for update
            """, args, tx));
        if (previous is not null && status == ReturnStatus.Accepted)
            await conn.ExecuteAsync(new CommandDefinition("update data_return set status = 'superseded' where partnership_id = @partnershipId and id = @previous",
                new { partnershipId, previous }, tx));
        var added = await conn.QuerySingleAsync<(long Id, int Version)>(new CommandDefinition("""
            insert into data_return (partnership_id, agency_id, period_id, version, status, source, submitted_by, submitted_at, file_name, file_bytes, file_sha256)
            values (@partnershipId, @agencyId, @periodId,
                    (select coalesce(max(version), 0) + 1 from data_return where partnership_id = @partnershipId and agency_id = @agencyId and period_id = @periodId),
                    @status, 'upload', @submittedBy, @submittedAt, @fileName, @file, sha256(@file))
            returning id, version
            """, new { partnershipId, agencyId, periodId, status = status.ToDb(), submittedBy, submittedAt = submittedAt ?? DateTime.UtcNow, fileName, file }, tx));
        if (previous is not null)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into measure_value (partnership_id, return_id, measure_id, numerator, denominator, value, commentary)
                select partnership_id, @id, measure_id, numerator, denominator, value, commentary
                from measure_value where partnership_id = @partnershipId and return_id = @previous
                """, new { partnershipId, id = added.Id, previous }, tx));
        }
        foreach (var change in changes)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update measure_value
                set value = coalesce(@Value, value), numerator = case when @Value::numeric is null then numerator end,
                    denominator = case when @Value::numeric is null then denominator end, commentary = coalesce(@Commentary, commentary)
                where partnership_id = @partnershipId and return_id = @id
                  and measure_id = (select id from measure where partnership_id = @partnershipId and code = @MeasureCode)
                """, new { partnershipId, id = added.Id, change.Value, change.Commentary, change.MeasureCode }, tx));
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            update data_return set value_count = (select count(*) from measure_value where partnership_id = @partnershipId and return_id = @id)
            where partnership_id = @partnershipId and id = @id
            """, new { partnershipId, id = added.Id }, tx));
        await tx.CommitAsync();
        return new AddedVersion(added.Id, added.Version, previous);
    }

    /// <summary>A demo agency by the start of its name, its latest reported quarter and measure codes, and the demo admin.</summary>
    public static async Task<(int Agency, int Period, IReadOnlyList<string> Codes, Scorecard.Data.Accounts.Actor Admin)> DemoAgencyAsync(
        NpgsqlDataSource dataSource, string name)
    {
        var agency = await Scorecard.Tests.Infrastructure.Actors.AgencyIdAsync(dataSource, name);
        var (period, codes) = await LatestReportedAsync(dataSource, agency);
        return (agency, period, codes, await Scorecard.Tests.Infrastructure.Actors.ForAsync(dataSource, Scorecard.Tests.Infrastructure.Actors.AdminEmail));
    }

    /// <summary>The latest quarter and the codes of the measures an agency reported in it (from the demo data).</summary>
    public static async Task<(int PeriodId, IReadOnlyList<string> Codes)> LatestReportedAsync(NpgsqlDataSource dataSource, int agencyId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var periodId = await conn.ExecuteScalarAsync<int>("""
            select r.period_id from data_return r join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
            where r.agency_id = @agencyId and r.status = 'accepted' order by p.fiscal_year desc, p.quarter desc limit 1
            """, new { agencyId });
        var codes = (await conn.QueryAsync<string>("""
            select m.code from data_return r
            join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
            join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
            where r.agency_id = @agencyId and r.period_id = @periodId and r.status = 'accepted'
            order by m.sort_order, m.code
            """, new { agencyId, periodId })).ToList();
        return (periodId, codes);
    }
}
