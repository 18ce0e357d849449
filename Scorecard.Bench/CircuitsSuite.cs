using System.Diagnostics;
using System.Net;
using ClosedXML.Excel;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Web;

namespace Scorecard.Bench;

/// <summary>
/// Issue 10 §2: what open pages cost the server, measured with headless circuits (<see cref="CircuitClient"/>) against
/// the app hosted in this process on Kestrel, over a database holding the demo partnership.
/// <list type="bullet">
/// <item>Managed heap per idle circuit on <c>/scorecard</c> and on the heaviest measure page (the measure with the most
/// reporting agencies) at N = 1, 10 and 100: the heap after a full, blocking, compacting GC with N circuits open, minus the
/// same with none, over N. The client's own connections live in this process too, so the figure includes them.</item>
/// <item>p50 and p95 of the time from a navigation (a filter change: another quarter) to its render batch, with 100
/// scorecards each navigating every 2–5 s. Client and server share this machine's loopback, so it is the server's time.</item>
/// <item>The time from a committed return to the last of 100 open scorecards receiving its render batch.</item>
/// <item>A full page load of <c>/scorecard</c> in Chromium until the circuit is live and the table shown (median of 5).</item>
/// </list>
/// Options: <c>--quick</c> (a shorter interaction window), <c>--layout</c> (also the floor: circuits on the lightest page), <c>--hold</c> (a minute with 100 circuits open, for a heap dump).
/// <c>--page /some/path</c> (repeatable) measures only the heap per idle circuit of those pages (N = 100, or <c>--n N</c>),
/// one <c>circuits_page_heap_per_circuit_kb</c> figure per page in the order given, signed in as the QA member or as
/// <c>--as admin|qa|exec|police|school</c>; with <c>--layout</c> the floor is measured first, for comparison.
/// </summary>
public static class CircuitsSuite
{
    private const string QaEmail = "qa@cescp.example";
    private const string QaPassword = "Demo-qa-2026!";

    /// <summary>The demo sign-ins <c>--as</c> accepts (README, "Demo sign-ins").</summary>
    private static readonly Dictionary<string, (string Email, string Password)> DemoUsers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["admin"] = ("admin@cescp.example", "Demo-admin-2026!"),
        ["qa"] = (QaEmail, QaPassword),
        ["exec"] = ("exec@cescp.example", "Demo-exec-2026!"),
        ["police"] = ("police@cescp.example", "Demo-police-2026!"),
        ["school"] = ("school@cescp.example", "Demo-school-2026!"),
    };
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(400);
    private static readonly int[] Sizes = [1, 10, 100];

    public static async Task RunAsync(BenchContext context)
    {
        var options = PageOptions.Parse(context.Args);
        var total = Stopwatch.StartNew();
        var cs = await context.CreateMigratedDatabaseAsync("circuits");
        await using (var ds = ScorecardDataSource.Create(cs))
            await DemoLoader.LoadAsync(ds, DemoGenerator.Generate());
        var counter = new CircuitCounter();
        var app = await ScorecardApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Scorecard={cs}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer=Error",
        ], builder =>
        {
            // A closed connection ends its circuit at once (a browser tab's unload beacon does the same), so each
            // measurement starts from none.
            builder.Services.Configure<CircuitOptions>(o => o.DisconnectedCircuitMaxRetained = 0);
            builder.Services.AddSingleton(counter);
            builder.Services.AddScoped<CircuitHandler, CountingCircuitHandler>();
        });
        await app.StartAsync();
        try
        {
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            if (options.Paths.Count > 0)
            {
                await MeasurePagesAsync(context, baseUrl, counter, options);
                Progress($"whole suite {total.Elapsed.TotalSeconds:0} s");
                return;
            }
            var cookies = await CircuitClient.SignInAsync(baseUrl, QaEmail, QaPassword);
            var measurePath = $"/scorecard/measures/{await HeaviestMeasureAsync(cs)}";
            var quarters = await QuarterKeysAsync(cs);
            Progress($"app on {baseUrl}; heaviest measure page {measurePath}");

            // Warm the JIT and the shared read model, so the first measurement is not paying for them.
            for (var i = 0; i < 3; i++)
            {
                await using var a = await CircuitClient.OpenAsync(baseUrl, cookies, "/scorecard", Settle);
                await using var b = await CircuitClient.OpenAsync(baseUrl, cookies, measurePath, Settle);
            }
            await counter.WaitForAsync(0);

            // --layout: also the floor every page pays (the layout, MudBlazor's providers, the circuit itself), on the
            // lightest page, to tell a page's own cost from the floor's.
            var pages = new List<(string Name, string Path)> { ("measure", measurePath), ("scorecard", "/scorecard") };
            if (context.Args.Contains("--layout"))
                pages.Insert(0, ("layout", "/not-found"));
            foreach (var (name, path) in pages)
            {
                foreach (var n in name == "layout" ? [100] : Sizes)
                {
                    var baseline = Heap();
                    var circuits = await OpenManyAsync(baseUrl, cookies, path, n);
                    var open = await counter.WaitForAsync(n);
                    if (open != n)
                        Progress($"{name}: only {open} of {n} circuits are open on the server; the figure is per open circuit");
                    var kb = (Heap() - baseline) / 1024.0 / Math.Max(open, 1);
                    Progress($"{name}: {n} circuits, {kb:0} KB each ({circuits.Sum(c => c.Batches)} batches, {circuits.Sum(c => c.Errors.Count)} errors: {string.Join("; ", circuits.SelectMany(c => c.Errors).Distinct().Take(3))})");
                    BenchContext.Figure($"circuits_{name}_heap_per_circuit_kb{(n == 100 ? "" : $"_n{n}")}", kb);
                    if (n == 100 && context.Args.Contains("--hold"))
                    {
                        // --hold: time to take a heap dump of the open circuits (dotnet-gcdump collect -p <pid>).
                        Progress($"holding {n} {name} circuits for 60 s: dotnet-gcdump collect -p {Environment.ProcessId}");
                        await Task.Delay(TimeSpan.FromSeconds(60));
                    }
                    if (name == "scorecard" && n == 100)
                    {
                        await InteractAsync(baseUrl, circuits, quarters, context.Args.Contains("--quick") ? 15 : 40);
                        await LiveUpdateAsync(app, cs, circuits);
                    }
                    await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
                    await counter.WaitForAsync(0);
                }
            }

            await LoadToInteractiveAsync(baseUrl);
            Progress($"whole suite {total.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// <c>--page</c>: the heap per idle circuit of each given page (after the floor, with <c>--layout</c>), so a new page
    /// can be measured against the targets without running the whole suite.
    /// </summary>
    private static async Task MeasurePagesAsync(BenchContext context, string baseUrl, CircuitCounter counter, PageOptions options)
    {
        var user = DemoUsers[options.User];
        var cookies = await CircuitClient.SignInAsync(baseUrl, user.Email, user.Password);
        var pages = options.Paths.Select(p => ("page", p)).ToList();
        if (context.Args.Contains("--layout"))
            pages.Insert(0, ("layout", "/not-found"));
        foreach (var (_, path) in pages)
        {
            // Warm the JIT and the read model for this page, and fail early on a page that has no circuit.
            for (var i = 0; i < 3; i++)
            {
                await using var warm = await CircuitClient.OpenAsync(baseUrl, cookies, path, Settle);
                if (warm.Errors.Count > 0)
                    Progress($"{path}: the server reported errors while warming: {string.Join("; ", warm.Errors.Distinct().Take(3))}");
            }
        }
        await counter.WaitForAsync(0);
        foreach (var (name, path) in pages)
        {
            var n = options.Circuits;
            var baseline = Heap();
            var circuits = await OpenManyAsync(baseUrl, cookies, path, n);
            var open = await counter.WaitForAsync(n);
            if (open != n)
                Progress($"{path}: only {open} of {n} circuits are open on the server; the figure is per open circuit");
            var kb = (Heap() - baseline) / 1024.0 / Math.Max(open, 1);
            Progress($"{path} as {options.User}: {n} circuits, {kb:0} KB each ({circuits.Sum(c => c.Batches)} batches, {circuits.Sum(c => c.Errors.Count)} errors: {string.Join("; ", circuits.SelectMany(c => c.Errors).Distinct().Take(3))})");
            BenchContext.Figure($"circuits_{name}_heap_per_circuit_kb", kb);
            if (context.Args.Contains("--hold"))
            {
                Progress($"holding {n} circuits on {path} for 60 s: dotnet-gcdump collect -p {Environment.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(60));
            }
            await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
            await counter.WaitForAsync(0);
        }
    }

    /// <summary>The <c>--page</c>, <c>--as</c> and <c>--n</c> options, checked before anything starts.</summary>
    private sealed record PageOptions(IReadOnlyList<string> Paths, string User, int Circuits)
    {
        public static PageOptions Parse(IReadOnlyList<string> args)
        {
            var paths = new List<string>();
            var user = "qa";
            var circuits = 100;
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--page":
                        var path = Value();
                        if (!path.StartsWith('/'))
                            throw new ArgumentException($"--page takes a path in the app starting with '/', not '{path}'.");
                        paths.Add(path);
                        break;
                    case "--as":
                        user = Value();
                        if (!DemoUsers.ContainsKey(user))
                            throw new ArgumentException($"--as takes one of {string.Join(", ", DemoUsers.Keys)}, not '{user}'.");
                        break;
                    case "--n":
                        var n = Value();
                        if (!int.TryParse(n, out circuits) || circuits is < 1 or > 500)
                            throw new ArgumentException($"--n takes a number of circuits from 1 to 500, not '{n}'.");
                        break;
                }
            }
            return new PageOptions(paths, user, circuits);
        }
    }

    private static async Task<List<CircuitClient>> OpenManyAsync(string baseUrl, CookieContainer cookies, string path, int n)
    {
        var circuits = new List<CircuitClient>();
        // A few at a time, as people arriving at a meeting would; all of them at once would time the queue instead.
        for (var i = 0; i < n; i += 5)
            circuits.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(5, n - i)).Select(_ => CircuitClient.OpenAsync(baseUrl, cookies, path, Settle))));
        return circuits;
    }

    private static async Task InteractAsync(string baseUrl, IReadOnlyList<CircuitClient> circuits, IReadOnlyList<string> quarters, int seconds)
    {
        var times = new List<double>();
        var failures = 0;
        var until = Stopwatch.StartNew();
        await Task.WhenAll(circuits.Select(async (circuit, index) =>
        {
            var random = new Random(index);
            while (until.Elapsed.TotalSeconds < seconds)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2000, 5000)));
                var quarter = quarters[random.Next(quarters.Count)];
                try
                {
                    var ms = await circuit.NavigateAsync($"{baseUrl}/scorecard?quarter={quarter}", TimeSpan.FromSeconds(30));
                    lock (times)
                        times.Add(ms);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    // No render within 30 s, or the server dropped the circuit: counted, not timed.
                    Interlocked.Increment(ref failures);
                    if (e is InvalidOperationException)
                        return;
                }
            }
        }));
        times.Sort();
        Progress($"{times.Count} interactions in {seconds} s by {circuits.Count} circuits; {failures} without a render in 30 s or on a dropped circuit; max {times.LastOrDefault():0} ms");
        BenchContext.Figure("circuits_interaction_p50_ms", Percentile(times, 0.50));
        BenchContext.Figure("circuits_interaction_p95_ms", Percentile(times, 0.95));
    }

    /// <summary>Commits the police's return for the latest quarter and times until every open scorecard has redrawn.</summary>
    private static async Task LiveUpdateAsync(WebApplication app, string cs, IReadOnlyList<CircuitClient> circuits)
    {
        await using var ds = ScorecardDataSource.Create(cs);
        await using var conn = await ds.OpenConnectionAsync();
        var admin = await conn.QuerySingleAsync<(int PartnershipId, int Id, string DisplayName)>(
            "select partnership_id, id, display_name from app_user where email = 'admin@cescp.example'");
        var actor = new Actor(admin.PartnershipId, admin.Id, admin.DisplayName, Role.Admin, null);
        var police = await conn.QuerySingleAsync<int>("select id from agency where partnership_id = @p and name = 'Cheshire Constabulary'", new { p = admin.PartnershipId });
        var period = await conn.QuerySingleAsync<int>(
            "select id from reporting_period where partnership_id = @p and due_date < current_date order by fiscal_year desc, quarter desc limit 1", new { p = admin.PartnershipId });
        var template = (await new ReturnTemplateService(ds).BuildTemplateAsync(actor, police, period))!.Bytes;
        var bytes = Fill(template);

        // Settle first: nothing else may be in flight when the clock starts.
        await Task.WhenAll(circuits.Select(c => c.SettleAsync(Settle)));
        var batches = circuits.Select(c => c.NextBatchAsync()).ToList();
        var result = await app.Services.GetRequiredService<ReturnImportService>()
            .CommitAsync(actor, new ReturnUpload(police, period, "bench.xlsx", bytes), CancellationToken.None);
        var committed = Stopwatch.GetTimestamp();
        if (result.Status != ReturnImportStatus.Committed)
            throw new InvalidOperationException("The bench's return was not committed: " + result.Message);
        try
        {
            var arrivals = await Task.WhenAll(batches).WaitAsync(TimeSpan.FromSeconds(30));
            var last = Stopwatch.GetElapsedTime(committed, arrivals.Max()).TotalMilliseconds;
            Progress($"a committed return reached all {circuits.Count} open scorecards in {last:0} ms");
            BenchContext.Figure("circuits_live_update_all_ms", last);
        }
        catch (TimeoutException)
        {
            var reached = batches.Count(b => b.IsCompletedSuccessfully);
            Progress($"a committed return reached {reached} of {circuits.Count} open scorecards within 30 s: no live update figure");
        }
    }

    /// <summary>Fills every input of a return template with last quarter's figure, as the tests' helper does.</summary>
    private static byte[] Fill(byte[] template)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        for (var row = ReturnTemplateLayout.FirstDataRow; !ws.Cell(row, ReturnTemplateLayout.CodeColumn).IsEmpty(); row++)
        {
            var previous = ws.Cell(row, ReturnTemplateLayout.PreviousColumn).IsEmpty() ? 10m : ws.Cell(row, ReturnTemplateLayout.PreviousColumn).GetValue<decimal>();
            if (ws.Cell(row, ReturnTemplateLayout.ValueColumn).HasFormula)
            {
                var scale = ws.Cell(row, ReturnTemplateLayout.UnitColumn).GetString() == "%" ? 100m : 10_000m;
                ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = Math.Round(previous * 100_000m / scale) + 1;
                ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 100_000;
            }
            else
            {
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = Math.Round(previous) + 1;
            }
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Value = "Sent by the circuits bench.";
        }
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    /// <summary>Chromium: sign in, then load /scorecard until its circuit is live and its table shown; median of 5.</summary>
    private static async Task LoadToInteractiveAsync(string baseUrl)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail address").FillAsync(QaEmail);
        await page.GetByLabel("Password").FillAsync(QaPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            await page.GotoAsync("about:blank");
            var sw = Stopwatch.StartNew();
            await page.GotoAsync("/scorecard");
            await page.Locator("#circuit-state[data-live='yes']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
            await page.Locator("td[data-code]").First.WaitForAsync(new() { Timeout = 60_000 });
            if (i > 0)
                times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        BenchContext.Figure("circuits_scorecard_load_to_interactive_ms", Percentile(times, 0.5));
    }

    private static long Heap()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<string> HeaviestMeasureAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        return await conn.QuerySingleAsync<string>("""
            select m.code from measure m join measure_reporter r on r.partnership_id = m.partnership_id and r.measure_id = m.id
            where m.active group by m.code order by count(*) desc, m.code limit 1
            """);
    }

    private static async Task<IReadOnlyList<string>> QuarterKeysAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        return (await conn.QueryAsync<string>(
            "select fiscal_year || '-Q' || quarter from reporting_period where due_date < current_date order by fiscal_year desc, quarter desc limit 8")).ToList();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[circuits] {message}");

    /// <summary>Open circuits on the server, counted by a circuit handler, so a measurement waits for the server's view.</summary>
    private sealed class CircuitCounter
    {
        private int open;

        public void Opened() => Interlocked.Increment(ref open);

        public void Closed() => Interlocked.Decrement(ref open);

        /// <summary>Waits (up to 30 s) until <paramref name="count"/> circuits are open, and returns how many are.</summary>
        public async Task<int> WaitForAsync(int count)
        {
            var sw = Stopwatch.StartNew();
            while (Volatile.Read(ref open) != count && sw.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(50);
            return Volatile.Read(ref open);
        }
    }

    private sealed class CountingCircuitHandler(CircuitCounter counter) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            counter.Opened();
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            counter.Closed();
            return Task.CompletedTask;
        }
    }
}
