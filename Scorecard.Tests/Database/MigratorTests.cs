using Dapper;
using Npgsql;
using Scorecard.Data.Database;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Database;

public sealed class MigratorTests
{
    [Fact]
    public async Task AFreshDatabaseGetsEveryMigrationOnceAndARerunAppliesNothing()
    {
        var cs = await TestDatabase.CreateBlankDatabaseAsync();

        var first = await Migrator.MigrateAsync(cs);
        var second = await Migrator.MigrateAsync(cs);

        Assert.Equal(Migrator.KnownScripts(), first);
        Assert.Empty(second);
        await using var conn = new NpgsqlConnection(cs);
        var tables = (await conn.QueryAsync<string>("select table_name from information_schema.tables where table_schema = 'public'")).ToHashSet();
        foreach (var t in new[] { "partnership", "agency", "priority", "measure", "measure_reporter", "reporting_period", "app_user", "change_log", "data_return", "measure_value", "data_protection_key" })
            Assert.Contains(t, tables);
    }

    [Fact]
    public async Task ConcurrentStartsApplyEachMigrationExactlyOnce()
    {
        var cs = await TestDatabase.CreateBlankDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator.MigrateAsync(cs))));

        Assert.Equal(Migrator.KnownScripts().Count, runs.Sum(r => r.Count));
        await using var conn = new NpgsqlConnection(cs);
        Assert.Equal(Migrator.KnownScripts().Count, await conn.ExecuteScalarAsync<int>("select count(*)::int from schema_migration"));
    }

    [Fact]
    public async Task EveryBusinessTableCarriesPartnershipIdFirstInItsPrimaryKey()
    {
        var cs = await TestDatabase.CreateBlankDatabaseAsync();
        await Migrator.MigrateAsync(cs);
        await using var conn = new NpgsqlConnection(cs);
        var firstKeyColumns = (await conn.QueryAsync<(string Table, string Column)>("""
            select c.relname, a.attname
            from pg_index i
            join pg_class c on c.oid = i.indrelid
            join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
            join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
            where i.indisprimary and c.relname not in ('partnership', 'data_protection_key', 'schema_migration')
            """)).ToList();

        Assert.NotEmpty(firstKeyColumns);
        Assert.All(firstKeyColumns, k => Assert.True(k.Column == "partnership_id", $"{k.Table} primary key starts with {k.Column}"));
    }
}
