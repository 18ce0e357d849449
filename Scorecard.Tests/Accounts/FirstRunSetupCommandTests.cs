using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Scorecard.Data.Accounts;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Accounts;

public sealed class FirstRunSetupCommandTests
{
    private static async Task<(FirstRunSetup Setup, FirstRunSetupCommand Command, DatabaseFixture Db)> OpenAsync()
    {
        var db = new EmptyDatabaseFixture();
        await db.InitializeAsync();
        var setup = new FirstRunSetup(NullLogger<FirstRunSetup>.Instance);
        await setup.OpenIfEmptyAsync(db.ConnectionString, CancellationToken.None);
        return (setup, new FirstRunSetupCommand(db.DataSource, setup), db);
    }

    private static FirstRunInput Input(string code) =>
        new(code, "Knowsley Safeguarding Children Partnership", "KSCP", "Kit Admin", "kit@kscp.example", "a-long-admin-password");

    [Fact]
    public async Task TenWrongCodesRetireTheCodeSoItCannotBeGuessedForEver()
    {
        var (setup, command, db) = await OpenAsync();
        try
        {
            var first = setup.Code!;
            for (var i = 0; i < 10; i++)
                Assert.False((await command.CompleteAsync(Input($"WRONG-CODE-{i:00}"))).Succeeded);

            Assert.NotEqual(first, setup.Code);
            var withOldCode = await command.CompleteAsync(Input(first));
            Assert.False(withOldCode.Succeeded);
            Assert.Equal(0, await Actors.CountAsync(db.DataSource, "partnership"));
            Assert.True((await command.CompleteAsync(Input(setup.Code!))).Succeeded);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task SetupClosesWhenAnotherInstanceHasAlreadyCreatedThePartnership()
    {
        var (setup, command, db) = await OpenAsync();
        try
        {
            Assert.True(await command.RefreshAsync());
            await using (var conn = await db.DataSource.OpenConnectionAsync())
                await conn.ExecuteAsync("insert into partnership (code, name, short_name) values ('other', 'Set up elsewhere', 'ELSE')");

            Assert.False(await command.RefreshAsync());
            Assert.False(setup.IsOpen);
            Assert.False((await command.CompleteAsync(Input("ANY-CODE"))).Succeeded);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }
}
