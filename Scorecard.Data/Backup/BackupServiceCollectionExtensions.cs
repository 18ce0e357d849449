using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scorecard.Data.Database;

namespace Scorecard.Data.Backup;

/// <summary>Registers backups (issue 15): the service, its daily scheduler, and the partnership archive.</summary>
public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Reads <c>Scorecard:Backup:Folder</c>, <c>:Time</c> (HH:mm, local, default 02:00), <c>:KeepDaily</c> (14) and
    /// <c>:KeepWeekly</c> (8), failing at start-up on a value that does not parse. Backups are taken only of the embedded
    /// cluster; with a configured server the service reports itself off and the scheduler does nothing.
    /// </summary>
    public static IServiceCollection AddScorecardBackups(this IServiceCollection services, IConfiguration config)
    {
        var dataFolder = config["Scorecard:DataFolder"] is { Length: > 0 } folder ? folder : EmbeddedPostgresOptions.DefaultDataFolder;
        var options = ReadOptions(config, dataFolder);
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<ScorecardDatabase>();
            return new BackupService(options, null, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BackupService>>())
            {
                TargetSource = () => database.Embedded is { } embedded
                    ? new BackupTarget(new PgTools(embedded.BinDirectory), embedded.ConnectionString)
                    : null,
            };
        });
        services.AddHostedService<BackupScheduler>();
        services.AddSingleton<PartnershipArchive>();
        return services;
    }

    /// <summary>The backup options from configuration; throws a clear error for a value that does not parse.</summary>
    public static BackupOptions ReadOptions(IConfiguration config, string dataFolder)
    {
        var timeText = config["Scorecard:Backup:Time"] is { Length: > 0 } t ? t : "02:00";
        if (!TimeOnly.TryParseExact(timeText, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new InvalidOperationException($"Scorecard:Backup:Time must be a time of day such as 02:00; \"{timeText}\" is not.");
        var daily = config.GetValue("Scorecard:Backup:KeepDaily", 14);
        var weekly = config.GetValue("Scorecard:Backup:KeepWeekly", 8);
        if (daily < 1 || weekly < 0)
            throw new InvalidOperationException("Scorecard:Backup:KeepDaily must be at least 1 and Scorecard:Backup:KeepWeekly at least 0.");
        var folder = config["Scorecard:Backup:Folder"] is { Length: > 0 } f ? f : BackupOptions.DefaultFolder(dataFolder);
        return new BackupOptions(Path.GetFullPath(folder), time, daily, weekly);
    }
}
