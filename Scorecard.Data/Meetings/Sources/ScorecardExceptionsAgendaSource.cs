using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;

namespace Scorecard.Data.Meetings.Sources;

/// <summary>
/// Proposes the scorecard's exceptions for the meeting (issue 13 §4): every measure that is red, shows special-cause
/// concern, is consistently failing its target, or is missing data in the latest quarter due. The statements come from
/// <see cref="StatementPrecedence"/> through the shared read model's view for this viewer, so a figure hidden from them
/// (fewer than 5 children) is "fewer than 5" here too and makes no statement.
/// </summary>
public sealed class ScorecardExceptionsAgendaSource(ScorecardReadModel readModel) : IAgendaSource
{
    public async Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
        var view = ScorecardViewBuilder.Build(snapshot, actor, ScorecardScope.Partnership);
        if (view.Period is not { } period)
            return [];
        return view.Lines.Where(l => l.IsException).Select(l => Candidate(l, period)).ToList();
    }

    /// <summary>The candidate for one exception row (pure, for tests).</summary>
    public static AgendaCandidate Candidate(ScorecardLine line, ScorecardPeriod period)
    {
        var m = line.Measure;
        var reasons = line.Exceptions.Where(e => e != ExceptionReason.SpecialCauseImprovement).ToList();
        var facts = new List<AgendaFact>
        {
            new("Quarter", period.Label),
            new("Latest figure", FigureFormat.Figure(line.Current, m)),
        };
        if (m.Target is { } target && !line.Current.Suppressed)
            facts.Add(new("Target", FigureFormat.Value(target, m.Unit, m.DecimalPlaces)));
        foreach (var s in line.Statements)
            facts.Add(new(s.Category switch { StatementCategory.Figure => "Against target", StatementCategory.Signal => "Variation", _ => "Assurance" }, s.Text));
        facts.Add(new("Returns", $"{line.Current.Received} of {line.Current.Expected} agencies"));
        if (line.Current.HasMissingReturns)
            facts.Add(new("Missing from", string.Join(", ", line.Current.Missing.Take(5).Select(a => a.ShortName)) + (line.Current.Missing.Count > 5 ? $" and {line.Current.Missing.Count - 5} more" : "")));
        facts.Add(new("Owner", m.OwnerAgencyName));
        facts.Add(new("Priority", m.PriorityTitle));
        var urgency = reasons.Sum(r => r switch
        {
            ExceptionReason.SpecialCauseConcern => 40,
            ExceptionReason.Red => 30,
            ExceptionReason.ConsistentlyFailing => 20,
            ExceptionReason.MissingData => 10,
            _ => 0,
        });
        return new AgendaCandidate(
            AgendaItemKind.ScorecardException,
            SourceKey(m.Code),
            $"{m.Code} {m.Title}",
            string.Join("; ", reasons.Select(ExceptionReasons.Label)),
            urgency,
            $"/scorecard/measures/{Uri.EscapeDataString(m.Code)}",
            facts);
    }

    public static string SourceKey(string measureCode) => $"measure:{measureCode}";

    /// <summary>The measure code of a scorecard exception's source key, or null for any other key.</summary>
    public static string? MeasureCode(string? sourceKey) =>
        sourceKey is not null && sourceKey.StartsWith("measure:", StringComparison.Ordinal) ? sourceKey["measure:".Length..] : null;
}
