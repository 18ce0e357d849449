using Scorecard.Data.Demo;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Demo;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

public sealed class DemoMeetingsTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task TheDemoHoldsAQaMeetingEveryTwoMonthsForTwoYearsWithOneRareAttenderAndStoredPacks()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var meetings = (await world.Queries.ListAsync(world.Qa, default)).Where(m => m.Kind == MeetingKind.QaSubgroup).OrderBy(m => m.MeetingDate).ToList();
        var held = meetings.Where(m => m.Status == MeetingStatus.Held).ToList();
        Assert.Equal(MeetingDemo.HeldMeetings, held.Count);
        Assert.All(held.Zip(held.Skip(1)), p => Assert.Equal(p.First.MeetingDate.AddMonths(2), p.Second.MeetingDate));
        Assert.Equal(MeetingStatus.Planned, meetings[^1].Status);
        Assert.All(held, m => Assert.True(m.Items > 0 && m.Records > 0));

        var year = await world.Queries.AttendanceAsync(world.Qa, MeetingKind.QaSubgroup, null, default);
        Assert.Equal(6, year.Meetings);
        Assert.Equal("HMPYOI Styal", year.Agencies[0].AgencyName);
        Assert.True(year.Agencies[0].Rarely);
        Assert.Single(year.Agencies, a => a.Rarely);

        // Packs are stored for the last two held meetings only (the others are generated with one click).
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], held.Select(m => m.Packs));
        var pack = (await world.Queries.GetPackAsync(world.Qa, held[^1].Id, null, default))!;
        Assert.Equal(pack.Docx, Scorecard.Data.Meetings.Pack.PackDocument.Write(Scorecard.Data.Meetings.Pack.PackModel.FromJson(pack.Model)));
    }

    [Fact]
    public void TheDemoMeetingsAreTheSameEveryTime()
    {
        var demo = DemoGenerator.Generate();
        var a = MeetingDemo.Generate(demo);
        var b = MeetingDemo.Generate(demo);
        Assert.Equal(a.Select(m => (m.Date, m.Items.Count, string.Join(",", m.Attendance.Select(x => x.Attended)))),
            b.Select(m => (m.Date, m.Items.Count, string.Join(",", m.Attendance.Select(x => x.Attended)))));
    }
}
