using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Accounts;

/// <summary>Issue 9 §3.5: lockout per account and source, growing locks, and the admin's unlock.</summary>
public sealed class SignInLockoutTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private const string Attacker = "203.0.113.66";
    private const string Office = "198.51.100.7";
    private static readonly LockoutOptions Lockout = new(MaxFailedAttempts: 3, LockoutMinutes: 10, MaxLockoutMinutes: 30);

    private async Task<(Actor Admin, UserCommands Users, int UserId)> CreateUserAsync(string email, string password)
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var users = new UserCommands(db.DataSource);
        var created = await users.CreateAsync(admin, new UserInput(email, "Locked Person", Roles.Admin, null), password);
        Assert.True(created.Succeeded);
        return (admin, users, created.Value);
    }

    private static async Task FailAsync(SignInService signIn, string email, string source, int times)
    {
        for (var i = 0; i < times; i++)
            await signIn.PasswordSignInAsync(email, "not-the-password", source);
    }

    [Fact]
    public async Task AnAttackersWrongPasswordsLockOnlyTheAttackersSourceAndTheOwnerStillSignsInFromTheirOwn()
    {
        await CreateUserAsync("target-admin@cescp.example", "the-owners-password");
        var signIn = new SignInService(db.DataSource, Lockout, TimeProvider.System);

        await FailAsync(signIn, "target-admin@cescp.example", Attacker, 3);
        var attackerWithRightPassword = await signIn.PasswordSignInAsync("target-admin@cescp.example", "the-owners-password", Attacker);
        var owner = await signIn.PasswordSignInAsync("target-admin@cescp.example", "the-owners-password", Office);

        Assert.Equal(SignInStatus.LockedOut, attackerWithRightPassword.Status);
        Assert.Equal(SignInStatus.Succeeded, owner.Status);
        // The owner's success does not lift the attacker's lock.
        Assert.Equal(SignInStatus.LockedOut, (await signIn.PasswordSignInAsync("target-admin@cescp.example", "the-owners-password", Attacker)).Status);
    }

    [Fact]
    public async Task EachLockOfTheSameSourceLastsTwiceTheOneBeforeUpToTheCeiling()
    {
        await CreateUserAsync("growing@cescp.example", "growing-password-1");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var signIn = new SignInService(db.DataSource, Lockout, clock);
        var locks = new List<TimeSpan>();

        for (var round = 0; round < 3; round++)
        {
            await FailAsync(signIn, "growing@cescp.example", Attacker, 2);
            var locked = await signIn.PasswordSignInAsync("growing@cescp.example", "not-the-password", Attacker);
            Assert.Equal(SignInStatus.LockedOut, locked.Status);
            locks.Add(locked.LockedUntil!.Value - clock.GetUtcNow().UtcDateTime);
            clock.Advance(locks[^1] + TimeSpan.FromSeconds(1));
        }

        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30)], locks);
        // Once a lock has run out the right password works again from that source.
        Assert.Equal(SignInStatus.Succeeded, (await signIn.PasswordSignInAsync("growing@cescp.example", "growing-password-1", Attacker)).Status);
    }

    [Fact]
    public async Task AQuietDayForgetsTheSourcesHistorySoTheNextLockIsShortAgain()
    {
        await CreateUserAsync("forgiven@cescp.example", "forgiven-password-1");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var signIn = new SignInService(db.DataSource, Lockout, clock);
        await FailAsync(signIn, "forgiven@cescp.example", Attacker, 3);
        clock.Advance(TimeSpan.FromDays(2));

        await FailAsync(signIn, "forgiven@cescp.example", Attacker, 2);
        var again = await signIn.PasswordSignInAsync("forgiven@cescp.example", "not-the-password", Attacker);

        Assert.Equal(TimeSpan.FromMinutes(10), again.LockedUntil!.Value - clock.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task AnAdminUnlocksEverySourceOfAnAccountAndTheUnlockIsLogged()
    {
        var (admin, users, userId) = await CreateUserAsync("unlock-me@cescp.example", "unlock-me-password");
        var signIn = new SignInService(db.DataSource, Lockout, TimeProvider.System);
        await FailAsync(signIn, "unlock-me@cescp.example", Attacker, 3);
        await FailAsync(signIn, "unlock-me@cescp.example", Office, 3);
        Assert.NotNull((await users.ListAsync(admin)).Single(u => u.Id == userId).LockedUntil);

        var result = await users.UnlockAsync(admin, userId);

        Assert.True(result.Succeeded);
        Assert.Null((await users.ListAsync(admin)).Single(u => u.Id == userId).LockedUntil);
        Assert.Equal(SignInStatus.Succeeded, (await signIn.PasswordSignInAsync("unlock-me@cescp.example", "unlock-me-password", Office)).Status);
        Assert.Equal(SignInStatus.Succeeded, (await signIn.PasswordSignInAsync("unlock-me@cescp.example", "unlock-me-password", Attacker)).Status);
        var log = (await new ChangeLogQueries(db.DataSource).ListAsync(admin, new ChangeLogQueries.Filter("user"))).Rows;
        Assert.Contains(log, e => e.EntityId == userId.ToString() && e.UserName == admin.DisplayName && e.Summary == "Unlocked unlock-me@cescp.example (2 running locks cleared)");
    }

    [Fact]
    public async Task OnlyAnAdminMayUnlock()
    {
        var (_, users, userId) = await CreateUserAsync("not-by-qa@cescp.example", "not-by-qa-password");
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        await Assert.ThrowsAsync<AccessDeniedException>(() => users.UnlockAsync(qa, userId));
    }
}
