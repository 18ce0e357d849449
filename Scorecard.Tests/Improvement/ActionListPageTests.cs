using Microsoft.AspNetCore.Components;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Improvement;

namespace Scorecard.Tests.Loop;

/// <summary>
/// The light action list: a page of rows with the whole list's counts (real PostgreSQL), an agency user paged over their
/// own only, and the rows' single piece of HTML encoding every text.
/// </summary>
public sealed class ActionListPageTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;

    public async Task InitializeAsync()
    {
        w = await ImprovementWorld.CreateAsync(db.DataSource, "alp");
        for (var i = 0; i < 5; i++)
            Assert.True((await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, title: $"Police action {i}", dueInDays: i == 0 ? -3 : 30 + i), default)).Succeeded);
        for (var i = 0; i < 2; i++)
            Assert.True((await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, title: $"Health action {i}"), default)).Succeeded);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task APageHoldsItsRowsAndTheWholeListsCounts()
    {
        var all = await w.ActionQueries.ListAsync(w.Qa, new ActionFilter(), default);
        var second = await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(), 2, 3, default);
        Assert.Equal((7, 1, 2, 3), (second.Total, second.Overdue, second.Page, second.Pages));
        Assert.Equal(all.Skip(3).Take(3).Select(r => r.Id), second.Rows.Select(r => r.Id));
        var first = await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(), 1, 3, default);
        Assert.Equal("Police action 0", first.Rows[0].Title);
    }

    [Fact]
    public async Task APagePastEitherEndGivesTheNearestPage()
    {
        Assert.Equal(3, (await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(), 99, 3, default)).Page);
        Assert.Single((await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(), 99, 3, default)).Rows);
        Assert.Equal(1, (await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(), -4, 3, default)).Page);
        var none = await w.ActionQueries.PageAsync(w.Qa, new ActionFilter(Status: ActionStatus.Closed), 1, 3, default);
        Assert.Equal((0, 1, 1), (none.Total, none.Page, none.Pages));
    }

    [Fact]
    public async Task AnAgencyUserPagesOverTheirOwnActionsOnly()
    {
        var mine = await w.ActionQueries.PageAsync(w.HealthUser, new ActionFilter(), 1, 25, default);
        Assert.Equal(2, mine.Total);
        Assert.All(mine.Rows, r => Assert.Equal(w.HealthId, r.OwnerAgencyId));
    }

    [Fact]
    public void TheRowsAreOnePieceOfHtmlWithEveryTextEncoded()
    {
        var row = new ActionRow(42, "<script>alert(1)</script> & more", SourceKind.Measure, "CSC-REREF", "CSC-REREF \"Re-referrals\"", 3, "Police & Crime",
            "DI <Smith>", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 1), null, ActionStatus.AtRisk, null, null, 1) { Overdue = true };
        var html = ActionRowsHtml.Render([row]).Value;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("href=\"/improvement/actions/42\"", html);
        Assert.Contains("href=\"/improvement/plans/measure/CSC-REREF\"", html);
        Assert.Contains("DI &lt;Smith&gt;", html);
        Assert.Contains("<span class=\"loop-chip loop-chip--at_risk\">At risk</span>", html);
        Assert.Contains("Overdue", html);
        Assert.Contains("Returned at moderation", html);
        Assert.Contains("1 Dec 2025", html);
        Assert.IsType<MarkupString>(ActionRowsHtml.Render([]));
    }
}
