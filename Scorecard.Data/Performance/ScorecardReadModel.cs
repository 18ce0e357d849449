using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Scorecard.Data.Performance;

/// <summary>What changed under a partnership's figures: null <see cref="PartnershipId"/> means anything, anywhere.</summary>
/// <param name="What">A neutral phrase for the page's note ("Cheshire Constabulary's 2025/26 Q2 return").</param>
public sealed record ScorecardChange(int? PartnershipId, string What)
{
    public bool Concerns(int partnershipId) => PartnershipId is null || PartnershipId == partnershipId;
}

/// <summary>
/// The process-wide read model (design.md, The read path): one immutable <see cref="ScorecardSnapshot"/> per
/// partnership, built once (single-flight: concurrent requests await the same build), shared by every circuit and
/// export, and dropped whole when <see cref="ScorecardChangeListener"/> hears that the data under it changed, on this
/// instance or any other on the same database. Pages subscribe to <see cref="Changed"/> to re-render.
/// While the listener is not connected no change can be heard, so nothing is cached: every request reads the database.
/// </summary>
public sealed class ScorecardReadModel(ScorecardQueries queries, TimeProvider clock, ILogger<ScorecardReadModel>? logger = null)
{
    /// <summary>Partnerships kept at once; the least recently read is dropped beyond this (a host of many partnerships).</summary>
    public int MaxPartnerships { get; init; } = 64;

    private readonly ILogger logger = logger ?? NullLogger<ScorecardReadModel>.Instance;
    private readonly ConcurrentDictionary<int, Entry> entries = new();
    private long versions;
    private volatile bool listening;
    private TaskCompletionSource listeningStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after a partnership's snapshot was dropped. Handlers must be quick (post work to the renderer).</summary>
    public event Action<ScorecardChange>? Changed;

    /// <summary>Whether changes are being heard, and so whether snapshots may be kept.</summary>
    public bool IsListening => listening;

    /// <summary>Completes when the listener is (again) listening: for tests and tools that must not miss a change.</summary>
    public Task WhenListening => Volatile.Read(ref listeningStarted).Task;

    /// <summary>Snapshots built since start (cache misses), for tests and the bench.</summary>
    public long BuildCount => Interlocked.Read(ref versions);

    /// <summary>The partnership's current snapshot, built if there is none (or it was built on another day).</summary>
    public async Task<ScorecardSnapshot> GetAsync(int partnershipId, CancellationToken ct)
    {
        if (!listening)
            return await BuildAsync(partnershipId, ct);
        var today = Today();
        while (true)
        {
            var entry = entries.GetOrAdd(partnershipId, id => new Entry(id, this));
            entry.LastRead = Environment.TickCount64;
            ScorecardSnapshot snapshot;
            try
            {
                // The build is shared: a viewer leaving cancels their wait, never the build the others await.
                snapshot = await entry.Snapshot.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                entries.TryRemove(KeyValuePair.Create(partnershipId, entry));
                throw;
            }
            if (snapshot.Today != today)
            {
                entries.TryRemove(KeyValuePair.Create(partnershipId, entry));
                continue;
            }
            EvictBeyondCapacity();
            return snapshot;
        }
    }

    /// <summary>Drops the partnership's snapshot and tells the pages. Called by the listener for each notification.</summary>
    public void Invalidate(int partnershipId, string what)
    {
        entries.TryRemove(partnershipId, out _);
        Raise(new ScorecardChange(partnershipId, what));
    }

    /// <summary>Drops every snapshot (the listener reconnected: changes may have been missed) and tells the pages.</summary>
    public void InvalidateAll(string what)
    {
        entries.Clear();
        Raise(new ScorecardChange(null, what));
    }

    /// <summary>Set by the listener: true once LISTEN is in place, false when its connection is lost.</summary>
    public void SetListening(bool value)
    {
        if (!value)
        {
            if (listening)
                Volatile.Write(ref listeningStarted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            listening = false;
            entries.Clear();
            return;
        }
        entries.Clear();
        listening = true;
        Volatile.Read(ref listeningStarted).TrySetResult();
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task<ScorecardSnapshot> BuildAsync(int partnershipId, CancellationToken ct)
    {
        var data = await queries.LoadAsync(partnershipId, ct);
        return ScorecardSnapshot.Create(data, Interlocked.Increment(ref versions));
    }

    private void EvictBeyondCapacity()
    {
        var excess = entries.Count - MaxPartnerships;
        if (excess <= 0)
            return;
        foreach (var stale in entries.OrderBy(e => e.Value.LastRead).Take(excess).ToList())
            entries.TryRemove(stale);
    }

    private void Raise(ScorecardChange change)
    {
        if (Changed is not { } handlers)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<ScorecardChange>>())
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                // One page failing to take the news must not stop the others hearing it.
                logger.LogWarning(e, "A subscriber failed to handle a scorecard change");
            }
        }
    }

    private sealed class Entry(int partnershipId, ScorecardReadModel owner)
    {
        public Lazy<Task<ScorecardSnapshot>> Snapshot { get; } =
            new(() => owner.BuildAsync(partnershipId, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);

        public long LastRead { get; set; }
    }
}
