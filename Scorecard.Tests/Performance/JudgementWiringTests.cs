using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Performance;

/// <summary>
/// Issue 8 §1 wired into the scorecard lines over the demo partnership in PostgreSQL: incomplete figures, process
/// changes, ghosted points, one non-contradictory set of statements per row, and the default quarter.
/// </summary>
public sealed class JudgementWiringTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(ScorecardData Data, Actor Qa)> LoadAsync()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        return (await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(qa, CancellationToken.None), qa);
    }

    private static ScorecardLine Line(ScorecardData data, Actor viewer, string code, string? quarter = null) =>
        ScorecardBuilder.Build(data, viewer, ScorecardScope.Partnership, quarter).Lines.Single(l => l.Measure.Code == code);

    [Fact]
    public async Task HealthAssessmentsFromOneOfTwoAgenciesAreIncompleteWithNoTrendArrowsNoSpcPointAndNoColour()
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, "HLT-IHA20", "2025-Q2");

        Assert.Equal(65.2m, Math.Round(line.Current.Value!.Value, 1));
        Assert.True(line.Current.Provisional);
        Assert.Equal("1 of 2 agencies", line.Current.Completeness.Label);
        Assert.Equal(RagStatus.NoData, line.Current.ShownRag);
        Assert.Null(line.Current.PointType);
        Assert.Null(line.Variation);
        Assert.Equal(TrendJudgement.NoData, line.VsPreviousQuarter.Judgement);
        Assert.Equal(TrendJudgement.NoData, line.VsLastYear.Judgement);
        Assert.Contains("2025/26 Q2 is incomplete (1 of 2 agencies)", line.TrendNote);
        Assert.Contains("Like for like, over the 1 agency that returned both quarters", line.TrendNote);
        Assert.Equal(StatementKind.Provisional, line.Statements[0].Kind);
        Assert.Equal("Provisional: not every agency has returned (1 of 2 agencies)", line.Statements[0].Text);
        Assert.DoesNotContain(ExceptionReason.Red, line.Exceptions);
        // The SPC series is the complete quarters only.
        Assert.Equal(line.History.Count(f => f.Value is not null && !f.Provisional), line.Spc!.Points.Count);
    }

    [Fact]
    public async Task ReReferralsSayTheLimitsDescribeTheOldProcessAndWithholdTheAssurance()
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, "CSC-REREF");

        Assert.NotNull(line.ProcessChange);
        Assert.Equal("2023/24 Q2", line.ProcessChangeFrom!.Label);
        Assert.Equal(
            "The limits describe the old process: the last 9 quarters are all above the mean. Recalculate the limits from 2023/24 Q2.",
            line.ProcessChangeMessage);
        Assert.Equal(StatementKind.AssuranceWithheld, line.AssuranceStatement!.Kind);
        Assert.Equal(SpcWords.AssuranceOnOldProcess, line.AssuranceStatement.Text);
        Assert.True(line.AssuranceVerdict!.Caveated);
    }

    [Fact]
    public async Task ACareFirstAssessmentsGreenFigureIsNeverBesideConsistentlyFailing()
    {
        var (data, qa) = await LoadAsync();

        var line = Line(data, qa, "CSC-CFA45");

        Assert.Equal(RagStatus.Green, line.Current.Rag);
        Assert.Equal(AssuranceIcon.ConsistentFail, line.Spc!.Assurance);
        Assert.DoesNotContain(line.Statements, s => s.Kind == StatementKind.ConsistentlyFailing);
        Assert.DoesNotContain(ExceptionReason.ConsistentlyFailing, line.Exceptions);
        Assert.Equal("2023/24 Q2", line.ProcessChangeFrom!.Label);
    }

    [Fact]
    public async Task EveryRowStatesAtMostOneThingPerCategoryAndNeverImprovementAndConcernAtOnce()
    {
        var (data, qa) = await LoadAsync();

        foreach (var quarter in data.Periods.TakeLast(6).Select(p => p.Key))
        {
            foreach (var line in ScorecardBuilder.Build(data, qa, ScorecardScope.Partnership, quarter).Lines)
            {
                Assert.Equal(line.Statements.Count, line.Statements.Select(s => s.Category).Distinct().Count());
                Assert.False(line.Exceptions.Contains(ExceptionReason.SpecialCauseConcern) && line.Exceptions.Contains(ExceptionReason.SpecialCauseImprovement),
                    $"{line.Measure.Code} {quarter} states improvement and concern at once");
                Assert.False(line.Current.ShownRag == RagStatus.Green && line.Exceptions.Contains(ExceptionReason.ConsistentlyFailing),
                    $"{line.Measure.Code} {quarter} is green and consistently failing");
            }
        }
    }

    [Fact]
    public async Task OneOutlierMustNotRewriteHistoryOnceItIsGhosted()
    {
        var (data, qa) = await LoadAsync();
        var measure = data.Measures.Single(m => m.Code == "POL-STRAT-ATTEND");
        var latest = Line(data, qa, measure.Code).Current.Period;
        // The accepted outlier return: 30% in the latest quarter.
        var outlier = data with
        {
            Values = data.Values.Select(v => v.MeasureId == measure.Id && v.PeriodId == latest.Id
                ? v with { Numerator = Math.Round(v.Denominator!.Value * 0.3m) } : v).ToList(),
        };
        var before = Line(outlier, qa, measure.Code);
        Assert.Equal(30m, Math.Round(before.Current.Value!.Value));
        Assert.True(before.History.Take(before.History.Count - 1).Count(f => f.PointType == PointType.SpecialCauseImprovement) >= 7,
            "without ghosting the outlier drags the mean down and the earlier points turn improvement");

        var ghost = await new GhostedPointCommands(db.DataSource).AddAsync(qa, measure.Id, latest.Id, "Data entry error agreed with the police: strategy meetings recorded twice", CancellationToken.None);
        Assert.True(ghost.Succeeded);
        var (reloaded, _) = await LoadAsync();
        var ghosted = reloaded with { Values = outlier.Values };

        var after = Line(ghosted, qa, measure.Code);

        Assert.True(after.Current.Ghosted);
        Assert.Equal("Data entry error agreed with the police: strategy meetings recorded twice", after.Current.GhostReason);
        Assert.All(after.History.Take(after.History.Count - 1), f => Assert.Equal(PointType.CommonCause, f.PointType));
        var earlier = after.History.Take(after.History.Count - 1).Average(f => (double)f.Value!.Value);
        Assert.Equal(earlier, after.Spc!.Segments[0].Mean, 6);
        Assert.True(before.Spc!.Segments[0].Mean < earlier - 2, "the outlier had pulled the mean down");
        Assert.DoesNotContain(ExceptionReason.SpecialCauseImprovement, after.Exceptions);
        Assert.False(after.Exceptions.Contains(ExceptionReason.SpecialCauseConcern) && after.Exceptions.Contains(ExceptionReason.SpecialCauseImprovement));

        var removed = await new GhostedPointCommands(db.DataSource).RemoveAsync(qa, ghost.Value, CancellationToken.None);
        Assert.True(removed.Succeeded);
        var (restored, _) = await LoadAsync();
        Assert.DoesNotContain(restored.Ghosts, g => g.MeasureId == measure.Id);
        Assert.Equal(2, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'spc_ghosted_point' and entity_id = '{ghost.Value}'"));
    }

    [Fact]
    public async Task GhostingNeedsAReasonAndIsForTheQaSubgroupAndAdminsOnly()
    {
        var (data, qa) = await LoadAsync();
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var executive = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var measure = data.Measures.Single(m => m.Code == "CSC-REFERRALS");
        var commands = new GhostedPointCommands(db.DataSource);

        var noReason = await commands.AddAsync(qa, measure.Id, data.Periods[3].Id, " ", CancellationToken.None);
        var first = await commands.AddAsync(qa, measure.Id, data.Periods[3].Id, "Cyber attack: no referrals recorded", CancellationToken.None);
        var twice = await commands.AddAsync(qa, measure.Id, data.Periods[3].Id, "Recorded twice by mistake", CancellationToken.None);

        Assert.Equal("Reason", Assert.Single(noReason.Errors).Field);
        Assert.True(first.Succeeded);
        Assert.Equal("That quarter is already marked as a known special cause.", Assert.Single(twice.Errors).Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => commands.AddAsync(police, measure.Id, data.Periods[4].Id, "Not mine to decide", CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => commands.RemoveAsync(executive, first.Value, CancellationToken.None));
    }

    [Fact]
    public async Task AnEmptyQuarterDueAlreadyNeverBecomesTheDefault()
    {
        var (data, qa) = await LoadAsync();
        var last = data.Periods[^1];
        // An admin adds the next quarter with dates already past: due, but nobody has returned it.
        var added = new ScorecardPeriod(last.Id + 1000, last.Quarter == 4 ? last.FiscalYear + 1 : last.FiscalYear, last.Quarter % 4 + 1,
            last.EndDate.AddDays(1), last.EndDate.AddMonths(3), data.Today.AddDays(-1));
        var withEmpty = data with { Periods = [.. data.Periods, added] };

        var view = ScorecardBuilder.Build(withEmpty, qa, ScorecardScope.Partnership);

        Assert.Equal(ScorecardBuilder.SelectPeriod(data, null)!.Key, view.Period!.Key);
        Assert.NotEqual(added.Key, view.Period.Key);
        Assert.Equal(added.Key, ScorecardBuilder.Build(withEmpty, qa, ScorecardScope.Partnership, added.Key).Period!.Key);
    }

    [Fact]
    public async Task AHiddenCountGivesNothingAwayThroughItsTrendBenchmarkStatementsOrChartLines()
    {
        var (data, _) = await LoadAsync();
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var measure = data.Measures.Single(m => m.Code == "CSC-CP-2YRS");
        var latest = ScorecardBuilder.SelectPeriod(data, null)!;
        var previous = data.Periods[data.Periods.ToList().IndexOf(latest) - 1];
        // Hand-built: the latest quarter rests on 3 children, the one before on 12, and the England value is set, so a
        // trend, a benchmark side, a RAG colour or a mean would each let the hidden 3 be worked back.
        var handBuilt = data with
        {
            Measures = data.Measures.Select(m => m.Id == measure.Id ? m with { EnglandValue = 3m } : m).ToList(),
            Values = data.Values.Select(v => v.MeasureId != measure.Id ? v
                : v.PeriodId == latest.Id ? v with { Numerator = 3, Denominator = 100 }
                : v.PeriodId == previous.Id ? v with { Numerator = 12, Denominator = 100 } : v).ToList(),
        };

        var line = Line(handBuilt, police, measure.Code);

        Assert.True(line.Current.Suppressed);
        Assert.False(line.History[^2].Suppressed);
        Assert.Equal(SpcWords.FewerThanFive, FigureFormat.Figure(line.Current, line.Measure));
        Assert.Equal(RagStatus.NoData, line.Current.ShownRag);
        Assert.Equal(TrendResult.NoData, line.VsPreviousQuarter);
        Assert.Equal(TrendResult.NoData, line.VsLastYear);
        Assert.Equal(Disclosure.ChangeReason, line.TrendNote);
        Assert.Equal(BenchmarkComparison.NotComparable, line.England);
        Assert.Equal(StatementKind.Suppressed, Assert.Single(line.Statements).Kind);
        Assert.Null(line.Variation);
        Assert.Null(line.Assurance);
        Assert.DoesNotContain(ExceptionReason.Red, line.Exceptions);
        Assert.Equal(Disclosure.SpcLinesReason, line.SpcLinesWithheld);

        var traces = Scorecard.Web.Components.Shared.XmrChartData.Traces(line).Cast<Plotly.Blazor.Traces.Scatter>().ToList();
        Assert.DoesNotContain(traces, t => t.Name is Scorecard.Web.Components.Shared.XmrChartData.MeanName or Scorecard.Web.Components.Shared.XmrChartData.UpperName);
        Assert.Null(traces[0].Y[^1]);
        var notes = Scorecard.Web.Components.Shared.XmrChartData.Notes(line);
        Assert.Contains(Disclosure.MissingPointsNote(line.HiddenPoints, line.History.Count), notes);
        Assert.Contains(Disclosure.SpcLinesReason, notes);

        // The QA member sees it the same way (only the owning agency's users see a count of 1 to 4).
        var qaLine = Line(handBuilt, (await LoadAsync()).Qa, measure.Code);
        Assert.Equal(TrendResult.NoData, qaLine.VsPreviousQuarter);
        // And the export never shows the hidden number or a limit drawn from it.
        var export = ScorecardBuilder.BuildMeasure(handBuilt, police, measure.Code, forExport: true)!;
        Assert.Equal(Disclosure.SpcLinesReason, export.Line.SpcLinesWithheld);
        // A hidden agency cell on the measure page (a QA member sees every agency's row) has no RAG colour either.
        var qaDetail = ScorecardBuilder.BuildMeasure(handBuilt, (await LoadAsync()).Qa, measure.Code)!;
        var hiddenCells = qaDetail.Agencies.SelectMany(a => a.Quarters).Where(q => q.Suppressed).ToList();
        Assert.NotEmpty(hiddenCells);
        Assert.All(hiddenCells, q => Assert.Equal(RagStatus.NoData, q.Rag));
    }
}
