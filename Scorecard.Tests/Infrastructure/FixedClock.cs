namespace Scorecard.Tests.Infrastructure;

/// <summary>
/// A clock that always says the same instant, so what is missing, late or not yet due does not depend on the day the
/// tests run. Tests use it instead of the real clock (only the browser tests share the app's real one).
/// </summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>
    /// "Today" for tests of the demo partnership: 15 December 2025, after the due date of its last quarter
    /// (2025/26 Q2, due in late October 2025) and before the next is due.
    /// </summary>
    public static readonly FixedClock DemoToday = new(new DateTimeOffset(2025, 12, 15, 12, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
