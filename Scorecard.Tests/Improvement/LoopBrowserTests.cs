using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Loop;

/// <summary>
/// Issue 13 §1–3 in a real browser against the demo: a police user answers a challenge and completes an action, which a
/// QA member moderates; a risk re-scored to 15 is recorded as escalated, proposed for the agenda, and appears on the
/// executive's home.
/// </summary>
[Collection("browser")]
public sealed class LoopBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql))!;
    }

    [Fact]
    public async Task APoliceUserAnswersAChallengeAndCompletesAnActionWhichAQaMemberModerates()
    {
        var police = await fixture.OpenAsync(Actors.PoliceEmail, "/improvement/challenges?status=awaiting_response");
        await Expect(police.GetByRole(AriaRole.Heading, new() { Name = "Challenges to us", Level = 1 })).ToBeVisibleAsync();
        await police.GetByRole(AriaRole.Table, new() { Name = "Challenges" }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(police.GetByTestId("challenge-status")).ToContainTextAsync("Awaiting response");
        var challengeUrl = police.Url;
        await police.GetByLabel("Response").FillAsync("Weekend notifications now go through the duty sergeant; 28 of 30 were on time in November.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Send the response" }).ClickAsync();
        await Expect(police.GetByTestId("challenge-status")).ToContainTextAsync("Responded");

        var actionId = await ScalarAsync<int>("""
            select a.id from improvement_action a join app_user u on u.partnership_id = a.partnership_id and u.agency_id = a.owner_agency_id
            where u.email = 'police@cescp.example' and a.status in ('on_track', 'not_started') order by a.id limit 1
            """);
        await police.GotoAsync($"/improvement/actions/{actionId}");
        await BrowserFixture.WaitForCircuitAsync(police);
        await police.GetByLabel("Evidence of completion").FillAsync("All response officers briefed; briefing register and dip sample of 20 cases held by the PPU.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Mark completed" }).ClickAsync();
        await Expect(police.GetByTestId("action-status")).ToContainTextAsync("Completed: awaiting moderation");
        await Expect(police.GetByRole(AriaRole.Button, new() { Name = "Accept and close" })).ToHaveCountAsync(0);

        var qa = await fixture.OpenAsync(Actors.QaEmail, $"/improvement/actions/{actionId}");
        await Expect(qa.GetByTestId("evidence-text")).ToContainTextAsync("dip sample of 20 cases");
        await qa.GetByLabel("Reason or challenge").FillAsync("Register and dip sample checked");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Accept and close" }).ClickAsync();
        await Expect(qa.GetByTestId("action-status")).ToContainTextAsync("Closed");
        await Expect(qa.GetByRole(AriaRole.List, new() { Name = "Moderation history" })).ToContainTextAsync("Accepted");

        await qa.GotoAsync(challengeUrl);
        await BrowserFixture.WaitForCircuitAsync(qa);
        await qa.GetByRole(AriaRole.Combobox, new() { Name = "View" }).SelectOptionAsync(new SelectOptionValue { Label = "Satisfactory" });
        await qa.GetByRole(AriaRole.Button, new() { Name = "Record the view" }).ClickAsync();
        await Expect(qa.GetByTestId("challenge-status")).ToContainTextAsync("Closed");
        Assert.Equal("closed", await ScalarAsync<string>($"select status from improvement_action where id = {actionId}"));
    }

    [Fact]
    public async Task ARiskReScoredToFifteenIsEscalatedAndAppearsOnTheExecutivesHome()
    {
        var riskId = await ScalarAsync<int>("select id from risk where status = 'open' and not escalated and score < 12 order by id limit 1");
        var title = await ScalarAsync<string>($"select title from risk where id = {riskId}");
        var before = await fixture.OpenAsync(Actors.ExecutiveEmail, "/");
        await Expect(before.GetByTestId("escalated-risks")).ToBeVisibleAsync();
        await Expect(before.GetByTestId("escalated-risks").GetByRole(AriaRole.Link, new() { Name = title })).ToHaveCountAsync(0);

        var qa = await fixture.OpenAsync(Actors.QaEmail, $"/improvement/risks/{riskId}");
        await Expect(qa.GetByTestId("risk-escalated")).ToHaveCountAsync(0);
        await qa.GetByLabel("Likelihood").SelectOptionAsync("3");
        await qa.GetByLabel("Impact").SelectOptionAsync("5");
        await Expect(qa.GetByRole(AriaRole.Status).Filter(new() { HasText = "New score" })).ToContainTextAsync("15 (Possible × Severe)");
        await qa.GetByLabel("Review note").FillAsync("Two further agencies cannot release auditors this year");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Record the review" }).ClickAsync();

        await Expect(qa.GetByTestId("risk-escalated")).ToContainTextAsync("Escalated to the Executive");
        await Expect(qa.GetByTestId("risk-score")).ToContainTextAsync("Score 15");
        await Expect(qa.GetByTestId("escalation-history")).ToContainTextAsync(new Regex("Escalated to the Executive at score 15"));

        var qaActor = await Actors.ForAsync(fixture.App.DataSource, Actors.QaEmail);
        var source = fixture.App.App.Services.GetServices<IAgendaSource>().OfType<ImprovementAgendaSource>().Single();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var items = await source.FindAsync(qaActor, today.AddDays(-1), today.AddDays(1), default);
        var item = Assert.Single(items, i => i.Kind == AgendaItemKind.EscalatedRisk && i.SourceKey == $"risk:{riskId}");
        Assert.Contains("new since the last meeting", item.Reason);
        Assert.Contains(item.Facts, f => f.Label == "Score" && f.Value == "15 (Possible × Severe)");

        // The executive signs in and finds it on their home page, linked to the risk.
        var executive = await fixture.OpenAsync(Actors.ExecutiveEmail, "/");
        var escalated = executive.GetByTestId("escalated-risks");
        var link = escalated.GetByRole(AriaRole.Link, new() { Name = title });
        await Expect(link).ToBeVisibleAsync();
        var line = escalated.Locator("li").Filter(new() { HasText = title });
        await Expect(line).ToContainTextAsync("new since the last meeting");
        await Expect(line).ToContainTextAsync("Score: 15 (Possible × Severe)");
        await link.ClickAsync();
        await Expect(executive).ToHaveURLAsync(new Regex($"/improvement/risks/{riskId}$"));
        await Expect(executive.GetByTestId("risk-escalated")).ToContainTextAsync("Escalated to the Executive");
    }
}
