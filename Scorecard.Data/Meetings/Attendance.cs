namespace Scorecard.Data.Meetings;

/// <summary>Whether an agency was represented at one held meeting.</summary>
public sealed record AttendanceMark(int MeetingId, DateOnly MeetingDate, int AgencyId, string AgencyName, bool Attended);

/// <summary>One agency's attendance over the year: meetings it was invited to, meetings it attended, and the rate.</summary>
/// <param name="Rate">Attended ÷ invited, 0 to 1; null when it was invited to none.</param>
/// <param name="Rarely">Attended fewer than half of the meetings it was invited to (partnerships report these agencies).</param>
public sealed record AgencyAttendance(int AgencyId, string AgencyName, int Invited, int Attended, decimal? Rate, bool Rarely)
{
    /// <summary>"67%" or "–".</summary>
    public string Percent => Rate is { } r ? $"{Math.Round(r * 100, 0, MidpointRounding.AwayFromZero):0}%" : "–";
}

/// <summary>
/// Attendance per agency over a year, as partnerships report it in their annual reports: for each agency, of the held
/// meetings in the twelve months up to a day that it was invited to, how many it attended. Pure.
/// </summary>
public static class AttendanceRates
{
    /// <summary>Below this share of meetings attended an agency "rarely attends".</summary>
    public const decimal RarelyBelow = 0.5m;

    /// <summary>
    /// The year's rates, lowest first (the agency that rarely attends at the top), then by name. The year is the twelve
    /// months ending on <paramref name="asOf"/>: a meeting on <paramref name="asOf"/> counts, one a year before it does not.
    /// </summary>
    public static IReadOnlyList<AgencyAttendance> ForYear(IEnumerable<AttendanceMark> marks, DateOnly asOf)
    {
        var from = asOf.AddYears(-1);
        return marks
            .Where(m => m.MeetingDate > from && m.MeetingDate <= asOf)
            .GroupBy(m => m.AgencyId)
            .Select(g =>
            {
                // One mark per meeting: a duplicate counts once, attended if any mark says so.
                var meetings = g.GroupBy(m => m.MeetingId).Select(mg => mg.Any(m => m.Attended)).ToList();
                var invited = meetings.Count;
                var attended = meetings.Count(a => a);
                decimal? rate = invited == 0 ? null : (decimal)attended / invited;
                return new AgencyAttendance(g.Key, g.First().AgencyName, invited, attended, rate, rate is { } r && r < RarelyBelow);
            })
            .OrderBy(a => a.Rate ?? 1m)
            .ThenBy(a => a.AgencyName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
