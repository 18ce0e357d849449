using Bunit;
using Microsoft.AspNetCore.Components;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Layout;

namespace Scorecard.Tests.Components;

public sealed class ShellTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(Role.Admin, true, false)]
    [InlineData(Role.QaMember, false, false)]
    [InlineData(Role.Executive, false, false)]
    [InlineData(Role.AgencyUser, false, true)]
    public void TheNavigationOffersEachRoleOnlyWhatItMayUse(Role role, bool administration, bool ownReturns)
    {
        SignInAs(new Actor(1, 7, "Test Person", role, role == Role.AgencyUser ? 3 : null), "Cheshire Constabulary");

        var cut = Render<NavMenu>();

        var links = cut.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Home", links);
        Assert.Contains("Measures", links);
        Assert.Equal(administration, links.Contains("Users"));
        Assert.Equal(administration, links.Contains("Agencies"));
        Assert.Equal(administration, links.Contains("Change log"));
        Assert.Equal(ownReturns, links.Contains("Our returns"));
    }

    [Fact]
    public void TheLayoutShowsThePartnershipTheUserAndTheirRoleAndAgency()
    {
        UseDatabase(db.DataSource);
        SignInAs(new Actor(1, 9, "Pat Police", Role.AgencyUser, 4), "Cheshire Constabulary");

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "The page itself"))));

        Assert.Equal("Cheshire East Safeguarding Children Partnership", cut.Find("[data-testid=partnership-name]").TextContent.Trim());
        Assert.Equal("Agency user · Cheshire Constabulary", cut.Find("[data-testid=signed-in-role]").TextContent.Trim());
        Assert.Contains("Pat Police", cut.Find("[data-testid=signed-in-user]").TextContent);
        Assert.Contains("The page itself", cut.Markup);
        Assert.NotNull(cut.Find("form[action='/account/logout'] button[type=submit]"));
    }
}
