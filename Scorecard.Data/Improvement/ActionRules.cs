namespace Scorecard.Data.Improvement;

/// <summary>The action plans' pure rules (issue 13 §1): overdue, the order of the list, and plan completeness.</summary>
public static class ActionRules
{
    /// <summary>Statuses an owner may set in a progress update (completion goes through <c>CompleteAsync</c>, closure through moderation).</summary>
    public static readonly IReadOnlyList<ActionStatus> ProgressStatuses = [ActionStatus.NotStarted, ActionStatus.OnTrack, ActionStatus.AtRisk, ActionStatus.OffTrack];

    public static bool IsOpen(ActionStatus status) => status is not (ActionStatus.Completed or ActionStatus.Closed);

    /// <summary>Overdue: not yet completed or closed and past its due date.</summary>
    public static bool IsOverdue(ActionStatus status, DateOnly dueDate, DateOnly today) => IsOpen(status) && dueDate < today;

    /// <summary>
    /// The order of the actions list: overdue first, then off track, at risk, awaiting moderation, the rest open, closed
    /// last; within a rank the earliest due first.
    /// </summary>
    public static int Rank(ActionStatus status, DateOnly dueDate, DateOnly today) =>
        IsOverdue(status, dueDate, today) ? 0 : status switch
        {
            ActionStatus.OffTrack => 1,
            ActionStatus.AtRisk => 2,
            ActionStatus.Completed => 3,
            ActionStatus.NotStarted or ActionStatus.OnTrack => 4,
            _ => 5,
        };

    /// <summary>A plan (the actions of one source) is complete when it has actions and every one is closed: it can then
    /// be reported to the Executive as complete.</summary>
    public static bool PlanComplete(IEnumerable<ActionStatus> statuses)
    {
        var any = false;
        foreach (var s in statuses)
        {
            if (s != ActionStatus.Closed)
                return false;
            any = true;
        }
        return any;
    }
}
