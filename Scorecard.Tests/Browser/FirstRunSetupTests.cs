using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>The app on a database with no partnership: the one-time setup page (issue 9 §3.2).</summary>
public sealed class EmptyBrowserFixture : BrowserFixture
{
    protected override async Task<RunningApp> StartAppAsync() =>
        await RunningApp.StartAsync(await TestDatabase.CreateDatabaseAsync(withDemoData: false));
}

[Collection("browser")]
public sealed class FirstRunSetupTests(EmptyBrowserFixture fixture) : IClassFixture<EmptyBrowserFixture>
{
    private const string AdminEmail = "first.admin@partnership.example";
    private const string AdminPassword = "a-long-first-password";

    private static async Task FillAsync(IPage page, string code)
    {
        await page.GetByLabel("Setup code").FillAsync(code);
        await page.GetByLabel("Partnership name").FillAsync("Halton Children's Safeguarding Partnership");
        await page.GetByLabel("Short name").FillAsync("HCSP");
        await page.GetByLabel("Your name").FillAsync("Fran First");
        await page.GetByLabel("Your e-mail address").FillAsync(AdminEmail);
        await page.GetByLabel("Password (at least").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create partnership and administrator" }).ClickAsync();
    }

    [Fact]
    public async Task TheSetupPageNeedsTheConsoleCodeCreatesThePartnershipAndItsAdministratorOnceAndThenIsGone()
    {
        var setup = fixture.App.App.Services.GetRequiredService<FirstRunSetup>();
        var code = setup.Code!;
        var page = await fixture.NewPageAsync();

        // Every page leads to setup while there is no partnership; no demo banner on an empty database.
        await page.GotoAsync("/");
        Assert.EndsWith("/setup", page.Url);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up Scorecard" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("demo-banner")).ToHaveCountAsync(0);

        // Without the code, or with a wrong one, nothing is created.
        await FillAsync(page, "");
        await Expect(page.GetByTestId("setup-errors")).ToContainTextAsync("not the setup code");
        await FillAsync(page, "AAAA-BBBB-CCCC");
        await Expect(page.GetByTestId("setup-errors")).ToContainTextAsync("not the setup code");
        Assert.Equal(0, await Actors.CountAsync(fixture.App.DataSource, "partnership"));

        // With the code: the partnership and its administrator, logged, and then the sign-in page.
        await FillAsync(page, code.ToLowerInvariant());
        await page.WaitForURLAsync(url => url.Contains("/account/login"));
        Assert.Equal(1, await Actors.CountAsync(fixture.App.DataSource, "partnership", "short_name = 'HCSP'"));
        Assert.Equal(1, await Actors.CountAsync(fixture.App.DataSource, "app_user", $"email = '{AdminEmail}' and role = 'admin'"));
        Assert.Equal(2, await Actors.CountAsync(fixture.App.DataSource, "change_log", "action = 'create' and entity in ('partnership', 'user')"));
        Assert.False(setup.IsOpen);

        await BrowserFixture.SignInAsync(page, AdminEmail, AdminPassword);
        await Expect(page.GetByTestId("partnership-name")).ToHaveTextAsync("Halton Children's Safeguarding Partnership");
        await Expect(page.GetByTestId("signed-in-role")).ToHaveTextAsync("Administrator");

        // The page is gone: no form, and the same code cannot be used again.
        await page.GotoAsync("/setup");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Setup is complete" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Setup code")).ToHaveCountAsync(0);
        var again = await fixture.App.App.Services.GetRequiredService<FirstRunSetupCommand>().CompleteAsync(
            new FirstRunInput(code, "Another partnership", "AP", "Mallory", "mallory@example.org", "another-long-password"));
        Assert.False(again.Succeeded);
        Assert.Contains("already been completed", again.ErrorFor(nameof(FirstRunInput.SetupCode)));
        Assert.Equal(1, await Actors.CountAsync(fixture.App.DataSource, "partnership"));
    }
}
