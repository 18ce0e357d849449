using Scorecard.Data.Analytics;
using Scorecard.Data.Voice;

namespace Scorecard.Data.Triangulation;

/// <summary>The six lenses a line of enquiry is judged through (issue 12 §2), in the matrix's column order.</summary>
public enum Lens
{
    Data,
    MultiAgencyAudit,
    SingleAgencyAudits,
    SelfAssessment,
    ChildrenAndFamilies,
    Practitioners,
    [Obsolete("Stored spelling, for Dapper's reading only")] multi_agency_audit = MultiAgencyAudit,
    [Obsolete("Stored spelling, for Dapper's reading only")] single_agency_audits = SingleAgencyAudits,
    [Obsolete("Stored spelling, for Dapper's reading only")] self_assessment = SelfAssessment,
    [Obsolete("Stored spelling, for Dapper's reading only")] children_and_families = ChildrenAndFamilies,
}

/// <summary>One lens's judgement on the one scale every lens shares.</summary>
public enum Judgement
{
    Positive,
    Mixed,
    Negative,
    NoEvidence,
    [Obsolete("Stored spelling, for Dapper's reading only")] no_evidence = NoEvidence,
}

/// <summary>What the lenses together say about a theme.</summary>
public enum Verdict
{
    Corroborated,
    Contested,
    Emerging,
    InsufficientEvidence,
    [Obsolete("Stored spelling, for Dapper's reading only")] insufficient_evidence = InsufficientEvidence,
}

/// <summary>The side a corroborated verdict is on.</summary>
public enum Side { None, Positive, Negative }

/// <summary>A verdict with its side (corroborated positive or negative) and the reason in words.</summary>
public sealed record VerdictResult(Verdict Verdict, Side Side, string Reason)
{
    public string Label => TriangulationWords.Label(Verdict, Side);
}

/// <summary>
/// The documented, tunable rules of the lenses (issue 12 §2). The defaults are the issue's; an admin can change any of
/// them for one theme (stored as that theme's rules). Shares are fractions (0.75 = 75%).
/// </summary>
public sealed record LensRules
{
    /// <summary>The review window: evidence dated within this many months up to the as-at date.</summary>
    public int WindowMonths { get; init; } = 12;

    /// <summary>Audits and self-assessment: share graded good or better (standards met) at or above this → positive.</summary>
    public double PositiveShare { get; init; } = 0.75;

    /// <summary>Audits and self-assessment: share below this → negative.</summary>
    public double NegativeShare { get; init; } = 0.50;

    /// <summary>Voice: a question's 95% interval wholly above this → positive.</summary>
    public double VoicePositiveAbove { get; init; } = 0.75;

    /// <summary>Voice: a question's 95% interval wholly below this → negative.</summary>
    public double VoiceNegativeBelow { get; init; } = 0.50;

    /// <summary>Corroborated needs at least this many lenses with evidence, all on the same side.</summary>
    public int CorroborationLenses { get; init; } = 3;

    /// <summary>Self-assessment is a biennial exercise: the latest cycle counts while its deadline is within this many months.</summary>
    public int SelfAssessmentValidMonths { get; init; } = 24;

    public static LensRules Default { get; } = new();

    /// <summary>Plain-English problems with a set of rules, empty when it is acceptable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (WindowMonths is < 1 or > 60) problems.Add("The review window must be 1 to 60 months.");
        if (PositiveShare is <= 0 or > 1 || NegativeShare is < 0 or >= 1 || NegativeShare > PositiveShare)
            problems.Add("The audit thresholds must lie between 0% and 100%, the negative one at or below the positive one.");
        if (VoicePositiveAbove is <= 0 or >= 1 || VoiceNegativeBelow is <= 0 or >= 1 || VoiceNegativeBelow > VoicePositiveAbove)
            problems.Add("The voice thresholds must lie between 0% and 100%, the negative one at or below the positive one.");
        if (CorroborationLenses is < 2 or > 6) problems.Add("Corroboration needs 2 to 6 lenses.");
        if (SelfAssessmentValidMonths is < 1 or > 60) problems.Add("A self-assessment stays current for 1 to 60 months.");
        return problems;
    }

    /// <summary>The rules as the theme page states them.</summary>
    public IReadOnlyList<(Lens Lens, string Rule)> Describe() =>
    [
        (Lens.Data, "Positive when every linked measure is green or improving (special cause improvement) with no special-cause concern; negative when any is red or a special-cause concern; otherwise mixed. Context-only measures and figures hidden from you are not counted."),
        (Lens.MultiAgencyAudit, $"Share of question grades good or outstanding in audits whose fieldwork ended in the window: {P(PositiveShare)} or more positive, under {P(NegativeShare)} negative, otherwise mixed."),
        (Lens.SingleAgencyAudits, $"Share of cases graded good or outstanding in the agencies' accepted audit summaries on the linked topics for quarters in the window: {P(PositiveShare)} or more positive, under {P(NegativeShare)} negative."),
        (Lens.SelfAssessment, $"Share of linked standards rated met (the moderated rating where a QA member moderated) in the latest cycle whose deadline is within {SelfAssessmentValidMonths} months: {P(PositiveShare)} or more positive, under {P(NegativeShare)} negative."),
        (Lens.ChildrenAndFamilies, $"For each linked question, its latest wave in the window: positive when the 95% interval of the share positive lies wholly above {P(VoicePositiveAbove)}, negative when wholly below {P(VoiceNegativeBelow)}, otherwise mixed. The lens is positive when every question is, negative when any is and none is positive, otherwise mixed. Suppressed results are not counted."),
        (Lens.Practitioners, $"As for children and families, over the linked practitioner questions ({P(VoicePositiveAbove)} / {P(VoiceNegativeBelow)})."),
    ];

    private static string P(double share) => VoiceStatistics.Percent(share);
}

/// <summary>
/// The pure rules of triangulation: each lens's judgement from its numbers, and the verdict from the six judgements.
/// No database; every branch is unit-tested, boundaries included.
/// </summary>
public static class TriangulationRules
{
    /// <summary>Audits and self-assessment: a share against the positive and negative thresholds; no evidence when nothing was graded.</summary>
    public static Judgement JudgeShare(int good, int total, LensRules rules)
    {
        if (total <= 0)
            return Judgement.NoEvidence;
        // In decimal, so that 3 of 4 is exactly 75% whatever binary floating point would make of it.
        var share = (decimal)good / total;
        if (share >= (decimal)rules.PositiveShare)
            return Judgement.Positive;
        return share < (decimal)rules.NegativeShare ? Judgement.Negative : Judgement.Mixed;
    }

    /// <summary>A voice question: its interval wholly above the positive threshold, wholly below the negative one, or neither.</summary>
    public static Judgement JudgeInterval(ShareInterval? interval, LensRules rules) => interval switch
    {
        null => Judgement.NoEvidence,
        { Low: var low } when low > rules.VoicePositiveAbove => Judgement.Positive,
        { High: var high } when high < rules.VoiceNegativeBelow => Judgement.Negative,
        _ => Judgement.Mixed,
    };

    /// <summary>A measure: good when green or special-cause improvement, bad when red or special-cause concern.</summary>
    public static Judgement JudgeMeasure(RagStatus rag, VariationIcon? variation)
    {
        var concern = variation is VariationIcon.ConcernHigh or VariationIcon.ConcernLow;
        var improving = variation is VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow;
        if (rag == RagStatus.Red || concern)
            return Judgement.Negative;
        if (rag == RagStatus.Green || improving)
            return Judgement.Positive;
        return rag is RagStatus.Amber || variation is not null ? Judgement.Mixed : Judgement.NoEvidence;
    }

    /// <summary>
    /// Combines items of one lens (measures, questions): no evidence when none has any; negative when any is negative and
    /// none positive (for the data lens: when any is negative, as the issue's rule says); positive when all are; else mixed.
    /// </summary>
    public static Judgement Combine(IEnumerable<Judgement> items, bool anyNegativeWins = false)
    {
        var judged = items.Where(j => j != Judgement.NoEvidence).ToList();
        if (judged.Count == 0)
            return Judgement.NoEvidence;
        var negative = judged.Contains(Judgement.Negative);
        var positive = judged.Contains(Judgement.Positive);
        if (negative && (anyNegativeWins || !positive))
            return Judgement.Negative;
        return judged.All(j => j == Judgement.Positive) ? Judgement.Positive : Judgement.Mixed;
    }

    /// <summary>
    /// The verdict: insufficient evidence when fewer than two lenses have evidence; contested when at least one lens is
    /// positive and one negative; corroborated when at least <see cref="LensRules.CorroborationLenses"/> lenses have
    /// evidence and all are on the same side; otherwise emerging.
    /// </summary>
    public static VerdictResult Decide(IReadOnlyDictionary<Lens, Judgement> lenses, LensRules rules)
    {
        var withEvidence = lenses.Where(l => l.Value != Judgement.NoEvidence).ToList();
        var positive = withEvidence.Where(l => l.Value == Judgement.Positive).Select(l => TriangulationWords.Label(l.Key)).ToList();
        var negative = withEvidence.Where(l => l.Value == Judgement.Negative).Select(l => TriangulationWords.Label(l.Key)).ToList();
        if (withEvidence.Count < 2)
            return new VerdictResult(Verdict.InsufficientEvidence, Side.None,
                withEvidence.Count == 0 ? "No lens has evidence in the window." : $"Only one lens has evidence ({TriangulationWords.Label(withEvidence[0].Key).ToLowerInvariant()}).");
        if (positive.Count > 0 && negative.Count > 0)
            return new VerdictResult(Verdict.Contested, Side.None, $"Positive: {string.Join(", ", positive).ToLowerInvariant()}; negative: {string.Join(", ", negative).ToLowerInvariant()}.");
        if (withEvidence.Count >= rules.CorroborationLenses && positive.Count == withEvidence.Count)
            return new VerdictResult(Verdict.Corroborated, Side.Positive, $"All {withEvidence.Count} lenses with evidence are positive.");
        if (withEvidence.Count >= rules.CorroborationLenses && negative.Count == withEvidence.Count)
            return new VerdictResult(Verdict.Corroborated, Side.Negative, $"All {withEvidence.Count} lenses with evidence are negative.");
        return new VerdictResult(Verdict.Emerging, Side.None,
            withEvidence.Count < rules.CorroborationLenses && (positive.Count == withEvidence.Count || negative.Count == withEvidence.Count)
                ? $"{withEvidence.Count} lenses agree; corroboration needs {rules.CorroborationLenses}."
                : "The lenses with evidence are mixed.");
    }

    /// <summary>Contested first, then negative-corroborated, emerging, insufficient and positive-corroborated: what needs the subgroup's time first.</summary>
    public static int Urgency(VerdictResult v) => v switch
    {
        { Verdict: Verdict.Contested } => 0,
        { Verdict: Verdict.Corroborated, Side: Side.Negative } => 1,
        { Verdict: Verdict.Emerging } => 2,
        { Verdict: Verdict.InsufficientEvidence } => 3,
        _ => 4,
    };
}

/// <summary>The words every page and export uses for lenses, judgements and verdicts.</summary>
public static class TriangulationWords
{
    public static string Label(Lens lens) => lens switch
    {
        Lens.Data => "Data",
        Lens.MultiAgencyAudit => "Multi-agency audit",
        Lens.SingleAgencyAudits => "Single-agency audits",
        Lens.SelfAssessment => "Self-assessment",
        Lens.ChildrenAndFamilies => "Children and families",
        Lens.Practitioners => "Practitioners",
        _ => lens.ToString(),
    };

    public static string Label(Judgement judgement) => judgement switch
    {
        Judgement.Positive => "Positive",
        Judgement.Mixed => "Mixed",
        Judgement.Negative => "Negative",
        Judgement.NoEvidence => "No evidence",
        _ => judgement.ToString(),
    };

    public static string Label(Verdict verdict, Side side = Side.None) => verdict switch
    {
        Verdict.Corroborated => side == Side.Negative ? "Corroborated (negative)" : side == Side.Positive ? "Corroborated (positive)" : "Corroborated",
        Verdict.Contested => "Contested",
        Verdict.Emerging => "Emerging",
        Verdict.InsufficientEvidence => "Insufficient evidence",
        _ => verdict.ToString(),
    };

    /// <summary>The URL segment of a lens (for the evidence anchor and route).</summary>
    public static string Slug(Lens lens) => Common.DbEnum.ToDb(lens).Replace('_', '-');

    public static bool TryParseSlug(string? slug, out Lens lens) => Common.DbEnum.TryParse((slug ?? "").Replace('-', '_'), out lens);
}
