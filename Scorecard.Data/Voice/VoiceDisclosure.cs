using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;

namespace Scorecard.Data.Voice;

/// <summary>A question's result as one viewer may see it: the counts and share, or the reason they are hidden.</summary>
public sealed record DisclosedResult(bool Suppressed, string Reason, IReadOnlyList<int>? Counts, ShareInterval? Share)
{
    public int? Total => Counts?.Sum();
}

/// <summary>
/// Disclosure control of voice results (issue 12 §1, design.md Disclosure), applied in the Data layer for each viewer:
/// results from fewer than 5 respondents (or fewer than 5 answers to a question) are not shown, and for children's and
/// families' answers any answer count of 1–4 hides the question (its share, or a total less the other answers, would give
/// the small count back). Those who may see small numbers: admins and QA members, who manage voice, and the running
/// agency's own users. Exports never show them, whoever downloads.
/// </summary>
public static class VoiceDisclosure
{
    public const string FewRespondents = "Not shown: fewer than 5 people answered, so someone could be identified.";
    public const string SmallAnswer = "Not shown: fewer than 5 people gave one of the answers, so a child could be identified.";

    /// <summary>Whether this viewer may see an activity's small numbers exactly.</summary>
    public static bool MaySeeSmallNumbers(Actor viewer, int? runningAgencyId, bool forExport = false) =>
        !forExport && (viewer.Role is Role.Admin or Role.QaMember || (viewer.Role == Role.AgencyUser && runningAgencyId is { } a && viewer.AgencyId == a));

    /// <summary>What the viewer sees of one question's counts.</summary>
    public static DisclosedResult Disclose(AnswerScale scale, RespondentGroup group, int respondents, IReadOnlyList<int> counts, bool viewerMaySee)
    {
        var total = counts.Sum();
        var positive = scale.PositiveAnswers().Sum(i => counts[i]);
        var share = VoiceStatistics.Wilson(positive, total);
        if (viewerMaySee)
            return new DisclosedResult(false, "", counts, share);
        if (respondents < 5 || total < 5)
            return new DisclosedResult(true, FewRespondents, null, null);
        if (group.AboutChildren() && counts.Any(c => SmallNumbers.IsSmall(c)))
            return new DisclosedResult(true, SmallAnswer, null, null);
        return new DisclosedResult(false, "", counts, share);
    }
}
