using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scorecard.Data.Accounts;
using Scorecard.Data.Backup;
using Scorecard.Tests.Components;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Layout;
using Scorecard.Web.Components.Pages.Admin;

namespace Scorecard.Tests.Backup;

/// <summary>The admin page and the warning every admin page carries, rendered with bUnit over a real backup service and database.</summary>
public sealed class BackupPageTests(EmptyDatabaseFixture db) : ComponentTestBase, IClassFixture<EmptyDatabaseFixture>
{
    private static readonly Actor Admin = new(1, 1, "Alex Admin", Role.Admin, null);
    private readonly TempFolder folder = new("backup-page");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private BackupService UseBackups(bool embedded = true)
    {
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var service = embedded
            ? BackupTestSupport.Service(folder.Path, db.ConnectionString, clock)
            : new BackupService(new BackupOptions(folder.Path, new TimeOnly(2, 0)), null, clock, NullLogger<BackupService>.Instance);
        // The layout's demo banner asks the database whether demo sign-ins exist.
        UseDatabase(db.DataSource);
        Services.AddSingleton(service);
        Services.AddSingleton<TimeProvider>(clock);
        return service;
    }

    protected override void Dispose(bool disposing)
    {
        folder.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void BackUpNowWritesABackupAndThePageShowsItAsTheLastSuccessful()
    {
        UseBackups();
        SignInAs(Admin);
        var cut = Render<Backups>();
        Assert.Contains("None yet", cut.Find("[data-testid=backup-last]").TextContent);
        Assert.Contains("1 Dec 2026 02:00", cut.Find("[data-testid=backup-next]").TextContent);

        cut.FindAll("button").Single(b => b.TextContent.Contains("Back up now")).Click();

        cut.WaitForAssertion(() => Assert.Contains("scorecard-20261130-090000Z.dump", cut.Find("[data-testid=backup-last]").TextContent), TimeSpan.FromSeconds(60));
        Assert.Contains("30 Nov 2026", cut.Find("[data-testid=backup-last]").TextContent);
        Assert.Single(BackupTestSupport.DumpFiles(folder.Path));
        Assert.Contains("on demand", cut.Find("table").TextContent);
    }

    [Fact]
    public async Task AFailedBackupIsShownOnThePage()
    {
        var service = UseBackups();
        await service.BackUpAsync(BackupTrigger.Scheduled);
        clock.Advance(TimeSpan.FromHours(1));
        await new BackupManifest(service.GetStatus().Backups, new BackupFailure(clock.GetUtcNow(), BackupTrigger.Scheduled, "No space left on device"))
            .WriteAsync(folder.Path, CancellationToken.None);
        SignInAs(Admin);

        var cut = Render<Backups>();

        Assert.Contains("No space left on device", cut.Find("[data-testid=backup-failure]").TextContent);
    }

    [Fact]
    public void WithAConfiguredDatabaseThePageSaysWhatToUseInstead()
    {
        UseBackups(embedded: false);
        SignInAs(Admin);

        var cut = Render<Backups>();

        Assert.Contains("WAL archiving", cut.Find("[data-testid=backups-external]").TextContent);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Back up now"));
        Assert.NotNull(cut.Find("a[href='/admin/backups/partnership-archive']"));
    }

    [Fact]
    public async Task EveryPageWarnsAnAdministratorWhenTheLastGoodBackupIsOlderThan26Hours()
    {
        var service = UseBackups();
        await service.BackUpAsync(BackupTrigger.Scheduled);
        SignInAs(Admin);
        RenderFragment body = b => b.AddContent(0, "The page itself");

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, body));
        Assert.Empty(cut.FindAll("[data-testid=backup-warning]"));

        // The layout outlives pages: the next page the admin opens carries the warning.
        clock.Advance(TimeSpan.FromHours(26) + TimeSpan.FromMinutes(1));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/users");
        cut.WaitForAssertion(() => Assert.Contains("more than 26 hours ago", cut.Find("[data-testid=backup-warning]").TextContent));

        // A backup taken now (by the schedule, or by another admin) clears it at once.
        await service.BackUpAsync(BackupTrigger.Manual);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=backup-warning]")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void OtherRolesAreNotWarned()
    {
        UseBackups();
        clock.Advance(TimeSpan.FromDays(3));
        SignInAs(new Actor(1, 2, "Quinn QA", Role.QaMember, null));

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "The page itself"))));

        Assert.Empty(cut.FindAll("[data-testid=backup-warning]"));
    }
}
