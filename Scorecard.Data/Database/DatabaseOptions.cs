using System.ComponentModel.DataAnnotations;

namespace Scorecard.Data.Database;

/// <summary>
/// How the app finds, prepares and watches its database. Bound from <c>ConnectionStrings:Scorecard</c> and the
/// <c>Scorecard</c> section (<c>Scorecard:DataFolder</c>, <c>Scorecard:Demo</c>, <c>Scorecard:LoadDemoData</c>,
/// <c>Scorecard:Database:*</c>), validated at start-up.
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    /// <summary>A configured server; when empty the app starts its own private cluster in <see cref="DataFolder"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the private cluster lives.</summary>
    public string DataFolder { get; set; } = EmbeddedPostgresOptions.DefaultDataFolder;

    /// <summary>The embedded default loads the demo partnership on first start (true) or starts empty with a one-time setup page (false, <c>--no-demo</c>).</summary>
    public bool Demo { get; set; } = true;

    /// <summary>Load the demo partnership even into a configured database (never done silently).</summary>
    public bool LoadDemoData { get; set; }

    /// <summary>How often the supervisor checks that the embedded cluster's postmaster is alive.</summary>
    [Range(1, 60)]
    public int SuperviseSeconds { get; set; } = 2;

    /// <summary>Longest wait between two restart attempts of a cluster that will not start (the back-off doubles up to this).</summary>
    [Range(1, 600)]
    public int MaxRestartBackoffSeconds { get; set; } = 30;

    /// <summary>Seconds of inactivity after which a pooled connection sends a keepalive, so connections broken by a server restart are found and dropped while idle.</summary>
    [Range(0, 3600)]
    public int KeepAliveSeconds { get; set; } = 10;

    /// <summary>Pooled connections older than this are closed rather than reused (0 = no limit).</summary>
    [Range(0, 86_400)]
    public int ConnectionLifetimeSeconds { get; set; } = 900;

    public bool UsesEmbeddedCluster => string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesEmbeddedCluster && string.IsNullOrWhiteSpace(DataFolder))
            yield return new ValidationResult("Scorecard:DataFolder must name a folder when no connection string is configured.", [nameof(DataFolder)]);
        if (UsesEmbeddedCluster && !Demo && LoadDemoData)
            yield return new ValidationResult("--no-demo (Scorecard:Demo=false) and --load-demo (Scorecard:LoadDemoData=true) contradict each other.", [nameof(Demo)]);
        if (!UsesEmbeddedCluster)
        {
            string? error = null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }
            if (error is not null)
                yield return new ValidationResult($"ConnectionStrings:Scorecard is not a valid PostgreSQL connection string: {error}", [nameof(ConnectionString)]);
        }
    }

    /// <summary>The settings the bootstrap needs.</summary>
    public DatabaseSettings ToSettings() =>
        new(UsesEmbeddedCluster ? null : ConnectionString, DataFolder, LoadDemoData, Demo);
}
