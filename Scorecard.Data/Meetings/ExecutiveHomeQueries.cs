using Scorecard.Data.Accounts;

namespace Scorecard.Data.Meetings;

/// <summary>What the Executive's home shows (issue 13 §4): escalated risks, complete action plans awaiting sign-off and
/// contested themes, each as proposed by the feature that owns it.</summary>
public sealed record ExecutiveAttention(
    IReadOnlyList<AgendaCandidate> EscalatedRisks, IReadOnlyList<AgendaCandidate> PlansAwaitingSignOff, IReadOnlyList<AgendaCandidate> ContestedThemes);

/// <summary>
/// Reads what is escalated to the Executive through the same <see cref="IAgendaSource"/>s the agenda uses, so the home
/// page and the Executive's agenda never disagree. For executives, admins and QA members.
/// </summary>
public sealed class ExecutiveHomeQueries(IEnumerable<IAgendaSource> sources, TimeProvider clock)
{
    public async Task<ExecutiveAttention> GetAsync(Actor actor, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return Sort(await AgendaSources.FindAllAsync(sources, actor, today.AddMonths(-3), today, ct));
    }

    /// <summary>Splits candidates into the three lists, most urgent first (pure).</summary>
    public static ExecutiveAttention Sort(IEnumerable<AgendaCandidate> candidates)
    {
        var list = candidates.ToList();
        IReadOnlyList<AgendaCandidate> Of(AgendaItemKind kind) => list.Where(c => c.Kind == kind)
            .OrderByDescending(c => c.Urgency).ThenBy(c => c.Title, StringComparer.OrdinalIgnoreCase).ToList();
        return new ExecutiveAttention(Of(AgendaItemKind.EscalatedRisk), Of(AgendaItemKind.ActionPlanAwaitingSignOff), Of(AgendaItemKind.ContestedTheme));
    }
}
