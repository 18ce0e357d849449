using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>Shared series and assertions for the SPC tests.</summary>
internal static class SpcTestSupport
{
    /// <summary>Numbers are compared to the 6th decimal.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// Twelve points alternating 10, 12. Used with <see cref="Fixed"/> so that every later point is judged against
    /// the same hand-derived limits: mean 132 / 12 = 11; eleven moving ranges of 2, none screened
    /// (2 &lt; 3.267 × 2), so the mean moving range is 2; limits 11 ± 2.66 × 2 = 5.68 and 16.32; two-sigma lines
    /// 11 ± (2/3) × 2.66 × 2 = 7.453333 and 14.546667. The baseline alternates about the mean, so it fires no rule
    /// of its own; its last point (index 11) is 12, above the mean.
    /// </summary>
    public static double[] Baseline(params double[] after) => [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, .. after];

    /// <summary>Limits fixed on the baseline's 12 points (Making Data Count: fix after 12 points).</summary>
    public static SpcOptions Fixed(ImprovementDirection direction = ImprovementDirection.Increase, double? target = null) =>
        new(direction, target, FixAfterPoints: 12);

    public const double BaselineMean = 11;
    public const double BaselineUpper = 16.32;
    public const double BaselineLower = 5.68;
    public const double BaselineUpperTwoSigma = 14.546667;
    public const double BaselineLowerTwoSigma = 7.453333;

    /// <summary>The expected types: common cause everywhere except the given inclusive index ranges.</summary>
    public static PointType[] Types(int count, params (int From, int To, PointType Type)[] special)
    {
        var types = Enumerable.Repeat(PointType.CommonCause, count).ToArray();
        foreach (var (from, to, type) in special)
        {
            for (var i = from; i <= to; i++)
            {
                types[i] = type;
            }
        }

        return types;
    }

    public static PointType[] TypesOf(SpcResult result) => result.Points.Select(p => p.Type).ToArray();

    public static PointType[] TypesOf(SpcAnalysis result) => result.Points.Select(p => p.Type).ToArray();

    public static void Close(double expected, double? actual)
    {
        Assert.True(actual.HasValue, $"Expected {expected} but was null.");
        Assert.Equal(expected, actual.Value, Tolerance);
    }

    public static void Close(double expected, double? actual, double tolerance)
    {
        Assert.True(actual.HasValue, $"Expected {expected} but was null.");
        Assert.Equal(expected, actual.Value, tolerance);
    }

    public const PointType Common = PointType.CommonCause;
    public const PointType Improvement = PointType.SpecialCauseImprovement;
    public const PointType Concern = PointType.SpecialCauseConcern;
    public const PointType NeutralHigh = PointType.SpecialCauseNeutralHigh;
    public const PointType NeutralLow = PointType.SpecialCauseNeutralLow;
}
