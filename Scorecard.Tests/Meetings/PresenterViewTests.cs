using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Accounts;
using Scorecard.Data.Meetings;
using Scorecard.Tests.Components;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Meetings;

namespace Scorecard.Tests.Meetings;

/// <summary>The presenter view: one item per screen, stepped with the keyboard, decisions recorded as the meeting goes.</summary>
public sealed class PresenterViewTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private async Task<(MeetingWorld World, int MeetingId, MeetingDetail Detail)> ArrangeAsync(Actor viewer)
    {
        UseDatabase(db.DataSource);
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync($"Presenter {Guid.NewGuid():N}"[..20]);
        SignInAs(viewer);
        return (world, id, (await world.Queries.GetAsync(world.Qa, id, default))!);
    }

    private static string Title(IRenderedComponent<PresenterView> cut) => cut.Find("#presenter-title").TextContent;

    [Fact]
    public async Task TheArrowAndPageKeysStepThroughTheAgendaOneItemPerScreen()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var (_, id, detail) = await ArrangeAsync(qa);
        var agenda = detail.Agenda;
        Assert.True(agenda.Count >= 3);

        var cut = Render<PresenterView>(p => p.Add(v => v.Id, id));
        cut.WaitForAssertion(() => Assert.Equal($"1. {agenda[0].Title}", Title(cut)), TimeSpan.FromSeconds(15));
        Assert.Equal($"Item 1 of {agenda.Count}", cut.Find("[data-testid=presenter-count]").TextContent);
        Assert.Single(cut.FindAll("h1.presenter__title"));
        // A scorecard exception comes with its facts and its XmR chart (drawn once the item's figures arrive, which can
        // be after its title on a busy machine).
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Latest figure", cut.Find("[data-testid=presenter-facts]").TextContent);
            Assert.NotEmpty(cut.FindAll("figure.xmr-chart"));
        }, TimeSpan.FromSeconds(15));

        var slide = cut.Find("[data-testid=presenter-slide]");
        await slide.KeyDownAsync(new KeyboardEventArgs { Key = "ArrowRight" });
        cut.WaitForAssertion(() => Assert.Equal($"2. {agenda[1].Title}", Title(cut)));
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "PageDown" });
        cut.WaitForAssertion(() => Assert.Equal($"3. {agenda[2].Title}", Title(cut)));
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "PageUp" });
        cut.WaitForAssertion(() => Assert.Equal($"2. {agenda[1].Title}", Title(cut)));
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowLeft" });
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowLeft" });
        cut.WaitForAssertion(() => Assert.Equal($"1. {agenda[0].Title}", Title(cut)));
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "End" });
        cut.WaitForAssertion(() => Assert.Equal($"{agenda.Count}. {agenda[^1].Title}", Title(cut)));
        Assert.True(cut.FindAll("nav[aria-label='Agenda navigation'] button").Last().HasAttribute("disabled"));
    }

    [Fact]
    public async Task ADecisionRecordedInThePresenterViewIsStoredAgainstTheItemOnScreen()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var (world, id, detail) = await ArrangeAsync(qa);
        var cut = Render<PresenterView>(p => p.Add(v => v.Id, id));
        cut.WaitForAssertion(() => Assert.StartsWith("1. ", Title(cut)), TimeSpan.FromSeconds(15));
        await cut.Find("[data-testid=presenter-slide]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowRight" });
        cut.WaitForAssertion(() => Assert.StartsWith("2. ", Title(cut)));

        cut.Find("textarea").Change("Refer the rise to the Executive.");
        await cut.Find("form.presenter__form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("Decision: Refer the rise to the Executive.", cut.Find("[data-testid=presenter-records]").TextContent));
        Assert.StartsWith("2. ", Title(cut));
        var stored = (await world.Queries.GetAsync(qa, id, default))!.RecordsFor(detail.Agenda[1].Id);
        Assert.Equal("Refer the rise to the Executive.", Assert.Single(stored).Text);
    }

    [Fact]
    public async Task AnExecutiveFollowsAQaMeetingButRecordsNothingInIt()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var (_, id, _) = await ArrangeAsync(exec);
        var cut = Render<PresenterView>(p => p.Add(v => v.Id, id));
        cut.WaitForAssertion(() => Assert.StartsWith("1. ", Title(cut)), TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("form.presenter__form"));
    }

    [Fact]
    public async Task TheExecutiveHomeShowsWhatTheSourcesEscalate()
    {
        Services.AddSingleton<IAgendaSource>(new FixedSource(
            new AgendaCandidate(AgendaItemKind.EscalatedRisk, "risk:9", "Exploitation of children missing from education", "Score 15 (likely × major)", 15, "/risks/9",
                [new AgendaFact("Score", "15")])));
        UseDatabase(db.DataSource);
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        SignInAs(exec);

        var cut = Render<ExecutiveHome>();

        cut.WaitForAssertion(() => Assert.Contains("Exploitation of children missing from education", cut.Find("[data-testid=escalated-risks]").TextContent), TimeSpan.FromSeconds(15));
        // Beside the register's own escalated risks (the demo has two), each linked to where its evidence is.
        Assert.Contains(cut.FindAll("[data-testid=escalated-risks] a"), a => a.GetAttribute("href") == "/risks/9");
        Assert.Contains(cut.FindAll("[data-testid=escalated-risks] a"), a => a.GetAttribute("href")!.StartsWith("/improvement/risks/", StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=plans-awaiting-sign-off]"));
    }

    private sealed class FixedSource(params AgendaCandidate[] candidates) : IAgendaSource
    {
        public Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<AgendaCandidate>>(candidates);
    }
}
