using Microsoft.Playwright;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

[Collection("browser")]
public sealed class SignInAndAdminTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(Actors.AdminEmail, "Administrator", true, false)]
    [InlineData(Actors.QaEmail, "QA subgroup member", false, false)]
    [InlineData(Actors.ExecutiveEmail, "Executive", false, false)]
    [InlineData(Actors.PoliceEmail, "Agency user · Cheshire Constabulary", false, true)]
    [InlineData(Actors.SchoolEmail, "Agency user · Sandbach High School and Sixth Form College", false, true)]
    public async Task EachRoleSignsInAndSeesItsOwnNavigation(string email, string roleLabel, bool seesAdministration, bool seesOwnReturns)
    {
        var page = await fixture.NewPageAsync();

        await BrowserFixture.SignInAsync(page, email);

        await Expect(page.GetByTestId("signed-in-role")).ToHaveTextAsync(roleLabel);
        await Expect(page.GetByTestId("partnership-name")).ToHaveTextAsync("Cheshire East Safeguarding Children Partnership");
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(seesAdministration ? 1 : 0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Change log" })).ToHaveCountAsync(seesAdministration ? 1 : 0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Our returns" })).ToHaveCountAsync(seesOwnReturns ? 1 : 0);
        await Expect(page.GetByTestId("latest-quarter")).ToHaveTextAsync("2025/26 Q2");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"home-{email.Split('@')[0]}.png"), FullPage = true });
    }

    [Fact]
    public async Task AWrongPasswordShowsAnErrorAndStaysOnTheSignInPage()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByLabel("E-mail address").FillAsync(Actors.QaEmail);
        await page.GetByLabel("Password").FillAsync("definitely-wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The e-mail address or password is not right");
        Assert.Contains("/account/login", page.Url);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "login-error.png") });
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/measures/1")]
    [InlineData("/admin/change-log")]
    public async Task AnAgencyUserTypingAnAdminAddressIsRefused(string path)
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.PoliceEmail);

        await page.GotoAsync(path);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnAdminEditsAMeasureAndSeesTheChangeAndItsLogEntry()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);
        await page.GotoAsync("/measures");
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit CSC-CFA45 Child and family assessments within 45 working days" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Edit CSC-CFA45");
        var target = page.GetByLabel("Target", new() { Exact = true });
        await target.FillAsync("150");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();
        await Expect(page.GetByText("Target is a percentage: enter a number from 0 to 100.")).ToBeVisibleAsync();

        await target.FillAsync("92");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();

        // Blazor navigates inside the page (no load event): poll the address instead of waiting for a load.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/measures$"));
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CSC-CFA45" });
        await Expect(row).ToContainTextAsync("92.0%");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "measures.png") });

        await page.GotoAsync("/admin/change-log");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CSC-CFA45" }).First).ToContainTextAsync("target 90 → 92");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "change-log.png") });
    }

    [Fact]
    public async Task ADeactivatedUserLosesAccessOnAnOpenPageWithinTheRevalidationInterval()
    {
        var admin = await Actors.ForAsync(fixture.App.DataSource, Actors.AdminEmail);
        var users = new UserCommands(fixture.App.DataSource);
        var id = (await users.CreateAsync(admin, new UserInput("soon-gone@cescp.example", "Sid Soon-Gone", Roles.Executive, null), "soon-gone-password")).Value;
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "soon-gone@cescp.example", "soon-gone-password");
        await page.GotoAsync("/measures");
        await BrowserFixture.WaitForCircuitAsync(page);

        Assert.True((await users.SetActiveAsync(admin, id, false)).Succeeded);

        // The app revalidates every 2 seconds in tests (30 in production): the open page goes to sign-in.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"), new() { Timeout = 15_000 });
        await page.GotoAsync("/measures");
        Assert.Contains("/account/login", page.Url);
    }

    [Fact]
    public async Task AnAdminAddsAUserWhoCanThenSignIn()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.AdminEmail);
        await page.GotoAsync("/admin/users");
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("E-mail address").FillAsync("new.member@cescp.example");
        await dialog.GetByLabel("Name").FillAsync("Nia Newmember");
        await dialog.GetByLabel("Password").FillAsync("short");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog.GetByText("The password must be at least 12 characters.")).ToBeVisibleAsync();
        await dialog.GetByLabel("Password").FillAsync("a-proper-long-password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "new.member@cescp.example" })).ToContainTextAsync("QA subgroup member");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "users.png") });
        var second = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(second, "new.member@cescp.example", "a-proper-long-password");
        await Expect(second.GetByTestId("signed-in-role")).ToHaveTextAsync("QA subgroup member");
    }
}
