using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Scorecard.Data.Database;

/// <summary>Where the private cluster lives and what it is called.</summary>
/// <param name="DataFolder">Folder the cluster owns: <c>pgdata/</c>, the password and the server log live in it.</param>
/// <param name="DatabaseName">The application database created inside the cluster.</param>
public sealed record EmbeddedPostgresOptions(string DataFolder, string DatabaseName = "scorecard")
{
    /// <summary>The default data folder: outside any repository, and reachable by the postgres system user when run as root.</summary>
    public static string DefaultDataFolder =>
        Environment.UserName == "root" || Environment.IsPrivilegedProcess
            ? "/var/lib/scorecard/postgres"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "scorecard", "postgres");
}

/// <summary>Raised when the machine has no PostgreSQL server binaries. The message says what to install.</summary>
public sealed class PostgresNotInstalledException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL cluster started from the machine's own PostgreSQL binaries, on a free loopback port.
/// The first start runs initdb; later starts reuse the cluster and its data. When the process runs as root
/// (initdb refuses root) the server runs as the <c>postgres</c> system user through runuser, owning the data folder.
/// Disposing stops the server.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "scorecard";
    private readonly EmbeddedPostgresOptions options;
    private readonly ILogger logger;
    private readonly string binDirectory;
    private readonly bool runAsPostgresUser;
    private bool started;

    private EmbeddedPostgres(EmbeddedPostgresOptions options, ILogger logger, string binDirectory)
    {
        this.options = options;
        this.logger = logger;
        this.binDirectory = binDirectory;
        runAsPostgresUser = Environment.IsPrivilegedProcess;
    }

    /// <summary>Connection string to the application database, available once started.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True between a start and a deliberate stop (a server that died unexpectedly still counts as started).</summary>
    public bool IsStarted => started;

    /// <summary>Port the server listens on (loopback only).</summary>
    public int Port { get; private set; }

    /// <summary>The folder of the PostgreSQL binaries this cluster runs on (pg_dump and pg_restore are taken from it too).</summary>
    public string BinDirectory => binDirectory;

    /// <summary>The folder the cluster owns (holds <c>pgdata/</c>, the password and the server log).</summary>
    public string DataFolder => options.DataFolder;

    private string ClusterFolder => Path.Combine(options.DataFolder, "pgdata");
    private string PasswordFile => Path.Combine(options.DataFolder, "password");
    private string LogFile => Path.Combine(options.DataFolder, "postgres.log");

    /// <summary>Initialises the cluster if needed, starts it, and creates the application database.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        var bin = FindBinDirectory();
        var pg = new EmbeddedPostgres(options, logger ?? NullLogger.Instance, bin);
        await pg.StartCoreAsync(ct);
        return pg;
    }

    /// <summary>Finds initdb, pg_ctl and postgres on PATH or under /usr/lib/postgresql/*/bin (newest first).</summary>
    public static string FindBinDirectory() => FindBinDirectory(DefaultSearchPath());

    /// <summary>Finds the server binaries in the given folders, in order.</summary>
    public static string FindBinDirectory(IEnumerable<string> candidates)
    {
        foreach (var dir in candidates)
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres")))
            {
                // Resolve symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) so the tools come from one install.
                var real = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(true)?.FullName;
                return real is null ? dir : Path.GetDirectoryName(real)!;
            }
        }
        throw new PostgresNotInstalledException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin. " +
            "Install them (Debian/Ubuntu: sudo apt-get install postgresql) or set ConnectionStrings:Scorecard to an existing server.");
    }

    private static IEnumerable<string> DefaultSearchPath()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return versions.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.DataFolder);
        var password = EnsurePassword();
        if (!File.Exists(Path.Combine(ClusterFolder, "PG_VERSION")))
            await InitialiseClusterAsync(password, ct);
        else if (runAsPostgresUser)
            await RunAsync("chown", ["-R", "postgres:postgres", options.DataFolder], asPostgres: false, ct);

        await StartServerAsync(ct);

        var admin = AdminConnectionString(password);
        await WaitUntilAcceptingAsync(admin, ct);
        await CreateDatabaseIfMissingAsync(admin, options.DatabaseName, ct);
        ConnectionString = new NpgsqlConnectionStringBuilder(admin)
        {
            Database = options.DatabaseName, Pooling = true, Timeout = 15, MaxPoolSize = 50,
        }.ConnectionString;
        logger.LogInformation("Embedded PostgreSQL is running on 127.0.0.1:{Port} with data in {Folder}", Port, options.DataFolder);
    }

    private string AdminConnectionString(string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = SuperUser, Password = password, Database = "postgres",
        Pooling = false, Timeout = 5,
    }.ConnectionString;

    /// <summary>Starts the postmaster; the first start picks a free port, a restart keeps it so connection strings stay valid.</summary>
    private async Task StartServerAsync(CancellationToken ct)
    {
        // A server left running by a process that was killed still holds the folder: stop it first.
        if (File.Exists(Path.Combine(ClusterFolder, "postmaster.pid")))
            await RunAsync(Tool("pg_ctl"), ["stop", "-D", ClusterFolder, "-m", "immediate", "-w"], runAsPostgresUser, ct, throwOnError: false);

        if (Port == 0)
            Port = FreePort();
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -k {ClusterFolder} -c max_connections=200 -c fsync=on";
        await RunAsync(Tool("pg_ctl"), ["start", "-D", ClusterFolder, "-l", LogFile, "-o", serverOptions, "-w", "-t", "60"], runAsPostgresUser, ct);
        started = true;
    }

    /// <summary>The postmaster's process id from <c>postmaster.pid</c>, or null when the file is missing or unreadable.</summary>
    public int? PostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(ClusterFolder, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the postmaster named in <c>postmaster.pid</c> is a live process (a zombie counts as dead).</summary>
    public bool IsPostmasterAlive()
    {
        if (PostmasterPid() is not { } pid)
            return false;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ..."; Z (zombie) and X (dead) are gone for our purposes.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the server again after it died (same port, same data; PostgreSQL's crash recovery replays the WAL) and
    /// waits until it accepts connections. Throws when it does not start; the supervisor retries with a back-off.
    /// </summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        await StartServerAsync(ct);
        await WaitUntilAcceptingAsync(AdminConnectionString(EnsurePassword()), ct);
    }

    /// <summary>Connection string for another database in the same cluster (tests clone databases from a template).</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    private string EnsurePassword()
    {
        if (File.Exists(PasswordFile))
            return File.ReadAllText(PasswordFile).Trim();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(PasswordFile, password);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private async Task InitialiseClusterAsync(string password, CancellationToken ct)
    {
        logger.LogInformation("Creating a private PostgreSQL cluster in {Folder}", ClusterFolder);
        if (Directory.Exists(ClusterFolder))
            Directory.Delete(ClusterFolder, recursive: true);
        Directory.CreateDirectory(ClusterFolder);
        var pwFile = Path.Combine(options.DataFolder, "initdb-pw");
        await File.WriteAllTextAsync(pwFile, password, ct);
        try
        {
            if (runAsPostgresUser)
            {
                // The postgres user must be able to reach the folder through its parents.
                for (var dir = new DirectoryInfo(options.DataFolder).Parent; dir is not null && dir.FullName != "/"; dir = dir.Parent)
                    await RunAsync("chmod", ["o+x", dir.FullName], asPostgres: false, ct, throwOnError: false);
                await RunAsync("chown", ["-R", "postgres:postgres", options.DataFolder], asPostgres: false, ct);
            }
            await RunAsync(Tool("initdb"),
                ["-D", ClusterFolder, "-U", SuperUser, "--pwfile", pwFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                runAsPostgresUser, ct);
        }
        finally
        {
            File.Delete(pwFile);
        }
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync(ct);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(string adminConnectionString, string database, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(adminConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", conn);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"")}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private string Tool(string name) => Path.Combine(binDirectory, name);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
                psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        // pg_ctl start leaves the server holding inherited pipes; read to the end only after the tool exits.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 && throwOnError)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            var err = await Task.WhenAny(stderr, Task.Delay(1000, ct)) == stderr ? await stderr : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {err.Trim()}\n{log}");
        }
        _ = stdout;
    }

    /// <summary>Stops the server (fast shutdown: open connections are closed, data is safe).</summary>
    public async Task StopAsync()
    {
        if (!started)
            return;
        started = false;
        NpgsqlConnection.ClearAllPools();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await RunAsync(Tool("pg_ctl"), ["stop", "-D", ClusterFolder, "-m", "fast", "-w"], runAsPostgresUser, cts.Token, throwOnError: false);
        logger.LogInformation("Embedded PostgreSQL stopped");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
