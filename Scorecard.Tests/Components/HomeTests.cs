using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Common;
using Scorecard.Data.Home;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Home;

namespace Scorecard.Tests.Components;

/// <summary>The home page: overdue means not received; agency users see their own agency's part.</summary>
public sealed class HomeTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private void Register()
    {
        UseDatabase(db.DataSource);
        Services.AddSingleton<AgencyHomeQueries>();
    }

    [Fact]
    public async Task OverdueReturnsListsOnlyReturnsNotReceived()
    {
        Register();
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var summary = await new HomeQueries(db.DataSource, new ReturnQueries(db.DataSource, FixedClock.DemoToday), FixedClock.DemoToday)
            .GetSummaryAsync(admin);
        var latest = summary.LatestQuarter!;
        Assert.Contains(latest.Agencies, a => a.Status == SubmissionStatus.Late); // the demo has late-but-received returns to leave out
        SignInAs(admin);

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=overdue-table] tbody tr")), TimeSpan.FromSeconds(15));
        var statuses = cut.FindAll("[data-testid=overdue-table] [data-status]").Select(s => s.GetAttribute("data-status")).ToList();
        Assert.All(statuses, s => Assert.Equal(SubmissionStatus.Missing.ToDb(), s));
        Assert.Equal(Math.Min(12, latest.Overdue.Count()), statuses.Count);
        if (latest.Overdue.Count() > 12)
            Assert.Equal("/returns/tracker", cut.Find("[data-testid=overdue-more]").GetAttribute("href"));
        Assert.DoesNotContain("1 priorities", cut.Markup);
    }

    [Fact]
    public async Task AnAgencyUserSeesTheirNextReturnLastSubmissionExceptionsAndALinkToUpload()
    {
        Register();
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        SignInAs(police, "Cheshire Constabulary");

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=next-return]")), TimeSpan.FromSeconds(15));
        var next = cut.Find("[data-testid=next-return]").TextContent;
        Assert.Matches("20\\d\\d/\\d\\d Q[1-4]", next);
        Assert.Matches("Due \\d{1,2} \\w+ 20\\d\\d", next);
        Assert.Matches("(Received|Due in \\d+ days?|Due today|Overdue by \\d+ days?)", cut.Find("[data-testid=next-return-status]").TextContent);
        Assert.Contains(cut.FindAll("[data-testid=next-return] a"), a => a.GetAttribute("href")!.StartsWith("/returns/upload?period="));
        Assert.Contains("Version", cut.Find("[data-testid=last-submission]").TextContent);
        Assert.Contains(cut.FindAll("[data-testid=last-submission] a"), a => a.GetAttribute("href")!.Contains("?from=home"));
        Assert.NotEmpty(cut.FindAll("[data-testid=agency-exceptions]"));
    }

    [Fact]
    public async Task AnAgencyUsersSummaryIsTheirOwnAgencysAndAnAdminHasNone()
    {
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var readModel = new Scorecard.Data.Performance.ScorecardReadModel(
            new Scorecard.Data.Performance.ScorecardQueries(db.DataSource, FixedClock.DemoToday), FixedClock.DemoToday);
        readModel.SetListening(true); // as the change listener does once LISTEN is in place: snapshots are then shared
        var queries = new AgencyHomeQueries(db.DataSource, new ReturnQueries(db.DataSource, FixedClock.DemoToday),
            new ReturnFiguresQueries(db.DataSource, new ReturnUploadOptions()),
            readModel, FixedClock.DemoToday);

        var summary = await queries.GetAsync(police);
        await queries.GetAsync(police);

        Assert.NotNull(summary);
        Assert.Equal((police.AgencyId!.Value, "Cheshire Constabulary"), (summary.AgencyId, summary.AgencyName));
        Assert.NotNull(summary.LastSubmission);
        Assert.Null(await queries.GetAsync(admin));
        // The exceptions come from the shared read model: two home loads build the partnership's snapshot once.
        Assert.Equal(1, readModel.BuildCount);
    }
}
