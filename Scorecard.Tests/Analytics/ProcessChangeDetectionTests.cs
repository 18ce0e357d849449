using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>When the latest points show the process has changed, say so and suggest where to recalculate from.</summary>
public sealed class ProcessChangeDetectionTests
{
    // Eight points about 11, then nine about 7.6: the whole-series mean is 156 / 17 = 9.18, so the last nine are all
    // below it (the shape of CSC-REREF, red for its last nine quarters after a planted shift). Its limits (mean
    // moving range 26 / 16 = 1.625, so 9.18 ± 4.32) straddle a target of 11: "hit and miss".
    private static readonly double[] Shifted = [10, 12, 10, 12, 10, 12, 10, 12, 8, 7, 8, 7, 8, 7, 8, 7, 8];

    [Fact]
    public void ARunOfNineBelowTheMeanSuggestsRecalculatingFromItsFirstQuarter()
    {
        var analysis = Spc.AnalyseDetailed(Shifted, new SpcOptions(ImprovementDirection.Increase, Target: 11));

        var change = ProcessChange.Detect(analysis);

        Assert.Equal(new ProcessChangeSuggestion(ProcessChangeKind.Shift, SpecialCauseSide.Low, 8, 9, false), change);
        Assert.Equal(
            "The limits describe the old process: the last 9 quarters are all below the mean. Recalculate the limits from 2023/24 Q2.",
            change!.Message("2023/24 Q2"));
    }

    [Fact]
    public void AssuranceFromLimitsThatStraddleTheShiftCarriesTheCaveatNotAVerdict()
    {
        var analysis = Spc.AnalyseDetailed(Shifted, new SpcOptions(ImprovementDirection.Increase, Target: 11));

        var verdict = ProcessChange.Assurance(analysis, ProcessChange.Detect(analysis));

        Assert.Equal(AssuranceIcon.Inconsistent, verdict.Icon); // what the straddling limits say: "hit and miss"
        Assert.True(verdict.Caveated);
        Assert.Equal(SpcWords.AssuranceOnOldProcess, verdict.Text);
    }

    [Fact]
    public void RebasingWhereSuggestedMakesTheSuggestionGo()
    {
        // The new segment 8 7 8 7 8 7 8 7 8 has mean 7.56 and limits 7.56 ± 2.66: the target of 11 is above them all,
        // so the verdict is a plain "consistently failing", as the red quarters beside it say.
        var analysis = Spc.AnalyseDetailed(Shifted, new SpcOptions(ImprovementDirection.Increase, Target: 11, RebaseAfter: [7]));

        var change = ProcessChange.Detect(analysis);

        Assert.Null(change);
        Assert.Equal(
            new AssuranceVerdict(AssuranceIcon.ConsistentFail, false, SpcWords.ConsistentlyFailing),
            ProcessChange.Assurance(analysis, change));
    }

    [Fact]
    public void ASevenPointRiseEndingInTheLastQuarterIsATrendFromItsFirstPoint()
    {
        // 5 3 5 3 5 then 1..7: the rise starts at index 5 (the 1); the shift above the mean (4.08) is only 3 long.
        var analysis = Spc.AnalyseDetailed([5, 3, 5, 3, 5, 1, 2, 3, 4, 5, 6, 7], new SpcOptions());

        Assert.Equal(
            new ProcessChangeSuggestion(ProcessChangeKind.Trend, SpecialCauseSide.High, 5, 7, false),
            ProcessChange.Detect(analysis));
    }

    [Fact]
    public void ASixPointRiseIsNotEnough() =>
        Assert.Null(ProcessChange.Detect(Spc.AnalyseDetailed([5, 3, 5, 3, 5, 3, 1, 2, 3, 4, 5, 6], new SpcOptions())));

    [Fact]
    public void ARiseOverTheWholeSeriesSaysTheLimitsDescribeNoStableProcess()
    {
        var change = ProcessChange.Detect(Spc.AnalyseDetailed([1, 2, 3, 4, 5, 6, 7], new SpcOptions()));

        Assert.True(change!.CoversWholeSegment);
        Assert.Equal("The limits do not describe a stable process: the last 7 quarters have each risen.", change.Message("2020/21 Q1"));
    }

    [Fact]
    public void AStableSeriesSuggestsNothingAndKeepsItsVerdict()
    {
        var analysis = Spc.AnalyseDetailed([10, 12, 10, 12, 10, 12, 10, 12, 10, 12], new SpcOptions(Target: 20));

        Assert.Null(ProcessChange.Detect(analysis));
        Assert.Equal(
            new AssuranceVerdict(AssuranceIcon.ConsistentFail, false, SpcWords.ConsistentlyFailing),
            ProcessChange.Assurance(analysis, null));
    }

    [Fact]
    public void AGhostedPointInsideTheRunDoesNotBreakIt()
    {
        // The 20 at index 12 is a known special cause: the run of 8s still counts as nine points.
        double[] values = [10, 12, 10, 12, 10, 12, 10, 12, 8, 8, 8, 8, 20, 8, 8, 8, 8, 8];
        var analysis = Spc.AnalyseDetailed(values, new SpcOptions(Ghosted: [12]));

        var change = ProcessChange.Detect(analysis);

        Assert.Equal((ProcessChangeKind.Shift, 8, 9), (change!.Kind, change.StartIndex, change.Length));
    }

    [Fact]
    public void WithoutATargetThereIsNothingToAssure()
    {
        var analysis = Spc.AnalyseDetailed(Shifted, new SpcOptions());

        Assert.Equal(new AssuranceVerdict(null, false, "No target to assure against"),
            ProcessChange.Assurance(analysis, ProcessChange.Detect(analysis)));
    }
}
