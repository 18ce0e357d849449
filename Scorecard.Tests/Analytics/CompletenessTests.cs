using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>Partial figures are not figures: completeness, provisional RAG and like-for-like trends.</summary>
public sealed class CompletenessTests
{
    [Fact]
    public void OneOfTwoAgenciesIsIncompleteAndSaysSo()
    {
        // HLT-IHA20 in 2025/26 Q2: two agencies due, one returned (65.2% from the stronger one alone).
        var c = Completeness.Assess([1, 2], [1]);

        Assert.True(c.IsIncomplete);
        Assert.False(c.IsComplete);
        Assert.Equal("1 of 2 agencies", c.Label);
        Assert.Equal("Incomplete: 1 of 2 agencies has returned", c.Description);
    }

    [Fact]
    public void EveryAgencyReturnedIsCompleteWithNoMarker()
    {
        var c = Completeness.Assess([1, 2], [2, 1]);

        Assert.True(c.IsComplete);
        Assert.Equal("", c.Label);
    }

    [Fact]
    public void ReturnsFromAgenciesNotDueAreNotCounted()
    {
        var c = Completeness.Assess([1, 2, 3], [1, 9, 9]);

        Assert.Equal(new FigureCompleteness(3, 1), c);
        Assert.Equal("Incomplete: 1 of 3 agencies has returned", c.Description);
    }

    [Fact]
    public void OneAgencyDueSaysAgencyInTheSingular() =>
        Assert.Equal("0 of 1 agency", Completeness.Assess([5], []).Label);

    [Fact]
    public void AnIncompleteFiguresRagIsProvisionalAndCountsAsNoColour()
    {
        var judged = Completeness.Judge(RagStatus.Green, Completeness.Assess([1, 2], [1]));

        Assert.True(judged.Provisional);
        Assert.Equal(RagStatus.Green, judged.Status);
        Assert.Equal(RagStatus.NoData, judged.Counted);
        Assert.Equal("Provisional green (1 of 2 agencies)", judged.Label(new FigureCompleteness(2, 1)));
    }

    [Fact]
    public void ACompleteFiguresRagStands()
    {
        var judged = Completeness.Judge(RagStatus.Red, new FigureCompleteness(2, 2));

        Assert.False(judged.Provisional);
        Assert.Equal(RagStatus.Red, judged.Counted);
    }

    [Fact]
    public void IncompleteFiguresAreLeftOutOfSpcAndTrends()
    {
        var incomplete = new FigureCompleteness(2, 1);
        var complete = new FigureCompleteness(2, 2);

        Assert.False(Completeness.CountsForSpc(incomplete));
        Assert.True(Completeness.CountsForSpc(complete));
        Assert.False(Completeness.CountsForTrend(incomplete, complete));
        Assert.False(Completeness.CountsForTrend(complete, incomplete));
        Assert.True(Completeness.CountsForTrend(complete, complete));
    }

    [Fact]
    public void LikeForLikeComparesOnlyTheAgenciesThatReturnedBothQuarters()
    {
        // Previous quarter: agency 1 = 60/100, agency 2 = 30/100 → 45.0% overall. Current: only agency 1 = 65.2/100
        // (the weaker agency 2 has not returned). The naive change is 65.2 − 45.0 = +20.2 pts; like for like it is
        // agency 1 alone: 65.2 − 60.0 = +5.2 pts.
        var previous = new[] { new AgencyContribution(1, 60, 100, 60), new AgencyContribution(2, 30, 100, 30) };
        var current = new[] { new AgencyContribution(1, 65.2m, 100, 65.2m), new AgencyContribution(2, null, null, null) };

        var result = Completeness.LikeForLike(current, previous, FigureAggregation.Ratio, 100);

        Assert.Equal(65.2m, result.Current);
        Assert.Equal(60m, result.Previous);
        Assert.Equal([1], result.AgencyIds);
        Assert.True(result.Restricted);
        Assert.Equal("Like for like: only the 1 agency that returned both quarters", result.Note);
    }

    [Fact]
    public void LikeForLikeWithEveryAgencyInBothQuartersIsNotRestricted()
    {
        var a = new[] { new AgencyContribution(1, null, null, 4), new AgencyContribution(2, null, null, 6) };
        var b = new[] { new AgencyContribution(1, null, null, 3), new AgencyContribution(2, null, null, 9) };

        var sum = Completeness.LikeForLike(a, b, FigureAggregation.Sum);
        var mean = Completeness.LikeForLike(a, b, FigureAggregation.Mean);

        Assert.Equal((10m, 12m, false, ""), (sum.Current!.Value, sum.Previous!.Value, sum.Restricted, sum.Note));
        Assert.Equal((5m, 6m), (mean.Current!.Value, mean.Previous!.Value));
    }

    [Fact]
    public void LikeForLikeWithNoAgencyInCommonHasNoFigures()
    {
        var result = Completeness.LikeForLike(
            [new AgencyContribution(1, null, null, 4)], [new AgencyContribution(2, null, null, 6)], FigureAggregation.Sum);

        Assert.Null(result.Current);
        Assert.Null(result.Previous);
        Assert.Equal("No agency returned both quarters: no like-for-like comparison", result.Note);
    }
}
