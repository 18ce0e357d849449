using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>A row's chips never state contradictory things at once, whatever the combination of inputs.</summary>
public sealed class StatementPrecedenceTests
{
    /// <summary>Every combination of RAG, incompleteness, suppression, variation, latest special cause, assurance and caveat.</summary>
    public static TheoryData<RagStatus, bool, bool, VariationIcon?, PointType?, AssuranceIcon?, bool> AllCombinations()
    {
        var data = new TheoryData<RagStatus, bool, bool, VariationIcon?, PointType?, AssuranceIcon?, bool>();
        VariationIcon?[] variations = [null, .. Enum.GetValues<VariationIcon>().Cast<VariationIcon?>()];
        PointType?[] latest = [null, .. Enum.GetValues<PointType>().Cast<PointType?>()];
        AssuranceIcon?[] assurances = [null, .. Enum.GetValues<AssuranceIcon>().Cast<AssuranceIcon?>()];
        foreach (var rag in Enum.GetValues<RagStatus>())
        foreach (var incomplete in new[] { false, true })
        foreach (var suppressed in new[] { false, true })
        foreach (var variation in variations)
        foreach (var special in latest)
        foreach (var assurance in assurances)
        foreach (var caveated in new[] { false, true })
            data.Add(rag, incomplete, suppressed, variation, special, assurance, caveated);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void NoCombinationGivesAContradictoryPair(
        RagStatus rag, bool incomplete, bool suppressed, VariationIcon? variation, PointType? latest, AssuranceIcon? assurance, bool caveated)
    {
        var statements = StatementPrecedence.Decide(
            new MeasureSignals(rag, incomplete, suppressed, variation, latest, assurance, caveated, "1 of 2 agencies"));
        var kinds = statements.Select(s => s.Kind).ToHashSet();

        // One statement per category: never improvement and concern at once, never two verdicts, never two RAGs.
        Assert.Equal(statements.Count, statements.Select(s => s.Category).Distinct().Count());
        Assert.Contains(statements, s => s.Category == StatementCategory.Figure);

        // Never "consistently failing" beside green, nor "consistently passing" beside amber or red (provisional or not).
        Assert.False(rag == RagStatus.Green && kinds.Contains(StatementKind.ConsistentlyFailing));
        Assert.False(rag is RagStatus.Amber or RagStatus.Red && kinds.Contains(StatementKind.ConsistentlyPassing));
        Assert.False(kinds.Contains(StatementKind.Green) && kinds.Contains(StatementKind.ConsistentlyFailing));
        Assert.False(kinds.Overlaps([StatementKind.Amber, StatementKind.Red]) && kinds.Contains(StatementKind.ConsistentlyPassing));

        // A hidden figure says only that it is hidden; an incomplete one has no RAG colour of its own.
        if (suppressed)
            Assert.Equal([StatementKind.Suppressed], statements.Select(s => s.Kind));
        if (incomplete)
            Assert.False(kinds.Overlaps([StatementKind.Green, StatementKind.Amber, StatementKind.Red]));

        // Assurance from limits that straddle a process change is never a plain verdict.
        if (caveated)
            Assert.False(kinds.Overlaps([StatementKind.ConsistentlyFailing, StatementKind.ConsistentlyPassing, StatementKind.HitAndMiss]));

        // The latest point speaks first: a special cause on it decides the signal.
        if (!suppressed && variation is VariationIcon.ConcernHigh or VariationIcon.ConcernLow)
            Assert.Contains(StatementKind.Concern, kinds);
        if (!suppressed && variation is VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow)
            Assert.Contains(StatementKind.Improvement, kinds);

        // Every text is sentence case.
        Assert.All(statements, s => Assert.True(char.IsUpper(s.Text[0]) && !s.Text.Split(' ').Skip(1).Any(IsTitleCased), s.Text));
    }

    private static bool IsTitleCased(string word) =>
        word.Length > 1 && char.IsUpper(word[0]) && char.IsLower(word[1]) && word is not "Q1" and not "Q2";

    [Fact]
    public void GreenBesideLimitsThatSayConsistentlyFailingWithholdsTheVerdict()
    {
        // CSC-CFA45: green at 92.3% beside "consistently fail" from limits computed over a steady rise.
        var statements = StatementPrecedence.Decide(
            new MeasureSignals(RagStatus.Green, false, false, VariationIcon.ImprovementHigh, null, AssuranceIcon.ConsistentFail, false));

        Assert.Equal([StatementKind.Green, StatementKind.Improvement, StatementKind.AssuranceWithheld], statements.Select(s => s.Kind));
        Assert.Equal(SpcWords.AssuranceDisagreesWithLatest, statements[2].Text);
    }

    [Fact]
    public void AnOutlierConcernOnTheLastPointBeatsEarlierImprovement()
    {
        // POL-STRAT-ATTEND after the 30% outlier: concern on the last point, improvement on earlier ones, failing.
        var statements = StatementPrecedence.Decide(new MeasureSignals(
            RagStatus.Red, false, false, VariationIcon.ConcernLow, PointType.SpecialCauseImprovement, AssuranceIcon.ConsistentFail, false));

        Assert.Equal(
            [StatementKind.Red, StatementKind.Concern, StatementKind.ConsistentlyFailing], statements.Select(s => s.Kind));
        Assert.Equal("Consistently failing the target", statements[2].Text);
        Assert.True(StatementPrecedence.IsException(statements));
    }

    [Fact]
    public void WhenTheLastPointIsCommonCauseTheMostRecentSpecialCauseSpeaks()
    {
        var statements = StatementPrecedence.Decide(new MeasureSignals(
            RagStatus.Amber, false, false, VariationIcon.CommonCause, PointType.SpecialCauseImprovement, AssuranceIcon.Inconsistent, false));

        Assert.Equal([StatementKind.Amber, StatementKind.Improvement, StatementKind.HitAndMiss], statements.Select(s => s.Kind));
        Assert.False(StatementPrecedence.IsException(statements));
    }

    [Fact]
    public void AnIncompleteFigureIsProvisionalWithItsCount()
    {
        // HLT-IHA20: 65.2% from 1 of 2 agencies.
        var statements = StatementPrecedence.Decide(new MeasureSignals(
            RagStatus.Red, true, false, VariationIcon.CommonCause, null, AssuranceIcon.ConsistentFail, false, "1 of 2 agencies"));

        Assert.Equal("Provisional: not every agency has returned (1 of 2 agencies)", statements[0].Text);
        Assert.Equal(StatementKind.ConsistentlyFailing, statements[1].Kind);
    }

    [Fact]
    public void AShiftedProcessWithholdsAssuranceInWords()
    {
        // CSC-REREF: red for nine quarters after a shift; the whole-series limits say "hit and miss".
        var statements = StatementPrecedence.Decide(new MeasureSignals(
            RagStatus.Red, false, false, VariationIcon.ConcernLow, null, AssuranceIcon.Inconsistent, true));

        Assert.Equal(SpcWords.AssuranceOnOldProcess, statements[^1].Text);
    }
}
