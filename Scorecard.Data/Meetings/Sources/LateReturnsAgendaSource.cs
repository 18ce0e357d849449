using Scorecard.Data.Accounts;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Meetings.Sources;

/// <summary>
/// Proposes late and missing returns for the meeting (issue 13 §4), from the submission tracker's own query: one item
/// per quarter whose returns fell due since the last meeting (or, when none did, the latest quarter due, while returns
/// for it are still missing), with each late or missing agency as a fact.
/// </summary>
public sealed class LateReturnsAgendaSource(ReturnQueries returns) : IAgendaSource
{
    /// <summary>At most this many agencies are listed as facts; the rest are counted.</summary>
    public const int MaxListed = 12;

    public async Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        var matrix = await returns.GetSubmissionMatrixAsync(actor, new SubmissionMatrixRequest(8), ct);
        return Candidates(matrix, since, meetingDate);
    }

    /// <summary>The candidates from a tracker matrix (pure, for tests).</summary>
    public static IReadOnlyList<AgendaCandidate> Candidates(SubmissionMatrix matrix, DateOnly since, DateOnly meetingDate)
    {
        var due = matrix.Periods.Select((p, i) => (Period: p, Index: i)).Where(x => x.Period.DueDate <= meetingDate && x.Period.DueDate < matrix.Today).ToList();
        var chosen = due.Where(x => x.Period.DueDate > since).ToList();
        if (chosen.Count == 0 && due.Count > 0)
            chosen = [due[^1]];
        var result = new List<AgendaCandidate>();
        foreach (var (period, index) in chosen)
        {
            var rows = matrix.Agencies
                .Select(a => (Agency: a, Cell: a.Cells[index]))
                .Where(x => x.Cell.Status is SubmissionStatus.Missing or SubmissionStatus.Late)
                .OrderBy(x => x.Cell.Status.Urgency())
                .ThenBy(x => x.Agency.AgencyName, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var missing = rows.Count(r => r.Cell.Status == SubmissionStatus.Missing);
            var late = rows.Count - missing;
            if (missing == 0 && (late == 0 || period.DueDate <= since))
                continue;
            var rates = matrix.RatesFor(period.PeriodId);
            var facts = new List<AgendaFact>
            {
                new("Due", period.DueDate.ToString("d MMMM yyyy", MeetingWords.Uk)),
                new("Received", $"{rates.Received} of {rates.Expected} ({ReportingRates.Percent(rates.Completeness)})"),
                new("On time", ReportingRates.Percent(rates.Timeliness)),
            };
            foreach (var (agency, cell) in rows.Take(MaxListed))
            {
                facts.Add(new(agency.AgencyName, cell.Status == SubmissionStatus.Missing
                    ? $"Missing ({Math.Max(0, matrix.Today.DayNumber - period.DueDate.DayNumber)} days overdue)"
                    : $"Late (received {cell.FirstSubmittedAt?.ToString("d MMM yyyy", MeetingWords.Uk)})"));
            }
            if (rows.Count > MaxListed)
                facts.Add(new("Others", $"{rows.Count - MaxListed} more agencies late or missing"));
            result.Add(new AgendaCandidate(
                AgendaItemKind.ReturnLateOrMissing,
                $"returns:{period.FiscalYear}-Q{period.Quarter}",
                $"Returns for {period.Label}",
                $"{missing} missing, {late} late",
                missing * 3 + late,
                "/returns/tracker",
                facts));
        }
        return result;
    }
}
