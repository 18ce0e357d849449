using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using ClosedXML.Excel;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Returns;
using Scorecard.Web;

namespace Scorecard.Bench;

/// <summary>
/// Hostile uploads (issue 9 §1.3): the real app in this process on Kestrel, 8 uploads at once to <c>POST /api/returns</c>
/// with a police token, each a validly filled police template whose commentary is one shared string of 60 million
/// characters (about 70 KB zipped). Samples the process working set every few milliseconds while they are answered and
/// reports the peak above the idle working set (target under 300 MB). A second round sends 900,000-character commentary,
/// just under the markup guard, so the bounded cell read itself is what keeps memory down.
/// </summary>
public static class HostileSuite
{
    private const int Concurrent = 8;
    private const string Marker = "HOSTILE-BENCH-MARKER";

    public static async Task RunAsync(BenchContext context)
    {
        var cs = await context.CreateMigratedDatabaseAsync("hostile");
        int partnershipId, policeId, periodId;
        string token;
        byte[] template;
        await using (var dataSource = ScorecardDataSource.Create(cs))
        {
            (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, DemoGenerator.Generate());
            await using var conn = await dataSource.OpenConnectionAsync();
            var (adminId, adminName) = await conn.QueryFirstAsync<(int, string)>(
                "select id, display_name from app_user where partnership_id = @partnershipId and role = 'admin' order by id", new { partnershipId });
            var admin = new Actor(partnershipId, adminId, adminName, Role.Admin, null);
            policeId = await conn.ExecuteScalarAsync<int>(
                "select id from agency where partnership_id = @partnershipId and name = 'Cheshire Constabulary'", new { partnershipId });
            periodId = await conn.ExecuteScalarAsync<int>(
                "select id from reporting_period where partnership_id = @partnershipId order by fiscal_year desc, quarter desc limit 1", new { partnershipId });
            token = (await new ApiTokenService(dataSource, TimeProvider.System).IssueAsync(admin, policeId, "Hostile bench")).Value!.Token;
            template = (await new ReturnTemplateService(dataSource).BuildTemplateAsync(admin, policeId, periodId))!.Bytes;
        }
        NpgsqlConnection.ClearAllPools();

        var valid = Fill(template);
        var sixtyMillion = WithCommentary(valid, 60_000_000);
        var justUnderGuard = WithCommentary(valid, 900_000);
        Console.Error.WriteLine($"hostile files: {sixtyMillion.Length:N0} bytes (60,000,000-character commentary), {justUnderGuard.Length:N0} bytes (900,000); server GC: {GCSettings.IsServerGC}");

        var app = await ScorecardApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Scorecard={cs}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            var query = $"/api/returns?period={periodId}&dryRun=true";

            // Warm up every path once (JIT, pools), so the idle figure is the app at rest after real work.
            Require(await PostAsync(http, token, query, valid), 200);
            await PostAsync(http, token, query, sixtyMillion);
            await PostAsync(http, token, query, justUnderGuard);

            var (peak, statuses) = await PeakAboveIdleAsync(() => Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => PostAsync(http, token, query, sixtyMillion))));
            Console.Error.WriteLine($"60,000,000 characters × {Concurrent}: statuses {string.Join(", ", statuses)}");
            BenchContext.Figure("hostile_peak_working_set_above_idle_mb", peak);

            var (boundedPeak, boundedStatuses) = await PeakAboveIdleAsync(() => Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => PostAsync(http, token, query, justUnderGuard))));
            Console.Error.WriteLine($"900,000 characters × {Concurrent}: statuses {string.Join(", ", boundedStatuses)}");
            BenchContext.Figure("hostile_bounded_read_peak_working_set_above_idle_mb", boundedPeak);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>Measures the idle working set after a full collection, then samples the peak while <paramref name="load"/> runs.</summary>
    private static async Task<(double PeakMb, int[] Statuses)> PeakAboveIdleAsync(Func<Task<int[]>> load)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(500);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var idle = process.WorkingSet64;
        var peak = idle;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                try { await Task.Delay(5, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var statuses = await load();
        await stop.CancelAsync();
        await sampler;
        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
        Console.Error.WriteLine($"idle {idle / 1048576d:0} MB, peak {peak / 1048576d:0} MB");
        return ((peak - idle) / 1048576d, statuses);
    }

    private static async Task<int> PostAsync(HttpClient http, string token, string query, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 100_000)
            Console.Error.WriteLine($"warning: an answer of {text.Length:N0} characters");
        return (int)response.StatusCode;
    }

    private static void Require(int status, int expected)
    {
        if (status != expected)
            throw new InvalidOperationException($"the valid police return answered {status}, not {expected}");
    }

    /// <summary>A validly filled police template: ratios 45 of 100, typed values 10, commentary on every row (the first row's a marker).</summary>
    private static byte[] Fill(byte[] template)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        var ws = workbook.Worksheet(ReturnTemplateLayout.ReturnSheet);
        for (var row = ReturnTemplateLayout.FirstDataRow; !ws.Cell(row, ReturnTemplateLayout.CodeColumn).IsEmpty(); row++)
        {
            if (ws.Cell(row, ReturnTemplateLayout.ValueColumn).HasFormula)
            {
                ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 45;
                ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 100;
            }
            else
            {
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 10;
            }
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Value = row == ReturnTemplateLayout.FirstDataRow ? Marker : $"Bench row {row}.";
        }
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    /// <summary>The same file with the first row's commentary (a shared string) replaced by <paramref name="characters"/> characters.</summary>
    private static byte[] WithCommentary(byte[] filled, int characters)
    {
        using var stream = new MemoryStream();
        stream.Write(filled);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/sharedStrings.xml") ?? throw new InvalidOperationException("no shared strings");
            string xml;
            using (var reader = new StreamReader(entry.Open()))
                xml = reader.ReadToEnd();
            entry.Delete();
            var at = xml.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0)
                throw new InvalidOperationException("the marker is not a shared string");
            using var writer = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
            writer.Write(xml.AsSpan(0, at));
            var block = new string('x', 1_000_000);
            for (var left = characters; left > 0; left -= block.Length)
                writer.Write(block.AsSpan(0, Math.Min(block.Length, left)));
            writer.Write(xml.AsSpan(at + Marker.Length));
        }
        return stream.ToArray();
    }
}
