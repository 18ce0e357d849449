using System.Text.Json;
using Npgsql;
using Scorecard.Data.Performance;

namespace Scorecard.Bench;

/// <summary>
/// Optional detail for <c>scorecard --diagnose</c>, to stderr: the server's execution time of each of the scorecard's
/// statements (EXPLAIN ANALYZE without per-node timing, so the figure is the executor's, not the network's or the
/// client's), and the plan of the values statement. Run at 1 and at 150 partnerships, it shows whether a slower load
/// comes from the database or from the client.
/// </summary>
internal static class ScorecardDiag
{
    public static async Task ServerTimesAsync(NpgsqlDataSource dataSource, int partnershipId, DateOnly today, bool showValuesPlan)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        string[] names = ["measures", "periods", "agencies", "reporters", "values", "process changes"];
        // The six statements of ScorecardQueries.Sql, in its order (no statement contains a semicolon of its own).
        var statements = ScorecardQueries.Sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (statements.Length != names.Length)
            throw new InvalidOperationException($"ScorecardQueries.Sql has {statements.Length} statements; the diagnosis expects {names.Length}.");
        for (var s = 0; s < statements.Length; s++)
        {
            var times = new List<double>();
            for (var i = 0; i < 30; i++)
            {
                var json = await ExplainAsync(conn, "explain (analyze, timing off, format json) " + statements[s], partnershipId, today);
                using var doc = JsonDocument.Parse(json);
                if (i >= 5)
                    times.Add(doc.RootElement[0].GetProperty("Execution Time").GetDouble());
            }
            times.Sort();
            Console.Error.WriteLine($"[scorecard]   server executes {names[s]} in {times[times.Count / 2]:0.000} ms (median)");
        }
        if (showValuesPlan)
            Console.Error.WriteLine(await ExplainAsync(conn, "explain (analyze, buffers, format text) " + statements[Array.IndexOf(names, "values")], partnershipId, today));
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection conn, string sql, int partnershipId, DateOnly today)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("PartnershipId", partnershipId);
        if (sql.Contains("@Today", StringComparison.Ordinal))
            cmd.Parameters.AddWithValue("Today", today);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
