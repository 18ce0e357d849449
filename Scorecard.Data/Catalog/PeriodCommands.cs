using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Catalog;

/// <summary>Adds reporting periods (financial-year quarters) and sets their due dates and whether they accept returns. Admin only; logged.</summary>
public sealed class PeriodCommands(NpgsqlDataSource dataSource)
{
    public Task<Result<int>> CreateAsync(Actor actor, PeriodInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));
        var (start, end) = PeriodLabels.Dates(input.FiscalYear, input.Quarter);
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            // Quarters are added in order, one after another: a quarter that already exists (or lies before the latest)
            // would overlap the calendar, and a gap would leave a quarter that could never be added afterwards. The
            // lock keeps two admins from adding the same next quarter at once.
            await conn.ExecuteAsync(new CommandDefinition(
                "select pg_advisory_xact_lock(hashtext('reporting_period'), @PartnershipId)", new { actor.PartnershipId }, tx, cancellationToken: ct));
            var latest = await conn.QuerySingleOrDefaultAsync<(int FiscalYear, short Quarter)?>(new CommandDefinition(
                LatestPeriodSql, new { actor.PartnershipId }, tx, cancellationToken: ct));
            if (OrderError(latest is { } l ? (l.FiscalYear, l.Quarter) : null, input) is { } orderError)
                return Result<int>.Fail(nameof(PeriodInput.Quarter), orderError);
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into reporting_period (partnership_id, fiscal_year, quarter, start_date, end_date, due_date, is_open)
                values (@PartnershipId, @FiscalYear, @Quarter, @Start, @End, @DueDate, @IsOpen) returning id
                """, new { actor.PartnershipId, input.FiscalYear, Quarter = (short)input.Quarter, Start = start, End = end, input.DueDate, input.IsOpen },
                tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "reporting_period", id, "create",
                $"Added {PeriodLabels.Format(input.FiscalYear, input.Quarter)}, due {input.DueDate:d MMM yyyy}", null, input, ct);
            return Result<int>.Ok(id);
        }, e => new FieldError(nameof(PeriodInput.Quarter), "This quarter already exists."), ct);
    }

    /// <summary>Changes a period's due date and whether it is open for returns. The quarter itself never changes.</summary>
    public Task<Result<int>> UpdateAsync(Actor actor, int periodId, DateOnly dueDate, bool isOpen, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var before = await conn.QuerySingleOrDefaultAsync<(int FiscalYear, short Quarter, DateOnly EndDate, DateOnly DueDate, bool IsOpen)>(new CommandDefinition(
                "select fiscal_year, quarter, end_date, due_date, is_open from reporting_period where partnership_id = @PartnershipId and id = @Id for update",
                new { actor.PartnershipId, Id = periodId }, tx, cancellationToken: ct));
            if (before == default)
                return Result<int>.Fail("", "That reporting period does not exist.");
            if (dueDate < before.EndDate)
                return Result<int>.Fail(nameof(PeriodInput.DueDate), $"The due date cannot be before the quarter ends ({before.EndDate:d MMM yyyy}).");
            if (before.DueDate == dueDate && before.IsOpen == isOpen)
                return Result<int>.Ok(periodId);
            await conn.ExecuteAsync(new CommandDefinition(
                "update reporting_period set due_date = @DueDate, is_open = @IsOpen where partnership_id = @PartnershipId and id = @Id",
                new { actor.PartnershipId, Id = periodId, DueDate = dueDate, IsOpen = isOpen }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "reporting_period", periodId, "update",
                $"Updated {PeriodLabels.Format(before.FiscalYear, before.Quarter)}: due {before.DueDate:d MMM yyyy} → {dueDate:d MMM yyyy}, {(isOpen ? "open" : "closed")}",
                new { before.DueDate, before.IsOpen }, new { DueDate = dueDate, IsOpen = isOpen }, ct);
            return Result<int>.Ok(periodId);
        }, _ => null, ct);
    }

    private const string LatestPeriodSql = """
        select fiscal_year, quarter from reporting_period
        where partnership_id = @PartnershipId
        order by fiscal_year desc, quarter desc
        limit 1
        """;

    /// <summary>
    /// Why a quarter may not be added after <paramref name="latest"/> (null when it may): it must be the quarter
    /// straight after the latest one, or any quarter when there is none yet.
    /// </summary>
    public static string? OrderError((int FiscalYear, int Quarter)? latest, PeriodInput input)
    {
        if (latest is not { } l)
            return null;
        var next = PeriodLabels.Next(l.FiscalYear, l.Quarter);
        var ordinal = input.FiscalYear * 4 + input.Quarter;
        var latestOrdinal = l.FiscalYear * 4 + l.Quarter;
        var latestLabel = PeriodLabels.Format(l.FiscalYear, l.Quarter);
        var nextLabel = PeriodLabels.Format(next.FiscalYear, next.Quarter);
        if (ordinal == latestOrdinal)
            return $"{latestLabel} already exists. The next quarter to add is {nextLabel}.";
        if (ordinal < latestOrdinal)
            return $"{PeriodLabels.Format(input.FiscalYear, input.Quarter)} is before the latest quarter ({latestLabel}): quarters are added in order. The next quarter to add is {nextLabel}.";
        if (ordinal > latestOrdinal + 1)
            return $"{PeriodLabels.Format(input.FiscalYear, input.Quarter)} would leave a gap after {latestLabel}. Add {nextLabel} first.";
        return null;
    }

    private static Validator Validate(PeriodInput input)
    {
        var v = new Validator();
        v.When(input.FiscalYear is < 2000 or > 2100, nameof(PeriodInput.FiscalYear), "Enter the financial year it starts in, like 2025 for 2025/26.");
        v.When(input.Quarter is < 1 or > 4, nameof(PeriodInput.Quarter), "Quarter is 1 to 4 (Q1 is April to June).");
        if (v.IsValid)
        {
            var (_, end) = PeriodLabels.Dates(input.FiscalYear, input.Quarter);
            v.When(input.DueDate < end, nameof(PeriodInput.DueDate), $"The due date cannot be before the quarter ends ({end:d MMM yyyy}).");
        }
        return v;
    }
}
