using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// The pack's charts by the hash of what they are drawn from (table <c>pack_chart</c>): <see cref="LoadAsync"/> reads
/// the PNGs already drawn for a model's charts, <see cref="Xmr"/> and <see cref="HeatMap"/> give a cached PNG or draw it
/// (thread-safe: the document draws its charts in parallel), and <see cref="SaveAsync"/> stores what was newly drawn.
/// Drawing is deterministic, so the document is byte for byte the same with or without the cache.
/// </summary>
public sealed class PackChartCache
{
    /// <summary>Part of every key: change it when the drawing changes, so older PNGs are no longer reused.</summary>
    public const string RendererVersion = "pack-charts-3"; // 2: indexed-colour PNG; 3: zlib level 2, series and points as paths, level lines without anti-aliasing

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, byte[]> stored;
    private readonly ConcurrentDictionary<string, byte[]> drawn = new(StringComparer.Ordinal);

    private PackChartCache(Dictionary<string, byte[]> stored) => this.stored = stored;

    /// <summary>An empty cache (nothing stored yet).</summary>
    public static PackChartCache Empty() => new(new Dictionary<string, byte[]>(StringComparer.Ordinal));

    /// <summary>How many charts were drawn rather than reused.</summary>
    public int Drawn => drawn.Count;

    /// <summary>The key of a chart: SHA-256 of the renderer's version, the chart's kind and its model as JSON.</summary>
    public static byte[] Key(PackChart chart) => Hash("xmr", JsonSerializer.Serialize(chart, Json));

    public static byte[] Key(PackHeatMap map) => Hash("heat_map", JsonSerializer.Serialize(map, Json));

    private static byte[] Hash(string kind, string json) => SHA256.HashData(Encoding.UTF8.GetBytes($"{RendererVersion}\n{kind}\n{json}"));

    /// <summary>The PNGs already stored for the model's charts and heat maps.</summary>
    public static async Task<PackChartCache> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, PackModel model, CancellationToken ct)
    {
        var keys = Keys(model).ToArray();
        var rows = keys.Length == 0 ? [] : await conn.QueryAsync<(byte[] Key, byte[] Png)>(new CommandDefinition(
            "select input_sha256, png from pack_chart where partnership_id = @partnershipId and input_sha256 = any(@keys)",
            new { partnershipId, keys }, tx, cancellationToken: ct));
        return new PackChartCache(rows.ToDictionary(r => Convert.ToHexString(r.Key), r => r.Png, StringComparer.Ordinal));
    }

    public byte[] Xmr(PackChart chart) => Get(Key(chart), () => PackCharts.Xmr(chart));

    public byte[] HeatMap(PackHeatMap map) => Get(Key(map), () => PackCharts.HeatMap(map));

    private byte[] Get(byte[] key, Func<byte[]> draw)
    {
        var hex = Convert.ToHexString(key);
        return stored.TryGetValue(hex, out var png) ? png : drawn.GetOrAdd(hex, _ => draw());
    }

    /// <summary>Stores the charts drawn since the cache was loaded (a chart another pack stored meanwhile is kept as it is).</summary>
    public async Task SaveAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, int partnershipId, CancellationToken ct)
    {
        if (drawn.IsEmpty)
            return;
        var fresh = drawn.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into pack_chart (partnership_id, input_sha256, png)
            select @partnershipId, t.k, t.p from unnest(@Keys, @Pngs) as t(k, p)
            on conflict (partnership_id, input_sha256) do nothing
            """, new { partnershipId, Keys = fresh.Select(f => Convert.FromHexString(f.Key)).ToArray(), Pngs = fresh.Select(f => f.Value).ToArray() },
            tx, cancellationToken: ct));
    }

    private static IEnumerable<byte[]> Keys(PackModel model)
    {
        foreach (var item in model.Items)
        {
            if (item.Chart is { } c)
                yield return Key(c);
            if (item.HeatMap is { } h)
                yield return Key(h);
        }
    }
}
