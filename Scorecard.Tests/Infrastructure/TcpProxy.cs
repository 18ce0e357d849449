using System.Net;
using System.Net.Sockets;

namespace Scorecard.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between the app and PostgreSQL, so a test can take "the database" away from one app
/// (refuse new connections and break open ones) and give it back, without touching the server other tests share.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly Lock gate = new();
    private readonly List<TcpClient> open = [];
    private long generation;
    private TcpListener? listener;
    private CancellationTokenSource? accepting;

    private TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public int Port { get; private set; }

    /// <summary>Starts forwarding from a free loopback port to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public static TcpProxy Start(string targetHost, int targetPort)
    {
        var proxy = new TcpProxy(targetHost, targetPort);
        proxy.Listen();
        return proxy;
    }

    /// <summary>The database goes away: new connections are refused and open ones are broken.</summary>
    public void Cut()
    {
        lock (gate)
        {
            accepting?.Cancel();
            listener?.Stop();
            listener = null;
        }
        DropConnections();
    }

    /// <summary>The database is back on the same address.</summary>
    public void Restore() => Listen();

    /// <summary>Breaks every open connection but keeps accepting new ones (what a restart does to a pool's connections).</summary>
    public void DropConnections()
    {
        List<TcpClient> toClose;
        lock (gate)
        {
            generation++;
            toClose = [.. open];
            open.Clear();
        }
        foreach (var client in toClose)
            Reset(client);
    }

    /// <summary>Closes with a reset, as a dead server's kernel would answer.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket)
                socket.LingerState = new LingerOption(true, 0); // RST
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        client.Dispose();
    }

    private void Listen()
    {
        lock (gate)
        {
            var l = new TcpListener(IPAddress.Loopback, Port);
            l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            l.Start();
            Port = ((IPEndPoint)l.LocalEndpoint).Port;
            listener = l;
            accepting = new CancellationTokenSource();
            _ = AcceptLoopAsync(l, accepting.Token);
        }
    }

    private async Task AcceptLoopAsync(TcpListener l, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await l.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        // A connection is the proxy's from the moment it is accepted: one still reaching the server when the connections
        // are dropped must not survive the "restart" (it used to, under load, and a request could then draw a live
        // connection for its retried first query and dead ones for the rest).
        long born;
        lock (gate)
        {
            born = generation;
            open.Add(inbound);
        }
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(targetHost, targetPort);
        }
        catch (SocketException)
        {
            lock (gate)
                open.Remove(inbound);
            inbound.Dispose();
            outbound.Dispose();
            return;
        }
        bool dropped;
        lock (gate)
        {
            dropped = born != generation;
            if (!dropped)
                open.Add(outbound);
        }
        if (dropped)
        {
            Reset(inbound);
            outbound.Dispose();
            return;
        }
        try
        {
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A side went away: close both.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (gate)
            {
                open.Remove(inbound);
                open.Remove(outbound);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
