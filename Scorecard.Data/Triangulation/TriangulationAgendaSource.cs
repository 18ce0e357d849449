using Scorecard.Data.Accounts;
using Scorecard.Data.Meetings;

namespace Scorecard.Data.Triangulation;

/// <summary>
/// Proposes the themes the evidence contests for the QA meeting's agenda (issue 13 §4 contract, kind
/// <see cref="AgendaItemKind.ContestedTheme"/>): the subgroup's time goes where the lenses disagree. Judged for the asking
/// actor, so disclosure applies as on the matrix. A theme already judged at this meeting with an override is still proposed
/// (the computed verdict is what the evidence says); its judgement is one of the facts.
/// </summary>
public sealed class TriangulationAgendaSource(TriangulationQueries queries) : IAgendaSource
{
    public async Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        var matrix = await queries.MatrixAsync(actor, null, null, ct);
        return matrix.Rows.Where(r => r.Verdict.Verdict == Verdict.Contested).Select(r =>
        {
            var positive = r.Lenses.Where(l => l.Judgement == Judgement.Positive).Select(l => TriangulationWords.Label(l.Lens)).ToList();
            var negative = r.Lenses.Where(l => l.Judgement == Judgement.Negative).Select(l => TriangulationWords.Label(l.Lens)).ToList();
            var facts = new List<AgendaFact>
            {
                new("Priority", $"{r.Theme.PriorityCode} {r.Theme.PriorityTitle}"),
                new("Positive", string.Join(", ", positive)),
                new("Negative", string.Join(", ", negative)),
                new("Evidence to", r.AsAt.ToString("d MMM yyyy")),
            };
            if (r.LatestJudgement is { } j)
                facts.Add(new("Last judgement", $"{j.MeetingDate:d MMM yyyy}: {j.OverrideLabel ?? j.ComputedLabel}"));
            return new AgendaCandidate(AgendaItemKind.ContestedTheme, $"theme:{r.Theme.Id}", $"Contested: {r.Theme.Title}", r.Verdict.Reason,
                Urgency: 50 + positive.Count + negative.Count, Link: $"/triangulation/themes/{r.Theme.Id}", facts);
        }).ToList();
    }
}
