using System.Diagnostics;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;
using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;

namespace Scorecard.Bench;

/// <summary>
/// Issue 12's figures: the triangulation matrix (8 themes × 6 lenses, as a QA member sees it, the scorecard snapshot warm
/// as in the app) against a raw-reader floor of the same rows (the same statements read with a plain data reader, nothing
/// mapped or judged), on the demo alone and on a database holding 150 partnerships of the demo's size.
/// Targets: matrix ≤ 1.5 × floor; 150 partnerships ≤ 1.2 × one. <c>--quick</c> skips the 149 copies.
/// </summary>
public static class TriangulationSuite
{
    private const int Partnerships = 150;
    private const int Runs = 61;
    private const int Warmups = 20;

    public static async Task RunAsync(BenchContext context)
    {
        var total = Stopwatch.StartNew();
        var cs = await context.CreateMigratedDatabaseAsync("triangulation");
        await using var dataSource = ScorecardDataSource.Create(cs);
        var demo = DemoGenerator.Generate();
        var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, demo);
        await AnalyzeAsync(dataSource);
        var actor = await QaActorAsync(dataSource, partnershipId);

        var (matrix1, floor1) = Runners(dataSource, actor);
        var probe = await matrix1();
        Progress($"matrix: {probe} themes × 6 lenses");

        var copies = context.Args.Contains("--quick") ? 0 : Partnerships - 1;
        var sw = Stopwatch.StartNew();
        for (var i = 1; i <= copies; i++)
        {
            await DemoLoader.LoadAsync(dataSource, demo with { Code = $"bench-{i:000}", Name = $"{demo.Name} (benchmark copy {i})", ShortName = $"BENCH{i:000}", Users = [] });
            if (i % 25 == 0)
                Progress($"  {i}/{copies} copies loaded ({sw.Elapsed.TotalSeconds:0.0} s)");
        }
        // The one-partnership figures are timed first, then the same database grows to 150 partnerships: a copy of the
        // database would have needed the demo twice over on this small machine.
        var alone = await InterleavedMediansAsync([async () => await matrix1(), floor1]);
        await AnalyzeAsync(dataSource);
        var (matrix150, floor150) = Runners(dataSource, actor);
        var many = copies == 0 ? alone : await InterleavedMediansAsync([async () => await matrix150(), floor150]);
        var count = await CountAsync(dataSource);

        Progress($"1 partnership: matrix {alone[0]:0.00} ms, floor {alone[1]:0.00} ms; {count} partnerships: matrix {many[0]:0.00} ms, floor {many[1]:0.00} ms; suite {total.Elapsed.TotalSeconds:0.0} s");
        BenchContext.Figure("triangulation_themes", probe);
        BenchContext.Figure("triangulation_partnerships", count);
        BenchContext.Figure("triangulation_matrix_ms", alone[0]);
        BenchContext.Figure("triangulation_floor_ms", alone[1]);
        BenchContext.Figure("triangulation_matrix_vs_floor_ratio", alone[0] / alone[1]);
        BenchContext.Figure("triangulation_matrix_150_ms", many[0]);
        BenchContext.Figure("triangulation_150_vs_1_ratio", many[0] / alone[0]);
    }

    private static (Func<Task<int>> Matrix, Func<Task> Floor) Runners(NpgsqlDataSource dataSource, Actor actor)
    {
        var readModel = new ScorecardReadModel(new ScorecardQueries(dataSource, TimeProvider.System), TimeProvider.System);
        // As in the app: the listener keeps the snapshot, so the matrix reads it warm.
        readModel.SetListening(true);
        var queries = new TriangulationQueries(dataSource, readModel);
        async Task<int> Matrix() => (await queries.MatrixAsync(actor, null, null, CancellationToken.None)).Rows.Count;
        async Task Floor()
        {
            await using var conn = await dataSource.OpenConnectionAsync();
            foreach (var sql in new[] { TriangulationQueries.EvidenceSql, TriangulationQueries.JudgementSql })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                cmd.Parameters.AddWithValue("PartnershipId", actor.PartnershipId);
                cmd.Parameters.Add(new NpgsqlParameter("ThemeId", NpgsqlTypes.NpgsqlDbType.Integer) { Value = DBNull.Value });
                await using var reader = await cmd.ExecuteReaderAsync();
                do
                {
                    var values = new object[reader.FieldCount];
                    while (await reader.ReadAsync())
                        reader.GetValues(values);
                }
                while (await reader.NextResultAsync());
            }
        }
        return (Matrix, Floor);
    }

    private static async Task<double[]> InterleavedMediansAsync(Func<Task>[] actions)
    {
        for (var i = 0; i < Warmups; i++)
            foreach (var action in actions)
                await action();
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
        return times.Select(t => { Array.Sort(t); return t[t.Length / 2]; }).ToArray();
    }

    private static async Task<Actor> QaActorAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (userId, name) = await conn.QuerySingleAsync<(int, string)>(new CommandDefinition(
            "select id, display_name from app_user where partnership_id = @partnershipId and lower(email) = 'qa@cescp.example'", new { partnershipId }));
        return new Actor(partnershipId, userId, name, Role.QaMember, null);
    }

    private static async Task<int> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select count(*)::int from partnership");
    }

    private static async Task AnalyzeAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("analyze", conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static void Progress(string message) => Console.Error.WriteLine(message);
}
