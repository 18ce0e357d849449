using Scorecard.Data.Analytics;

namespace Scorecard.Data.Assurance;

/// <summary>One grade's count as a viewer may see it: the number, or the words "fewer than 5".</summary>
public sealed record DisclosedCount(Grade Grade, int? Count, string Text);

/// <summary>A grade distribution as a viewer may see it, with its total and share good or better (each null when withheld).</summary>
public sealed record DisclosedDistribution(
    IReadOnlyList<DisclosedCount> Counts, int? Total, string TotalText, double? ShareGoodOrBetter, string ShareText, bool AnyHidden, string Reason);

/// <summary>
/// Audit counts follow the scorecard's disclosure rules (design.md, Disclosure; <see cref="Disclosure"/>): a count of
/// 1–4 cases (children) at a grade, or a voice answer, for an agency the viewer may not see exactly is the words
/// "fewer than 5", and a total or share beside it is offered to a <see cref="DisclosureAudit"/> so it cannot give the
/// hidden count back by arithmetic. Admins, QA members and executives see every count; an agency user sees their own
/// agency's exactly and everything else under these rules.
/// </summary>
public static class AuditDisclosure
{
    /// <summary>Whether the viewer may see counts about <paramref name="agencyId"/> exactly (null: a partnership-wide figure).</summary>
    public static bool MaySee(Accounts.Actor actor, int? agencyId) =>
        AssuranceAccess.SeesAll(actor) || (agencyId is { } a && actor.AgencyId == a);

    public static DisclosedDistribution Distribution(GradeDistribution d, bool viewerMaySee)
    {
        var audit = new DisclosureAudit();
        var grades = new[] { Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate };
        var ids = new int[4];
        var counts = new List<DisclosedCount>(4);
        for (var i = 0; i < 4; i++)
        {
            var n = d.Count(grades[i]);
            var hidden = Disclosure.MustHide(n, viewerMaySee);
            ids[i] = audit.AddCount(n, hidden);
            counts.Add(hidden ? new DisclosedCount(grades[i], null, SpcWords.FewerThanFive) : new DisclosedCount(grades[i], n, n.ToString("N0")));
        }
        var anyHidden = counts.Any(c => c.Count is null);
        var totalDecision = audit.Offer(ids.Select(id => (id, 1m)).ToList(), "the number of cases graded");
        int? total = totalDecision.Show ? d.Total : null;
        double? share = null;
        var shareText = "—";
        var reason = anyHidden ? SpcWords.FewerThanFiveReason : "";
        if (d.Total > 0 && totalDecision.Show)
        {
            var shareDecision = audit.Offer([(ids[0], 1m / d.Total), (ids[1], 1m / d.Total)], "the share good or better");
            if (shareDecision.Show)
            {
                share = d.ShareGoodOrBetter;
                shareText = $"{share:0%}";
            }
            else
            {
                shareText = "not shown";
                reason = shareDecision.Reason;
            }
        }
        else if (!totalDecision.Show)
        {
            shareText = "not shown";
            reason = totalDecision.Reason;
        }
        return new DisclosedDistribution(counts, total, total?.ToString("N0") ?? "not shown", share, shareText, anyHidden || !totalDecision.Show, reason);
    }

    /// <summary>The agreement statement for a viewer: in full for those who may see the counts, else its kappa band only
    /// when the agreed or disagreed count is 1–4 ("Agreed on 3 of 11 cases" would give a small count away).</summary>
    public static string AgreementText(Agreement agreement, bool viewerMaySee)
    {
        if (viewerMaySee || agreement.Pairs == 0 || agreement.PercentAgreement is not { } p)
            return agreement.Meaning;
        var agreed = (int)Math.Round(p * agreement.Pairs);
        if (!SmallNumbers.IsSmall(agreed) && !SmallNumbers.IsSmall(agreement.Pairs - agreed) && !SmallNumbers.IsSmall(agreement.Pairs))
            return agreement.Meaning;
        return agreement.Band is { } band
            ? $"Kappa {agreement.Kappa:0.00}: {band.Words()} agreement beyond chance (Landis and Koch). The number of cases is not shown: fewer than 5."
            : "Agreement is not shown: it rests on fewer than 5 cases.";
    }
}
