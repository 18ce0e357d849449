using Scorecard.Data.Analytics;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

/// <summary>The meetings feature's own agenda sources, and disclosure in what they and the pack say.</summary>
public sealed class AgendaSourceTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(ScorecardLine Line, ScorecardPeriod Period)> AnExceptionAsync()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var snapshot = await world.ReadModel.GetAsync(world.Qa.PartnershipId, default);
        var view = ScorecardViewBuilder.Build(snapshot, world.Qa, ScorecardScope.Partnership);
        return (view.Lines.First(l => l.IsException && l.Measure.Target is not null && l.Current.Value is not null), view.Period!);
    }

    [Fact]
    public async Task AnExceptionsFactsAreTheStatementsTheScorecardMakes()
    {
        var (line, period) = await AnExceptionAsync();
        var candidate = ScorecardExceptionsAgendaSource.Candidate(line, period);
        Assert.Equal(AgendaItemKind.ScorecardException, candidate.Kind);
        Assert.Equal($"measure:{line.Measure.Code}", candidate.SourceKey);
        Assert.Equal(FigureFormat.Figure(line.Current, line.Measure), candidate.Facts.Single(f => f.Label == "Latest figure").Value);
        foreach (var statement in line.Statements)
            Assert.Contains(candidate.Facts, f => f.Value == statement.Text);
        Assert.True(candidate.Urgency > 0);
    }

    [Fact]
    public async Task AFigureHiddenFromTheViewerIsAWordWithNoTargetOrJudgement()
    {
        var (line, period) = await AnExceptionAsync();
        var hidden = line with
        {
            Current = line.Current with { Suppressed = true },
            Statements = StatementPrecedence.Decide(new MeasureSignals(line.Current.Rag, false, true, null, null, null, false)),
        };
        var facts = ScorecardExceptionsAgendaSource.Candidate(hidden, period).Facts;
        Assert.Equal(SpcWords.FewerThanFive, facts.Single(f => f.Label == "Latest figure").Value);
        Assert.DoesNotContain(facts, f => f.Label is "Target" or "Variation" or "Assurance");
        Assert.DoesNotContain(facts, f => f.Value.Contains(Rag.Label(RagStatus.Red), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePackChartDrawsNoHiddenPointAndNoLimitsFromHiddenPoints()
    {
        var (line, _) = await AnExceptionAsync();
        var history = line.History.Select((f, i) => i == 3 ? f with { Suppressed = true } : f).ToList();
        var chart = PackChart.FromLine(line with { History = history, SpcLinesWithheld = Disclosure.SpcLinesReason });
        Assert.Null(chart.Values[3]);
        Assert.All(chart.Mean.Concat(chart.Upper).Concat(chart.Lower), v => Assert.Null(v));
        Assert.Contains(Disclosure.SpcLinesReason, chart.Summary);
        var shown = PackChart.FromLine(line);
        Assert.NotNull(shown.Values[3]);
        Assert.Contains(shown.Mean, v => v is not null);
    }

    [Fact]
    public void LateAndMissingReturnsAreOneItemPerQuarterDueSinceTheLastMeeting()
    {
        var today = new DateOnly(2025, 12, 15);
        var periods = new List<TrackerPeriod> { new(1, 2025, 1, new DateOnly(2025, 7, 31)), new(2, 2025, 2, new DateOnly(2025, 10, 31)) };
        SubmissionCell Cell(int p, SubmissionStatus s) => new(p, s == SubmissionStatus.Missing ? null : new DateTime(2025, 11, 20), s == SubmissionStatus.Missing ? 0 : 1, s);
        var agencies = new List<AgencySubmissions>
        {
            new(10, "Police", "police", 3, [Cell(1, SubmissionStatus.OnTime), Cell(2, SubmissionStatus.Missing)], ReportingRates.From([])),
            new(11, "Health", "health", 3, [Cell(1, SubmissionStatus.Late), Cell(2, SubmissionStatus.Late)], ReportingRates.From([])),
            new(12, "Council", "council", 3, [Cell(1, SubmissionStatus.OnTime), Cell(2, SubmissionStatus.OnTime)], ReportingRates.From([])),
        };
        var matrix = new SubmissionMatrix(periods, agencies, today);

        var since = new DateOnly(2025, 9, 10);
        var item = Assert.Single(LateReturnsAgendaSource.Candidates(matrix, since, new DateOnly(2026, 1, 14)));
        Assert.Equal("returns:2025-Q2", item.SourceKey);
        Assert.Equal("1 missing, 1 late", item.Reason);
        Assert.StartsWith("Missing (45 days overdue)", item.Facts.Single(f => f.Label == "Police").Value);
        Assert.StartsWith("Late", item.Facts.Single(f => f.Label == "Health").Value);
        Assert.DoesNotContain(item.Facts, f => f.Label == "Council");

        // No quarter fell due since the last meeting: the latest one due stays on the agenda while a return is missing.
        var later = LateReturnsAgendaSource.Candidates(matrix, new DateOnly(2025, 11, 20), new DateOnly(2026, 1, 14));
        Assert.Equal("returns:2025-Q2", Assert.Single(later).SourceKey);
    }
}
