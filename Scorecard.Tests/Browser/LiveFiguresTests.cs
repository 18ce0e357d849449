using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Live figures (issue 10 §1): open pages redraw themselves when a return is committed, on the instance that took the
/// upload and on another instance of the app on the same database (PostgreSQL NOTIFY reaches both).
/// </summary>
[Collection("browser")]
public sealed class LiveFiguresTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();

    private static async Task<ReturnImportResult> CommitAsync(RunningApp via, int agencyId, int periodId, string note)
    {
        var admin = await Actors.ForAsync(via.DataSource, Actors.AdminEmail);
        var template = await ReturnFiles.TemplateAsync(via.DataSource, admin, agencyId, periodId);
        var bytes = ReturnFiles.Fill(template, ws => ws.Cell(ReturnFiles.FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = note);
        var result = await via.App.Services.GetRequiredService<ReturnImportService>()
            .CommitAsync(admin, new ReturnUpload(agencyId, periodId, "live.xlsx", bytes), CancellationToken.None);
        Assert.Equal(ReturnImportStatus.Committed, result.Status);
        return result;
    }

    private static Task ListeningAsync(RunningApp app) =>
        app.App.Services.GetRequiredService<ScorecardReadModel>().WhenListening.WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ATrackerCellTurnsFromMissingToReceivedWhileTheQaSubgroupWatches()
    {
        var data = fixture.App.DataSource;
        var admin = await Actors.ForAsync(data, Actors.AdminEmail);
        var lateName = Demo.Agencies.Single(a => a.Key == Demo.Signals.LateAgencyKey).Name;
        var late = await Actors.AgencyIdAsync(data, lateName);
        var latest = (await new ReturnQueries(data, TimeProvider.System).GetSubmissionMatrixAsync(admin, new SubmissionMatrixRequest(8), CancellationToken.None)).Periods[^1];
        await ListeningAsync(fixture.App);
        var page = await fixture.OpenAsync(Actors.QaEmail, "/returns/tracker");
        var table = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Timeliness" });
        // Once received, the agency no longer sorts first: keep it in view by finding it.
        await page.GetByLabel("Find an agency").FillAsync(lateName);
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = $"{lateName}, {latest.Label}: Missing" })).ToBeVisibleAsync();

        await CommitAsync(fixture.App, late, latest.PeriodId, "sent while the subgroup watched");

        // Received after its due date, so late: the cell changes without a reload, with a note of what changed.
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = $"{lateName}, {latest.Label}: Late" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = $"{lateName}, {latest.Label}: Missing" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Figures updated" })).ToContainTextAsync($"Figures updated: {lateName}'s {latest.Label} return.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "tracker-live.png") });
    }

    [Fact]
    public async Task AReturnCommittedOnOneInstanceShowsOnTheOpenScorecardsOfBoth()
    {
        await using var second = await RunningApp.StartAsync(fixture.App.ConnectionString);
        await Task.WhenAll(ListeningAsync(fixture.App), ListeningAsync(second));
        var police = await Actors.AgencyIdAsync(fixture.App.DataSource, "Cheshire Constabulary");
        var (period, _) = await HistoryTestData.LatestReportedAsync(fixture.App.DataSource, police);
        var secondModel = second.App.Services.GetRequiredService<ScorecardReadModel>();
        var partnership = (await Actors.ForAsync(second.DataSource, Actors.QaEmail)).PartnershipId;
        var before = await secondModel.GetAsync(partnership, CancellationToken.None);
        var label = before.Data.Periods.Single(p => p.Id == period).Label;

        var onFirst = await fixture.OpenAsync(Actors.QaEmail, "/scorecard");
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = second.BaseUrl, Locale = "en-GB", ViewportSize = new() { Width = 1440, Height = 900 } });
        var onSecond = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(onSecond, Actors.QaEmail);
        await onSecond.GotoAsync("/scorecard");
        await BrowserFixture.WaitForCircuitAsync(onSecond);
        await Expect(onSecond.Locator("td[data-code]").First).ToBeVisibleAsync();

        var committed = await CommitAsync(fixture.App, police, period, "committed on the first instance");

        var note = $"Figures updated: Cheshire Constabulary's {label} return.";
        await Expect(onSecond.GetByRole(AriaRole.Status).Filter(new() { HasText = "Figures updated" })).ToContainTextAsync(note);
        await Expect(onFirst.GetByRole(AriaRole.Status).Filter(new() { HasText = "Figures updated" })).ToContainTextAsync(note);
        var after = await secondModel.GetAsync(partnership, CancellationToken.None);
        Assert.True(after.Version > before.Version);
        Assert.Contains(after.Data.Values, v => v.ReturnId == committed.ReturnId);
        Assert.Matches(new Regex("^/scorecard"), new Uri(onSecond.Url).AbsolutePath);
        await context.CloseAsync();
    }
}
