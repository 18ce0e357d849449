using Bunit;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Layout;

namespace Scorecard.Tests.Components;

/// <summary>Every page warns while a demo sign-in with its published password works (issue 9 §3.2).</summary>
public sealed class DemoBannerTests(DatabaseFixture demo) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    /// <summary>Renders the layout once the process-wide demo check has answered (so "no banner" is not merely "not yet").</summary>
    private async Task<(IRenderedComponent<MainLayout> Layout, bool DemoAccountsExist)> RenderLayoutAsync()
    {
        SignInAs(new Actor(1, 9, "Alex Admin", Role.Admin, null));
        var exist = await Services.GetRequiredService<DemoAccounts>().ExistAsync();
        return (Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "The page itself")))), exist);
    }

    [Fact]
    public async Task TheLayoutWarnsThatTheDemoAccountsArePublishedWhileTheyExist()
    {
        UseDatabase(demo.DataSource);

        var (cut, exist) = await RenderLayoutAsync();

        Assert.True(exist);
        var banner = cut.Find("[data-testid=demo-banner]");
        Assert.Equal("aside", banner.TagName, ignoreCase: true);
        Assert.Equal("demo-banner-title", banner.GetAttribute("aria-labelledby"));
        Assert.Contains("passwords are published", banner.TextContent);
        Assert.Contains("The page itself", cut.Markup);
    }

    [Fact]
    public async Task NoBannerWhenTheDatabaseHasNoDemoAccounts()
    {
        var empty = new EmptyDatabaseFixture();
        await empty.InitializeAsync();
        try
        {
            UseDatabase(empty.DataSource);

            var (cut, exist) = await RenderLayoutAsync();

            Assert.False(exist);
            Assert.Contains("The page itself", cut.Markup);
            Assert.Empty(cut.FindAll("[data-testid=demo-banner]"));
        }
        finally
        {
            await empty.DisposeAsync();
        }
    }

    [Fact]
    public async Task NoBannerOnceEveryDemoPasswordHasBeenChanged()
    {
        var changed = new DatabaseFixture();
        await changed.InitializeAsync();
        try
        {
            await using (var conn = await changed.DataSource.OpenConnectionAsync())
                await conn.ExecuteAsync("update app_user set password_hash = @Hash", new { Hash = UserCommands.HashPassword("a-new-and-private-password") });
            UseDatabase(changed.DataSource);

            var (cut, exist) = await RenderLayoutAsync();

            Assert.False(exist);
            Assert.Contains("The page itself", cut.Markup);
            Assert.Empty(cut.FindAll("[data-testid=demo-banner]"));
        }
        finally
        {
            await changed.DisposeAsync();
        }
    }
}
