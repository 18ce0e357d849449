using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Performance;

/// <summary>
/// Recording a process change recalculates a measure's limits from that quarter (a new SPC segment), is logged, and
/// is for the QA subgroup and admins only.
/// </summary>
public sealed class ProcessChangeTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private async Task<ScorecardLine> LineAsync(Actor actor, string code)
    {
        var data = await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(actor, CancellationToken.None);
        return ScorecardBuilder.Build(data, actor, ScorecardScope.Partnership).Lines.Single(l => l.Measure.Code == code);
    }

    [Fact]
    public async Task RecalculatingFromTheShiftGivesTheShiftedProcessItsOwnLimitsAndRemovingItUndoesThat()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var commands = new ProcessChangeCommands(db.DataSource);
        var before = await LineAsync(qa, Demo.Signals.ShiftMeasureCode);
        var shiftStart = before.History[Demo.Signals.ShiftStartsAtIndex].Period;
        var logBefore = await Actors.CountAsync(db.DataSource, "change_log", "entity = 'spc_process_change'");

        var added = await commands.AddAsync(qa, before.Measure.Id, shiftStart.Id, "New front door: re-referral screening moved to the MASH in Q2", CancellationToken.None);

        Assert.True(added.Succeeded);
        var after = await LineAsync(qa, Demo.Signals.ShiftMeasureCode);
        Assert.Single(before.Spc!.Segments);
        Assert.Equal(2, after.Spc!.Segments.Count);
        Assert.Equal(Demo.Signals.ShiftStartsAtIndex, after.Spc.Segments[1].Start);
        Assert.True(after.Spc.Segments[1].Mean > after.Spc.Segments[0].Mean + 3, "the shifted process has the higher mean");
        // Judged against its own limits, the shifted process is no longer special cause at its latest point.
        Assert.Equal(VariationIcon.ConcernHigh, before.Variation);
        Assert.NotEqual(VariationIcon.ConcernHigh, after.Variation);
        Assert.Equal(logBefore + 1, await Actors.CountAsync(db.DataSource, "change_log", "entity = 'spc_process_change' and action = 'create'"));

        // The chart draws each segment's limits as its own line, under one legend entry.
        var upper = XmrChartData.Traces(after).Cast<Plotly.Blazor.Traces.Scatter>().Where(t => t.Name == XmrChartData.UpperName).ToList();
        Assert.Equal(2, upper.Count);
        Assert.Equal(after.History[Demo.Signals.ShiftStartsAtIndex - 1].Period.Label, upper[0].X[^1]);
        Assert.Equal(after.History[Demo.Signals.ShiftStartsAtIndex].Period.Label, upper[1].X[0]);
        Assert.Equal(after.Spc.Segments[1].UpperLimit, (double?)upper[1].Y[0]);
        Assert.Equal([true, false], upper.Select(t => t.ShowLegend == true));

        var removed = await commands.RemoveAsync(qa, added.Value, CancellationToken.None);

        Assert.True(removed.Succeeded);
        Assert.Single((await LineAsync(qa, Demo.Signals.ShiftMeasureCode)).Spc!.Segments);
    }

    [Fact]
    public async Task AReasonIsRequiredAndAQuarterTakesOneChangeOnly()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var commands = new ProcessChangeCommands(db.DataSource);
        var line = await LineAsync(admin, "CSC-S47-ICPC");
        var quarter = line.History[10].Period;

        var noReason = await commands.AddAsync(admin, line.Measure.Id, quarter.Id, "  ", CancellationToken.None);
        var first = await commands.AddAsync(admin, line.Measure.Id, quarter.Id, "Threshold guidance revised", CancellationToken.None);
        var again = await commands.AddAsync(admin, line.Measure.Id, quarter.Id, "Recorded twice by mistake", CancellationToken.None);

        Assert.Equal("Reason", Assert.Single(noReason.Errors).Field);
        Assert.True(first.Succeeded);
        Assert.Equal("A process change is already recorded for this quarter.", Assert.Single(again.Errors).Message);
    }

    [Theory]
    [InlineData(Actors.ExecutiveEmail)]
    [InlineData(Actors.PoliceEmail)]
    public async Task ExecutivesAndAgencyUsersCannotRecordOne(string email)
    {
        var actor = await Actors.ForAsync(db.DataSource, email);
        var line = await LineAsync(actor, "CSC-REFERRALS");

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            new ProcessChangeCommands(db.DataSource).AddAsync(actor, line.Measure.Id, line.History[5].Period.Id, "Not mine to decide", CancellationToken.None));
    }
}
