using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Accounts;

public sealed class AccountTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private const string Here = "192.0.2.10";
    private SignInService SignIn => new(db.DataSource, new LockoutOptions(MaxFailedAttempts: 3, LockoutMinutes: 10), TimeProvider.System);

    [Fact]
    public async Task ADemoUserSignsInWithTheirPasswordAndGetsTheirRoleAndAgency()
    {
        var outcome = await SignIn.PasswordSignInAsync("POLICE@cescp.example", Actors.Passwords[Actors.PoliceEmail], Here);

        Assert.Equal(SignInStatus.Succeeded, outcome.Status);
        Assert.Equal(Roles.AgencyUser, outcome.User!.Role);
        Assert.Equal("Cheshire Constabulary", outcome.User.AgencyName);
        Assert.Equal("Cheshire East Safeguarding Children Partnership", outcome.User.PartnershipName);
    }

    [Fact]
    public async Task AWrongPasswordOrUnknownAddressIsRefusedTheSameWay()
    {
        var wrong = await SignIn.PasswordSignInAsync(Actors.QaEmail, "not-the-password", Here);
        var unknown = await SignIn.PasswordSignInAsync("nobody@cescp.example", "whatever-it-is", Here);

        Assert.Equal(SignInStatus.WrongCredentials, wrong.Status);
        Assert.Equal(SignInStatus.WrongCredentials, unknown.Status);
        Assert.Null(wrong.User);
    }

    [Fact]
    public async Task RepeatedWrongPasswordsLockTheAccountFromThatSourceEvenAgainstTheRightOneAndTheLockIsLogged()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var users = new UserCommands(db.DataSource);
        var created = await users.CreateAsync(admin, new UserInput("locked@cescp.example", "Lee Locked", Roles.Executive, null), "a-long-password-1");
        Assert.True(created.Succeeded);

        for (var i = 0; i < 2; i++)
            Assert.Equal(SignInStatus.WrongCredentials, (await SignIn.PasswordSignInAsync("locked@cescp.example", "wrong", Here)).Status);
        var third = await SignIn.PasswordSignInAsync("locked@cescp.example", "wrong", Here);
        var right = await SignIn.PasswordSignInAsync("locked@cescp.example", "a-long-password-1", Here);

        Assert.Equal(SignInStatus.LockedOut, third.Status);
        Assert.Equal(SignInStatus.LockedOut, right.Status);
        Assert.True(right.LockedUntil > DateTime.UtcNow.AddMinutes(9));
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("user"))).Rows;
        Assert.Contains(log, e => e.Action == "sign_in_locked" && e.EntityId == created.Value.ToString() && e.Summary.Contains(Here));

        // An admin's password reset clears the lock.
        Assert.True((await users.ResetPasswordAsync(admin, created.Value, "another-long-password")).Succeeded);
        Assert.Equal(SignInStatus.Succeeded, (await SignIn.PasswordSignInAsync("locked@cescp.example", "another-long-password", Here)).Status);
    }

    [Fact]
    public async Task DeactivatingAUserEndsTheirSessionAndRefusesTheirSignIn()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var users = new UserCommands(db.DataSource);
        var id = (await users.CreateAsync(admin, new UserInput("leaver@cescp.example", "Lou Leaver", Roles.QaMember, null), "leaver-password-1")).Value;
        var session = (await SignIn.PasswordSignInAsync("leaver@cescp.example", "leaver-password-1", Here)).User!;
        Assert.True(await SignIn.IsSessionValidAsync(session.PartnershipId, session.UserId, session.SecurityStamp));

        var result = await users.SetActiveAsync(admin, id, false);

        Assert.True(result.Succeeded);
        Assert.False(await SignIn.IsSessionValidAsync(session.PartnershipId, session.UserId, session.SecurityStamp));
        Assert.Equal(SignInStatus.Deactivated, (await SignIn.PasswordSignInAsync("leaver@cescp.example", "leaver-password-1", Here)).Status);
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("user"))).Rows;
        Assert.Contains(log, e => e.Action == "deactivate" && e.EntityId == id.ToString() && e.UserName == admin.DisplayName);
    }

    [Fact]
    public async Task UserFormsAreValidatedAndPasswordsAreStoredOnlyAsHashes()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var users = new UserCommands(db.DataSource);

        var noAgency = await users.CreateAsync(admin, new UserInput("x@cescp.example", "Xi", Roles.AgencyUser, null), "long-enough-password");
        var shortPassword = await users.CreateAsync(admin, new UserInput("y@cescp.example", "Yo Yo", Roles.Executive, null), "short");
        var badEmail = await users.CreateAsync(admin, new UserInput("not an email", "Zed", Roles.Executive, null), "long-enough-password");
        var duplicate = await users.CreateAsync(admin, new UserInput(Actors.QaEmail.ToUpperInvariant(), "Copy Cat", Roles.Executive, null), "long-enough-password");
        var selfDemote = await users.UpdateAsync(admin, admin.UserId, new UserInput(Actors.AdminEmail, admin.DisplayName, Roles.Executive, null));

        Assert.Equal("An agency user must belong to an agency.", noAgency.ErrorFor("AgencyId"));
        Assert.Contains("at least 12 characters", shortPassword.ErrorFor("Password"));
        Assert.Contains("Enter an e-mail address", badEmail.ErrorFor("Email"));
        Assert.Equal("Another account already uses this e-mail address.", duplicate.ErrorFor("Email"));
        Assert.Equal("You cannot remove your own administrator role.", selfDemote.ErrorFor("Role"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "app_user", "password_hash not like 'AQAAAA%'"));
        Assert.Equal(0, await Actors.CountAsync(db.DataSource, "change_log", "coalesce(after::text, '') ilike '%password%'"));
    }

}
