using Scorecard.Data.Accounts;

namespace Scorecard.Data.Meetings;

/// <summary>The part of the QA cycle an agenda item comes from (issue 13 §4: what needs attention since the last meeting).</summary>
public enum AgendaItemKind
{
    ScorecardException,
    ContestedTheme,
    EscalatedRisk,
    RiskReviewOverdue,
    ActionOverdue,
    ActionAwaitingModeration,
    ActionPlanAwaitingSignOff,
    ChallengeAwaitingResponse,
    ChallengeOverdue,
    ReturnLateOrMissing,
    AuditReporting,
}

/// <summary>One labelled figure shown with an agenda item in the presenter view and the pack ("Score", "15 (likely × major)").</summary>
public sealed record AgendaFact(string Label, string Value);

/// <summary>
/// Something a feature proposes for the next meeting's agenda. <paramref name="SourceKey"/> is stable across builds
/// (e.g. "risk:12", "measure:CSC-REREF"), so the chair's reordering and dropping survive a rebuild; <paramref name="Urgency"/>
/// orders items within the agenda (higher first); <paramref name="Link"/> is the page that holds the evidence.
/// </summary>
public sealed record AgendaCandidate(
    AgendaItemKind Kind,
    string SourceKey,
    string Title,
    string Reason,
    int Urgency,
    string Link,
    IReadOnlyList<AgendaFact> Facts);

/// <summary>
/// A feature's contribution to the agenda the product builds for a meeting. Each feature (scorecard, returns, audits, risks,
/// actions, challenges, triangulation) registers one implementation in <c>AddScorecardData</c>; the meeting's agenda builder
/// asks every registered source. Implementations apply the actor's scope and the disclosure rules themselves.
/// </summary>
public interface IAgendaSource
{
    Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct);
}

public static class AgendaSources
{
    /// <summary>
    /// What every source proposes, in the sources' order. The sources are asked side by side: each reads on its own
    /// connection, so a source waiting for the scorecard's snapshot does not hold up the others' reading.
    /// </summary>
    public static async Task<List<AgendaCandidate>> FindAllAsync(IEnumerable<IAgendaSource> sources, Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        var found = await Task.WhenAll(sources.Select(s => s.FindAsync(actor, since, meetingDate, ct)));
        return found.SelectMany(f => f).ToList();
    }
}
