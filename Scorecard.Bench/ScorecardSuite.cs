using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;

namespace Scorecard.Bench;

/// <summary>
/// The scorecard benchmark of issue 3: loading one partnership's scorecard (the six-statement query, building the shared
/// snapshot and a viewer's view from it: what the read model does on a miss)
/// against the floor of reading the same rows with a raw data reader, and the same load when the database holds 150
/// partnerships of that size. The 1-partnership database is timed alone first; then a copy of it receives the other 149
/// partnerships, and the two are timed in alternation, so only the data volume differs. Options: <c>--diagnose</c> adds where the time goes (query vs builder, and the server's execution
/// time of each statement) to stderr; <c>--quick</c> skips the 149 copies, for trying the suite out.
/// </summary>
public static class ScorecardSuite
{
    private const int Partnerships = 150;
    private const int Runs = 101;
    private const int Warmups = 30;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(BenchContext context)
    {
        var total = Stopwatch.StartNew();
        var cs = await context.CreateMigratedDatabaseAsync("scorecard");
        await using var dataSource = ScorecardDataSource.Create(cs);

        var demo = DemoGenerator.Generate();
        var sw = Stopwatch.StartNew();
        var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, demo);
        Progress($"loaded the demo partnership ({demo.Values.Count} values) in {sw.ElapsedMilliseconds} ms");
        await AnalyzeAsync(dataSource);

        var actor = await QaActorAsync(dataSource, partnershipId);
        var queries = new ScorecardQueries(dataSource, TimeProvider.System);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        var probe = await queries.LoadAsync(actor.PartnershipId, CancellationToken.None);
        var probeView = ScorecardBuilder.Build(probe, actor, ScorecardScope.Partnership);
        Progress($"scorecard: {probe.Measures.Count} measures, {probe.Periods.Count} quarters, {probe.Values.Count} values, {probeView.Lines.Count} lines");
        var floorCells = await ReadRawAsync(dataSource, actor.PartnershipId, today);
        Progress($"floor reads {floorCells} cells");

        async Task LoadAsync()
        {
            var data = await queries.LoadAsync(actor.PartnershipId, CancellationToken.None);
            GC.KeepAlive(ScorecardViewBuilder.Build(ScorecardSnapshot.Create(data), actor, ScorecardScope.Partnership));
        }

        Task FloorAsync() => ReadRawAsync(dataSource, actor.PartnershipId, today);

        var diagnose = context.Args.Contains("--diagnose");
        if (diagnose)
        {
            await DiagnoseAsync(queries, actor, probe);
            await ScorecardDiag.ServerTimesAsync(dataSource, actor.PartnershipId, today, showValuesPlan: false);
        }

        var alone = await InterleavedMediansAsync([LoadAsync, FloorAsync]);
        Progress($"1 partnership, alone: load {alone[0]:0.00} ms, floor {alone[1]:0.00} ms");

        // The 150-partnership database starts as a file-level copy of this one (the same pages, so partnership 1's rows
        // lie exactly as they do here) and receives the other 149; this one is kept, so the two can be timed in
        // alternation and only the data volume differs, not the neighbours' load on this shared machine.
        sw.Restart();
        var cs150 = await CopyDatabaseAsync(context, dataSource, cs);
        await using var dataSource150 = ScorecardDataSource.Create(cs150);
        var copies = context.Args.Contains("--quick") ? 0 : Partnerships - 1;
        await LoadCopiesAsync(dataSource150, demo, copies);
        await AnalyzeAsync(dataSource150);
        Progress($"loaded {copies} more partnerships into a copy of the database and analysed in {sw.Elapsed.TotalSeconds:0.0} s");

        var count = await CountPartnershipsAsync(dataSource150);
        var queries150 = new ScorecardQueries(dataSource150, TimeProvider.System);
        var check = await queries150.LoadAsync(actor.PartnershipId, CancellationToken.None);
        if (check.Values.Count != probe.Values.Count)
            throw new InvalidOperationException($"The partnership's scorecard changed: {probe.Values.Count} values before, {check.Values.Count} after.");

        if (diagnose)
        {
            await DiagnoseAsync(queries150, actor, probe);
            await ScorecardDiag.ServerTimesAsync(dataSource150, actor.PartnershipId, today, showValuesPlan: true);
        }

        async Task Load150Async()
        {
            var data = await queries150.LoadAsync(actor.PartnershipId, CancellationToken.None);
            GC.KeepAlive(ScorecardViewBuilder.Build(ScorecardSnapshot.Create(data), actor, ScorecardScope.Partnership));
        }

        Task Floor150Async() => ReadRawAsync(dataSource150, actor.PartnershipId, today);

        // The figures: all four series timed in alternation in one window.
        var medians = await InterleavedMediansAsync([LoadAsync, FloorAsync, Load150Async, Floor150Async]);
        var (load1, floor) = (medians[0], medians[1]);
        var (load150, floor150) = (medians[2], medians[3]);
        Progress($"1 partnership: load {load1:0.00} ms, floor {floor:0.00} ms; {count} partnerships: load {load150:0.00} ms, floor {floor150:0.00} ms; whole suite {total.Elapsed.TotalSeconds:0.0} s");

        BenchContext.Figure("partnerships", count);
        BenchContext.Figure("scorecard_values", probe.Values.Count);
        BenchContext.Figure("scorecard_load_ms", load1);
        BenchContext.Figure("scorecard_floor_ms", floor);
        BenchContext.Figure("scorecard_load_vs_floor_ratio", load1 / floor);
        BenchContext.Figure("scorecard_load_150_ms", load150);
        BenchContext.Figure("scorecard_150_vs_1_ratio", load150 / load1);
    }

    /// <summary>
    /// Medians of each action timed in alternation (one run of each per round), after warming all of them (tiered JIT
    /// and PGO need more than a few calls). Alternating means a neighbour's burst on this shared machine slows every
    /// series alike instead of whichever happened to be running, so the ratios hold when the absolute times do not.
    /// </summary>
    private static async Task<double[]> InterleavedMediansAsync(Func<Task>[] actions)
    {
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < Warmups || warm.Elapsed < WarmUpTime; i++)
        {
            foreach (var action in actions)
                await action();
        }
        var times = actions.Select(_ => new double[Runs]).ToArray();
        for (var i = 0; i < Runs; i++)
        {
            for (var a = 0; a < actions.Length; a++)
            {
                var sw = Stopwatch.StartNew();
                await actions[a]();
                times[a][i] = sw.Elapsed.TotalMilliseconds;
            }
        }
        return times.Select(Median).ToArray();
    }

    /// <summary>A new database on the benchmark server copied from <paramref name="source"/> (CREATE DATABASE … TEMPLATE).</summary>
    private static async Task<string> CopyDatabaseAsync(BenchContext context, NpgsqlDataSource sourceDataSource, string source)
    {
        var sourceName = new NpgsqlConnectionStringBuilder(source).Database!;
        var name = sourceName + "_150";
        // A template must have no other sessions: close this process's idle pooled connections to it first (the data
        // source's, and the migrator's in Npgsql's global pool).
        sourceDataSource.Clear();
        NpgsqlConnection.ClearAllPools();
        await using (var conn = new NpgsqlConnection(context.ServerConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name} template {sourceName}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(source) { Database = name }.ConnectionString;
    }

    private static double Median(double[] times)
    {
        Array.Sort(times);
        return times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    }

    /// <summary>Where the load's time goes, to stderr: the query with Dapper's mapping alone, and the builder alone.</summary>
    private static async Task DiagnoseAsync(ScorecardQueries queries, Actor actor, ScorecardData data)
    {
        var query = await BenchContext.MedianMillisecondsAsync(() => queries.LoadAsync(actor.PartnershipId, CancellationToken.None), Runs, Warmups);
        var build = await BenchContext.MedianMillisecondsAsync(() =>
        {
            GC.KeepAlive(ScorecardViewBuilder.Build(ScorecardSnapshot.Create(data), actor, ScorecardScope.Partnership));
            return Task.CompletedTask;
        }, Runs, Warmups);
        Progress($"  of which ScorecardQueries.LoadAsync {query:0.00} ms, snapshot and view {build:0.00} ms");
    }

    /// <summary>
    /// The floor: the same six statements with the same parameters on an open pooled connection, every column of every
    /// row read with the reader's typed getters and nothing mapped. Returns the number of non-null cells read.
    /// </summary>
    private static async Task<int> ReadRawAsync(NpgsqlDataSource dataSource, int partnershipId, DateOnly today)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(ScorecardQueries.Sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter<int>("PartnershipId", NpgsqlDbType.Integer) { TypedValue = partnershipId });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("Today", NpgsqlDbType.Date) { TypedValue = today });
        await using var reader = await cmd.ExecuteReaderAsync();
        var cells = 0;
        do
        {
            var kinds = new ColumnKind[reader.FieldCount];
            for (var i = 0; i < kinds.Length; i++)
                kinds[i] = KindOf(reader.GetFieldType(i), reader.GetDataTypeName(i), reader.GetName(i));
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < kinds.Length; i++)
                {
                    if (reader.IsDBNull(i))
                        continue;
                    switch (kinds[i])
                    {
                        case ColumnKind.Int32: reader.GetInt32(i); break;
                        case ColumnKind.Int64: reader.GetInt64(i); break;
                        case ColumnKind.Int16: reader.GetInt16(i); break;
                        case ColumnKind.Decimal: reader.GetDecimal(i); break;
                        case ColumnKind.String: reader.GetString(i); break;
                        case ColumnKind.Boolean: reader.GetBoolean(i); break;
                        case ColumnKind.Date: reader.GetFieldValue<DateOnly>(i); break;
                        case ColumnKind.Timestamp: reader.GetDateTime(i); break;
                    }
                    cells++;
                }
            }
        }
        while (await reader.NextResultAsync());
        return cells;
    }

    private enum ColumnKind { Int32, Int64, Int16, Decimal, String, Boolean, Date, Timestamp }

    private static ColumnKind KindOf(Type type, string dataType, string column) =>
        type == typeof(int) ? ColumnKind.Int32
        : type == typeof(long) ? ColumnKind.Int64
        : type == typeof(short) ? ColumnKind.Int16
        : type == typeof(decimal) ? ColumnKind.Decimal
        : type == typeof(string) ? ColumnKind.String
        : type == typeof(bool) ? ColumnKind.Boolean
        : dataType == "date" ? ColumnKind.Date
        : type == typeof(DateTime) ? ColumnKind.Timestamp
        : throw new InvalidOperationException($"The floor does not read {type} (column {column}).");

    /// <summary>
    /// Adds copies of the demo partnership under other codes: the same generated data (so the same volume and shape),
    /// each in its own partnership. DemoLoader serialises loaders on an advisory lock, so they load one after another. Users are left out: e-mail addresses are unique
    /// across the deployment, and the benchmark signs in only as the first partnership's QA member.
    /// </summary>
    private static async Task LoadCopiesAsync(NpgsqlDataSource dataSource, DemoPartnership demo, int copies)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 1; i <= copies; i++)
        {
            var copy = demo with
            {
                Code = $"bench-{i:000}",
                Name = $"{demo.Name} (benchmark copy {i})",
                ShortName = $"BENCH{i:000}",
                Users = [],
            };
            await DemoLoader.LoadAsync(dataSource, copy);
            if (i % 10 == 0 || i == copies)
                Progress($"  {i}/{copies} copies loaded ({sw.Elapsed.TotalSeconds:0.0} s)");
        }
    }

    private static async Task<Actor> QaActorAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (userId, name) = await conn.QuerySingleAsync<(int, string)>(new CommandDefinition(
            "select id, display_name from app_user where partnership_id = @PartnershipId and lower(email) = 'qa@cescp.example'",
            new { PartnershipId = partnershipId }));
        return new Actor(partnershipId, userId, name, Role.QaMember, null);
    }

    private static async Task AnalyzeAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        // Not through Dapper: it takes a one-word command for the name of a stored procedure.
        await using var cmd = new NpgsqlCommand("analyze", conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<int> CountPartnershipsAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from partnership"));
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[scorecard] {message}");
}
