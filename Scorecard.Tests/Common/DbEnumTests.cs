using Dapper;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Common;

public sealed class DbEnumTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>
{
    private sealed record StoredRow(int Id, Polarity Polarity, MeasureUnit Unit, ReturnStatus Status);

    [Theory]
    [InlineData("higher_is_better", Polarity.HigherIsBetter)]
    [InlineData("lower_is_better", Polarity.LowerIsBetter)]
    [InlineData("neutral", Polarity.Neutral)]
    public void APolarityMapsToAndFromItsStoredName(string stored, Polarity polarity)
    {
        Assert.Equal(stored, polarity.ToDb());
        Assert.Equal(polarity, DbEnum.Parse<Polarity>(stored));
    }

    [Fact]
    public void EveryUnitHasTheStoredNameTheSchemaAllows()
    {
        Assert.Equal(["count", "percent", "rate_per_10k", "days", "score"], Units.All.ToDb());
    }

    [Fact]
    public async Task EverySectorAndPartnerTypeHasTheStoredNameTheSchemaAllows()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var checks = string.Join(" ", await conn.QueryAsync<string>(
            "select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'agency'::regclass and contype = 'c'"));
        Assert.All(DbEnum.All<Sector>(), s => Assert.Contains($"'{s.ToDb()}'", checks));
        Assert.All(DbEnum.All<PartnerType>(), p => Assert.Contains($"'{p.ToDb()}'", checks));
        Assert.Equal(["statutory", "relevant"], DbEnum.All<PartnerType>().ToDb());
    }

    [Fact]
    public void AnAliasForDapperIsNeitherListedNorAcceptedAsText()
    {
        Assert.Equal(3, Polarities.All.Count);
        Assert.False(DbEnum.TryParse<Polarity>("HigherIsBetter", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => DbEnum.Parse<ReturnStatus>("Accepted"));
    }

    [Fact]
    public async Task DapperReadsEveryStoredNameIntoTheEnumsOfARecord()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var rows = (await conn.QueryAsync<StoredRow>(
            "select 1 as id, 'higher_is_better' as polarity, 'rate_per_10k' as unit, 'superseded' as status " +
            "union all select 2, 'lower_is_better', 'count', 'accepted' order by id")).ToList();
        Assert.Equal([new StoredRow(1, Polarity.HigherIsBetter, MeasureUnit.RatePer10k, ReturnStatus.Superseded),
            new StoredRow(2, Polarity.LowerIsBetter, MeasureUnit.Count, ReturnStatus.Accepted)], rows);
    }

    [Fact]
    public async Task AParameterGoesToTheDatabaseAsItsStoredName()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal("lower_is_better", await conn.ExecuteScalarAsync<string>("select @p::text", new { p = Polarity.LowerIsBetter.ToDb() }));
        Assert.Equal(new[] { nameof(ReturnStatus.Accepted).ToLowerInvariant(), nameof(ReturnStatus.Rejected).ToLowerInvariant() },
            await conn.ExecuteScalarAsync<string[]>("select @p::text[]", new { p = new[] { ReturnStatus.Accepted, ReturnStatus.Rejected }.ToDb() }));
    }
}
