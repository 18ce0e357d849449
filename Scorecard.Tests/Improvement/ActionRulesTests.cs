using Scorecard.Data.Improvement;

namespace Scorecard.Tests.Loop;

/// <summary>Action plans' pure rules: overdue, the list's order, and a plan's completeness.</summary>
public sealed class ActionRulesTests
{
    private static readonly DateOnly Today = new(2025, 12, 15);

    [Theory]
    [InlineData(ActionStatus.OnTrack, -1, true)]
    [InlineData(ActionStatus.OnTrack, 0, false)]
    [InlineData(ActionStatus.NotStarted, -30, true)]
    [InlineData(ActionStatus.Completed, -30, false)]
    [InlineData(ActionStatus.Closed, -30, false)]
    public void AnOpenActionPastItsDueDateIsOverdue(ActionStatus status, int dueInDays, bool overdue) =>
        Assert.Equal(overdue, ActionRules.IsOverdue(status, Today.AddDays(dueInDays), Today));

    [Fact]
    public void OverdueComesFirstThenOffTrackAtRiskAwaitingModerationTheRestAndClosedLast()
    {
        var ranks = new[]
        {
            ActionRules.Rank(ActionStatus.OnTrack, Today.AddDays(-3), Today),
            ActionRules.Rank(ActionStatus.OffTrack, Today.AddDays(10), Today),
            ActionRules.Rank(ActionStatus.AtRisk, Today.AddDays(10), Today),
            ActionRules.Rank(ActionStatus.Completed, Today.AddDays(-10), Today),
            ActionRules.Rank(ActionStatus.OnTrack, Today.AddDays(10), Today),
            ActionRules.Rank(ActionStatus.Closed, Today.AddDays(-10), Today),
        };
        Assert.Equal(ranks.Order().ToArray(), ranks);
        Assert.Equal(ranks.Length, ranks.Distinct().Count());
    }

    [Fact]
    public void APlanIsCompleteWhenItHasActionsAndAllAreClosed()
    {
        Assert.True(ActionRules.PlanComplete([ActionStatus.Closed, ActionStatus.Closed]));
        Assert.False(ActionRules.PlanComplete([ActionStatus.Closed, ActionStatus.Completed]));
        Assert.False(ActionRules.PlanComplete([]));
    }
}
