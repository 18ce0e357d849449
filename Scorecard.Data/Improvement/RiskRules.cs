namespace Scorecard.Data.Improvement;

/// <summary>A risk's score band, for the heat map's colour and words.</summary>
public enum RiskBand { Low, Medium, High, VeryHigh }

/// <summary>
/// The risk register's pure rules (issue 13 §2): score = likelihood × impact on 1–5 scales, the words of each level,
/// the bands of the heat map, escalation to the Executive at 12 or above ("manage risks under 12, and escalate any risk
/// 12 and above", arrangements, Subgroups), one record per crossing, and an overdue review.
/// </summary>
public static class RiskRules
{
    /// <summary>A score of this or more escalates the risk to the Executive.</summary>
    public const int EscalationThreshold = 12;

    public static bool IsLevel(int level) => level is >= 1 and <= 5;

    /// <summary>Likelihood × impact; both must be 1–5.</summary>
    public static int Score(int likelihood, int impact)
    {
        if (!IsLevel(likelihood))
            throw new ArgumentOutOfRangeException(nameof(likelihood), likelihood, "Likelihood is 1 to 5.");
        if (!IsLevel(impact))
            throw new ArgumentOutOfRangeException(nameof(impact), impact, "Impact is 1 to 5.");
        return likelihood * impact;
    }

    public static bool Escalates(int score) => score >= EscalationThreshold;

    /// <summary>
    /// The crossing a new score makes, given whether the risk stands escalated now: escalated when it reaches 12 or more
    /// while not escalated, de-escalated when it falls below 12 while escalated, otherwise none. Deciding from the stored
    /// state (not the previous score) records each crossing exactly once, whatever happened between.
    /// </summary>
    public static EscalationDirection? Crossing(bool escalatedNow, int newScore) =>
        (escalatedNow, Escalates(newScore)) switch
        {
            (false, true) => EscalationDirection.Escalated,
            (true, false) => EscalationDirection.DeEscalated,
            _ => null,
        };

    /// <summary>The crossings of a whole history of scores, in order, starting not escalated.</summary>
    public static IReadOnlyList<(int Index, EscalationDirection Direction)> Crossings(IEnumerable<int> scores)
    {
        var result = new List<(int, EscalationDirection)>();
        var escalated = false;
        var i = 0;
        foreach (var score in scores)
        {
            if (Crossing(escalated, score) is { } d)
            {
                result.Add((i, d));
                escalated = d == EscalationDirection.Escalated;
            }
            i++;
        }
        return result;
    }

    /// <summary>A review is overdue when the risk is open and its review date has passed.</summary>
    public static bool IsReviewOverdue(RiskStatus status, DateOnly reviewDate, DateOnly today) => status == RiskStatus.Open && reviewDate < today;

    /// <summary>1–3 low, 4–9 medium, 10–14 high, 15–25 very high (the common 5×5 matrix; 12 itself escalates).</summary>
    public static RiskBand Band(int score) => score switch
    {
        <= 3 => RiskBand.Low,
        <= 9 => RiskBand.Medium,
        <= 14 => RiskBand.High,
        _ => RiskBand.VeryHigh,
    };

    public static string Label(this RiskBand band) => band switch
    {
        RiskBand.Low => "Low",
        RiskBand.Medium => "Medium",
        RiskBand.High => "High",
        RiskBand.VeryHigh => "Very high",
        _ => band.ToString(),
    };

    /// <summary>What each likelihood level means.</summary>
    public static string LikelihoodWord(int level) => level switch
    {
        1 => "Rare",
        2 => "Unlikely",
        3 => "Possible",
        4 => "Likely",
        5 => "Almost certain",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string LikelihoodMeaning(int level) => level switch
    {
        1 => "May happen only in exceptional circumstances",
        2 => "Could happen at some time but not expected",
        3 => "Might happen at some time",
        4 => "Will probably happen in most circumstances",
        5 => "Expected to happen in most circumstances",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>What each impact level means.</summary>
    public static string ImpactWord(int level) => level switch
    {
        1 => "Negligible",
        2 => "Minor",
        3 => "Moderate",
        4 => "Major",
        5 => "Severe",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string ImpactMeaning(int level) => level switch
    {
        1 => "No noticeable effect on children's safety or the partnership's work",
        2 => "Small, short-lived effect, managed within an agency",
        3 => "Noticeable effect on the safeguarding of some children; partnership attention needed",
        4 => "Serious effect on children's safety or a statutory duty not met",
        5 => "Serious harm to children, or the partnership unable to meet its statutory duties",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>"15 (Likely × Severe)".</summary>
    public static string Describe(int likelihood, int impact) =>
        $"{Score(likelihood, impact)} ({LikelihoodWord(likelihood)} × {ImpactWord(impact)})";
}
