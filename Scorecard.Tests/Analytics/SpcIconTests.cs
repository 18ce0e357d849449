using Scorecard.Data.Analytics;
using static Scorecard.Tests.Analytics.SpcTestSupport;

namespace Scorecard.Tests.Analytics;

/// <summary>Variation and assurance icons, and the labels and colours of <see cref="SpcIcons"/>.</summary>
public class SpcIconTests
{
    // Baseline(12 × 6): indices 11–17 are a shift above the mean, ending on the last point.
    // Baseline(10 × 7): indices 12–18 are a shift below the mean, ending on the last point.
    [Theory]
    [InlineData(ImprovementDirection.Increase, true, VariationIcon.ImprovementHigh)]
    [InlineData(ImprovementDirection.Increase, false, VariationIcon.ConcernLow)]
    [InlineData(ImprovementDirection.Decrease, true, VariationIcon.ConcernHigh)]
    [InlineData(ImprovementDirection.Decrease, false, VariationIcon.ImprovementLow)]
    [InlineData(ImprovementDirection.Neutral, true, VariationIcon.NeutralHigh)]
    [InlineData(ImprovementDirection.Neutral, false, VariationIcon.NeutralLow)]
    public void TheVariationIconFollowsTheLastPointsRuleAndTheImprovementDirection(
        ImprovementDirection direction, bool high, VariationIcon expected)
    {
        var values = high ? Baseline(12, 12, 12, 12, 12, 12) : Baseline(10, 10, 10, 10, 10, 10, 10);

        Assert.Equal(expected, Spc.Analyse(values, Fixed(direction)).Variation);
    }

    [Theory]
    [InlineData(ImprovementDirection.Increase)]
    [InlineData(ImprovementDirection.Decrease)]
    [InlineData(ImprovementDirection.Neutral)]
    public void TheVariationIconIsCommonCauseWhenTheLastPointIsEvenIfEarlierPointsAreNot(
        ImprovementDirection direction)
    {
        var result = Spc.Analyse(Baseline(11, 17, 11), Fixed(direction));

        Assert.NotEqual(PointType.CommonCause, result.Points[13].Type);
        Assert.Equal(VariationIcon.CommonCause, result.Variation);
    }

    // The baseline's last segment has limits 5.68 and 16.32.
    [Theory]
    [InlineData(ImprovementDirection.Increase, 5, AssuranceIcon.ConsistentPass)]
    [InlineData(ImprovementDirection.Increase, 17, AssuranceIcon.ConsistentFail)]
    [InlineData(ImprovementDirection.Increase, 11, AssuranceIcon.Inconsistent)]
    [InlineData(ImprovementDirection.Decrease, 5, AssuranceIcon.ConsistentFail)]
    [InlineData(ImprovementDirection.Decrease, 17, AssuranceIcon.ConsistentPass)]
    [InlineData(ImprovementDirection.Decrease, 11, AssuranceIcon.Inconsistent)]
    public void AssuranceComparesTheTargetWithTheLimits(ImprovementDirection direction, double target, AssuranceIcon expected)
    {
        Assert.Equal(expected, Spc.Analyse(Baseline(), Fixed(direction, target)).Assurance);
    }

    [Fact]
    public void ATargetExactlyOnALimitIsHitAndMiss()
    {
        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(Baseline(), Fixed(target: 11 + (2.66 * 2))).Assurance);
        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(Baseline(), Fixed(target: 11 - (2.66 * 2))).Assurance);
    }

    [Theory]
    [InlineData(ImprovementDirection.Increase)]
    [InlineData(ImprovementDirection.Decrease)]
    public void AssuranceIsHitAndMissWhenThereAreNoLimits(ImprovementDirection direction)
    {
        var flat = Enumerable.Repeat(5.0, 15).ToArray();

        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(flat, new SpcOptions(direction, Target: 1)).Assurance);
        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(flat, new SpcOptions(direction, Target: 9)).Assurance);
    }

    [Fact]
    public void LimitsOnTheMeanStillDecideAssurance()
    {
        // Unscreened flat series: both limits are 5, so a target of 6 is above the upper limit.
        var flat = Enumerable.Repeat(5.0, 15).ToArray();

        Assert.Equal(AssuranceIcon.ConsistentFail, Spc.Analyse(flat, new SpcOptions(Target: 6, ScreenOutliers: false)).Assurance);
        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(flat, new SpcOptions(Target: 5, ScreenOutliers: false)).Assurance);
    }

    [Fact]
    public void ThereIsNoAssuranceWithoutATargetOrWhenNeitherDirectionIsBetter()
    {
        Assert.Null(Spc.Analyse(Baseline(), Fixed()).Assurance);
        Assert.Null(Spc.Analyse(Baseline(), Fixed(ImprovementDirection.Neutral, target: 5)).Assurance);
    }

    [Fact]
    public void AssuranceUsesTheLastSegmentsLimits()
    {
        // Segment 1: 5.68–16.32 (14 would be hit and miss); segment 2: 15.68–26.32 (14 is below: pass).
        double[] values = [.. Baseline(), 20, 22, 20, 22, 20, 22, 20, 22, 20, 22, 20, 22];

        Assert.Equal(AssuranceIcon.ConsistentPass, Spc.Analyse(values, new SpcOptions(Target: 14, RebaseAfter: [11])).Assurance);
        Assert.Equal(AssuranceIcon.Inconsistent, Spc.Analyse(values[..12], new SpcOptions(Target: 14)).Assurance);
    }

    [Theory]
    [InlineData(PointType.CommonCause, "#A6A6A6", "Common cause")]
    [InlineData(PointType.SpecialCauseImprovement, "#00B0F0", "Special cause: improvement")]
    [InlineData(PointType.SpecialCauseConcern, "#E46C0A", "Special cause: concern")]
    [InlineData(PointType.SpecialCauseNeutralHigh, "#490092", "Special cause: neither better nor worse")]
    [InlineData(PointType.SpecialCauseNeutralLow, "#490092", "Special cause: neither better nor worse")]
    public void PointTypesHaveThePackagesColoursAndLegendLabels(PointType type, string colour, string label)
    {
        Assert.Equal(colour, SpcIcons.Colour(type));
        Assert.Equal(label, SpcIcons.Label(type));
    }

    [Theory]
    [InlineData(VariationIcon.CommonCause, "Common cause: no significant change", "#A6A6A6", "common_cause.svg")]
    [InlineData(VariationIcon.ImprovementHigh, "Special cause improvement: significantly higher", "#00B0F0", "improvement_high.svg")]
    [InlineData(VariationIcon.ImprovementLow, "Special cause improvement: significantly lower", "#00B0F0", "improvement_low.svg")]
    [InlineData(VariationIcon.ConcernHigh, "Special cause concern: significantly higher", "#E46C0A", "concern_high.svg")]
    [InlineData(VariationIcon.ConcernLow, "Special cause concern: significantly lower", "#E46C0A", "concern_low.svg")]
    [InlineData(VariationIcon.NeutralHigh, "Significantly higher (neither better nor worse)", "#490092", "neutral_high.svg")]
    [InlineData(VariationIcon.NeutralLow, "Significantly lower (neither better nor worse)", "#490092", "neutral_low.svg")]
    public void VariationIconsHaveLabelsColoursAndThePackagesFileNames(
        VariationIcon icon, string label, string colour, string file)
    {
        Assert.Equal(label, SpcIcons.Label(icon));
        Assert.Equal(colour, SpcIcons.Colour(icon));
        Assert.Equal(file, SpcIcons.FileName(icon));
        Assert.False(string.IsNullOrWhiteSpace(SpcIcons.Description(icon)));
    }

    [Theory]
    [InlineData(AssuranceIcon.ConsistentPass, "Consistently passing the target", "#00B0F0", "pass.svg")]
    [InlineData(AssuranceIcon.ConsistentFail, "Consistently failing the target", "#E46C0A", "fail.svg")]
    [InlineData(AssuranceIcon.Inconsistent, "Hit and miss: may pass or fail the target", "#A6A6A6", "inconsistent.svg")]
    public void AssuranceIconsHaveLabelsColoursAndThePackagesFileNames(
        AssuranceIcon icon, string label, string colour, string file)
    {
        Assert.Equal(label, SpcIcons.Label(icon));
        Assert.Equal(colour, SpcIcons.Colour(icon));
        Assert.Equal(file, SpcIcons.FileName(icon));
        Assert.False(string.IsNullOrWhiteSpace(SpcIcons.Description(icon)));
    }

    [Fact]
    public void EveryIconHasADistinctDescription()
    {
        Assert.Equal(7, Enum.GetValues<VariationIcon>().Select(SpcIcons.Description).Distinct().Count());
        Assert.Equal(3, Enum.GetValues<AssuranceIcon>().Select(SpcIcons.Description).Distinct().Count());
    }
}
