namespace Scorecard.Data.Analytics;

public enum BenchmarkComparison { NotComparable, Better, Similar, Worse, NotJudged }

public static class Benchmarks
{
    /// <summary>
    /// Whether the local value is better or worse than a benchmark (England, statistical neighbours) by polarity, as the
    /// DfE's LAIT shows it. Values equal at the measure's decimal places are similar; neutral measures are not judged.
    /// </summary>
    public static BenchmarkComparison Compare(decimal? local, decimal? benchmark, Polarity polarity, int decimalPlaces)
    {
        if (local is not { } l || benchmark is not { } b)
            return BenchmarkComparison.NotComparable;
        if (polarity == Polarity.Neutral)
            return BenchmarkComparison.NotJudged;
        var dp = Math.Clamp(decimalPlaces, 0, 6);
        var difference = Math.Round(l, dp, MidpointRounding.AwayFromZero) - Math.Round(b, dp, MidpointRounding.AwayFromZero);
        if (difference == 0)
            return BenchmarkComparison.Similar;
        var better = polarity == Polarity.HigherIsBetter ? difference > 0 : difference < 0;
        return better ? BenchmarkComparison.Better : BenchmarkComparison.Worse;
    }

    public static string Label(BenchmarkComparison comparison, string benchmarkName) => comparison switch
    {
        BenchmarkComparison.Better => $"Better than {benchmarkName}",
        BenchmarkComparison.Worse => $"Worse than {benchmarkName}",
        BenchmarkComparison.Similar => $"Same as {benchmarkName}",
        BenchmarkComparison.NotJudged => $"Compared with {benchmarkName} (context measure)",
        _ => $"No comparison with {benchmarkName}",
    };
}
