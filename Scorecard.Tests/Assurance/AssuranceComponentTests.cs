using Bunit;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Tests.Components;
using Scorecard.Web.Components.Pages.Assurance;

namespace Scorecard.Tests.Assurance;

/// <summary>bUnit tests of the grading grid, the heat map and the grade charts' data: what the user reads, and what the chart is given.</summary>
public sealed class AssuranceComponentTests : ComponentTestBase
{
    private const int Police = 2, Health = 3, Council = 1;

    private static readonly AuditCaseRow CaseA = new(10, "NEG24-01", [Police, Health]);
    private static readonly AuditCaseRow CaseB = new(11, "NEG24-02", [Police, Council]);

    private static GradingRow Grading(int caseId, int agencyId, Grade? grade, SubmissionStatus status = SubmissionStatus.Submitted) =>
        new(caseId, agencyId, grade, YesPartlyNo.Yes, "", "", status);

    private IRenderedComponent<GradingGrid> Grid(IReadOnlyList<GradingRow> gradings, IReadOnlyList<CaseModerationRow> moderations, int? viewerAgency = null) =>
        Render<GradingGrid>(p => p
            .Add(c => c.Cases, [CaseA, CaseB])
            .Add(c => c.Agencies, [(Council, "Council"), (Health, "Health"), (Police, "Police")])
            .Add(c => c.Gradings, gradings)
            .Add(c => c.Moderations, moderations)
            .Add(c => c.ViewerAgencyId, viewerAgency));

    [Fact]
    public void TheGradingGridShowsEachAgencysGradeInWordsOnItsColourAndWhoWasNotInvolved()
    {
        var cut = Grid([Grading(10, Police, Grade.Good), Grading(10, Health, Grade.Inadequate), Grading(11, Police, Grade.Outstanding, SubmissionStatus.Draft)],
            [new CaseModerationRow(10, Grade.RequiresImprovement, YesPartlyNo.Partly, "")]);

        var good = cut.Find("[data-testid='cell-NEG24-01-2'] .grade-chip");
        Assert.Equal("Good", good.TextContent);
        Assert.Contains("grade-good", good.ClassList);
        Assert.Equal("Inadequate", cut.Find("[data-testid='cell-NEG24-01-3']").TextContent.Trim());
        // The council did not work with case A: a dash and words for screen readers, never a grade.
        Assert.Equal("—not involved", cut.Find("[data-testid='cell-NEG24-01-1']").TextContent.Trim());
        // A draft counts for nothing: it says so.
        Assert.Equal("draft: Outstanding", cut.Find("[data-testid='cell-NEG24-02-2']").TextContent.Trim());
        var rows = cut.FindAll("tbody tr");
        Assert.Equal("Requires improvement", rows[0].QuerySelectorAll("td")[^1].TextContent.Trim());
        Assert.Equal("not yet", rows[1].QuerySelectorAll("td")[^1].TextContent.Trim());
    }

    [Fact]
    public void AnAgencyUserSeesWhatIsLeftToGradeAndOthersOnlyAfterModeration()
    {
        // The query gives an agency user no other agency's grading of an unmoderated case; the grid says why the cell is empty.
        var cut = Grid([Grading(10, Health, Grade.Good)], [new CaseModerationRow(10, Grade.Good, YesPartlyNo.Yes, "")], viewerAgency: Police);

        Assert.Equal("to grade", cut.Find("[data-testid='cell-NEG24-01-2']").TextContent.Trim());
        Assert.Equal("Good", cut.Find("[data-testid='cell-NEG24-01-3']").TextContent.Trim());
        Assert.Equal("shown after moderation", cut.Find("[data-testid='cell-NEG24-02-1']").TextContent.Trim());
    }

    [Fact]
    public async Task ChoosingACaseTellsThePageWhichOne()
    {
        int? chosen = null;
        var cut = Render<GradingGrid>(p => p
            .Add(c => c.Cases, [CaseA, CaseB])
            .Add(c => c.Agencies, [(Police, "Police")])
            .Add(c => c.Gradings, [])
            .Add(c => c.Moderations, [])
            .Add(c => c.OnSelect, (int id) => chosen = id));

        await cut.FindAll("button.link-button")[1].ClickAsync(new());

        Assert.Equal(11, chosen);
    }

    private static readonly StandardRow S1 = new(100, 1, "1", "Senior accountability", "good", "");
    private static readonly StandardRow S3 = new(101, 2, "3", "A culture of listening to children", "good", "");

    private IRenderedComponent<HeatMap> Heat(bool moderated, IReadOnlyList<CycleAgencyRow>? agencies = null) => Render<HeatMap>(p => p
        .Add(c => c.CycleId, 7)
        .Add(c => c.Standards, [S1, S3])
        .Add(c => c.Agencies, agencies ?? [
            new CycleAgencyRow(Police, "Police", "police", SubmissionState.SubmittedOnTime, 1, DateTime.UtcNow, 55),
            new CycleAgencyRow(Health, "Health", "health", SubmissionState.Missing, null, null, null),
        ])
        .Add(c => c.Cells, [
            new HeatCell(Police, 100, "1", Rating.Met, ModerationOutcome.Agree, null),
            new HeatCell(Police, 101, "3", Rating.Met, ModerationOutcome.Moderated, Rating.NotMet),
        ])
        .Add(c => c.Moderated, moderated));

    [Fact]
    public void TheHeatMapShowsSelfRatingsInWordsOnGreenAmberOrRedAndEachAgencysState()
    {
        var cut = Heat(moderated: false);

        var cell = cut.Find($"[data-testid='heat-{Police}-3']");
        Assert.Equal("Met", cell.TextContent.Trim());
        Assert.Contains("heat-met", cell.ClassList);
        Assert.Equal("—", cut.Find($"[data-testid='heat-{Health}-1']").TextContent.Trim());
        Assert.Equal("Missing", cut.FindAll("tbody tr")[1].QuerySelector(".state-chip")!.TextContent);
        Assert.Equal($"/assurance/cycles/7/agencies/{Police}", cut.Find("tbody tr th a").GetAttribute("href"));
        // Each standard's column header carries its title for screen readers.
        Assert.Contains("A culture of listening to children", cut.FindAll("thead th")[3].TextContent);
        Assert.Equal("Agencies' own ratings, by agency and standard", cut.Find("table").GetAttribute("aria-label"));
    }

    [Fact]
    public void SwitchedToModeratedTheHeatMapShowsTheSettledRatingAndBlanksWhereNotModerated()
    {
        var cut = Heat(moderated: true);

        Assert.Equal("Not met", cut.Find($"[data-testid='heat-{Police}-3']").TextContent.Trim());
        Assert.Contains("heat-not_met", cut.Find($"[data-testid='heat-{Police}-3']").ClassList);
        Assert.Equal("Met", cut.Find($"[data-testid='heat-{Police}-1']").TextContent.Trim()); // agreed: the self-rating stands
    }

    [Fact]
    public void WithNoAgencyMatchingTheHeatMapSaysSo()
    {
        var cut = Heat(moderated: false, agencies: []);
        Assert.Equal("No agency matches the filters.", cut.Find("tbody td").TextContent.Trim());
    }

    [Fact]
    public void TheGradeChartIsGivenOnlyBarsWithNothingHiddenAndItsSummarySaysWhyTheOthersAreMissing()
    {
        var shown = new GradeBar("Police", AuditDisclosure.Distribution(new GradeDistribution(2, 6, 3, 1), viewerMaySee: true));
        var hidden = new GradeBar("Health", AuditDisclosure.Distribution(new GradeDistribution(0, 6, 3, 0), viewerMaySee: false));

        var traces = GradeChartData.Traces([shown, hidden]).Cast<Plotly.Blazor.Traces.Bar>().ToList();

        Assert.Equal(["Outstanding", "Good", "Requires improvement", "Inadequate"], traces.Select(t => t.Name).ToArray());
        Assert.All(traces, t => Assert.Equal(["Police"], t.X));
        Assert.Equal([2, 6, 3, 1], traces.Select(t => (int)t.Y.Single()).ToArray());
        Assert.Contains("Health: not drawn, fewer than 5 cases at some grade", GradeChartData.Summary("per agency", [shown, hidden]));

        var cut = Render<GradeChart>(p => p.Add(c => c.Id, "by-agency").Add(c => c.Title, "Grades per agency").Add(c => c.What, "Agency").Add(c => c.Bars, [shown, hidden]));
        var healthRow = cut.FindAll("tbody tr")[1];
        Assert.Equal("fewer than 5", healthRow.QuerySelectorAll("td")[2].TextContent);
        Assert.Equal("not shown", healthRow.QuerySelectorAll("td")[4].TextContent);
    }

    /// <summary>The form's saves as the page runs them: a field's save and Submit's save-then-submit.</summary>
    private sealed class WritingPage : AssurancePage
    {
        public Task Write(Func<Task> write) => OneAtATimeAsync(write);
    }

    [Fact]
    public async Task APagesWritesRunOneAtATimeInTheOrderTheyStarted()
    {
        // A draft save still running when Submit starts must finish before Submit's own save and submission begin;
        // otherwise it could finish last and return the submission to draft (a race CI caught in the grading journey).
        var page = new WritingPage();
        var log = new List<string>();
        var draftSaved = new TaskCompletionSource();
        var draft = page.Write(async () => { log.Add("draft starts"); await draftSaved.Task; log.Add("draft stored"); });
        var submit = page.Write(async () => { log.Add("submit starts"); await Task.Yield(); log.Add("submitted"); });

        // Without the gate the second write would already have started: it logs before its first await.
        Assert.Equal(["draft starts"], log);
        Assert.False(submit.IsCompleted);

        draftSaved.SetResult();
        await Task.WhenAll(draft, submit);
        Assert.Equal(["draft starts", "draft stored", "submit starts", "submitted"], log);

        // Leaving the page ends a write still waiting its turn, quietly.
        var stuck = new TaskCompletionSource();
        var running = page.Write(() => stuck.Task);
        var waiting = page.Write(() => { log.Add("never"); return Task.CompletedTask; });
        page.Dispose();
        await waiting;
        Assert.DoesNotContain("never", log);
        stuck.SetResult();
        await running;
    }
}
