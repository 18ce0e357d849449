using Bunit;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Components;

/// <summary>The home page's scorecard summary by priority agrees with the scorecard it links to.</summary>
public sealed class PriorityGlanceTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task EachPriorityCountsItsRedAmberGreenAndExceptionsAndLinksToTheFilteredScorecard()
    {
        UseDatabase(db.DataSource);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        SignInAs(qa);
        var view = ScorecardBuilder.Build(await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None), qa, ScorecardScope.Partnership);
        var p2 = view.Lines.Where(l => l.Measure.PriorityCode == "P2").ToList();

        var cut = Render<Scorecard.Web.Components.Pages.Home.PriorityGlance>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("tr[data-priority]").Count), TimeSpan.FromSeconds(10));

        var cells = cut.Find("tr[data-priority=P2]").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(p2.Count.ToString(), cells[1]);
        Assert.Equal(p2.Count(l => l.Current.Rag == RagStatus.Red).ToString(), cells[2]);
        Assert.Equal(p2.Count(l => l.IsException).ToString(), cells[5]);
        Assert.Equal("/scorecard?priority=P2&exceptions=true", cut.Find("tr[data-priority=P2] td:last-child a").GetAttribute("href"));
    }
}
