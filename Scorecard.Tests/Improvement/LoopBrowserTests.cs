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

    private async Task<(int, int)> ScalarPairAsync(string sql)
    {
        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<(int, int)>(sql);
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

    [Fact]
    public async Task ChallengesShowOnTheFindingStandardThemeAndAgencyPages()
    {
        var qa = await fixture.OpenAsync(Actors.QaEmail, "/");

        // A finding: the audit's findings tab lists the challenges about its findings, with a "raise" link per finding.
        var auditId = await ScalarAsync<int>("""
            select f.audit_id from challenge c join audit_finding f on f.partnership_id = c.partnership_id and f.id::text = c.subject_key
            where c.subject_kind = 'audit_finding' order by c.id limit 1
            """);
        var aboutFindings = await ScalarAsync<long>($"""
            select count(*) from challenge c join audit_finding f on f.partnership_id = c.partnership_id and f.id::text = c.subject_key
            where c.subject_kind = 'audit_finding' and f.audit_id = {auditId}
            """);
        await qa.GotoAsync($"/assurance/audits/{auditId}");
        await BrowserFixture.WaitForCircuitAsync(qa);
        await qa.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Findings") }).ClickAsync();
        var findings = qa.GetByRole(AriaRole.Region, new() { Name = "Challenges" });
        await Expect(findings.GetByRole(AriaRole.Listitem)).ToHaveCountAsync((int)aboutFindings);
        await Expect(findings.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Raise a challenge about F-") }).First).ToBeVisibleAsync();

        // A standard: an agency's self-assessment lists the challenges put to that agency about the cycle's standards.
        var (cycleId, agencyId) = await ScalarPairAsync("""
            select ca.cycle_id, c.to_agency_id from challenge c
            join framework_standard s on s.partnership_id = c.partnership_id and s.id::text = c.subject_key
            join assessment_cycle cy on cy.partnership_id = s.partnership_id and cy.framework_id = s.framework_id
            join cycle_agency ca on ca.partnership_id = cy.partnership_id and ca.cycle_id = cy.id and ca.agency_id = c.to_agency_id
            where c.subject_kind = 'self_assessment_standard' order by c.id limit 1
            """);
        await qa.GotoAsync($"/assurance/cycles/{cycleId}/agencies/{agencyId}");
        await BrowserFixture.WaitForCircuitAsync(qa);
        var standards = qa.GetByRole(AriaRole.Region, new() { Name = "Challenges" });
        await Expect(standards.GetByRole(AriaRole.Link, new() { Name = "Your self-assessment rated this standard met: what evidence supports the rating?" }).First).ToBeVisibleAsync();

        // An agency: the agency's page lists every challenge put to it.
        var policeId = await ScalarAsync<int>("select agency_id from app_user where email = 'police@cescp.example'");
        var toPolice = await ScalarAsync<long>($"select count(*) from challenge where to_agency_id = {policeId}");
        await qa.GotoAsync($"/scorecard/agencies/{policeId}");
        await BrowserFixture.WaitForCircuitAsync(qa);
        await Expect(qa.GetByRole(AriaRole.Region, new() { Name = "Challenges to this agency" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync((int)toPolice);

        // A theme: none yet; "Raise a challenge" comes pre-filled with the theme, and the new challenge shows on the theme.
        var themeId = await ScalarAsync<int>("select id from triangulation_theme order by id limit 1");
        await qa.GotoAsync($"/triangulation/themes/{themeId}");
        await BrowserFixture.WaitForCircuitAsync(qa);
        var theme = qa.GetByRole(AriaRole.Region, new() { Name = "Challenges" });
        await Expect(theme).ToContainTextAsync("No challenges about this");
        await theme.GetByRole(AriaRole.Link, new() { Name = "Raise a challenge" }).ClickAsync();
        await Expect(qa).ToHaveURLAsync(new Regex($"kind=triangulation_theme&key={themeId}$"));
        await BrowserFixture.WaitForCircuitAsync(qa);
        await qa.GetByLabel("To agency").SelectOptionAsync(policeId.ToString());
        await qa.GetByLabel("Question").FillAsync("The police lens is negative for this theme: what is behind the fall?");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Raise the challenge" }).ClickAsync();
        await Expect(qa).ToHaveURLAsync(new Regex("/improvement/challenges/[0-9]+$"));
        await qa.GotoAsync($"/triangulation/themes/{themeId}");
        await BrowserFixture.WaitForCircuitAsync(qa);
        await Expect(qa.GetByRole(AriaRole.Region, new() { Name = "Challenges" })
            .GetByRole(AriaRole.Link, new() { Name = "The police lens is negative for this theme: what is behind the fall?" })).ToBeVisibleAsync();

        // The police user's own agency page lists the same challenges, and offers no "raise" link.
        var police = await fixture.OpenAsync(Actors.PoliceEmail, $"/scorecard/agencies/{policeId}");
        var own = police.GetByRole(AriaRole.Region, new() { Name = "Challenges to this agency" });
        await Expect(own.GetByRole(AriaRole.Listitem)).ToHaveCountAsync((int)toPolice + 1);
        await Expect(own.GetByRole(AriaRole.Link, new() { Name = "Raise a challenge" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AQaMemberEditsARiskAndRecordsAndEditsALearningReview()
    {
        var riskId = await ScalarAsync<int>("select id from risk where status = 'open' order by id desc limit 1");
        var score = await ScalarAsync<short>($"select score from risk where id = {riskId}");
        var qa = await fixture.OpenAsync(Actors.QaEmail, $"/improvement/risks/{riskId}");
        await qa.GetByLabel("Owner", new() { Exact = true }).FillAsync("Head of Safeguarding, ICB");
        await qa.GetByLabel("Next review date").FillAsync("2027-03-31");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Save the risk" }).ClickAsync();
        await Expect(qa.GetByRole(AriaRole.Status).Filter(new() { HasText = "The risk is saved." })).ToBeVisibleAsync();
        await Expect(qa.GetByText("owner Head of Safeguarding, ICB")).ToBeVisibleAsync();
        await Expect(qa.GetByTestId("risk-score")).ToContainTextAsync($"Score {score}");
        Assert.Equal(new DateOnly(2027, 3, 31), await ScalarAsync<DateOnly>($"select review_date from risk where id = {riskId}"));

        await qa.GotoAsync("/improvement/learning-reviews");
        await BrowserFixture.WaitForCircuitAsync(qa);
        await qa.GetByText("Add a learning review").ClickAsync();
        await qa.GetByLabel("Title").FillAsync("Child K: rapid review");
        await qa.GetByLabel("Started on").FillAsync("2025-11-03");
        await qa.GetByLabel("Recommendations, one per line").FillAsync("Schools share attendance concerns with the social worker weekly\nThe GP is invited to every strategy discussion");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Record the review" }).ClickAsync();
        await Expect(qa.GetByRole(AriaRole.Heading, new() { Name = "Child K: rapid review", Level = 1 })).ToBeVisibleAsync();
        var recommendations = qa.GetByRole(AriaRole.Table, new() { Name = "Recommendations" });
        await Expect(recommendations.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);

        await qa.GetByLabel("Recommendation 2").FillAsync("The GP and school nurse are invited to every strategy discussion");
        await qa.GetByRole(AriaRole.Button, new() { Name = "Save recommendation 2" }).ClickAsync();
        await Expect(recommendations).ToContainTextAsync("The GP and school nurse are invited to every strategy discussion");
        await qa.GetByLabel("Title").FillAsync("Child K: LCSPR");
        await qa.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "Local child safeguarding practice review" });
        await qa.GetByRole(AriaRole.Button, new() { Name = "Save the review" }).ClickAsync();
        await Expect(qa.GetByRole(AriaRole.Heading, new() { Name = "Child K: LCSPR", Level = 1 })).ToBeVisibleAsync();
    }
}
