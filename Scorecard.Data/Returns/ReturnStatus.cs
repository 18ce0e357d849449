namespace Scorecard.Data.Returns;

/// <summary>The status of one version of a return, stored in <c>data_return.status</c> as draft, submitted, accepted,
/// superseded or rejected (see <see cref="Common.DbEnum"/>). The current figures come from the accepted version.</summary>
public enum ReturnStatus { Draft, Submitted, Accepted, Superseded, Rejected }

/// <summary>How a return version arrived, stored in <c>data_return.source</c> as upload, api or demo.</summary>
public enum ReturnSource { Upload, Api, Demo }

/// <summary>How a measure differs between two versions of a return.</summary>
public enum ChangeKind
{
    /// <summary>In both versions.</summary>
    Changed,

    /// <summary>Not in the older version.</summary>
    Added,

    /// <summary>Not in the newer version.</summary>
    Removed,
}

public static class ReturnStatuses
{
    /// <summary>Return statuses that count as "received": a rejected or draft version was never received.</summary>
    public static readonly IReadOnlyList<ReturnStatus> Received = [ReturnStatus.Submitted, ReturnStatus.Accepted, ReturnStatus.Superseded];

    /// <summary>Only an accepted or submitted version can be rejected.</summary>
    public static bool CanBeRejected(this ReturnStatus status) => status is ReturnStatus.Accepted or ReturnStatus.Submitted;
}

public static class ReturnSources
{
    /// <summary>How the pages name a source: "Upload", "Import API", "Demo data".</summary>
    public static string Label(this ReturnSource source) => source switch
    {
        ReturnSource.Upload => "Upload",
        ReturnSource.Api => "Import API",
        _ => "Demo data",
    };
}
