using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Home;

/// <summary>A quarter as the agency home sees it: when it is due and whether this agency has sent its return.</summary>
public sealed record AgencyQuarter(int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate, bool IsOpen, bool Received)
{
    public string Label => PeriodLabels.Format(FiscalYear, Quarter);
}

/// <summary>The agency's next return: the quarter, its due date, days left (negative when overdue) and its status in words.</summary>
public sealed record NextReturn(AgencyQuarter Quarter, int DaysLeft, string Status)
{
    public bool Overdue => !Quarter.Received && DaysLeft < 0;
}

/// <summary>The agency's last submission and what the upload checks warn about in it.</summary>
public sealed record LastSubmission(
    int PeriodId, string QuarterLabel, int Version, ReturnStatus Status, DateTime SubmittedAt, string? SubmittedByName,
    IReadOnlyList<(string MeasureCode, string Warning)> Warnings);

/// <summary>One of the agency's exceptions on the scorecard (red, concern, consistently failing, missing).</summary>
public sealed record AgencyException(string MeasureCode, string MeasureTitle, IReadOnlyList<string> Reasons);

/// <summary>Everything an agency user's home shows about their own agency.</summary>
public sealed record AgencyHomeSummary(
    int AgencyId, string AgencyName, NextReturn? NextReturn, int OverdueCount, LastSubmission? LastSubmission,
    IReadOnlyList<AgencyException> Exceptions);

/// <summary>The rule for "your next return" (pure).</summary>
public static class NextReturnRule
{
    /// <summary>
    /// The earliest open quarter this agency has not yet returned (so an overdue return comes before the next one
    /// due); when every open quarter is returned, the latest quarter (received). Null with no quarters.
    /// </summary>
    public static NextReturn? Choose(IReadOnlyList<AgencyQuarter> quarters, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(quarters);
        var ordered = quarters.OrderBy(q => q.FiscalYear).ThenBy(q => q.Quarter).ToList();
        var next = ordered.FirstOrDefault(q => q.IsOpen && !q.Received) ?? ordered.LastOrDefault();
        if (next is null)
            return null;
        var days = next.DueDate.DayNumber - today.DayNumber;
        return new NextReturn(next, days, Describe(next, days));
    }

    /// <summary>"Received", "Due today", "Due in 1 day", "Overdue by 12 days".</summary>
    public static string Describe(AgencyQuarter quarter, int daysLeft) =>
        quarter.Received ? "Received"
        : daysLeft == 0 ? "Due today"
        : daysLeft > 0 ? $"Due in {Plural.Days(daysLeft)}"
        : $"Overdue by {Plural.Days(-daysLeft)}";

    /// <summary>Open quarters already past their due date with nothing received.</summary>
    public static int CountOverdue(IReadOnlyList<AgencyQuarter> quarters, DateOnly today) =>
        quarters.Count(q => q.IsOpen && !q.Received && q.DueDate < today);
}

/// <summary>
/// Reads an agency user's home: their next return, last submission with its warnings, and their agency's exceptions
/// on the scorecard. Only for the signed-in agency user's own agency (checked here).
/// </summary>
public sealed class AgencyHomeQueries(
    NpgsqlDataSource dataSource, ReturnQueries returns, ReturnFiguresQueries figures, ScorecardReadModel scorecard, TimeProvider clock)
{
    private const string Sql = """
        select name from agency where partnership_id = @PartnershipId and id = @AgencyId;
        select p.id as period_id, p.fiscal_year, p.quarter::int as quarter, p.due_date, p.is_open,
               exists (select 1 from data_return r
                       where r.partnership_id = p.partnership_id and r.period_id = p.id and r.agency_id = @AgencyId
                         and r.status in ('submitted', 'accepted', 'superseded')) as received
        from reporting_period p
        where p.partnership_id = @PartnershipId
        order by p.fiscal_year, p.quarter;
        """;

    public async Task<AgencyHomeSummary?> GetAsync(Actor actor, CancellationToken ct = default)
    {
        if (actor.AgencyId is not { } agencyId)
            return null;
        actor.RequireAgency(agencyId);
        string? name;
        List<AgencyQuarter> quarters;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(
                Sql, new { actor.PartnershipId, AgencyId = agencyId }, cancellationToken: ct));
            name = await multi.ReadSingleOrDefaultAsync<string>();
            quarters = (await multi.ReadAsync<AgencyQuarter>()).ToList();
        }
        if (name is null)
            return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        LastSubmission? last = null;
        var latest = (await returns.ListVersionsAsync(actor, agencyId, ct: ct))
            .Where(v => ReturnStatuses.Received.Contains(v.Status))
            .OrderByDescending(v => v.SubmittedAt)
            .FirstOrDefault();
        if (latest is not null)
        {
            var current = await figures.GetCurrentAsync(actor, agencyId, latest.PeriodId, ct);
            var warnings = current?.Figures.SelectMany(f => f.Warnings.Select(w => (f.MeasureCode, w))).ToList() ?? [];
            last = new LastSubmission(latest.PeriodId, PeriodLabels.Format(latest.FiscalYear, latest.Quarter), latest.Version,
                latest.Status, latest.SubmittedAt, latest.SubmittedByName, warnings);
        }

        // The agency's exceptions on the scorecard, from the shared read model (design.md, The read path): no page
        // loads the partnership for itself.
        var snapshot = await scorecard.GetAsync(actor.PartnershipId, ct);
        var view = ScorecardViewBuilder.Build(snapshot, actor, new ScorecardScope(AgencyId: agencyId));
        var exceptions = view.Lines
            .Where(l => l.IsException)
            .Select(l => new AgencyException(l.Measure.Code, l.Measure.Title,
                l.Exceptions.Where(e => e != ExceptionReason.SpecialCauseImprovement).Select(ExceptionReasons.Label).ToList()))
            .ToList();

        return new AgencyHomeSummary(agencyId, name, NextReturnRule.Choose(quarters, today),
            NextReturnRule.CountOverdue(quarters, today), last, exceptions);
    }
}
