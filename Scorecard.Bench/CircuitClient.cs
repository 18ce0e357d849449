using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Scorecard.Bench;

/// <summary>
/// A headless Blazor Server client (after the manner of ASP.NET Core's "Ignitor" test client, written for .NET 10's
/// Blazor Web App protocol): it GETs a page with the signed-in cookie, reads the prerendered component markers and the
/// persisted state, connects to <c>/_blazor</c> over WebSockets with the "blazorpack" (MessagePack) hub protocol,
/// calls <c>StartCircuit</c> and <c>UpdateRootComponents</c> as blazor.web.js does, acknowledges every render batch
/// (<c>OnRenderCompleted</c>), answers JS interop calls with an empty success, and navigates (<c>OnLocationChanged</c>).
/// It never interprets a render batch: it only times them.
/// </summary>
public sealed partial class CircuitClient : IAsyncDisposable
{
    private readonly HubConnection hub;
    private readonly object gate = new();
    private TaskCompletionSource<long> nextBatch = NewBatchWaiter();
    private long lastBatchTicks;

    private CircuitClient(HubConnection hub) => this.hub = hub;

    /// <summary>Render batches received so far.</summary>
    public int Batches { get; private set; }

    /// <summary>Errors the server reported (JS.Error): a bench run with any is not to be trusted.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Signs in through the real login form and returns the cookies of the signed-in session.</summary>
    public static async Task<CookieContainer> SignInAsync(string baseUrl, string email, string password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await http.GetStringAsync("/account/login");
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(form))
        {
            var tag = input.Value;
            if (Attribute(tag, "name") is not { } name)
                continue;
            fields[name] = Attribute(tag, "id") switch
            {
                "email" => email,
                "password" => password,
                _ => WebUtility.HtmlDecode(Attribute(tag, "value") ?? ""),
            };
        }
        using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        if ((int)response.StatusCode >= 400 || cookies.GetCookies(new Uri(baseUrl)).Count == 0)
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode}.");
        var home = await http.GetAsync("/");
        if (home.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Signed in as {email}, but the home page answered {(int)home.StatusCode}.");
        return cookies;
    }

    /// <summary>Opens a page as a live circuit and waits until its first interactive render has settled.</summary>
    public static async Task<CircuitClient> OpenAsync(string baseUrl, CookieContainer cookies, string path, TimeSpan settle)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var html = await http.GetStringAsync(path);
        var operations = new JsonArray();
        var ssrId = 1;
        foreach (Match m in Marker().Matches(html))
        {
            var marker = JsonNode.Parse(m.Groups[1].Value)!.AsObject();
            if (marker["type"]?.GetValue<string>() is not "server")
                continue;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = ssrId++, ["marker"] = marker });
        }
        if (operations.Count == 0)
            throw new InvalidOperationException($"{path} has no interactive server component marker.");
        var state = StateComment().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        var builder = new HubConnectionBuilder();
        // Blazor's hub speaks MessagePack under the name "blazorpack"; registered last, it is the one the connection uses.
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        var hub = builder
            .WithUrl(new Uri(new Uri(baseUrl), "/_blazor"), HttpTransportType.WebSockets, o =>
            {
                o.Cookies = cookies;
                o.SkipNegotiation = true;
            })
            .Build();
        var client = new CircuitClient(hub);
        client.Wire();
        await hub.StartAsync();
        var secret = await hub.InvokeAsync<string?>("StartCircuit", baseUrl.TrimEnd('/') + "/", baseUrl.TrimEnd('/') + path, "[]", state);
        if (string.IsNullOrEmpty(secret))
            throw new InvalidOperationException($"The server refused to start a circuit for {path}: {string.Join("; ", client.Errors)}");
        await hub.SendAsync("UpdateRootComponents", new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString(), state);
        await client.SettleAsync(settle);
        return client;
    }

    /// <summary>Waits until a render batch has arrived and none has for <paramref name="quiet"/>.</summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.StartNew();
        while (Batches == 0 || Stopwatch.GetElapsedTime(Interlocked.Read(ref lastBatchTicks)) < quiet)
        {
            if (deadline.Elapsed > (limit ?? TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"No settled render within {deadline.Elapsed.TotalSeconds:0} s ({Batches} batches; errors: {string.Join("; ", Errors)}).");
            await Task.Delay(quiet / 4);
        }
    }

    /// <summary>The next render batch from now (its arrival time in Stopwatch ticks).</summary>
    public Task<long> NextBatchAsync()
    {
        lock (gate)
            return nextBatch.Task;
    }

    /// <summary>Navigates within the app as a link click does, and returns the milliseconds until the next render batch.</summary>
    public async Task<double> NavigateAsync(string absoluteUri, TimeSpan timeout)
    {
        var batch = NextBatchAsync();
        var sent = Stopwatch.GetTimestamp();
        await hub.SendAsync("OnLocationChanged", absoluteUri, (string?)null, true);
        var arrived = await batch.WaitAsync(timeout);
        return Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds;
    }

    private void Wire()
    {
        hub.On("JS.RenderBatch", [typeof(long), typeof(byte[])], async args =>
        {
            var id = (long)args[0]!;
            var now = Stopwatch.GetTimestamp();
            TaskCompletionSource<long> done;
            lock (gate)
            {
                Batches++;
                Interlocked.Exchange(ref lastBatchTicks, now);
                done = nextBatch;
                nextBatch = NewBatchWaiter();
            }
            done.TrySetResult(now);
            await hub.SendAsync("OnRenderCompleted", id, (string?)null);
        });
        // JS interop: answer as a browser whose functions return nothing ([handle, succeeded, result]).
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long)], async args =>
        {
            var handle = (long)args[0]!;
            if (handle != 0)
                await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, JsonSerializer.Serialize(new object?[] { handle, true, null }));
        });
        hub.On("JS.Error", [typeof(string)], args =>
        {
            lock (Errors)
                Errors.Add((string?)args[0] ?? "");
            return Task.CompletedTask;
        });
        hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        hub.On("JS.EndInvokeDotNet", [typeof(string)], _ => Task.CompletedTask);
        hub.On("JS.EndLocationChanging", [typeof(int), typeof(bool)], _ => Task.CompletedTask);
    }

    private static TaskCompletionSource<long> NewBatchWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex StateComment();

    public async ValueTask DisposeAsync() => await hub.DisposeAsync();

    /// <summary>SignalR's MessagePack hub protocol under the name Blazor's server expects.</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol inner = new();

        public string Name => "blazorpack";
        public int Version => inner.Version;
        public TransferFormat TransferFormat => TransferFormat.Binary;
        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);
        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);
        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    }
}
