using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Scorecard.Data.Demo;

/// <summary>
/// "Today" for the demo partnership, whose data ends in December 2025: the real clock moved back by whole days so that the
/// day it started is <see cref="AsOf"/>, then advancing with real elapsed time (the time of day is the real one). So on
/// the demo nothing is overdue merely because the real calendar has moved on. Production keeps <see cref="TimeProvider.System"/>.
/// </summary>
public sealed class DemoClock : TimeProvider
{
    /// <summary>The setting that turns it on or moves it: a date (<c>yyyy-MM-dd</c>), or <c>real</c> for the real clock.</summary>
    public const string Setting = "Demo:AsOf";

    /// <summary>The demo data's as-of date: after the due date of its last quarter (2025/26 Q2) and before the next is due.</summary>
    public static readonly DateOnly DefaultAsOf = new(2025, 12, 15);

    private readonly TimeProvider real;
    private readonly TimeSpan shift;

    public DemoClock(DateOnly asOf, TimeProvider real)
    {
        this.real = real;
        AsOf = asOf;
        var today = DateOnly.FromDateTime(real.GetUtcNow().UtcDateTime);
        shift = TimeSpan.FromDays(asOf.DayNumber - today.DayNumber);
    }

    /// <summary>The date the demo started on.</summary>
    public DateOnly AsOf { get; }

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + shift;

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;

    public override long GetTimestamp() => real.GetTimestamp();

    public override long TimestampFrequency => real.TimestampFrequency;

    /// <summary>
    /// The demo's as-of date from configuration, or null for the real clock. <c>Demo:AsOf</c> decides when set (a date, or
    /// <c>real</c>); otherwise the demo clock is on exactly when the app loads the demo partnership: the embedded database
    /// with the demo (the default of <c>scripts/run</c>, not <c>--no-demo</c>), or <c>Scorecard:LoadDemoData</c>.
    /// </summary>
    public static DateOnly? AsOfFrom(IConfiguration config)
    {
        var setting = config[Setting]?.Trim();
        if (!string.IsNullOrEmpty(setting))
        {
            if (string.Equals(setting, "real", StringComparison.OrdinalIgnoreCase))
                return null;
            return DateOnly.TryParseExact(setting, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new InvalidOperationException($"{Setting} must be a date written yyyy-MM-dd (e.g. 2025-12-15) or \"real\"; it is \"{setting}\".");
        }
        var embedded = string.IsNullOrWhiteSpace(config.GetConnectionString("Scorecard"));
        var demo = !string.Equals(config["Scorecard:Demo"], "false", StringComparison.OrdinalIgnoreCase);
        var loadDemo = string.Equals(config["Scorecard:LoadDemoData"], "true", StringComparison.OrdinalIgnoreCase);
        return (embedded && demo) || loadDemo ? DefaultAsOf : null;
    }
}
