using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Scorecard.Data.Database;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web;

namespace Scorecard.Tests.Browser;

/// <summary>The composition root: options validated when the app starts, and the database prepared as a hosted step (issue 10 §3).</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("--Scorecard:Uploads:MaxRows=0", "MaxRows")]
    [InlineData("--Scorecard:Lockout:MaxFailedAttempts=-1", "MaxFailedAttempts")]
    [InlineData("--Scorecard:RevalidateSeconds=0", "RevalidateSeconds")]
    [InlineData("--Scorecard:Database:SuperviseSeconds=0", "SuperviseSeconds")]
    public async Task AnInvalidSettingStopsTheAppAtStartWithAMessageNamingIt(string setting, string named)
    {
        var cs = await TestDatabase.CreateDatabaseAsync(withDemoData: true);
        var app = await ScorecardApp.CreateAsync(["--urls=http://127.0.0.1:0", $"--ConnectionStrings:Scorecard={cs}", setting, "--Logging:LogLevel:Default=None"]);
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(named, error.Message);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task BuildingTheAppTouchesNoDatabaseTheBootstrapRunsWhenItStarts()
    {
        var blank = await TestDatabase.CreateBlankDatabaseAsync();
        var app = await ScorecardApp.CreateAsync(["--urls=http://127.0.0.1:0", $"--ConnectionStrings:Scorecard={blank}", "--Logging:LogLevel:Default=Warning"]);
        try
        {
            var database = app.Services.GetRequiredService<ScorecardDatabase>();
            Assert.False(database.IsPrepared);
            Assert.Equal(0, await TablesAsync(blank));

            await app.StartAsync();

            Assert.True(database.IsPrepared);
            Assert.True(await TablesAsync(blank) > 10);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<long> TablesAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'public'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
