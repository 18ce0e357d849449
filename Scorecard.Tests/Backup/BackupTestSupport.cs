using Microsoft.Extensions.Logging.Abstractions;
using Scorecard.Data.Backup;
using Scorecard.Data.Database;

namespace Scorecard.Tests.Backup;

/// <summary>A folder of its own under the temp folder, removed when the test is done.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"scorecard-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Files owned by the postgres user when the tests run as root.
        }
    }
}

internal static class BackupTestSupport
{
    public static BackupService Service(string folder, string connectionString, TimeProvider clock, int keepDaily = 14, int keepWeekly = 8, string? binDirectory = null) =>
        new(new BackupOptions(folder, new TimeOnly(2, 0), keepDaily, keepWeekly),
            new BackupTarget(new PgTools(binDirectory ?? EmbeddedPostgres.FindBinDirectory()), connectionString),
            clock, NullLogger<BackupService>.Instance);

    /// <summary>The backup files in a folder (finished ones only: what a person restoring would pick).</summary>
    public static string[] DumpFiles(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*.dump").Select(f => System.IO.Path.GetFileName(f)).Order().ToArray() : [];
}
