using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>One version of an agency's return for a quarter, as the history page lists it.</summary>
public sealed record HistoryVersion(
    long Id, int Version, ReturnStatus Status, ReturnSource Source, DateTime SubmittedAt, string? SubmittedByName,
    string? FileName, long? FileSize, int ValueCount, string? RejectedByName, DateTime? RejectedAt, string? RejectedReason)
{
    public bool HasFile => FileSize is not null;

    /// <summary>Only a version that is (or awaits being) the current one can be rejected.</summary>
    public bool CanBeRejected => Status.CanBeRejected();
}

/// <summary>A measure's figures in one version of a return.</summary>
public sealed record VersionValue(
    long ReturnId, int MeasureId, string MeasureCode, string MeasureTitle, MeasureUnit Unit,
    decimal? Numerator, decimal? Denominator, decimal? Value, string Commentary, int DecimalPlaces = 1);

/// <summary>How one measure differs between two consecutive versions.</summary>
public sealed record MeasureChange(
    string MeasureCode, string MeasureTitle, MeasureUnit Unit, ChangeKind Kind,
    decimal? OldValue, decimal? NewValue, bool ValueChanged, string? OldCommentary, string? NewCommentary, bool CommentaryChanged,
    int DecimalPlaces = 1);

/// <summary>What changed from one version to the next.</summary>
public sealed record VersionChanges(int FromVersion, int ToVersion, IReadOnlyList<MeasureChange> Changes);

/// <summary>Every version of one agency's return for one quarter, newest first, with what changed between them.</summary>
public sealed record ReturnHistory(
    int AgencyId, string AgencyName, string Sector, int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate,
    IReadOnlyList<HistoryVersion> Versions, IReadOnlyList<VersionChanges> Changes)
{
    public string PeriodLabel => PeriodLabels.Format(FiscalYear, Quarter);
}

/// <summary>The original file of a return version, exactly as it was uploaded.</summary>

/// <summary>
/// Reads the versions of a return and their original files. An agency user may read only their own agency's history;
/// admins, QA members and executives read every agency's (design.md, Roles).
/// </summary>
public sealed class ReturnHistoryQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The history of one agency's return for one quarter, or null when the agency or quarter is not in the actor's
    /// partnership. Throws <see cref="AccessDeniedException"/> when an agency user asks for another agency.
    /// </summary>
    public async Task<ReturnHistory?> GetHistoryAsync(Actor actor, int agencyId, int periodId, CancellationToken ct = default)
    {
        actor.RequireAgency(agencyId);
        const string sql = """
            select a.id as agency_id, a.name as agency_name, a.sector, p.id as period_id, p.fiscal_year, p.quarter::int as quarter, p.due_date
            from agency a
            join reporting_period p on p.partnership_id = a.partnership_id and p.id = @PeriodId
            where a.partnership_id = @PartnershipId and a.id = @AgencyId;

            select r.id, r.version, r.status, r.source, r.submitted_at, su.display_name as submitted_by_name,
                   r.file_name, octet_length(r.file_bytes)::bigint as file_size, r.value_count,
                   ru.display_name as rejected_by_name, r.rejected_at, r.rejected_reason
            from data_return r
            left join app_user su on su.partnership_id = r.partnership_id and su.id = r.submitted_by
            left join app_user ru on ru.partnership_id = r.partnership_id and ru.id = r.rejected_by
            where r.partnership_id = @PartnershipId and r.agency_id = @AgencyId and r.period_id = @PeriodId
            order by r.version desc;

            select v.return_id, m.id as measure_id, m.code as measure_code, m.title as measure_title, m.unit,
                   v.numerator, v.denominator, v.value, v.commentary, m.decimal_places::int as decimal_places
            from data_return r
            join measure_value v on v.partnership_id = r.partnership_id and v.return_id = r.id
            join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
            where r.partnership_id = @PartnershipId and r.agency_id = @AgencyId and r.period_id = @PeriodId
            order by m.sort_order, m.code;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql,
            new { actor.PartnershipId, AgencyId = agencyId, PeriodId = periodId }, cancellationToken: ct));
        var head = await multi.ReadSingleOrDefaultAsync<(int AgencyId, string AgencyName, string Sector, int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate)>();
        if (head == default)
            return null;
        var versions = (await multi.ReadAsync<HistoryVersion>()).ToList();
        var values = (await multi.ReadAsync<VersionValue>()).ToLookup(v => v.ReturnId);
        var oldestFirst = versions.OrderBy(v => v.Version).ToList();
        var changes = oldestFirst.Zip(oldestFirst.Skip(1))
            .Select(pair => new VersionChanges(pair.First.Version, pair.Second.Version,
                ReturnDiff.Compare(values[pair.First.Id].ToList(), values[pair.Second.Id].ToList())))
            .Reverse()
            .ToList();
        return new ReturnHistory(head.AgencyId, head.AgencyName, head.Sector, head.PeriodId, head.FiscalYear, head.Quarter, head.DueDate,
            versions, changes);
    }

    /// <summary>
    /// The original uploaded file of a return version, or null when there is no such version in the actor's partnership
    /// or it has no stored file. Throws <see cref="AccessDeniedException"/> when it belongs to another agency than an agency user's.
    /// </summary>
    public async Task<FileDownload?> GetOriginalFileAsync(Actor actor, long returnId, CancellationToken ct = default)
    {
        const string ownerSql = "select agency_id from data_return where partnership_id = @PartnershipId and id = @ReturnId";
        const string fileSql = """
            select coalesce(file_name, 'return-' || id || '.xlsx') as file_name, file_bytes as bytes
            from data_return
            where partnership_id = @PartnershipId and id = @ReturnId and file_bytes is not null
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var args = new { actor.PartnershipId, ReturnId = returnId };
        var agencyId = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(ownerSql, args, cancellationToken: ct));
        if (agencyId is null)
            return null;
        // Checked before the bytes are read: another agency's file never leaves the database.
        actor.RequireAgency(agencyId.Value);
        return await conn.QuerySingleOrDefaultAsync<FileDownload>(new CommandDefinition(fileSql, args, cancellationToken: ct));
    }
}

/// <summary>Compares two versions of a return measure by measure (pure; no database).</summary>
public static class ReturnDiff
{
    /// <summary>The measures whose value or commentary differs, were added or were removed, in the newer version's order.</summary>
    public static IReadOnlyList<MeasureChange> Compare(IReadOnlyList<VersionValue> older, IReadOnlyList<VersionValue> newer)
    {
        var before = older.ToDictionary(v => v.MeasureId);
        var after = newer.Select(v => v.MeasureId).ToHashSet();
        var changes = new List<MeasureChange>();
        foreach (var n in newer)
        {
            if (!before.TryGetValue(n.MeasureId, out var o))
            {
                changes.Add(new MeasureChange(n.MeasureCode, n.MeasureTitle, n.Unit, ChangeKind.Added, null, n.Value, true, null, n.Commentary, n.Commentary.Length > 0, n.DecimalPlaces));
                continue;
            }
            var valueChanged = o.Value != n.Value || o.Numerator != n.Numerator || o.Denominator != n.Denominator;
            var commentaryChanged = !string.Equals(o.Commentary.Trim(), n.Commentary.Trim(), StringComparison.Ordinal);
            if (valueChanged || commentaryChanged)
                changes.Add(new MeasureChange(n.MeasureCode, n.MeasureTitle, n.Unit, ChangeKind.Changed, o.Value, n.Value, valueChanged,
                    o.Commentary, n.Commentary, commentaryChanged, n.DecimalPlaces));
        }
        changes.AddRange(older.Where(o => !after.Contains(o.MeasureId))
            .Select(o => new MeasureChange(o.MeasureCode, o.MeasureTitle, o.Unit, ChangeKind.Removed, o.Value, null, true, o.Commentary, null, o.Commentary.Length > 0, o.DecimalPlaces)));
        return changes;
    }
}
