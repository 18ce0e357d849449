using System.Globalization;

namespace Scorecard.Data.Voice;

/// <summary>A share with its 95% Wilson score interval (proportions as fractions, 0–1).</summary>
public sealed record ShareInterval(int Positive, int Total, double Share, double Low, double High);

/// <summary>A change in the share positive between two waves, its two-proportion z statistic and what it means in words.</summary>
/// <param name="Points">The change in percentage points, rounded half away from zero.</param>
/// <param name="MoreThanChance">True when the two-sided test rejects "no change" at the 5% level (|z| ≥ 1.96).</param>
public sealed record WaveChange(int Points, double Z, double PValue, bool MoreThanChance, string Words);

/// <summary>
/// Pure statistics of voice results: no database. The Wilson score interval (Wilson 1927; as recommended by Newcombe 1998
/// and Brown, Cai and DasGupta 2001 over the Wald interval, which fails at small n and shares near 0 or 1) and the pooled
/// two-proportion z test for a change between waves.
/// </summary>
public static class VoiceStatistics
{
    /// <summary>The 97.5th percentile of the standard normal: 95% two-sided.</summary>
    public const double Z95 = 1.959963984540054;

    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Share positive with its 95% Wilson interval; null when nobody answered.</summary>
    public static ShareInterval? Wilson(int positive, int total, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(positive);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(positive, total);
        if (total == 0)
            return null;
        double n = total, p = positive / n, z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return new ShareInterval(positive, total, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The change from an earlier wave (<paramref name="positive1"/> of <paramref name="total1"/>) to a later one, tested with
    /// the pooled two-proportion z test: z = (p2 − p1) / √(p̂(1 − p̂)(1/n1 + 1/n2)), p̂ = (x1 + x2)/(n1 + n2). Said in words:
    /// "up 12 points, more than chance", "down 3 points, within chance", "no change". Null when either wave has no answers.
    /// </summary>
    public static WaveChange? Compare(int positive1, int total1, int positive2, int total2)
    {
        if (total1 == 0 || total2 == 0)
            return null;
        double p1 = (double)positive1 / total1, p2 = (double)positive2 / total2;
        var pooled = (double)(positive1 + positive2) / (total1 + total2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / total1 + 1.0 / total2));
        var z = se == 0 ? 0 : (p2 - p1) / se;
        var pValue = se == 0 ? 1 : Erfc(Math.Abs(z) / Math.Sqrt(2));
        var points = (int)Math.Round((p2 - p1) * 100, MidpointRounding.AwayFromZero);
        var more = Math.Abs(z) >= Z95;
        var direction = points switch
        {
            > 0 => $"up {PointsWord(points)}",
            < 0 => $"down {PointsWord(-points)}",
            _ => "no change",
        };
        return new WaveChange(points, z, pValue, more, $"{direction}, {(more ? "more than chance" : "within chance")}");
    }

    /// <summary>"81%" with no decimals, as the pages and exports write a share.</summary>
    public static string Percent(double share) => (share * 100).ToString("0", Uk) + "%";

    /// <summary>"81% (72% to 87%)".</summary>
    public static string Describe(ShareInterval s) => $"{Percent(s.Share)} ({Percent(s.Low)} to {Percent(s.High)})";

    private static string PointsWord(int points) => points == 1 ? "1 point" : $"{points} points";

    /// <summary>Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7).</summary>
    internal static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
