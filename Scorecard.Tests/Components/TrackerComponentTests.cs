using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using Scorecard.Web.Components.Layout;
using Scorecard.Web.Components.Pages.Returns;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Components;

/// <summary>The tracker's status cells, its navigation entry, and the tracker and history pages over the demo data.</summary>
public sealed class TrackerComponentTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    // The pages load from PostgreSQL; on two busy cores that can take a while. Waiting asynchronously keeps pool threads free.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(SubmissionStatus.OnTime, "On time")]
    [InlineData(SubmissionStatus.Late, "Late")]
    [InlineData(SubmissionStatus.Resubmitted, "Resubmitted")]
    [InlineData(SubmissionStatus.Missing, "Missing")]
    [InlineData(SubmissionStatus.Awaited, "Not yet due")]
    public void AStatusCellSaysItsStatusInWordsAndNamesItsAgencyAndQuarterForScreenReaders(SubmissionStatus status, string label)
    {
        var cut = Render<SubmissionStatusCell>(p => p
            .Add(c => c.Status, status)
            .Add(c => c.Context, "Mid Cheshire Hospitals, 2025/26 Q2")
            .Add(c => c.Href, "/returns/history/3/4"));

        var link = cut.Find("a");
        Assert.Equal("/returns/history/3/4", link.GetAttribute("href"));
        Assert.Equal(status.ToDb(), link.GetAttribute("data-status"));
        Assert.Equal(label, cut.Find(".tracker-cell__label").TextContent.Trim());
        Assert.Equal("Mid Cheshire Hospitals, 2025/26 Q2:", cut.Find(".sr-only").TextContent.Trim());
        // The whole accessible name reads as a sentence; the icon is decoration only.
        Assert.Equal($"Mid Cheshire Hospitals, 2025/26 Q2: {label}", string.Join(" ", link.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.All(cut.FindAll("svg"), svg => Assert.Equal("true", svg.GetAttribute("aria-hidden")));
        Assert.StartsWith("Mid Cheshire Hospitals, 2025/26 Q2: " + label, link.GetAttribute("title"));
    }

    [Fact]
    public void AStatusCellWithoutALinkIsPlainText()
    {
        var cut = Render<SubmissionStatusCell>(p => p.Add(c => c.Status, SubmissionStatus.Missing));

        Assert.Empty(cut.FindAll("a"));
        Assert.Equal("Missing", cut.Find("span.tracker-cell").TextContent.Trim());
    }

    [Theory]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.QaMember, true)]
    [InlineData(Role.Executive, true)]
    [InlineData(Role.AgencyUser, false)]
    public void TheSubmissionTrackerIsInTheNavigationForPartnershipRoles(Role role, bool shown)
    {
        SignInAs(new Actor(1, 7, "Test Person", role, role == Role.AgencyUser ? 3 : null), "Cheshire Constabulary");

        var cut = Render<NavMenu>();

        Assert.Equal(shown, cut.FindAll("a").Any(a => a.TextContent.Trim() == "Submission tracker"));
    }

    private void UseTrackerServices()
    {
        UseDatabase(db.DataSource);
        Services.AddSingleton<ReturnHistoryQueries>();
        Services.AddSingleton<RejectReturnCommand>();
    }

    [Fact]
    public async Task TheTrackerPageShowsTheRatesAndTheOverdueAgencyFirst()
    {
        UseTrackerServices();
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        SignInAs(qa);
        Render<MudPopoverProvider>();
        var demo = DemoGenerator.Generate();
        var matrix = await new ReturnQueries(db.DataSource, FixedClock.DemoToday).GetSubmissionMatrixAsync(qa, new SubmissionMatrixRequest(8));

        var cut = Render<Tracker>();

        await cut.WaitForAssertionAsync(() => Assert.Equal(ReportingRates.Percent(matrix.Rates.Completeness), cut.Find("[data-testid=completeness] .stat-value").TextContent.Trim()), Patience);
        Assert.Equal(ReportingRates.Percent(matrix.Rates.Timeliness), cut.Find("[data-testid=timeliness] .stat-value").TextContent.Trim());
        Assert.Equal(matrix.Agencies.Count(a => a.IsOverdue).ToString(), cut.Find("[data-testid=overdue-agencies]").TextContent.Trim());
        // The rows arrive with the matrix, in a render of their own.
        await cut.WaitForAssertionAsync(() =>
        {
            // The first row with a row header (Virtualize's spacer rows have none).
            var firstRow = cut.FindAll("tbody tr").First(r => r.QuerySelector("th[scope=row]") is not null);
            Assert.Contains(demo.Agencies.Single(a => a.Key == demo.Signals.LateAgencyKey).Name, firstRow.TextContent);
            Assert.Equal(SubmissionStatus.Missing.ToDb(), firstRow.QuerySelectorAll("[data-status]").Last().GetAttribute("data-status"));
        }, Patience);
        Assert.Equal("/returns/tracker/export?quarters=8&sector=", cut.Find("a[download]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(Actors.AdminEmail, true)]
    [InlineData(Actors.QaEmail, false)]
    public async Task TheHistoryPageOffersRejectOnlyToAnAdminOnlyOnTheCurrentVersion(string email, bool canReject)
    {
        UseTrackerServices();
        var agency = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var (period, codes) = await HistoryTestData.LatestReportedAsync(db.DataSource, agency);
        var history = await new ReturnHistoryQueries(db.DataSource).GetHistoryAsync(await Actors.ForAsync(db.DataSource, Actors.AdminEmail), agency, period);
        if (history!.Versions.Count == 1)
            await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, null, [1, 2], "v2.xlsx", [new(codes[0], Value: 77m)]);
        SignInAs(await Actors.ForAsync(db.DataSource, email));
        Render<MudPopoverProvider>();

        var cut = Render<History>(p => p.Add(h => h.AgencyId, agency).Add(h => h.PeriodId, period));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Cheshire Constabulary", cut.Find("[data-testid=history-subject]").TextContent), Patience);
        var rejectButtons = cut.FindAll("button").Where(b => b.TextContent.Trim() == "Reject").ToList();
        Assert.Equal(canReject ? 1 : 0, rejectButtons.Count);
        Assert.Contains("77", cut.Find("[data-testid=changes-1-2]").TextContent);
        Assert.NotEmpty(cut.FindAll("a[href^='/returns/files/']"));
    }

    [Fact]
    public async Task TheHistoryPageDeniesAnotherAgencyAndSaysWhenThereIsNoSuchReturn()
    {
        UseTrackerServices();
        var school = await Actors.AgencyIdAsync(db.DataSource, "Sandbach High School");
        var (period, _) = await HistoryTestData.LatestReportedAsync(db.DataSource, school);
        SignInAs(await Actors.ForAsync(db.DataSource, Actors.PoliceEmail), "Cheshire Constabulary");

        var denied = Render<History>(p => p.Add(h => h.AgencyId, school).Add(h => h.PeriodId, period));
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var missing = Render<History>(p => p.Add(h => h.AgencyId, police).Add(h => h.PeriodId, 999_999));

        await denied.WaitForAssertionAsync(() => Assert.Contains("You do not have access to this page", denied.Markup), Patience);
        Assert.Empty(denied.FindAll("table"));
        await missing.WaitForAssertionAsync(() => Assert.Contains("Return not found", missing.Markup), Patience);
    }
}
