using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;

namespace Scorecard.Tests.Performance;

/// <summary>
/// The shared read model on a real PostgreSQL with its listener running: one snapshot per partnership, built once for
/// concurrent readers, dropped when a committed change is announced through NOTIFY (and not when a change rolls back),
/// and never kept while nobody listens.
/// </summary>
public sealed class ReadModelTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class Listening(ScorecardReadModel model, ScorecardChangeListener listener) : IAsyncDisposable
    {
        public ScorecardReadModel Model { get; } = model;

        public async ValueTask DisposeAsync()
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }

    private async Task<Listening> StartAsync()
    {
        var model = new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System);
        var services = new ServiceCollection().AddSingleton(db.DataSource).AddSingleton(model).BuildServiceProvider();
        var listener = new ScorecardChangeListener(services, NullLogger<ScorecardChangeListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        await model.WhenListening.WaitAsync(Patience);
        return new Listening(model, listener);
    }

    /// <summary>Waits for the next change the model raises for the partnership (no sleeps: a completion source).</summary>
    private static Task<ScorecardChange> NextChangeAsync(ScorecardReadModel model, int partnershipId)
    {
        var heard = new TaskCompletionSource<ScorecardChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(ScorecardChange c)
        {
            if (c.Concerns(partnershipId))
                heard.TrySetResult(c);
        }
        model.Changed += Handler;
        return heard.Task.WaitAsync(Patience).ContinueWith(t => { model.Changed -= Handler; return t.Result; }, TaskScheduler.Default);
    }

    [Fact]
    public async Task ConcurrentReadersShareOneSnapshotBuiltOnce()
    {
        await using var listening = await StartAsync();
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var before = listening.Model.BuildCount;

        var snapshots = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => listening.Model.GetAsync(qa.PartnershipId, CancellationToken.None))));

        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
        Assert.Equal(before + 1, listening.Model.BuildCount);
        Assert.Same(snapshots[0], await listening.Model.GetAsync(qa.PartnershipId, CancellationToken.None));
    }

    [Fact]
    public async Task ACommittedReturnReplacesTheSnapshotAndSaysWhoseReturnItWas()
    {
        await using var listening = await StartAsync();
        var setup = await ReturnFiles.SetupAsync(db.DataSource);
        var old = await listening.Model.GetAsync(setup.Admin.PartnershipId, CancellationToken.None);
        var template = await ReturnFiles.TemplateAsync(db.DataSource, setup.Admin, setup.PoliceId, setup.PeriodId);
        var bytes = ReturnFiles.Fill(template, ws => ws.Cell(ReturnFiles.FirstRow, Scorecard.Data.Returns.ReturnTemplateLayout.CommentaryColumn).Value = "read model " + Guid.NewGuid());
        var imports = new ReturnImportService(db.DataSource, new ReturnUploadOptions());
        var change = NextChangeAsync(listening.Model, setup.Admin.PartnershipId);

        var result = await imports.CommitAsync(setup.Admin, new ReturnUpload(setup.PoliceId, setup.PeriodId, "police.xlsx", bytes), CancellationToken.None);

        Assert.Equal(ReturnImportStatus.Committed, result.Status);
        var heard = await change;
        var period = old.Data.Periods.Single(p => p.Id == setup.PeriodId);
        Assert.Equal($"Cheshire Constabulary's {period.Label} return", heard.What);
        var fresh = await listening.Model.GetAsync(setup.Admin.PartnershipId, CancellationToken.None);
        Assert.NotSame(old, fresh);
        Assert.True(fresh.Version > old.Version);
        Assert.Contains(fresh.Data.Values, v => v.ReturnId == result.ReturnId);
        Assert.DoesNotContain(old.Data.Values, v => v.ReturnId == result.ReturnId);
    }

    [Fact]
    public async Task AChangeThatRollsBackAnnouncesNothing()
    {
        await using var listening = await StartAsync();
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var snapshot = await listening.Model.GetAsync(admin.PartnershipId, CancellationToken.None);
        var measure = snapshot.Data.Measures[0];
        var change = NextChangeAsync(listening.Model, admin.PartnershipId);

        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await using var tx = await conn.BeginTransactionAsync();
            await ChangeLog.WriteAsync(conn, tx, admin, "measure", measure.Id, "update", "rolled back", null, null, CancellationToken.None);
            await tx.RollbackAsync();
        }
        // A committed change after it is the next one heard: the rolled-back one never arrived.
        var period = snapshot.Data.Periods[^1];
        var add = await new ProcessChangeCommands(db.DataSource).AddAsync(admin, measure.Id, period.Id, "Committed after the rollback", CancellationToken.None);

        Assert.True(add.Succeeded);
        Assert.Equal("a process change", (await change).What);
        await new ProcessChangeCommands(db.DataSource).RemoveAsync(admin, add.Value, CancellationToken.None);
    }

    [Fact]
    public async Task WithoutAListenerNothingIsKept()
    {
        var model = new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        var first = await model.GetAsync(qa.PartnershipId, CancellationToken.None);
        var second = await model.GetAsync(qa.PartnershipId, CancellationToken.None);

        Assert.False(model.IsListening);
        Assert.NotSame(first, second);
        Assert.Equal(2, model.BuildCount);
    }

    [Fact]
    public async Task ALeavingViewerCancelsTheirWaitButNotTheSharedBuild()
    {
        await using var listening = await StartAsync();
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        // Drop whatever an earlier test left, so this reader starts a build.
        listening.Model.InvalidateAll("test");
        // The build waits on a lock the test holds, so it is certainly still running when the viewers ask. (Without it, on
        // a busy machine every query's answer could already be buffered when read, the build then finished synchronously,
        // and a finished snapshot is handed even to a viewer who has left: CI failed so once after fc63b87.)
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync(new CommandDefinition("lock table measure in access exclusive mode", transaction: hold));
        // The viewer who starts the build has already left (their token is cancelled): their wait must end cancelled
        // while the build they started goes on for the viewer who stays.
        using var leaving = new CancellationTokenSource();
        await leaving.CancelAsync();
        var waiting = listening.Model.GetAsync(qa.PartnershipId, leaving.Token);
        var staying = listening.Model.GetAsync(qa.PartnershipId, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(staying.IsCompleted);
        var before = listening.Model.BuildCount;
        await hold.RollbackAsync();
        var snapshot = await staying.WaitAsync(Patience);
        Assert.NotEmpty(snapshot.Data.Measures);
        // It is the build the leaving viewer started that served the one who stayed: one build, not a second.
        Assert.Equal(before + 1, listening.Model.BuildCount);
    }

    [Fact]
    public async Task AnAgencyUsersViewOfTheSharedSnapshotShowsTheirOwnSmallNumbersOnly()
    {
        await using var listening = await StartAsync();
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var snapshot = await listening.Model.GetAsync(qa.PartnershipId, CancellationToken.None);
        var own = new ScorecardScope(AgencyId: police.AgencyId);

        var policeView = ScorecardViewBuilder.Build(snapshot, police, own);
        var qaView = ScorecardViewBuilder.Build(snapshot, qa, own);

        // The same shared figures, suppressed for the QA member wherever they are small, never for the agency itself.
        Assert.Equal(policeView.Lines.Count, qaView.Lines.Count);
        Assert.DoesNotContain(policeView.Lines, l => l.History.Any(f => f.Suppressed));
        var small = qaView.Lines.SelectMany(l => l.History).Where(f => f.Suppressed).ToList();
        Assert.NotEmpty(small);
        Assert.Throws<AccessDeniedException>(() => ScorecardViewBuilder.Build(snapshot, police, new ScorecardScope(Sector: Sector.Health)));
        // Building a view never changes the shared lines.
        Assert.DoesNotContain(ScorecardViewBuilder.Build(snapshot, police, own).Lines, l => l.History.Any(f => f.Suppressed));
    }
}
