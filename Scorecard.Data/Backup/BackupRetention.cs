using System.Globalization;

namespace Scorecard.Data.Backup;

/// <summary>
/// Which backups to keep: the newest of each of the last <c>daily</c> days that have a backup, and the newest of each of
/// the last <c>weekly</c> ISO weeks that have one (restic's and Borg's <c>--keep-daily</c> / <c>--keep-weekly</c> rule),
/// and always the newest of all. Days and weeks are those of the given time zone.
/// </summary>
public static class BackupRetention
{
    public static IReadOnlySet<string> Keep(IEnumerable<BackupEntry> backups, int daily, int weekly, TimeZoneInfo zone)
    {
        var ordered = backups.OrderByDescending(b => b.TakenAt).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (ordered.Count == 0)
            return keep;
        keep.Add(ordered[0].File);

        var days = new HashSet<DateOnly>();
        var weeks = new HashSet<(int, int)>();
        foreach (var b in ordered)
        {
            var local = TimeZoneInfo.ConvertTime(b.TakenAt, zone).DateTime;
            if (days.Count < daily && days.Add(DateOnly.FromDateTime(local)))
                keep.Add(b.File);
            var week = (ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
            if (weeks.Count < weekly && weeks.Add(week))
                keep.Add(b.File);
        }
        return keep;
    }
}

/// <summary>When the daily backup runs.</summary>
public static class BackupSchedule
{
    /// <summary>
    /// The next moment after <paramref name="now"/> at which the local clock of <paramref name="zone"/> reads
    /// <paramref name="at"/>. A time that a clock change skips (e.g. 01:30 on the spring-forward night) runs an hour later.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeOnly at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var candidate = local.Date + at.ToTimeSpan();
        for (var i = 0; i < 3; i++, candidate = candidate.AddDays(1))
        {
            var c = candidate;
            while (zone.IsInvalidTime(c))
                c = c.AddHours(1);
            var offset = zone.IsAmbiguousTime(c) ? zone.GetAmbiguousTimeOffsets(c).Max() : zone.GetUtcOffset(c);
            var result = new DateTimeOffset(c, offset);
            if (result > now)
                return result.ToUniversalTime();
        }
        throw new InvalidOperationException("No next backup time was found.");
    }
}
