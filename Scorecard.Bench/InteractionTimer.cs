using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Scorecard.Bench;

/// <summary>
/// Server time of an interaction, measured inside the app: from the moment the hub dispatches the client's message (a
/// navigation, or a browser event) to the moment the server writes the last render batch that it caused (a page that
/// loads asynchronously renders twice: the interaction is done when its figures are drawn). Neither the
/// client's own queueing nor the network is in it, so the figure holds on a machine that is busy with other work
/// (issue 10 §2: "server time from a filter change to its render batch").
/// <para>How: a hub filter marks the dispatch in an <see cref="AsyncLocal{T}"/>, which flows with the execution context
/// into the renderer's work and its send; the hub protocol (wrapped through <see cref="TimingProtocolResolver"/>) sees the
/// render batch being written in that same flow and keeps the latest elapsed time.</para>
/// </summary>
public sealed class InteractionTimer : IHubFilter
{
    private static readonly AsyncLocal<Dispatch?> Current = new();
    private readonly ConcurrentQueue<Dispatch> dispatches = new();
    private volatile bool recording;

    /// <summary>The client's messages that are interactions (the rest are acknowledgements and interop replies).</summary>
    private static bool IsInteraction(string method) => method is "OnLocationChanged" or "BeginInvokeDotNetFromJS";

    public void Start()
    {
        dispatches.Clear();
        recording = true;
    }

    /// <summary>Stops recording and returns the server times in milliseconds, sorted.</summary>
    public List<double> Stop()
    {
        recording = false;
        var list = dispatches.Where(d => d.LastBatch > 0).Select(d => Stopwatch.GetElapsedTime(d.Started, d.LastBatch).TotalMilliseconds).ToList();
        list.Sort();
        return list;
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (recording && IsInteraction(invocationContext.HubMethodName))
        {
            var dispatch = new Dispatch(Stopwatch.GetTimestamp());
            dispatches.Enqueue(dispatch);
            Current.Value = dispatch;
        }
        return await next(invocationContext);
    }

    /// <summary>Called as a render batch is written: the latest one in a dispatch's flow ends its timing.</summary>
    internal void OnRenderBatch()
    {
        if (Current.Value is { } dispatch)
            Interlocked.Exchange(ref dispatch.LastBatch, Stopwatch.GetTimestamp());
    }

    private sealed class Dispatch(long started)
    {
        public long Started { get; } = started;
        public long LastBatch;
    }
}

/// <summary>Hands out the app's own hub protocols, with Blazor's "blazorpack" wrapped to tell <see cref="InteractionTimer"/> about render batches.</summary>
public sealed class TimingProtocolResolver : IHubProtocolResolver
{
    private readonly Dictionary<string, IHubProtocol> byName = new(StringComparer.OrdinalIgnoreCase);

    public TimingProtocolResolver(IEnumerable<IHubProtocol> protocols, InteractionTimer timer)
    {
        // As SignalR's default resolver: the last one registered under a name wins.
        foreach (var protocol in protocols)
            byName[protocol.Name] = protocol.Name == "blazorpack" ? new TimedProtocol(protocol, timer) : protocol;
        AllProtocols = byName.Values.ToList();
    }

    public IReadOnlyList<IHubProtocol> AllProtocols { get; }

    public IHubProtocol? GetProtocol(string protocolName, IReadOnlyList<string>? supportedProtocols) =>
        byName.TryGetValue(protocolName, out var protocol) && (supportedProtocols is null || supportedProtocols.Contains(protocolName, StringComparer.OrdinalIgnoreCase))
            ? protocol
            : null;

    private sealed class TimedProtocol(IHubProtocol inner, InteractionTimer timer) : IHubProtocol
    {
        public string Name => inner.Name;
        public int Version => inner.Version;
        public TransferFormat TransferFormat => inner.TransferFormat;
        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
        {
            if (message is InvocationMessage { Target: "JS.RenderBatch" })
                timer.OnRenderBatch();
            inner.WriteMessage(message, output);
        }

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
        {
            if (message is InvocationMessage { Target: "JS.RenderBatch" })
                timer.OnRenderBatch();
            return inner.GetMessageBytes(message);
        }
    }
}
