using System.Diagnostics;
using Npgsql;

namespace Scorecard.Data.Backup;

/// <summary>
/// Runs PostgreSQL's own client tools (<c>pg_dump</c>, <c>pg_restore</c>) from one binary folder, the same one the embedded
/// cluster runs on, so the dump format always matches the server. The password travels in the environment, never on the
/// command line (where <c>ps</c> would show it).
/// </summary>
public sealed class PgTools(string binDirectory)
{
    /// <summary>The folder the tools are taken from.</summary>
    public string BinDirectory { get; } = binDirectory;

    /// <summary>
    /// Streams a custom-format dump (<c>pg_dump -Fc</c>) of the database to <paramref name="output"/>. Throws
    /// <see cref="BackupFailedException"/> with pg_dump's own message when it fails or is killed.
    /// </summary>
    public async Task DumpAsync(string connectionString, Stream output, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        using var process = Start("pg_dump", cs,
            ["--format=custom", "--compress=6", "--no-password", "--host", cs.Host ?? "127.0.0.1", "--port", cs.Port.ToString(),
             "--username", cs.Username ?? "postgres", "--dbname", cs.Database ?? "postgres"]);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, ct);
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new BackupFailedException($"pg_dump failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
    }

    /// <summary>Restores a custom-format dump into an existing, empty database, in one transaction, stopping at the first error.</summary>
    public async Task RestoreAsync(string connectionString, string dumpFile, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        using var process = Start("pg_restore", cs,
            ["--no-password", "--exit-on-error", "--single-transaction", "--no-owner", "--host", cs.Host ?? "127.0.0.1",
             "--port", cs.Port.ToString(), "--username", cs.Username ?? "postgres", "--dbname", cs.Database ?? "postgres", dumpFile]);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stdout;
        if (process.ExitCode != 0)
            throw new BackupFailedException($"pg_restore failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
    }

    private Process Start(string tool, NpgsqlConnectionStringBuilder cs, IReadOnlyList<string> args)
    {
        var path = Path.Combine(BinDirectory, tool);
        if (!File.Exists(path))
            throw new BackupFailedException($"{tool} was not found in {BinDirectory}. Install the PostgreSQL client tools of the same version as the server.");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["PGPASSWORD"] = cs.Password ?? "";
        psi.Environment["PGCONNECT_TIMEOUT"] = "15";
        return Process.Start(psi) ?? throw new BackupFailedException($"Could not start {path}");
    }
}

/// <summary>A backup or restore step failed; the message says what happened, in the tool's own words where there are some.</summary>
public sealed class BackupFailedException(string message, Exception? inner = null) : Exception(message, inner);
