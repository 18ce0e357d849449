using System.ComponentModel.DataAnnotations;

namespace Scorecard.Data.Common;

/// <summary>Upload limits, bound from <c>Scorecard:Uploads</c> and validated at start-up.</summary>
public sealed class UploadOptions
{
    public const string Section = "Scorecard:Uploads";

    /// <summary>Largest return file accepted by the upload page and the import API (413 beyond it).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 5L * 1024 * 1024;

    /// <summary>Most rows a return sheet may have (or claim in its dimension).</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 20_000;

    /// <summary>A value moving more than this percentage from the previous quarter is a warning that needs commentary.</summary>
    [Range(typeof(decimal), "0.01", "100000")]
    public decimal ChangeWarningPercent { get; set; } = 25m;

    /// <summary>The largest value accepted per unit (<c>Scorecard:Uploads:MaxValue:&lt;unit&gt;</c>); units not set use the defaults.</summary>
    public Dictionary<string, decimal> MaxValue { get; set; } = [];
}

/// <summary>Lockout after wrong passwords, bound from <c>Scorecard:Lockout</c> and validated at start-up.</summary>
public sealed class LockoutSettings
{
    public const string Section = "Scorecard:Lockout";

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>The first lock of an account from one source; each further lock from that source doubles.</summary>
    [Range(1, 24 * 60)]
    public int Minutes { get; set; } = 5;

    /// <summary>The longest a lock from one source lasts, however often it recurs.</summary>
    [Range(1, 7 * 24 * 60)]
    public int MaxMinutes { get; set; } = 24 * 60;
}

/// <summary>How often an open page re-checks its user, bound from <c>Scorecard:RevalidateSeconds</c> and validated at start-up.</summary>
public sealed class RevalidationOptions
{
    /// <summary>A deactivated user, or one whose role or password changed, loses an open page within this many seconds.</summary>
    [Range(1, 600)]
    public int RevalidateSeconds { get; set; } = 30;

    public TimeSpan Interval => TimeSpan.FromSeconds(RevalidateSeconds);
}
