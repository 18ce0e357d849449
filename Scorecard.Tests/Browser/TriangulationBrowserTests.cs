using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scorecard.Data.Triangulation;
using Scorecard.Data.Voice;
using Scorecard.Data.Voice.Demo;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Issue 12 in a real browser: a QA member opens the matrix, sees the planted contested theme first, opens its evidence in
/// each lens, records an assurance judgement and sees it logged; an agency user sees suppressed results as suppressed.
/// Screenshots of the matrix at 1366×768 and 1440×900 as QA and as the police user.
/// </summary>
[Collection("browser")]
public sealed class TriangulationBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AQaMemberSeesTheContestedThemeFirstOpensEachLensAndRecordsAJudgement()
    {
        var page = await fixture.OpenAsync(Actors.QaEmail, "/triangulation");

        var firstRow = page.Locator("table.triangulation-matrix tbody tr").First;
        await Expect(firstRow.Locator("th")).ToContainTextAsync(TriangulationDemo.ContestedTheme);
        await Expect(firstRow.GetByTestId("verdict")).ToHaveTextAsync("Contested");

        foreach (var lens in Scorecard.Data.Common.DbEnum.All<Lens>())
        {
            var name = TriangulationWords.Label(lens);
            await firstRow.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^{Regex.Escape(name)} for {Regex.Escape(TriangulationDemo.ContestedTheme)}") }).ClickAsync();
            await page.WaitForURLAsync(new Regex($"/triangulation/themes/\\d+#lens-{TriangulationWords.Slug(lens)}$"));
            await BrowserFixture.WaitForCircuitAsync(page);
            await Expect(page.Locator($"#lens-{TriangulationWords.Slug(lens)} h2")).ToContainTextAsync(name);
            await page.GoBackAsync();
            await BrowserFixture.WaitForCircuitAsync(page);
            firstRow = page.Locator("table.triangulation-matrix tbody tr").First;
        }
        // The evidence behind the negative children's lens names the survey the plant is in.
        await firstRow.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Children and families for") }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("#lens-children-and-families")).ToContainTextAsync("I was listened to at my conference");

        await page.GetByLabel("Meeting date").FillAsync("2025-10-14");
        await page.GetByLabel("Judgement").SelectOptionAsync("corroborated-negative");
        await page.GetByLabel("Rationale (needed to override)").FillAsync("Children's own accounts outweigh practitioners' confidence.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record judgement" }).ClickAsync();

        await Expect(page.GetByTestId("latest-judgement")).ToContainTextAsync("Corroborated (negative)");
        await Expect(page.GetByTestId("latest-judgement")).ToContainTextAsync("overriding the computed contested");
        var history = page.GetByTestId("judgement-history");
        await Expect(history).ToContainTextAsync("14 Oct 2025");
        await Expect(history).ToContainTextAsync("Contested");
        await Expect(history).ToContainTextAsync("Children's own accounts outweigh practitioners' confidence.");

        var admin = await fixture.OpenAsync(Actors.AdminEmail, "/admin/change-log");
        await Expect(admin.Locator("body")).ToContainTextAsync("Corroborated (negative) (computed: Contested)");
    }

    [Fact]
    public async Task AThemesActionsAreListedOnItsPageAndLeadToItsPlan()
    {
        // The demo gives the first lines of enquiry actions (issue 13 §1: each source shows its actions).
        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        var (themeId, count) = await Dapper.SqlMapper.QueryFirstAsync<(int, int)>(conn, """
            select t.id, count(*)::int from triangulation_theme t
            join improvement_action a on a.partnership_id = t.partnership_id and a.source_kind = 'triangulation_theme' and a.source_key = t.id::text
            group by t.id order by t.id limit 1
            """);
        var page = await fixture.OpenAsync(Actors.QaEmail, $"/triangulation/themes/{themeId}");

        var actions = page.Locator("section.loop-actions-for");
        await Expect(actions.GetByRole(AriaRole.Heading, new() { Name = "Actions" })).ToBeVisibleAsync();
        await Expect(actions.Locator("li")).ToHaveCountAsync(count);
        await Expect(actions.GetByTestId("actions-for-summary")).ToContainTextAsync($"{count} action");
        await Expect(actions.GetByRole(AriaRole.Link, new() { Name = "Add an action" })).ToHaveAttributeAsync("href", $"/improvement/actions/new?kind=triangulation_theme&key={themeId}");

        await actions.GetByRole(AriaRole.Link, new() { Name = "The action plan of this triangulation theme" }).ClickAsync();
        await page.WaitForURLAsync($"**/improvement/plans/triangulation_theme/{themeId}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.Locator("main")).ToContainTextAsync("Theme:");
    }

    [Fact]
    public async Task AnAgencyUserSeesSuppressedResultsAsSuppressed()
    {
        var page = await fixture.OpenAsync(Actors.PoliceEmail, "/voice");
        await page.GetByRole(AriaRole.Link, new() { Name = "Young carers' consultation" }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);

        await Expect(page.GetByTestId("suppressed-note")).ToBeVisibleAsync();
        var results = page.GetByTestId("voice-results");
        await Expect(results.Locator("tr", new() { HasText = "Someone at my school knows" })).ToContainTextAsync(VoiceDisclosure.SmallAnswer);
        await Expect(results).Not.ToContainTextAsync("yes 11");
        await Expect(results.Locator("tr", new() { HasText = "I know who to ask for help" })).ToContainTextAsync("100%");

        await page.GotoAsync("/voice");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = VoiceDemoGenerator.YoungCarersFocusGroup }).ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("voice-results")).ToContainTextAsync(VoiceDisclosure.FewRespondents);
        await Expect(page.Locator("h1")).ToHaveTextAsync(VoiceDemoGenerator.YoungCarersFocusGroup);
        await Expect(page.Locator(".page-header")).ToContainTextAsync("fewer than 5 respondents");
    }

    [Theory]
    [InlineData(Actors.QaEmail, 1366, 768)]
    [InlineData(Actors.QaEmail, 1440, 900)]
    [InlineData(Actors.PoliceEmail, 1366, 768)]
    [InlineData(Actors.PoliceEmail, 1440, 900)]
    public async Task TheMatrixFitsTheCommonScreens(string email, int width, int height)
    {
        var page = await fixture.OpenAsync(email, "/triangulation");
        await page.SetViewportSizeAsync(width, height);
        await Expect(page.Locator("table.triangulation-matrix tbody tr")).ToHaveCountAsync(8);

        // Every lens column and the verdict are on screen without scrolling sideways.
        var verdict = await page.GetByTestId("verdict").First.BoundingBoxAsync();
        Assert.NotNull(verdict);
        Assert.True(verdict.X + verdict.Width <= width, $"The verdict column ends at {verdict.X + verdict.Width}px on a {width}px screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"triangulation-{email.Split('@')[0]}-{width}x{height}.png"), FullPage = true });
    }
}
