using Scorecard.Data.Improvement;

namespace Scorecard.Tests.Loop;

/// <summary>The risk register's pure rules: score, escalation at 12, one record per crossing, bands and words.</summary>
public sealed class RiskRulesTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 4, 12)]
    [InlineData(4, 3, 12)]
    [InlineData(2, 5, 10)]
    [InlineData(5, 5, 25)]
    public void TheScoreIsLikelihoodTimesImpact(int likelihood, int impact, int score) => Assert.Equal(score, RiskRules.Score(likelihood, impact));

    [Theory]
    [InlineData(0, 3)]
    [InlineData(6, 3)]
    [InlineData(3, 0)]
    [InlineData(3, 6)]
    public void LevelsOutsideOneToFiveAreRefused(int likelihood, int impact) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskRules.Score(likelihood, impact));

    [Theory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(15, true)]
    [InlineData(10, false)]
    public void TwelveAndAboveEscalates(int score, bool escalates) => Assert.Equal(escalates, RiskRules.Escalates(score));

    [Fact]
    public void ACrossingIsDecidedFromTheStandingState()
    {
        Assert.Equal(EscalationDirection.Escalated, RiskRules.Crossing(escalatedNow: false, 12));
        Assert.Null(RiskRules.Crossing(escalatedNow: true, 16));
        Assert.Equal(EscalationDirection.DeEscalated, RiskRules.Crossing(escalatedNow: true, 11));
        Assert.Null(RiskRules.Crossing(escalatedNow: false, 11));
    }

    [Fact]
    public void ElevenTwelveElevenTwelveMakesFourCrossings()
    {
        var crossings = RiskRules.Crossings([11, 12, 11, 12]);
        Assert.Equal([(1, EscalationDirection.Escalated), (2, EscalationDirection.DeEscalated), (3, EscalationDirection.Escalated)], crossings);
    }

    [Fact]
    public void StayingAboveTwelveIsOneEscalation()
    {
        Assert.Equal([(0, EscalationDirection.Escalated)], RiskRules.Crossings([12, 15, 16, 20, 12]));
        Assert.Empty(RiskRules.Crossings([4, 9, 11, 10]));
    }

    [Theory]
    [InlineData(3, RiskBand.Low)]
    [InlineData(4, RiskBand.Medium)]
    [InlineData(9, RiskBand.Medium)]
    [InlineData(10, RiskBand.High)]
    [InlineData(12, RiskBand.High)]
    [InlineData(15, RiskBand.VeryHigh)]
    [InlineData(25, RiskBand.VeryHigh)]
    public void ScoresFallIntoBands(int score, RiskBand band) => Assert.Equal(band, RiskRules.Band(score));

    [Fact]
    public void EveryLevelHasWords()
    {
        Assert.Equal("15 (Possible × Severe)", RiskRules.Describe(3, 5));
        Assert.Equal("20 (Likely × Severe)", RiskRules.Describe(4, 5));
        for (var level = 1; level <= 5; level++)
        {
            Assert.False(string.IsNullOrWhiteSpace(RiskRules.LikelihoodWord(level)));
            Assert.False(string.IsNullOrWhiteSpace(RiskRules.ImpactMeaning(level)));
        }
        Assert.Equal(5, Enumerable.Range(1, 5).Select(RiskRules.LikelihoodWord).Distinct().Count());
    }

    [Theory]
    [InlineData("2025-12-14", true)]
    [InlineData("2025-12-15", false)]
    [InlineData("2026-01-10", false)]
    public void AReviewPastItsDateIsOverdue(string reviewDate, bool overdue) =>
        Assert.Equal(overdue, RiskRules.IsReviewOverdue(RiskStatus.Open, DateOnly.Parse(reviewDate), new DateOnly(2025, 12, 15)));

    [Fact]
    public void AClosedRiskIsNeverOverdue() => Assert.False(RiskRules.IsReviewOverdue(RiskStatus.Closed, new DateOnly(2020, 1, 1), new DateOnly(2025, 12, 15)));
}
