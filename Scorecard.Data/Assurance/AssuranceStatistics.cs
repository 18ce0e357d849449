using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance;

/// <summary>How many of each grade, and the share good or better.</summary>
public sealed record GradeDistribution(int Outstanding, int Good, int RequiresImprovement, int Inadequate)
{
    public int Total => Outstanding + Good + RequiresImprovement + Inadequate;

    public int Count(Grade grade) => grade switch
    {
        Grade.Outstanding => Outstanding,
        Grade.Good => Good,
        Grade.RequiresImprovement => RequiresImprovement,
        _ => Inadequate,
    };

    /// <summary>Outstanding or good as a share of all grades (0–1); null when there are none.</summary>
    public double? ShareGoodOrBetter => Total == 0 ? null : (double)(Outstanding + Good) / Total;
}

/// <summary>Landis and Koch's (1977) descriptive bands for kappa.</summary>
public enum AgreementBand { Poor, Slight, Fair, Moderate, Substantial, AlmostPerfect }

/// <summary>
/// Agreement between two raters over the same items: percentage agreement, Cohen's kappa (unweighted: agreement beyond
/// what chance alone would give, from each rater's own spread of grades) and, on the ordinal scale, the mean difference
/// first minus second (positive = the first rater grades higher).
/// </summary>
public sealed record Agreement(int Pairs, double? PercentAgreement, double? Kappa, AgreementBand? Band, double? MeanDifference, string Meaning);

/// <summary>A standard's rating by one agency, self and (when moderated) the moderated rating. Unmoderated or agreed
/// standards have <see cref="Moderated"/> equal to <see cref="Self"/>.</summary>
public sealed record RatedStandard(int AgencyId, string StandardCode, Rating Self, Rating? Moderated)
{
    /// <summary>The rating that stands: the moderated one where there is one.</summary>
    public Rating Settled => Moderated ?? Self;
}

/// <summary>Optimism gap: mean of self-rating minus moderated rating on met = 2, partly met = 1, not met = 0, over the
/// standards a QA member has moderated (agreeing counts as a gap of 0). +1 means "one step better than the moderator".</summary>
public sealed record OptimismGap(int Moderated, double? Gap, int RatedHigher, int RatedLower);

public enum Change { Improved, Same, Worse }

public sealed record StandardChange(string StandardCode, Rating Previous, Rating Current, Change Change);

/// <summary>A standard across the partnership: the mean settled score (0–2) and the share met.</summary>
public sealed record StandardStanding(string StandardCode, int Agencies, double MeanScore, double ShareMet, int NotMet);

/// <summary>The pure statistics of audits and self-assessments. No database: the queries hand in rows.</summary>
public static class AssuranceStatistics
{
    public static GradeDistribution Distribution(IEnumerable<Grade> grades)
    {
        int o = 0, g = 0, ri = 0, i = 0;
        foreach (var grade in grades)
        {
            switch (grade)
            {
                case Grade.Outstanding: o++; break;
                case Grade.Good: g++; break;
                case Grade.RequiresImprovement: ri++; break;
                default: i++; break;
            }
        }
        return new GradeDistribution(o, g, ri, i);
    }

    /// <summary>A distribution per key (question, agency…), keys in first-seen order.</summary>
    public static IReadOnlyDictionary<TKey, GradeDistribution> DistributionBy<TKey>(IEnumerable<(TKey Key, Grade Grade)> grades)
        where TKey : notnull =>
        grades.GroupBy(x => x.Key).ToDictionary(g => g.Key, g => Distribution(g.Select(x => x.Grade)));

    /// <summary>Percentage agreement and Cohen's kappa between agency grades and moderated grades of the same cases.
    /// κ = (p₀ − pₑ) / (1 − pₑ), p₀ the share of pairs that agree, pₑ = Σ over grades of (share of the agency's grades at
    /// that grade × share of the moderated grades at it). Undefined (null) when pₑ = 1: both raters used one grade only.</summary>
    public static Agreement Agreement(IReadOnlyCollection<(Grade Agency, Grade Moderated)> pairs)
    {
        var n = pairs.Count;
        if (n == 0)
            return new Agreement(0, null, null, null, null, "No case has both an agency grade and a moderated grade yet.");
        var agree = pairs.Count(p => p.Agency == p.Moderated);
        var po = (double)agree / n;
        var pe = DbEnum.All<Grade>().Sum(g =>
            (double)pairs.Count(p => p.Agency == g) / n * ((double)pairs.Count(p => p.Moderated == g) / n));
        var meanDifference = pairs.Average(p => (double)(p.Agency.Score() - p.Moderated.Score()));
        if (pe >= 1 - 1e-12)
            return new Agreement(n, po, null, null, meanDifference,
                $"Agreed on {agree} of {n} cases; kappa is not defined because every grade on both sides was the same.");
        var kappa = (po - pe) / (1 - pe);
        var band = Band(kappa);
        return new Agreement(n, po, kappa, band, meanDifference, Meaning(agree, n, kappa, band, meanDifference));
    }

    /// <summary>Landis and Koch (1977): below 0 poor, 0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate,
    /// 0.61–0.80 substantial, 0.81–1 almost perfect.</summary>
    public static AgreementBand Band(double kappa) => kappa switch
    {
        < 0 => AgreementBand.Poor,
        <= 0.20 => AgreementBand.Slight,
        <= 0.40 => AgreementBand.Fair,
        <= 0.60 => AgreementBand.Moderate,
        <= 0.80 => AgreementBand.Substantial,
        _ => AgreementBand.AlmostPerfect,
    };

    public static string Words(this AgreementBand band) => band switch
    {
        AgreementBand.Poor => "poor (worse than chance)",
        AgreementBand.Slight => "slight",
        AgreementBand.Fair => "fair",
        AgreementBand.Moderate => "moderate",
        AgreementBand.Substantial => "substantial",
        _ => "almost perfect",
    };

    private static string Meaning(int agree, int n, double kappa, AgreementBand band, double meanDifference)
    {
        var direction = meanDifference switch
        {
            >= 0.25 => $" Agencies graded {meanDifference:0.0} of a grade higher than the panel on average: over-optimistic.",
            <= -0.25 => $" Agencies graded {-meanDifference:0.0} of a grade lower than the panel on average: over-cautious.",
            _ => " Where they differed, agencies were neither consistently higher nor lower than the panel.",
        };
        return $"Agreed on {agree} of {n} cases ({(double)agree / n:0%}); kappa {kappa:0.00}, {band.Words()} agreement beyond chance (Landis and Koch).{direction}";
    }

    /// <summary>The optimism gap over the moderated standards among <paramref name="ratings"/>.</summary>
    public static OptimismGap Gap(IEnumerable<RatedStandard> ratings)
    {
        var gap = new GapTally();
        foreach (var r in ratings)
            gap.Add(r);
        return gap.Result();
    }

    /// <summary>The optimism gap of each agency among <paramref name="ratings"/>, in one pass (a cycle has thousands).</summary>
    public static IReadOnlyDictionary<int, OptimismGap> GapByAgency(IEnumerable<RatedStandard> ratings)
    {
        var tallies = new Dictionary<int, GapTally>();
        foreach (var r in ratings)
        {
            if (!tallies.TryGetValue(r.AgencyId, out var tally))
                tallies[r.AgencyId] = tally = new GapTally();
            tally.Add(r);
        }
        return tallies.ToDictionary(t => t.Key, t => t.Value.Result());
    }

    private sealed class GapTally
    {
        private int moderated, higher, lower;
        private long sum;

        public void Add(RatedStandard r)
        {
            if (r.Moderated is not { } panel)
                return;
            var difference = r.Self.Score() - panel.Score();
            moderated++;
            sum += difference;
            if (difference > 0)
                higher++;
            else if (difference < 0)
                lower++;
        }

        public OptimismGap Result() => moderated == 0 ? new OptimismGap(0, null, 0, 0) : new OptimismGap(moderated, (double)sum / moderated, higher, lower);
    }

    /// <summary>One agency's settled rating per standard, this cycle against the previous (standards matched by code;
    /// a standard only in one cycle is left out).</summary>
    public static IReadOnlyList<StandardChange> Compare(IEnumerable<RatedStandard> previous, IEnumerable<RatedStandard> current)
    {
        var before = previous.ToDictionary(r => r.StandardCode, r => r.Settled);
        return current
            .Where(r => before.ContainsKey(r.StandardCode))
            .Select(r =>
            {
                var was = before[r.StandardCode];
                var diff = r.Settled.Score() - was.Score();
                return new StandardChange(r.StandardCode, was, r.Settled, diff > 0 ? Change.Improved : diff < 0 ? Change.Worse : Change.Same);
            })
            .ToList();
    }

    /// <summary>Every standard's standing across the agencies, weakest first (lowest mean settled score, then lowest
    /// share met, then code).</summary>
    public static IReadOnlyList<StandardStanding> Standings(IEnumerable<RatedStandard> ratings)
    {
        // One pass with a tally per standard (a cycle has thousands of ratings); scores summed in the ratings' order.
        var tallies = new Dictionary<string, (int Count, double Sum, int Met, int NotMet)>(StringComparer.Ordinal);
        foreach (var r in ratings)
        {
            var settled = r.Settled;
            tallies.TryGetValue(r.StandardCode, out var t);
            tallies[r.StandardCode] = (t.Count + 1, t.Sum + settled.Score(), t.Met + (settled == Rating.Met ? 1 : 0), t.NotMet + (settled == Rating.NotMet ? 1 : 0));
        }
        return tallies
            .Select(t => new StandardStanding(t.Key, t.Value.Count, t.Value.Sum / t.Value.Count, (double)t.Value.Met / t.Value.Count, t.Value.NotMet))
            .OrderBy(s => s.MeanScore).ThenBy(s => s.ShareMet).ThenBy(s => s.StandardCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The <paramref name="count"/> weakest standards of the partnership.</summary>
    public static IReadOnlyList<StandardStanding> Weakest(IEnumerable<RatedStandard> ratings, int count = 3) =>
        Standings(ratings).Take(count).ToList();

    /// <summary>Share of answers that are "yes" (0–1); null when there are none.</summary>
    public static double? ShareYes(IEnumerable<YesPartlyNo> answers)
    {
        var list = answers.ToList();
        return list.Count == 0 ? null : (double)list.Count(a => a == YesPartlyNo.Yes) / list.Count;
    }
}
