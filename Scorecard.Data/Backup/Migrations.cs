using Dapper;
using Npgsql;

namespace Scorecard.Data.Backup;

/// <summary>Reads which migrations a database has (DbUp's journal, <c>schema_migration</c>).</summary>
internal static class Migrations
{
    private const string LatestSql = "select max(scriptname) from schema_migration";
    private const string AppliedSql = "select scriptname from schema_migration order by scriptname";

    public static Task<string?> LatestAppliedAsync(NpgsqlConnection conn, CancellationToken ct, NpgsqlTransaction? tx = null) =>
        conn.ExecuteScalarAsync<string?>(new CommandDefinition(LatestSql, transaction: tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<string>> AppliedAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await conn.QueryAsync<string>(new CommandDefinition(AppliedSql, transaction: tx, cancellationToken: ct))).ToList();
}
