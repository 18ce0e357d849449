using Scorecard.Data.Meetings;

namespace Scorecard.Tests.Meetings;

public sealed class AttendanceRatesTests
{
    private static readonly DateOnly AsOf = new(2025, 12, 15);

    private static AttendanceMark M(int meeting, DateOnly date, int agency, bool attended) => new(meeting, date, agency, $"Agency {agency}", attended);

    [Fact]
    public void TheRateIsMeetingsAttendedOverMeetingsInvitedInTheYear()
    {
        var marks = new List<AttendanceMark>();
        var dates = Enumerable.Range(0, 6).Select(i => AsOf.AddMonths(-2 * i)).ToList();
        for (var i = 0; i < dates.Count; i++)
        {
            marks.Add(M(i, dates[i], 1, true));
            marks.Add(M(i, dates[i], 2, i == 0 || i == 3));
        }
        var rates = AttendanceRates.ForYear(marks, AsOf);
        var rare = rates[0];
        Assert.Equal(2, rare.AgencyId);
        Assert.Equal((6, 2), (rare.Invited, rare.Attended));
        Assert.Equal("33%", rare.Percent);
        Assert.True(rare.Rarely);
        Assert.Equal(1m, rates[1].Rate);
        Assert.False(rates[1].Rarely);
    }

    [Fact]
    public void AMeetingExactlyAYearBeforeDoesNotCountButOneOnTheDayDoes()
    {
        var rates = AttendanceRates.ForYear([M(1, AsOf.AddYears(-1), 1, true), M(2, AsOf, 1, false)], AsOf);
        Assert.Equal((1, 0), (rates[0].Invited, rates[0].Attended));
    }

    [Fact]
    public void HalfIsNotRarely()
    {
        var rates = AttendanceRates.ForYear([M(1, AsOf, 1, true), M(2, AsOf.AddDays(-60), 1, false)], AsOf);
        Assert.Equal(0.5m, rates[0].Rate);
        Assert.False(rates[0].Rarely);
    }

    [Fact]
    public void NoMeetingsGiveNoRates()
    {
        Assert.Empty(AttendanceRates.ForYear([], AsOf));
    }
}
