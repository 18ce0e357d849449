using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>
/// The status of one agency's return for one quarter, as the tracker and the home page show it. One rule for both:
/// <see cref="SubmissionStatuses.Classify"/>.
/// </summary>
public enum SubmissionStatus { OnTime, Late, Resubmitted, Missing, Awaited }

public static class SubmissionStatuses
{
    private const SubmissionStatus OnTime = SubmissionStatus.OnTime;
    private const SubmissionStatus Late = SubmissionStatus.Late;
    private const SubmissionStatus Resubmitted = SubmissionStatus.Resubmitted;
    private const SubmissionStatus Missing = SubmissionStatus.Missing;
    private const SubmissionStatus Awaited = SubmissionStatus.Awaited;

    /// <summary>
    /// Nothing received: missing once the due date has passed, otherwise awaited. Received: late when the first version
    /// arrived after the end of the due date, resubmitted when an on-time return was followed by another version, else on time.
    /// </summary>
    public static SubmissionStatus Classify(int versions, DateTime? firstSubmittedAt, DateOnly dueDate, DateOnly today)
    {
        if (versions == 0 || firstSubmittedAt is null)
            return today > dueDate ? Missing : Awaited;
        // On time means by the end of the due date (a UK working day; UTC is close enough for a date).
        var dueEnd = dueDate.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return firstSubmittedAt.Value.ToUniversalTime() >= dueEnd ? Late : versions > 1 ? Resubmitted : OnTime;
    }

    public static bool IsReceived(this SubmissionStatus status) => status is OnTime or Late or Resubmitted;

    /// <summary>Resubmitted means the first version came on time.</summary>
    public static bool IsOnTime(this SubmissionStatus status) => status is OnTime or Resubmitted;

    /// <summary>A return is expected once its due date has passed, or earlier if it has already come in.</summary>
    public static bool IsExpected(this SubmissionStatus status) => status != Awaited;

    /// <summary>Worst first: what needs chasing comes to the top.</summary>
    public static int Urgency(this SubmissionStatus status) => status switch
    {
        Missing => 0,
        Late => 1,
        Awaited => 2,
        _ => 3,
    };
}

/// <summary>
/// Reporting rates as DHIS2 defines them: completeness = returns received ÷ returns expected, timeliness = returns received
/// by the due date ÷ returns expected. A quarter whose due date has not passed is not yet expected (unless it has come in).
/// </summary>
public sealed record ReportingRates(int Expected, int Received, int OnTime)
{
    /// <summary>Received ÷ expected, from 0 to 1; null when nothing was expected.</summary>
    public decimal? Completeness => Expected == 0 ? null : (decimal)Received / Expected;

    /// <summary>On time ÷ expected, from 0 to 1; null when nothing was expected.</summary>
    public decimal? Timeliness => Expected == 0 ? null : (decimal)OnTime / Expected;

    public static ReportingRates From(IEnumerable<SubmissionStatus> statuses)
    {
        int expected = 0, received = 0, onTime = 0;
        foreach (var status in statuses)
        {
            if (status.IsExpected()) expected++;
            if (status.IsReceived()) received++;
            if (status.IsOnTime()) onTime++;
        }
        return new ReportingRates(expected, received, onTime);
    }

    /// <summary>"87%" or "–" when nothing was expected.</summary>
    public static string Percent(decimal? rate) => rate is { } r ? $"{Math.Round(r * 100, 0, MidpointRounding.AwayFromZero):0}%" : "–";
}

/// <summary>A quarter shown as a column of the tracker.</summary>
public sealed record TrackerPeriod(int PeriodId, int FiscalYear, int Quarter, DateOnly DueDate)
{
    public string Label => PeriodLabels.Format(FiscalYear, Quarter);
}

/// <summary>One agency's return for one quarter: when the first version arrived, how many were received, and its status.</summary>
public sealed record SubmissionCell(int PeriodId, DateTime? FirstSubmittedAt, int Versions, SubmissionStatus Status);

/// <summary>A row of the tracker: an agency expected to return, its cells (oldest quarter first) and its reporting rates.</summary>
public sealed record AgencySubmissions(
    int AgencyId, string AgencyName, string Sector, int ExpectedMeasures, IReadOnlyList<SubmissionCell> Cells, ReportingRates Rates)
{
    public int MissingCount => Cells.Count(c => c.Status == SubmissionStatus.Missing);

    public int LateCount => Cells.Count(c => c.Status == SubmissionStatus.Late);

    /// <summary>True when at least one return in the window is past its due date and has not arrived.</summary>
    public bool IsOverdue => MissingCount > 0;
}

/// <summary>What the tracker asks for: the last <paramref name="LastQuarters"/> quarters that have started (or exactly
/// <paramref name="PeriodIds"/>), optionally one sector's agencies only.</summary>
public sealed record SubmissionMatrixRequest(int LastQuarters = 8, Sector? Sector = null, IReadOnlyList<int>? PeriodIds = null)
{
    public const int MaxQuarters = 40;
}

/// <summary>The agency × quarter matrix of the submission tracker, with reporting rates for the partnership and per agency.</summary>
/// <param name="Periods">Oldest first.</param>
/// <param name="Agencies">Overdue agencies first (see <see cref="SubmissionMatrix.Order"/>).</param>
public sealed record SubmissionMatrix(IReadOnlyList<TrackerPeriod> Periods, IReadOnlyList<AgencySubmissions> Agencies, DateOnly Today)
{
    /// <summary>The rates over every cell of the matrix: the partnership's (or the chosen sector's).</summary>
    public ReportingRates Rates { get; } = ReportingRates.From(Agencies.SelectMany(a => a.Cells).Select(c => c.Status));

    /// <summary>The rates of one quarter (a column).</summary>
    public ReportingRates RatesFor(int periodId) =>
        ReportingRates.From(Agencies.SelectMany(a => a.Cells).Where(c => c.PeriodId == periodId).Select(c => c.Status));

    /// <summary>
    /// Tracker order: agencies missing the most recent quarter that is overdue first, then those missing any quarter,
    /// then by how many returns were missing or late, then by name.
    /// </summary>
    public static IReadOnlyList<AgencySubmissions> Order(IEnumerable<AgencySubmissions> agencies) =>
        agencies
            .OrderByDescending(a => LatestMissingIndex(a))
            .ThenByDescending(a => a.MissingCount + a.LateCount)
            .ThenBy(a => a.AgencyName, StringComparer.OrdinalIgnoreCase)
            .ToList();

    private static int LatestMissingIndex(AgencySubmissions agency)
    {
        for (var i = agency.Cells.Count - 1; i >= 0; i--)
        {
            if (agency.Cells[i].Status == SubmissionStatus.Missing)
                return i;
        }
        return -1;
    }

    /// <summary>One column of the matrix in the shape the home page shows.</summary>
    public PeriodSubmissions? ForPeriod(int periodId)
    {
        var index = Periods.ToList().FindIndex(p => p.PeriodId == periodId);
        if (index < 0)
            return null;
        var period = Periods[index];
        var rows = Agencies
            .Select(a => (Agency: a, Cell: a.Cells[index]))
            .Select(x => new SubmissionRow(x.Agency.AgencyId, x.Agency.AgencyName, x.Agency.Sector, x.Agency.ExpectedMeasures,
                x.Cell.FirstSubmittedAt, x.Cell.Versions, x.Cell.Status))
            .OrderBy(r => r.Status.Urgency())
            .ThenBy(r => r.AgencyName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new PeriodSubmissions(period.PeriodId, period.FiscalYear, period.Quarter, period.DueDate, rows);
    }
}
