using Npgsql;
using Scorecard.Data.Database;

namespace Scorecard.Tests.Database;

public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task ASecondStartReusesTheClusterAndItsData()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scorecard-embedded-{Guid.NewGuid():N}");
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder, "reuse_check")))
            {
                await using var conn = new NpgsqlConnection(first.ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("create table kept (note text); insert into kept values ('still here')", conn);
                await cmd.ExecuteNonQueryAsync();
            }

            await using var second = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder, "reuse_check"));
            await using var conn2 = new NpgsqlConnection(second.ConnectionString);
            await conn2.OpenAsync();
            await using var read = new NpgsqlCommand("select note from kept", conn2);
            Assert.Equal("still here", await read.ExecuteScalarAsync());
            Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(second.ConnectionString).Host);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MissingBinariesGiveOneMessageSayingWhatToInstall()
    {
        var empty = Directory.CreateTempSubdirectory("scorecard-nobin").FullName;

        var error = Assert.Throws<PostgresNotInstalledException>(() => EmbeddedPostgres.FindBinDirectory([empty]));
        Directory.Delete(empty);

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings:Scorecard", error.Message);
    }
}
