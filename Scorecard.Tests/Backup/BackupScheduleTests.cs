using Scorecard.Data.Backup;

namespace Scorecard.Tests.Backup;

/// <summary>The pure rules: when the daily backup runs, and which backups the retention rule keeps.</summary>
public sealed class BackupScheduleTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public void TheNextRunIsTodayAtTheTimeWhenItHasNotPassedElseTomorrow()
    {
        var at = new TimeOnly(2, 0);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero),
            BackupSchedule.Next(new DateTimeOffset(2026, 11, 30, 1, 59, 59, TimeSpan.Zero), at, London));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
            BackupSchedule.Next(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), at, London));
    }

    [Fact]
    public void TheTimeIsLocalSoASummerRunIsAnHourEarlierInUtc()
    {
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 1, 0, 0, TimeSpan.Zero),
            BackupSchedule.Next(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero), new TimeOnly(2, 0), London));
    }

    [Fact]
    public void ATimeTheClockChangeSkipsRunsAnHourLater()
    {
        // 29 March 2026: London's clocks go from 01:00 GMT to 02:00 BST, so 01:30 does not exist that night.
        var next = BackupSchedule.Next(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), new TimeOnly(1, 30), London);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 2, 30, 0, TimeSpan.FromHours(1)), next);
    }

    private static BackupEntry Taken(DateTimeOffset at) =>
        new($"b-{at:yyyyMMddHHmm}.dump", at, 1, "00", BackupTrigger.Scheduled, null, 1);

    [Fact]
    public void RetentionKeepsTheNewestOfEachOfTheLastDaysAndWeeks()
    {
        // Two backups a day (02:00 and a manual one at 15:00) for 70 days ending Monday 30 November 2026.
        var end = new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);
        var all = Enumerable.Range(0, 70)
            .SelectMany(d => new[] { end.AddDays(-d).AddHours(-13), end.AddDays(-d) })
            .ToList();
        var keep = BackupRetention.Keep(all.Select(Taken), daily: 14, weekly: 8, TimeZoneInfo.Utc);

        var expectedDaily = Enumerable.Range(0, 14).Select(d => Taken(end.AddDays(-d)).File);
        // The newest of each ISO week: this Monday, then the Sundays before it.
        var expectedWeekly = new[] { Taken(end).File }
            .Concat(Enumerable.Range(0, 7).Select(w => Taken(end.AddDays(-1 - 7 * w)).File));
        Assert.Equal(expectedDaily.Union(expectedWeekly).Order(), keep.Order());
        Assert.Equal(14 + 8 - 3, keep.Count); // this Monday, and the last two Sundays, are both a day and a week
    }

    [Fact]
    public void RetentionAlwaysKeepsTheNewestAndKeepsEverythingWhileThereIsLittle()
    {
        var now = new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
        var three = new[] { Taken(now), Taken(now.AddDays(-1)), Taken(now.AddDays(-2)) };
        Assert.Equal(3, BackupRetention.Keep(three, 14, 8, TimeZoneInfo.Utc).Count);
        Assert.Equal([Taken(now).File], BackupRetention.Keep(three.Concat([Taken(now.AddMinutes(-5))]), 1, 0, TimeZoneInfo.Utc));
        Assert.Empty(BackupRetention.Keep([], 14, 8, TimeZoneInfo.Utc));
    }
}
