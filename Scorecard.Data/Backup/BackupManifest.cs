using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scorecard.Data.Backup;

/// <summary>Why a backup was taken.</summary>
public enum BackupTrigger { Scheduled, Manual, Startup }

/// <summary>One good backup file: where it is, when it was taken, and what its bytes must hash to.</summary>
/// <param name="File">File name inside the backup folder.</param>
/// <param name="TakenAt">When pg_dump started (its snapshot is from about then).</param>
/// <param name="SizeBytes">Size of the file.</param>
/// <param name="Sha256">SHA-256 of the file, lower-case hex; a restore refuses a file that does not match.</param>
/// <param name="Trigger">Scheduled, on demand, or at start-up.</param>
/// <param name="SchemaVersion">The latest migration applied to the database that was dumped.</param>
/// <param name="Seconds">How long the backup took.</param>
public sealed record BackupEntry(
    string File, DateTimeOffset TakenAt, long SizeBytes, string Sha256, BackupTrigger Trigger, string? SchemaVersion, double Seconds);

/// <summary>The last backup that failed, kept until a later one succeeds so that the failure is shown, never silent.</summary>
public sealed record BackupFailure(DateTimeOffset At, BackupTrigger Trigger, string Message);

/// <summary>The manifest (<c>backups.json</c>) in the backup folder: every good backup the retention rule keeps, newest first.</summary>
public sealed record BackupManifest(IReadOnlyList<BackupEntry> Backups, BackupFailure? LastFailure)
{
    public const string FileName = "backups.json";

    public static BackupManifest Empty { get; } = new([], null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The newest good backup, if any.</summary>
    [JsonIgnore]
    public BackupEntry? LastGood => Backups.MaxBy(b => b.TakenAt);

    /// <summary>The entry for a file name, if the manifest lists it.</summary>
    public BackupEntry? Find(string fileName) => Backups.FirstOrDefault(b => b.File == fileName);

    /// <summary>Reads the manifest in <paramref name="folder"/>; a folder without one has no backups yet.</summary>
    public static BackupManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!System.IO.File.Exists(path))
            return Empty;
        using var stream = System.IO.File.OpenRead(path);
        return JsonSerializer.Deserialize<BackupManifest>(stream, Json) ?? Empty;
    }

    /// <summary>Writes the manifest atomically (temporary file, fsync, rename), so a reader sees the old one or the new one.</summary>
    public Task WriteAsync(string folder, CancellationToken ct) =>
        AtomicFile.WriteAsync(Path.Combine(folder, FileName), s => JsonSerializer.SerializeAsync(s, this, Json, ct), ct);
}

/// <summary>Writes a file so that it either appears whole under its name or not at all.</summary>
public static class AtomicFile
{
    /// <summary>The suffix of a file still being written; it never looks like a finished backup and is removed on the next run.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>
    /// Writes to <c>&lt;path&gt;.partial</c>, flushes it to the disk (fsync), then renames it over <paramref name="path"/>
    /// (rename is atomic within one file system). A process killed half-way leaves only the <c>.partial</c> file.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken ct)
    {
        var temp = path + PartialSuffix;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous,
            };
            // A backup holds every return, user and password hash: readable by the app's own user only.
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var stream = new FileStream(temp, options))
            {
                await write(stream);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates a folder that only the app's own user can read (on Unix), as backups hold personal data.</summary>
    public static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next run's clean-up.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for the next run's clean-up.
        }
    }
}
