using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Scorecard.Data.Database;

namespace Scorecard.Data.Backup;

/// <summary>
/// The app's maintenance modes, run instead of the web app so that the same code (and the same migrator) restores and
/// imports as runs the app: <c>--restore &lt;file&gt; [--unverified]</c> and <c>--import-partnership &lt;archive.zip&gt;</c>.
/// </summary>
public static class BackupCommandLine
{
    public static bool IsMaintenance(string[] args) => args.Contains("--restore") || args.Contains("--import-partnership");

    /// <summary>Runs the mode the arguments ask for; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a is not "--unverified").ToArray())
            .Build();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var logger = loggers.CreateLogger("Scorecard.Backup");
        var dataFolder = config["Scorecard:DataFolder"] is { Length: > 0 } folder ? folder : EmbeddedPostgresOptions.DefaultDataFolder;
        var configured = config.GetConnectionString("Scorecard");
        try
        {
            if (ValueAfter(args, "--restore") is { } file)
            {
                if (!string.IsNullOrWhiteSpace(configured))
                    throw new BackupFailedException("A configured database server is restored with its own tools (pg_restore, or its base backups and WAL); see the README. --restore is for the embedded cluster.");
                var result = await BackupRestore.RestoreAsync(file, dataFolder, args.Contains("--unverified"), logger);
                Console.WriteLine($"Restored {result.File} into {Path.Combine(dataFolder, "pgdata")} in {result.Seconds:0.0} s: {result.Partnerships} partnership(s).");
                if (result.PreviousCluster is not null)
                    Console.WriteLine($"The cluster it replaced is kept in {result.PreviousCluster}; remove it once you are satisfied.");
                return 0;
            }
            if (ValueAfter(args, "--import-partnership") is { } archive)
            {
                var result = await ImportAsync(archive, configured, dataFolder, logger);
                Console.WriteLine($"Imported partnership {result.PartnershipCode} (id {result.PartnershipId}): " +
                                  $"{result.Rows.Values.Sum()} rows in {result.Rows.Count} tables, {result.Files} original files.");
                return 0;
            }
            Console.Error.WriteLine("usage: --restore <backup.dump> [--unverified] | --import-partnership <archive.zip>");
            return 2;
        }
        catch (Exception e) when (e is BackupFailedException or ArchiveRefusedException or FileNotFoundException or IOException)
        {
            logger.LogError("{Message}", e.Message);
            return 1;
        }
    }

    private static async Task<ArchiveImportResult> ImportAsync(string archive, string? configured, string dataFolder, ILogger logger)
    {
        // Straight to the cluster and the migrator, not the app's bootstrap: that would load the demo partnership into an
        // empty embedded deployment, which is exactly where an archive goes.
        EmbeddedPostgres? embedded = null;
        var cs = configured;
        if (string.IsNullOrWhiteSpace(cs))
        {
            embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(dataFolder), logger);
            cs = embedded.ConnectionString;
        }
        try
        {
            await Migrator.MigrateAsync(cs, logger);
            await using var dataSource = Common.ScorecardDataSource.Create(cs);
            await using var stream = File.OpenRead(archive);
            return await new PartnershipArchive(dataSource, TimeProvider.System).ImportAsync(stream, $"import of {Path.GetFileName(archive)}");
        }
        finally
        {
            if (embedded is not null)
                await embedded.DisposeAsync();
        }
    }

    private static string? ValueAfter(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
            return null;
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new BackupFailedException($"{name} needs a file name.");
        return args[i + 1];
    }
}
