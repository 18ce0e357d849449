using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Improvement;

namespace Scorecard.Tests.Loop;

/// <summary>An action's dates are placed on the quarters of its success measure's chart.</summary>
public sealed class ActionChartMarksTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task DatesFallInTheirQuartersAndDatesBeyondTheChartAreSaidToBe()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var model = new ScorecardReadModel(new ScorecardQueries(db.DataSource, FixedClock.DemoToday), FixedClock.DemoToday);
        var line = ScorecardViewBuilder.BuildMeasure(await model.GetAsync(qa.PartnershipId, default), qa, "CSC-REREF")!.Line;
        var placed = ActionChartMarks.Place(line, [("Action started", new DateOnly(2025, 5, 20)), ("Action due", new DateOnly(2030, 1, 1))]);
        Assert.Equal("2025/26 Q1", placed[0].Quarter);
        Assert.Null(placed[1].Quarter);
    }
}
