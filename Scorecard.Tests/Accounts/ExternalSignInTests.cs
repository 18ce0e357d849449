using System.Security.Claims;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Auth;

namespace Scorecard.Tests.Accounts;

/// <summary>Issue 9 §3.1: OpenID Connect identities link to local accounts by a verified e-mail address or an admin's link only.</summary>
public sealed class ExternalSignInTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private SignInService SignIn => new(db.DataSource, new LockoutOptions(), TimeProvider.System);

    private async Task<(Actor Admin, int UserId)> CreateUserAsync(string email)
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var created = await new UserCommands(db.DataSource).CreateAsync(admin, new UserInput(email, "Single Sign-On", Roles.Executive, null), "a-password-nobody-uses");
        Assert.True(created.Succeeded);
        return (admin, created.Value);
    }

    [Fact]
    public async Task AVerifiedEmailLinksTheSubjectOnceAndLaterSignInsFollowTheSubjectAndTheLinkIsLogged()
    {
        var (admin, userId) = await CreateUserAsync("verified@cescp.example");

        var first = await SignIn.ExternalSignInAsync(new ExternalIdentity("oid-verified", "VERIFIED@cescp.example", EmailVerified: true));
        var renamed = await SignIn.ExternalSignInAsync(new ExternalIdentity("oid-verified", "someone-else@elsewhere.example", EmailVerified: false));

        Assert.Equal(SignInStatus.Succeeded, first.Status);
        Assert.Equal(userId, first.User!.UserId);
        Assert.Equal(Roles.Executive, first.User.Role);
        Assert.Equal(userId, renamed.User!.UserId);
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "app_user", "external_subject = 'oid-verified'"));
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("user"))).Rows;
        Assert.Single(log, e => e.EntityId == userId.ToString() && e.Summary.Contains("oid-verified"));
    }

    [Fact]
    public async Task AnUnverifiedEmailIsRefusedAsNotLinkedAndLinksNothing()
    {
        await CreateUserAsync("unverified@cescp.example");

        var outcome = await SignIn.ExternalSignInAsync(new ExternalIdentity("oid-attacker", "unverified@cescp.example", EmailVerified: false));

        Assert.Equal(SignInStatus.NotLinked, outcome.Status);
        Assert.Null(outcome.User);
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "app_user", "external_subject = 'oid-attacker'"));
    }

    [Fact]
    public async Task APreferredUsernameNeverSelectsAnAccount()
    {
        await CreateUserAsync("preferred@cescp.example");
        // A provider where the user chose their own "username": no email claim, a preferred_username naming the victim.
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "oid-nOAuth"), new Claim("preferred_username", "preferred@cescp.example"), new Claim("email_verified", "true", ClaimValueTypes.Boolean)],
            "oidc"));

        var identity = OidcIdentity.From(principal)!;
        var outcome = await SignIn.ExternalSignInAsync(identity);

        Assert.Null(identity.Email);
        Assert.Equal(SignInStatus.NotLinked, outcome.Status);
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "app_user", "external_subject = 'oid-nOAuth'"));
    }

    [Theory]
    [InlineData("true", ClaimValueTypes.Boolean, true)]
    [InlineData("True", ClaimValueTypes.String, true)]
    [InlineData("false", ClaimValueTypes.Boolean, false)]
    [InlineData("yes", ClaimValueTypes.String, false)]
    [InlineData(null, null, false)]
    public void EmailVerifiedIsReadAsABooleanOrTheStringTrueAndNothingElse(string? value, string? valueType, bool verified)
    {
        var claims = new List<Claim> { new("oid", "oid-1"), new("sub", "pairwise-sub"), new("email", "a@b.example") };
        if (value is not null)
            claims.Add(new Claim("email_verified", value, valueType));

        var identity = OidcIdentity.From(new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc")))!;

        Assert.Equal(new ExternalIdentity("oid-1", "a@b.example", verified), identity);
    }

    [Fact]
    public async Task AVerifiedEmailDoesNotTakeOverAnAccountAlreadyLinkedToAnotherSubject()
    {
        await CreateUserAsync("linked-elsewhere@cescp.example");
        Assert.Equal(SignInStatus.Succeeded,
            (await SignIn.ExternalSignInAsync(new ExternalIdentity("oid-owner", "linked-elsewhere@cescp.example", true))).Status);

        var other = await SignIn.ExternalSignInAsync(new ExternalIdentity("oid-other-tenant", "linked-elsewhere@cescp.example", true));

        Assert.Equal(SignInStatus.NoAccount, other.Status);
    }

    [Fact]
    public async Task AnAdminPreLinkedSubjectSignsInWithoutAnyEmailAndTheLinkIsLogged()
    {
        var (admin, userId) = await CreateUserAsync("prelinked@cescp.example");
        var users = new UserCommands(db.DataSource);

        var link = await users.LinkExternalSignInAsync(admin, userId, "  entra-object-id-42 ");
        var outcome = await SignIn.ExternalSignInAsync(new ExternalIdentity("entra-object-id-42", null, EmailVerified: false));

        Assert.True(link.Succeeded);
        Assert.Equal(SignInStatus.Succeeded, outcome.Status);
        Assert.Equal(userId, outcome.User!.UserId);
        Assert.Equal("entra-object-id-42", (await users.ListAsync(admin)).Single(u => u.Id == userId).ExternalSubject);
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("user"))).Rows;
        Assert.Contains(log, e => e.EntityId == userId.ToString() && e.UserName == admin.DisplayName
                                  && e.Summary == "Linked prelinked@cescp.example to the single sign-on ID entra-object-id-42");
    }

    [Fact]
    public async Task ASubjectLinksToOneAccountOnlyAndOnlyAnAdminLinks()
    {
        var (admin, first) = await CreateUserAsync("first-link@cescp.example");
        var (_, second) = await CreateUserAsync("second-link@cescp.example");
        var users = new UserCommands(db.DataSource);
        Assert.True((await users.LinkExternalSignInAsync(admin, first, "shared-subject")).Succeeded);

        var duplicate = await users.LinkExternalSignInAsync(admin, second, "shared-subject");
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        Assert.Equal("Another account is already linked to this single sign-on ID.", duplicate.ErrorFor("ExternalSubject"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => users.LinkExternalSignInAsync(qa, second, "qa-chosen-subject"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "app_user", "external_subject = 'qa-chosen-subject'"));
    }

    [Fact]
    public async Task RemovingTheLinkRefusesTheSubjectAfterwards()
    {
        var (admin, userId) = await CreateUserAsync("unlinked@cescp.example");
        var users = new UserCommands(db.DataSource);
        Assert.True((await users.LinkExternalSignInAsync(admin, userId, "soon-unlinked")).Succeeded);

        Assert.True((await users.LinkExternalSignInAsync(admin, userId, "")).Succeeded);

        Assert.Equal(SignInStatus.NotLinked, (await SignIn.ExternalSignInAsync(new ExternalIdentity("soon-unlinked", null, false))).Status);
    }
}
