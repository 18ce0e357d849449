namespace Scorecard.Data.Meetings;

/// <summary>
/// An item of a meeting's agenda as the builder handles it: one the product proposed (<see cref="Kind"/> and
/// <see cref="SourceKey"/> set) or one the chair added (both null). <see cref="Id"/> is null for an item not yet stored.
/// </summary>
public sealed record AgendaEntry(
    int? Id, AgendaItemKind? Kind, string? SourceKey, string Title, string Reason, int Urgency, string Link,
    IReadOnlyList<AgendaFact> Facts, bool Dropped = false, bool HasRecords = false)
{
    public bool AddedByChair => SourceKey is null;

    public static AgendaEntry From(AgendaCandidate c) => new(null, c.Kind, c.SourceKey, c.Title, c.Reason, c.Urgency, c.Link, c.Facts);
}

/// <summary>
/// Builds a meeting's agenda from what every <see cref="IAgendaSource"/> proposes (issue 13 §4). Pure. The first build
/// orders items by section (what the meeting takes first depends on whose meeting it is), then by urgency, then by
/// title. A rebuild keeps the chair's work: items still proposed keep their place and their dropped flag (matched by
/// <see cref="AgendaCandidate.SourceKey"/>) with fresh titles and facts; the chair's own items stay where they are;
/// an item no longer proposed leaves the agenda unless something was recorded against it; a newly proposed item joins
/// after the last item of its section, or at the end when its section is new.
/// </summary>
public static class AgendaBuilder
{
    private static readonly AgendaItemKind[] QaOrder =
    [
        AgendaItemKind.ScorecardException, AgendaItemKind.ReturnLateOrMissing, AgendaItemKind.AuditReporting,
        AgendaItemKind.ContestedTheme, AgendaItemKind.EscalatedRisk, AgendaItemKind.RiskReviewOverdue,
        AgendaItemKind.ActionAwaitingModeration, AgendaItemKind.ActionOverdue, AgendaItemKind.ActionPlanAwaitingSignOff,
        AgendaItemKind.ChallengeOverdue, AgendaItemKind.ChallengeAwaitingResponse,
    ];

    private static readonly AgendaItemKind[] ExecutiveOrder =
    [
        AgendaItemKind.EscalatedRisk, AgendaItemKind.ActionPlanAwaitingSignOff, AgendaItemKind.ContestedTheme,
        AgendaItemKind.ScorecardException, AgendaItemKind.AuditReporting, AgendaItemKind.ChallengeOverdue,
        AgendaItemKind.ActionOverdue, AgendaItemKind.RiskReviewOverdue, AgendaItemKind.ReturnLateOrMissing,
        AgendaItemKind.ActionAwaitingModeration, AgendaItemKind.ChallengeAwaitingResponse,
    ];

    /// <summary>Where a kind's section comes in a meeting of <paramref name="meeting"/>'s kind (0 first).</summary>
    public static int SectionRank(MeetingKind meeting, AgendaItemKind? kind)
    {
        if (kind is not { } k)
            return int.MaxValue;
        var order = meeting == MeetingKind.Executive ? ExecutiveOrder : QaOrder;
        var i = Array.IndexOf(order, k);
        return i < 0 ? order.Length : i;
    }

    /// <summary>The agenda: <paramref name="existing"/> is the stored agenda in its order (empty on the first build).</summary>
    public static IReadOnlyList<AgendaEntry> Build(MeetingKind meeting, IReadOnlyList<AgendaEntry> existing, IEnumerable<AgendaCandidate> candidates)
    {
        // One item per source key: a source proposing the same thing twice keeps its most urgent proposal.
        var proposed = candidates
            .GroupBy(c => c.SourceKey, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(c => c.Urgency).First())
            .OrderBy(c => SectionRank(meeting, c.Kind))
            .ThenByDescending(c => c.Urgency)
            .ThenBy(c => c.Title, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.SourceKey, StringComparer.Ordinal)
            .ToList();
        var byKey = proposed.ToDictionary(c => c.SourceKey, StringComparer.Ordinal);

        var result = new List<AgendaEntry>(existing.Count + proposed.Count);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in existing)
        {
            if (item.SourceKey is null)
            {
                result.Add(item);
            }
            else if (byKey.TryGetValue(item.SourceKey, out var fresh) && kept.Add(item.SourceKey))
            {
                result.Add(item with { Kind = fresh.Kind, Title = fresh.Title, Reason = fresh.Reason, Urgency = fresh.Urgency, Link = fresh.Link, Facts = fresh.Facts });
            }
            else if (item.HasRecords && kept.Add(item.SourceKey))
            {
                // No longer proposed, but the meeting minuted it: it stays, as it was.
                result.Add(item);
            }
        }

        foreach (var candidate in proposed.Where(c => !kept.Contains(c.SourceKey)))
        {
            var last = result.FindLastIndex(e => e.Kind == candidate.Kind && e.SourceKey is not null);
            var entry = AgendaEntry.From(candidate);
            if (last < 0)
                result.Add(entry);
            else
                result.Insert(last + 1, entry);
        }
        return result;
    }

    /// <summary>The agenda with the item at <paramref name="index"/> moved by <paramref name="delta"/> places (clamped).</summary>
    public static IReadOnlyList<T> Move<T>(IReadOnlyList<T> items, int index, int delta)
    {
        if (index < 0 || index >= items.Count)
            throw new ArgumentOutOfRangeException(nameof(index));
        var list = items.ToList();
        var target = Math.Clamp(index + delta, 0, list.Count - 1);
        var item = list[index];
        list.RemoveAt(index);
        list.Insert(target, item);
        return list;
    }
}
