using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>
/// Bad parameters never crash a page: junk in every route and query parameter of every page answers with a clear
/// message (or the not-found page), never the "something went wrong" card, the Blazor error bar or a 5xx.
/// </summary>
[Collection("browser")]
public sealed class JunkParameterTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>Every page's route with junk in each of its parameters, and junk query strings on pages without any.</summary>
    private static readonly (string Route, string[] Urls)[] Pages =
    [
        ("/", ["/?quarter=abc&x=%00"]),
        ("/not-found", ["/not-found?x=1"]),
        ("/trends", ["/trends?quarter=abc&priority=%ZZ"]),
        ("/scorecard", [
            "/scorecard?priority=zzz&agency=abc&sector=xx&rag=purple&exceptions=maybe&quarter=1999-Q9",
            "/scorecard?agency=99999&quarter=2099-Q1", "/scorecard?agency=-1&rag=&exceptions=2"]),
        ("/scorecard/measures/{Code}", [
            "/scorecard/measures/NO-SUCH-CODE?quarter=abc", "/scorecard/measures/CSC-REREF?quarter=2099-Q9",
            "/scorecard/measures/%3Cscript%3E"]),
        ("/scorecard/agencies/{AgencyId:int}", [
            "/scorecard/agencies/99999?quarter=abc", "/scorecard/agencies/abc", "/scorecard/agencies/99999999999"]),
        ("/admin/priorities", ["/admin/priorities?x=1"]),
        ("/admin/api-tokens", ["/admin/api-tokens?x=1"]),
        ("/admin/periods", ["/admin/periods?x=1"]),
        ("/admin/users", ["/admin/users?x=1"]),
        ("/admin/agencies", ["/admin/agencies?x=1"]),
        ("/admin/change-log", ["/admin/change-log?entity=%00&page=-1"]),
        ("/admin/measures/new", ["/admin/measures/new?x=1"]),
        ("/admin/measures/{MeasureId:int}", ["/admin/measures/99999", "/admin/measures/abc", "/admin/measures/-1"]),
        ("/measures", ["/measures?priority=abc"]),
        ("/account/access-denied", ["/account/access-denied?ReturnUrl=abc"]),
        ("/returns/upload", [
            "/returns/upload?agency=99999&period=abc", "/returns/upload?agency=99999&period=22",
            "/returns/upload?agency=abc&period=99999", "/returns/upload?agency=&period=-5"]),
        ("/returns/history/{AgencyId:int}/{PeriodId:int}", [
            "/returns/history/99999/22", "/returns/history/abc/def", "/returns/history/1/99999"]),
        ("/my-returns", ["/my-returns?agency=abc"]),
        ("/returns/tracker", ["/returns/tracker?quarters=abc&search=%00"]),
        ("/admin/backups", ["/admin/backups?x=%00"]),
        ("/accessibility", ["/accessibility?x=%00&page=abc"]),
        ("/meetings", ["/meetings?x=%00"]),
        ("/meetings/{Id:int}", ["/meetings/99999", "/meetings/abc", "/meetings/-1"]),
        ("/meetings/{Id:int}/present", ["/meetings/99999/present", "/meetings/abc/present", "/meetings/1/present?item=zz"]),
        ("/improvement/actions", ["/improvement/actions?source=zzz&agency=abc&status=purple&overdue=maybe&page=-3", "/improvement/actions?agency=99999", "/improvement/actions?page=99999"]),
        ("/improvement/actions/{Id:int}", ["/improvement/actions/99999", "/improvement/actions/abc", "/improvement/actions/-1"]),
        ("/improvement/actions/new", ["/improvement/actions/new?kind=zzz&key=%00"]),
        ("/improvement/plans/{Kind}/{Key}", ["/improvement/plans/zzz/abc", "/improvement/plans/risk/99999", "/improvement/plans/measure/%3Cscript%3E"]),
        ("/improvement/risks", ["/improvement/risks?x=%00"]),
        ("/improvement/risks/{Id:int}", ["/improvement/risks/99999", "/improvement/risks/abc"]),
        ("/improvement/risks/new", ["/improvement/risks/new?x=1"]),
        ("/improvement/challenges", ["/improvement/challenges?status=zzz&agency=abc&overdue=2"]),
        ("/improvement/challenges/{Id:int}", ["/improvement/challenges/99999", "/improvement/challenges/abc"]),
        ("/improvement/challenges/new", ["/improvement/challenges/new?kind=zzz&key=%00&agency=abc"]),
        ("/improvement/learning-reviews", ["/improvement/learning-reviews?x=%00"]),
        ("/improvement/learning-reviews/{Id:int}", ["/improvement/learning-reviews/99999", "/improvement/learning-reviews/abc"]),
        ("/triangulation", ["/triangulation?priority=%ZZ", "/triangulation?priority=P9"]),
        ("/triangulation/themes/{ThemeId:int}", ["/triangulation/themes/99999", "/triangulation/themes/abc"]),
        ("/triangulation/themes/new", ["/triangulation/themes/new?x=%00"]),
        ("/triangulation/themes/{ThemeId:int}/edit", ["/triangulation/themes/99999/edit", "/triangulation/themes/abc/edit"]),
        ("/voice", ["/voice?group=purple"]),
        ("/voice/activities/{ActivityId:int}", ["/voice/activities/99999", "/voice/activities/abc"]),
        ("/voice/activities/{ActivityId:int}/edit", ["/voice/activities/99999/edit", "/voice/activities/abc/edit"]),
        ("/voice/new", ["/voice/new?x=%00"]),
        ("/voice/summary", ["/voice/summary?x=1"]),
        ("/assurance/audits", ["/assurance/audits?year=abc&x=%00"]),
        ("/assurance/audits/new", ["/assurance/audits/new?x=1"]),
        ("/assurance/audits/{AuditId:int}", ["/assurance/audits/99999", "/assurance/audits/abc", "/assurance/audits/-1"]),
        ("/assurance/cycles", ["/assurance/cycles?x=%00"]),
        ("/assurance/cycles/{CycleId:int}", ["/assurance/cycles/99999", "/assurance/cycles/abc"]),
        ("/assurance/cycles/{CycleId:int}/agencies/{AgencyId:int}", [
            "/assurance/cycles/99999/1", "/assurance/cycles/1/99999", "/assurance/cycles/abc/def"]),
        ("/assurance/audit-summaries/upload", [
            "/assurance/audit-summaries/upload?agency=99999&period=abc", "/assurance/audit-summaries/upload?agency=abc&period=-5",
            "/assurance/audit-summaries/upload?period=99999"]),
    ];

    /// <summary>Pages not visited signed in: the sign-in page (visited signed out below), the error page itself, and first-run setup (static, tested in FirstRunSetupTests).</summary>
    private static readonly string[] VisitedElsewhere = ["/account/login", "/error", "/setup"];

    [Fact]
    public void EveryPageRouteIsInTheJunkList()
    {
        var routes = typeof(Scorecard.Web.ScorecardApp).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template)
            .ToHashSet();

        Assert.Empty(routes.Except(Pages.Select(p => p.Route)).Except(VisitedElsewhere));
    }

    [Fact]
    public async Task JunkParametersGiveNoErrorCardAndNo5xxToAnAdmin() =>
        await VisitAllAsync(Actors.AdminEmail, Pages.SelectMany(p => p.Urls).Where(u => !u.StartsWith("/my-returns")));

    [Fact]
    public async Task JunkParametersGiveNoErrorCardAndNo5xxToAnAgencyUser() =>
        await VisitAllAsync(Actors.PoliceEmail, Pages.Where(p => p.Route.StartsWith("/returns") || p.Route.StartsWith("/my-returns")
            || p.Route.StartsWith("/scorecard") || p.Route == "/" || p.Route.StartsWith("/improvement/actions") || p.Route.StartsWith("/improvement/challenges/{")
            || p.Route.StartsWith("/improvement/plans") || p.Route.StartsWith("/assurance/audit-summaries")).SelectMany(p => p.Urls));

    [Fact]
    public async Task JunkOnTheSignInPageGivesNoErrorAndNo5xx()
    {
        var page = await fixture.NewPageAsync();
        foreach (var url in new[] { "/account/login?signedOut=abc&error=%3Cb%3Ex%3C/b%3E", "/account/login?ReturnUrl=https://evil.example/&signedOut=" })
        {
            var response = await page.GotoAsync(url);
            Assert.True(response is { Status: < 500 }, $"{url} answered {response?.Status}");
            await Expect(page.GetByLabel("E-mail address")).ToBeVisibleAsync();
            await Expect(page.GetByText("Something went wrong")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task TheUploadPageSaysWhatIsWrongWithItsParameters()
    {
        var page = await fixture.OpenAsync(Actors.AdminEmail, "/returns/upload?agency=99999&period=abc");

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "no agency 99999" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "“abc” is not a quarter" })).ToBeVisibleAsync();
        // No template or upload is offered for an agency that does not exist.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Upload filled-in template" })).ToHaveCountAsync(0);

        await page.GotoAsync("/returns/upload?agency=99999&period=22");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "no agency 99999" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download template" })).ToHaveCountAsync(0);
    }

    private async Task VisitAllAsync(string email, IEnumerable<string> urls)
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email);
        var failures = new List<string>();
        foreach (var url in urls)
        {
            var response = await page.GotoAsync(url);
            if (response is null || response.Status >= 500)
            {
                failures.Add($"{url}: HTTP {response?.Status}");
                continue;
            }
            await BrowserFixture.WaitForCircuitAsync(page);
            // Let the interactive render finish: no loading bar left on the page.
            try
            {
                await Expect(page.Locator("[role=progressbar][aria-label^='Loading'], [role=progressbar][aria-label^='Checking']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            }
            catch (PlaywrightException)
            {
                failures.Add($"{url}: still loading after 10 s");
            }
            if (await page.GetByText("Something went wrong showing this page").CountAsync() > 0)
                failures.Add($"{url}: error card");
            if (await page.Locator("#blazor-error-ui").IsVisibleAsync())
                failures.Add($"{url}: Blazor error bar");
        }
        Assert.Empty(failures);
    }
}
