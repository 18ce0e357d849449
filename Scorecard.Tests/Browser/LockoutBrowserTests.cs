using Microsoft.Playwright;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser;

/// <summary>Issue 9 §3.5 in the browser: someone else's wrong passwords do not lock an administrator out, and the admin unlocks.</summary>
[Collection("browser")]
public sealed class LockoutBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAttackerLocksOnlyTheirOwnAddressAndTheAdminUnlocksTheAccountOnTheUsersPage()
    {
        var admin = await Actors.ForAsync(fixture.App.DataSource, Actors.AdminEmail);
        var users = new UserCommands(fixture.App.DataSource);
        var id = (await users.CreateAsync(admin, new UserInput("attacked@cescp.example", "Ada Attacked", Roles.Admin, null), "attacked-password-1")).Value;
        // Five wrong passwords from elsewhere (the demo's limit) lock the account for that address only.
        var signIn = new SignInService(fixture.App.DataSource, new LockoutOptions(), TimeProvider.System);
        for (var i = 0; i < 5; i++)
            await signIn.PasswordSignInAsync("attacked@cescp.example", "guess-" + i, "203.0.113.99");

        // The owner signs in through the real form from their own machine.
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "attacked@cescp.example", "attacked-password-1");
        await page.GotoAsync("/admin/users");
        await BrowserFixture.WaitForCircuitAsync(page);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "attacked@cescp.example" });
        await Expect(row).ToContainTextAsync("Locked");

        await row.GetByRole(AriaRole.Button, new() { Name = "Unlock Ada Attacked" }).ClickAsync();

        await Expect(page.GetByText("Ada Attacked can sign in again from anywhere.")).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Active");
        Assert.Equal(0, await Actors.CountAsync(fixture.App.DataSource, "sign_in_lockout", $"user_id = {id}"));
        Assert.Equal(SignInStatus.Succeeded, (await signIn.PasswordSignInAsync("attacked@cescp.example", "attacked-password-1", "203.0.113.99")).Status);
        await page.Context.CloseAsync();
    }
}
