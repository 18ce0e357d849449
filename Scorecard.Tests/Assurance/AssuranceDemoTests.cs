using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.Demo;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Demo;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Assurance;

/// <summary>The demo audits and self-assessments are deterministic, complete as the issue asks, and carry the three
/// plants, each found through the same queries the pages will use.</summary>
public sealed class AssuranceDemoTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoPartnership Demo = DemoGenerator.Generate();
    private static readonly AssuranceDemo Assurance = AssuranceDemoGenerator.Generate(Demo);

    private SelfAssessmentQueries Cycles => new(db.DataSource, FixedClock.DemoToday);

    private async Task<int> CycleIdAsync(string name) =>
        (await Cycles.CyclesAsync(await Actors.ForAsync(db.DataSource, Actors.QaEmail), default)).Single(c => c.Name == name).Id;

    [Fact]
    public void TheSameSeedGivesTheSameDemo()
    {
        var again = AssuranceDemoGenerator.Generate(Demo);

        Assert.Equal(Assurance.Audits.SelectMany(a => a.Cases).SelectMany(c => c.Gradings).Select(g => (g.AgencyKey, g.Overall)),
            again.Audits.SelectMany(a => a.Cases).SelectMany(c => c.Gradings).Select(g => (g.AgencyKey, g.Overall)));
        Assert.Equal(Assurance.Cycles.SelectMany(c => c.Submissions).SelectMany(s => s.Ratings).Select(r => r.Self),
            again.Cycles.SelectMany(c => c.Submissions).SelectMany(s => s.Ratings).Select(r => r.Self));
    }

    [Fact]
    public async Task TheDemoHasSixModeratedCaseAuditsWithEightToTwelveCasesAndFourToEightAgencies()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var queries = new AuditQueries(db.DataSource);
        var programme = await queries.ProgrammeAsync(qa, null, default);
        var run = programme.Where(a => a.Cases > 0).ToList();

        Assert.Equal(6, run.Count);
        Assert.Equal(2, programme.Count(a => a.Status == AuditStatus.Planned));
        Assert.All(run, a => Assert.InRange(a.PlannedFiscalYear, 2023, 2025));
        foreach (var audit in run)
        {
            var view = (await queries.AuditAsync(qa, audit.Id, default))!;
            Assert.InRange(view.Cases.Count, 8, 12);
            Assert.InRange(view.Gradings.Select(g => g.AgencyId).Distinct().Count(), 4, 8);
            Assert.Equal(view.Cases.Count, view.Moderations.Count);
            Assert.True(view.Findings.Count >= 3);
            Assert.NotNull(view.Statistics.Agreement.Kappa);
        }
    }

    [Fact]
    public async Task PlantOneAgencyGradesItselfOneGradeAboveThePanel()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var optimistic = await Actors.AgencyIdAsync(db.DataSource, "East Cheshire NHS Trust");

        var byAgency = await new AuditQueries(db.DataSource).AgreementByAgencyAsync(exec, default);

        Assert.Equal(1.0, byAgency[optimistic].MeanDifference);
        Assert.Equal(0.0, byAgency[optimistic].PercentAgreement);
        // Nobody else is anywhere near as optimistic.
        Assert.All(byAgency.Where(p => p.Key != optimistic), p => Assert.InRange(p.Value.MeanDifference!.Value, -0.5, 0.5));
    }

    [Fact]
    public async Task PlantListeningToChildrenIsRatedMostlyMetWhileAuditsFindTheVoiceInUnderHalfOfCases()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var (cases, shareYes) = await new AuditQueries(db.DataSource).ModeratedVoiceAsync(qa, default);

        Assert.True(cases >= 48);
        Assert.InRange(shareYes!.Value, 0, 0.4999);
        foreach (var name in new[] { Assurance.Plants.Section11Earlier, Assurance.Plants.Section11Later })
        {
            var cycle = (await Cycles.CycleAsync(qa, await CycleIdAsync(name), default))!;
            var listening = cycle.Cells.Where(c => c.StandardCode == Assurance.Plants.ListeningStandardCode).ToList();
            Assert.True(listening.Count(c => c.Self == Rating.Met) > 0.7 * listening.Count, $"{name}: {listening.Count(c => c.Self == Rating.Met)} of {listening.Count} met");
        }
    }

    [Fact]
    public async Task PlantOneSection11StandardIsWorseIn2025ThanIn2023()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        var comparison = await Cycles.CompareCyclesAsync(qa, await CycleIdAsync(Assurance.Plants.Section11Later), await CycleIdAsync(Assurance.Plants.Section11Earlier), default);

        var worst = comparison.Where(c => c.Change == Change.Worse).OrderBy(c => c.CurrentMean - c.PreviousMean).First();
        Assert.Equal(Assurance.Plants.WorseningStandardCode, worst.StandardCode);
        Assert.True(worst.PreviousMean - worst.CurrentMean > 0.8);
        var later = (await Cycles.CycleAsync(qa, await CycleIdAsync(Assurance.Plants.Section11Later), default))!;
        Assert.Equal(Assurance.Plants.WorseningStandardCode, later.Standings[0].StandardCode);
    }

    [Fact]
    public async Task Section11CoversTheNonSchoolAgenciesAndSection175EverySchoolWithSomeLateAndAFewMissing()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var schools = Demo.Agencies.Count(a => a.Sector == "education");

        var s11 = (await Cycles.CycleAsync(qa, await CycleIdAsync(Assurance.Plants.Section11Later), default))!;
        var s175 = (await Cycles.CycleAsync(qa, await CycleIdAsync(Assurance.Plants.Section175Later), default))!;
        var tfu = (await Cycles.CycleAsync(qa, await CycleIdAsync(Assurance.Plants.TrueForUs), default))!;

        Assert.Equal(170, schools);
        Assert.Equal(Demo.Agencies.Count - schools, s11.Agencies.Count);
        Assert.DoesNotContain(s11.Agencies, a => a.Sector == "education");
        Assert.Equal(schools, s175.Agencies.Count);
        Assert.Equal(12, s175.Standards.Count);
        Assert.InRange(s175.Agencies.Count(a => a.State == SubmissionState.SubmittedLate), 5, 40);
        Assert.InRange(s175.Agencies.Count(a => a.State == SubmissionState.Missing), 1, 12);
        Assert.True(s175.Gap.Moderated > 0);
        Assert.Equal(FrameworkKind.TrueForUs, tfu.Cycle.Kind);
        Assert.All(tfu.Agencies, a => Assert.Equal(SubmissionState.SubmittedOnTime, a.State));
        Assert.True(s11.GapByAgency[await Actors.AgencyIdAsync(db.DataSource, "East Cheshire NHS Trust")].Gap > 0.5);
    }

    [Fact]
    public async Task StatutoryPartnersSentAnAuditSummaryEachQuarterForTheLastEightQuarters()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);

        var summaries = await new AuditSummaryQueries(db.DataSource).CurrentAsync(exec, null, default);

        // Three statutory partners (council, police, integrated care board) for eight quarters.
        Assert.Equal(24, summaries.Count);
        Assert.Equal(3, summaries.Select(s => s.AgencyId).Distinct().Count());
        Assert.Equal(8, summaries.Select(s => s.PeriodId).Distinct().Count());
        Assert.All(summaries, s => Assert.Equal(s.CasesAudited, s.Grades.Total));
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        Assert.Equal(8, (await new AuditSummaryQueries(db.DataSource).CurrentAsync(police, null, default)).Count);
    }
}
