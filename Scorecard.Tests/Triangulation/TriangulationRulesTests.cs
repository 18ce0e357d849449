using Scorecard.Data.Analytics;
using Scorecard.Data.Triangulation;
using Scorecard.Data.Voice;

namespace Scorecard.Tests.Triangulation;

/// <summary>Each lens rule and the verdict, boundaries and missing lenses included.</summary>
public sealed class TriangulationRulesTests
{
    private static readonly LensRules Rules = LensRules.Default;

    [Theory]
    [InlineData(3, 4, Judgement.Positive)]   // exactly 75%
    [InlineData(74, 100, Judgement.Mixed)]
    [InlineData(1, 2, Judgement.Mixed)]      // exactly 50% is not below 50%
    [InlineData(49, 100, Judgement.Negative)]
    [InlineData(0, 5, Judgement.Negative)]
    [InlineData(0, 0, Judgement.NoEvidence)]
    public void AuditAndSelfAssessmentSharesAreJudgedAgainstSeventyFiveAndFifty(int good, int total, Judgement expected) =>
        Assert.Equal(expected, TriangulationRules.JudgeShare(good, total, Rules));

    [Fact]
    public void TunedThresholdsChangeTheJudgement()
    {
        var strict = Rules with { PositiveShare = 0.9, NegativeShare = 0.6 };
        Assert.Equal(Judgement.Mixed, TriangulationRules.JudgeShare(80, 100, strict));
        Assert.Equal(Judgement.Negative, TriangulationRules.JudgeShare(55, 100, strict));
    }

    [Fact]
    public void AVoiceQuestionIsPositiveOnlyWhenItsIntervalIsWhollyAboveSeventyFivePercent()
    {
        // 90 of 100: Wilson 82.6% to 94.5%, wholly above 75%.
        Assert.Equal(Judgement.Positive, TriangulationRules.JudgeInterval(VoiceStatistics.Wilson(90, 100), Rules));
        // 81 of 100: 72.2% to 87.5%, straddles 75%.
        Assert.Equal(Judgement.Mixed, TriangulationRules.JudgeInterval(VoiceStatistics.Wilson(81, 100), Rules));
        // 38 of 100: 29.1% to 47.7%, wholly below 50%.
        Assert.Equal(Judgement.Negative, TriangulationRules.JudgeInterval(VoiceStatistics.Wilson(38, 100), Rules));
        // 45 of 100: 35.6% to 54.8%, straddles 50%.
        Assert.Equal(Judgement.Mixed, TriangulationRules.JudgeInterval(VoiceStatistics.Wilson(45, 100), Rules));
        Assert.Equal(Judgement.NoEvidence, TriangulationRules.JudgeInterval(null, Rules));
    }

    [Fact]
    public void TheIntervalBoundaryIsStrict()
    {
        Assert.Equal(Judgement.Mixed, TriangulationRules.JudgeInterval(new ShareInterval(80, 100, 0.8, 0.75, 0.85), Rules));
        Assert.Equal(Judgement.Positive, TriangulationRules.JudgeInterval(new ShareInterval(80, 100, 0.8, 0.7501, 0.85), Rules));
        Assert.Equal(Judgement.Mixed, TriangulationRules.JudgeInterval(new ShareInterval(40, 100, 0.4, 0.3, 0.5), Rules));
    }

    [Theory]
    [InlineData(RagStatus.Green, null, Judgement.Positive)]
    [InlineData(RagStatus.Green, VariationIcon.ConcernLow, Judgement.Negative)]
    [InlineData(RagStatus.Red, VariationIcon.ImprovementHigh, Judgement.Negative)]
    [InlineData(RagStatus.Amber, VariationIcon.ImprovementHigh, Judgement.Positive)]
    [InlineData(RagStatus.Amber, VariationIcon.CommonCause, Judgement.Mixed)]
    [InlineData(RagStatus.NoTarget, VariationIcon.CommonCause, Judgement.Mixed)]
    [InlineData(RagStatus.NoData, null, Judgement.NoEvidence)]
    public void AMeasureIsGoodWhenGreenOrImprovingAndBadOnRedOrConcern(RagStatus rag, VariationIcon? variation, Judgement expected) =>
        Assert.Equal(expected, TriangulationRules.JudgeMeasure(rag, variation));

    [Fact]
    public void CombiningItemsOfALens()
    {
        Assert.Equal(Judgement.NoEvidence, TriangulationRules.Combine([]));
        Assert.Equal(Judgement.NoEvidence, TriangulationRules.Combine([Judgement.NoEvidence]));
        Assert.Equal(Judgement.Positive, TriangulationRules.Combine([Judgement.Positive, Judgement.NoEvidence, Judgement.Positive]));
        Assert.Equal(Judgement.Mixed, TriangulationRules.Combine([Judgement.Positive, Judgement.Mixed]));
        Assert.Equal(Judgement.Negative, TriangulationRules.Combine([Judgement.Negative, Judgement.Mixed]));
        Assert.Equal(Judgement.Mixed, TriangulationRules.Combine([Judgement.Negative, Judgement.Positive]));
        // The data lens: any red or concern makes it negative.
        Assert.Equal(Judgement.Negative, TriangulationRules.Combine([Judgement.Negative, Judgement.Positive], anyNegativeWins: true));
    }

    private static Dictionary<Lens, Judgement> Lenses(params Judgement[] judgements)
    {
        var all = Scorecard.Data.Common.DbEnum.All<Lens>();
        return all.Select((lens, i) => (lens, j: i < judgements.Length ? judgements[i] : Judgement.NoEvidence)).ToDictionary(x => x.lens, x => x.j);
    }

    [Fact]
    public void FewerThanTwoLensesWithEvidenceIsInsufficient()
    {
        Assert.Equal(Verdict.InsufficientEvidence, TriangulationRules.Decide(Lenses(), Rules).Verdict);
        var one = TriangulationRules.Decide(Lenses(Judgement.Positive), Rules);
        Assert.Equal(Verdict.InsufficientEvidence, one.Verdict);
        Assert.Contains("data", one.Reason);
    }

    [Fact]
    public void OnePositiveAndOneNegativeIsContestedWhateverElse()
    {
        var v = TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.Negative), Rules);
        Assert.Equal(Verdict.Contested, v.Verdict);
        Assert.Equal("Positive: data; negative: multi-agency audit.", v.Reason);
        Assert.Equal(Verdict.Contested, TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.Positive, Judgement.Positive, Judgement.Positive, Judgement.Positive, Judgement.Negative), Rules).Verdict);
    }

    [Fact]
    public void ThreeLensesAllPositiveOrAllNegativeAreCorroborated()
    {
        var up = TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.NoEvidence, Judgement.Positive, Judgement.Positive), Rules);
        Assert.Equal((Verdict.Corroborated, Side.Positive), (up.Verdict, up.Side));
        Assert.Equal("Corroborated (positive)", up.Label);
        var down = TriangulationRules.Decide(Lenses(Judgement.Negative, Judgement.Negative, Judgement.Negative), Rules);
        Assert.Equal((Verdict.Corroborated, Side.Negative), (down.Verdict, down.Side));
    }

    [Fact]
    public void TwoAgreeingLensesOrAnyMixedLensIsEmerging()
    {
        var two = TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.Positive), Rules);
        Assert.Equal(Verdict.Emerging, two.Verdict);
        Assert.Contains("needs 3", two.Reason);
        Assert.Equal(Verdict.Emerging, TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.Positive, Judgement.Mixed), Rules).Verdict);
        Assert.Equal(Verdict.Emerging, TriangulationRules.Decide(Lenses(Judgement.Mixed, Judgement.Mixed), Rules).Verdict);
        Assert.Equal(Verdict.Emerging, TriangulationRules.Decide(Lenses(Judgement.Negative, Judgement.Mixed, Judgement.Negative), Rules).Verdict);
    }

    [Fact]
    public void ATunedCorroborationCountApplies()
    {
        var two = TriangulationRules.Decide(Lenses(Judgement.Positive, Judgement.Positive), Rules with { CorroborationLenses = 2 });
        Assert.Equal(Verdict.Corroborated, two.Verdict);
    }

    [Fact]
    public void ContestedComesFirstAndCorroboratedPositiveLast()
    {
        var order = new[]
        {
            new VerdictResult(Verdict.Corroborated, Side.Positive, ""), new VerdictResult(Verdict.InsufficientEvidence, Side.None, ""),
            new VerdictResult(Verdict.Emerging, Side.None, ""), new VerdictResult(Verdict.Contested, Side.None, ""),
            new VerdictResult(Verdict.Corroborated, Side.Negative, ""),
        }.OrderBy(TriangulationRules.Urgency).Select(v => v.Label);
        Assert.Equal(["Contested", "Corroborated (negative)", "Emerging", "Insufficient evidence", "Corroborated (positive)"], order);
    }

    [Fact]
    public void RulesRoundTripThroughJsonAndBadRulesFallBackToTheDefaults()
    {
        var tuned = Rules with { WindowMonths = 18, VoicePositiveAbove = 0.8 };
        Assert.Equal(tuned, TriangulationEngine.Rules(TriangulationEngine.Serialize(tuned)));
        Assert.Equal(Rules, TriangulationEngine.Rules("{}"));
        Assert.Equal(Rules, TriangulationEngine.Rules("{\"windowMonths\": 0}"));
        Assert.Equal(Rules, TriangulationEngine.Rules("not json"));
        Assert.NotEmpty((Rules with { NegativeShare = 0.9 }).Problems());
        Assert.Equal(6, Rules.Describe().Count);
    }

    [Fact]
    public void LensSlugsRoundTrip()
    {
        Assert.Equal("children-and-families", TriangulationWords.Slug(Lens.ChildrenAndFamilies));
        Assert.True(TriangulationWords.TryParseSlug("multi-agency-audit", out var lens));
        Assert.Equal(Lens.MultiAgencyAudit, lens);
        Assert.False(TriangulationWords.TryParseSlug("nonsense", out _));
    }
}
