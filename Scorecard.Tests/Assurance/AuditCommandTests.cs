using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// Multi-agency audits on a real PostgreSQL: planning, cases by anonymised reference, draft and submitted grading,
/// moderation, agreement statistics, findings, agency isolation with edited ids, tenancy against a second partnership,
/// and the change log.
/// </summary>
public sealed class AuditCommandTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld home = default!;
    private AssuranceWorld other = default!;
    private AuditCommands Commands => new(db.DataSource);
    private AuditQueries Queries => new(db.DataSource);

    public async Task InitializeAsync()
    {
        home = await AssuranceWorld.CreateAsync(db.DataSource, "home");
        other = await AssuranceWorld.CreateAsync(db.DataSource, "other");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private NewAudit Plan(AssuranceWorld w, string title = "Neglect: cumulative harm") => new(
        title, AuditType.MultiAgencyCase, "Long-term neglect", null, w.CouncilId, "Head of Safeguarding", 2025, 2,
        new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 29), new DateOnly(2025, 10, 1),
        ["Was the child seen and their wishes recorded?", "Was information shared in time?"]);

    /// <summary>An audit with one case worked by police and health.</summary>
    private async Task<(int AuditId, int CaseId, int[] Questions)> AuditWithCaseAsync(AssuranceWorld w, string reference = "NEG25-01")
    {
        var auditId = (await Commands.CreateAuditAsync(w.Qa, Plan(w, $"Audit {reference}"), default)).Value;
        var caseId = (await Commands.AddCaseAsync(w.Qa, auditId, reference, [w.PoliceId, w.HealthId], default)).Value;
        var view = await Queries.AuditAsync(w.Qa, auditId, default);
        return (auditId, caseId, view!.Questions.Select(q => q.Id).ToArray());
    }

    private static CaseGradingInput Grading(int caseId, int agencyId, int[] questions, Grade grade, YesPartlyNo voice = YesPartlyNo.Yes) =>
        new(caseId, agencyId, grade, voice, "Persistent engagement", "Record the child's words", questions.ToDictionary(q => q, _ => grade));

    [Fact]
    public async Task AQaMemberPlansAnAuditWithOrderedQuestionsAndItIsLogged()
    {
        var before = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit");

        var created = await Commands.CreateAuditAsync(home.Qa, Plan(home), default);

        Assert.True(created.Succeeded);
        var view = await Queries.AuditAsync(home.Executive, created.Value, default);
        Assert.Equal(AuditType.MultiAgencyCase, view!.Audit.AuditType);
        Assert.Equal(AuditStatus.Planned, view.Audit.Status);
        Assert.Equal([1, 2], view.Questions.Select(q => q.Position));
        Assert.Equal(before + 1, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit"));
        var programme = await Queries.ProgrammeAsync(home.PoliceUser, 2025, default);
        Assert.Contains(programme, a => a.Id == created.Value && a.LeadAgency == "Council" && a.PlannedQuarter == 2);
    }

    [Fact]
    public async Task BadPlansAreRefusedWithFieldErrors()
    {
        var bad = Plan(home) with { Title = "", FieldworkEnd = new DateOnly(2025, 7, 1), Questions = [] };

        var result = await Commands.CreateAuditAsync(home.Admin, bad, default);

        Assert.Equal(["Title", "FieldworkEnd", "Questions"], result.Errors.Select(e => e.Field));
        var otherLead = await Commands.CreateAuditAsync(home.Admin, Plan(home) with { LeadAgencyId = other.CouncilId }, default);
        Assert.Equal("LeadAgencyId", Assert.Single(otherLead.Errors).Field);
    }

    [Fact]
    public async Task OnlyAdminsAndQaMembersRunAudits()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateAuditAsync(home.Executive, Plan(home), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateAuditAsync(home.PoliceUser, Plan(home), default));
        var (auditId, caseId, _) = await AuditWithCaseAsync(home, "RUN25-01");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.ModerateCaseAsync(home.PoliceUser, caseId, Grade.Good, YesPartlyNo.Yes, "", default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.AddFindingAsync(home.HealthUser, auditId, FindingType.Strength, "Warm relationships", [], [], default));
    }

    [Fact]
    public async Task ACaseReferenceThatLooksLikeANameOrADateIsRefused()
    {
        var auditId = (await Commands.CreateAuditAsync(home.Qa, Plan(home, "References"), default)).Value;

        var name = await Commands.AddCaseAsync(home.Qa, auditId, "Jane Smith", [home.PoliceId], default);
        var dob = await Commands.AddCaseAsync(home.Qa, auditId, "JS-03/04/2016", [home.PoliceId], default);
        var ok = await Commands.AddCaseAsync(home.Qa, auditId, "ref25-02", [home.PoliceId], default);
        var again = await Commands.AddCaseAsync(home.Qa, auditId, "REF25-02", [home.PoliceId], default);

        Assert.Contains("never a child's name", Assert.Single(name.Errors).Message);
        Assert.Contains("date", Assert.Single(dob.Errors).Message);
        Assert.True(ok.Succeeded);
        Assert.Equal("This audit already has a case with that reference.", Assert.Single(again.Errors).Message);
        Assert.Equal(["REF25-02"], (await Queries.AuditAsync(home.Qa, auditId, default))!.Cases.Select(c => c.CaseReference));
    }

    [Fact]
    public async Task ADraftGradingCountsForNothingUntilSubmittedAndSubmittingNeedsEveryQuestion()
    {
        var (auditId, caseId, questions) = await AuditWithCaseAsync(home, "DRF25-01");
        var partial = Grading(caseId, home.PoliceId, questions, Grade.Good) with { QuestionGrades = new Dictionary<int, Grade> { [questions[0]] = Grade.Good } };

        Assert.True((await Commands.SaveGradingAsync(home.PoliceUser, partial, default)).Succeeded);
        var draftView = await Queries.AuditAsync(home.Qa, auditId, default);
        var incomplete = await Commands.SubmitGradingAsync(home.PoliceUser, caseId, home.PoliceId, default);
        await Commands.SaveGradingAsync(home.PoliceUser, Grading(caseId, home.PoliceId, questions, Grade.Good), default);
        var submitted = await Commands.SubmitGradingAsync(home.PoliceUser, caseId, home.PoliceId, default);
        var afterView = await Queries.AuditAsync(home.Qa, auditId, default);

        Assert.Equal(SubmissionStatus.Draft, Assert.Single(draftView!.Gradings).Status);
        Assert.Equal(0, draftView.Statistics.Overall.Total);
        Assert.Equal("Grade every question before submitting (1 not graded).", Assert.Single(incomplete.Errors).Message);
        Assert.True(submitted.Succeeded);
        Assert.Equal(SubmissionStatus.Submitted, Assert.Single(afterView!.Gradings).Status);
        Assert.Equal(1, afterView.Statistics.Overall.Good);
        Assert.Equal(1, afterView.Statistics.ByQuestion[questions[1]].Good);
    }

    [Fact]
    public async Task AnAgencyUserGradesOnlyForTheirOwnAgencyAndOnlyCasesItWorkedWith()
    {
        var (_, caseId, questions) = await AuditWithCaseAsync(home, "ISO25-01");
        var councilOnly = (await Commands.AddCaseAsync(home.Qa, (await Queries.ProgrammeAsync(home.Qa, null, default)).First(a => a.Title == "Audit ISO25-01").Id,
            "ISO25-02", [home.CouncilId], default)).Value;

        // Edited ids: another agency's id, a case their agency did not work, and another partnership's case.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveGradingAsync(home.PoliceUser, Grading(caseId, home.HealthId, questions, Grade.Good), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveGradingAsync(home.PoliceUser, Grading(councilOnly, home.PoliceId, questions, Grade.Good), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SubmitGradingAsync(home.PoliceUser, caseId, home.HealthId, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveGradingAsync(home.Executive, Grading(caseId, home.PoliceId, questions, Grade.Good), default));
        var (_, otherCase, otherQuestions) = await AuditWithCaseAsync(other, "ISO25-03");
        var foreign = await Commands.SaveGradingAsync(home.Qa, Grading(otherCase, home.PoliceId, otherQuestions, Grade.Good), default);
        Assert.Equal("That case does not exist.", Assert.Single(foreign.Errors).Message);
        var wrongQuestion = await Commands.SaveGradingAsync(home.PoliceUser, Grading(caseId, home.PoliceId, otherQuestions, Grade.Good), default);
        Assert.Equal("QuestionGrades", Assert.Single(wrongQuestion.Errors).Field);
        Assert.Equal(0, await CountAsync("audit_grading", home.PartnershipId, $"case_id in ({caseId}, {councilOnly})"));
    }

    [Fact]
    public async Task AnAgencySeesOtherAgenciesGradesOnlyAfterTheCaseIsModerated()
    {
        var (auditId, caseId, questions) = await AuditWithCaseAsync(home, "VIS25-01");
        foreach (var (actor, agency, grade) in new[] { (home.PoliceUser, home.PoliceId, Grade.Good), (home.HealthUser, home.HealthId, Grade.Inadequate) })
        {
            await Commands.SaveGradingAsync(actor, Grading(caseId, agency, questions, grade), default);
            await Commands.SubmitGradingAsync(actor, caseId, agency, default);
        }

        var before = await Queries.AuditAsync(home.PoliceUser, auditId, default);
        var executive = await Queries.AuditAsync(home.Executive, auditId, default);
        await Commands.ModerateCaseAsync(home.Qa, caseId, Grade.RequiresImprovement, YesPartlyNo.Partly, "Panel view", default);
        var after = await Queries.AuditAsync(home.PoliceUser, auditId, default);
        var late = await Commands.SaveGradingAsync(home.PoliceUser, Grading(caseId, home.PoliceId, questions, Grade.Outstanding), default);

        Assert.Equal([home.PoliceId], before!.Gradings.Select(g => g.AgencyId));
        Assert.DoesNotContain(before.QuestionGrades, q => q.AgencyId == home.HealthId);
        Assert.Equal(2, executive!.Gradings.Count);
        Assert.Equal(new[] { home.PoliceId, home.HealthId }.Order(), after!.Gradings.Select(g => g.AgencyId).Order());
        Assert.Equal(Grade.RequiresImprovement, Assert.Single(after.Moderations).Grade);
        Assert.Contains("moderated this case", Assert.Single(late.Errors).Message);
    }

    [Fact]
    public async Task AgreementWithTheModeratedGradesIsComputedPerAuditAndPerAgency()
    {
        var auditId = (await Commands.CreateAuditAsync(home.Qa, Plan(home, "Agreement"), default)).Value;
        var questions = (await Queries.AuditAsync(home.Qa, auditId, default))!.Questions.Select(q => q.Id).ToArray();
        // Police agrees with the panel on every case; health grades one step above it on every case.
        (Grade Panel, Grade Health)[] cases = [(Grade.Good, Grade.Outstanding), (Grade.RequiresImprovement, Grade.Good), (Grade.Inadequate, Grade.RequiresImprovement), (Grade.Good, Grade.Outstanding)];
        for (var i = 0; i < cases.Length; i++)
        {
            var caseId = (await Commands.AddCaseAsync(home.Qa, auditId, $"AGR25-{i + 1:00}", [home.PoliceId, home.HealthId], default)).Value;
            await Commands.SaveGradingAsync(home.PoliceUser, Grading(caseId, home.PoliceId, questions, cases[i].Panel), default);
            await Commands.SubmitGradingAsync(home.PoliceUser, caseId, home.PoliceId, default);
            await Commands.SaveGradingAsync(home.HealthUser, Grading(caseId, home.HealthId, questions, cases[i].Health), default);
            await Commands.SubmitGradingAsync(home.HealthUser, caseId, home.HealthId, default);
            await Commands.ModerateCaseAsync(home.Qa, caseId, cases[i].Panel, i == 0 ? YesPartlyNo.Yes : YesPartlyNo.No, "", default);
        }

        var stats = (await Queries.AuditAsync(home.Qa, auditId, default))!.Statistics;

        // 8 pairs, 4 agree. Agency marginals O 2/8, G 3/8, RI 2/8, I 1/8; panel G 4/8, RI 2/8, I 2/8.
        // pe = 0 + 3/8·4/8 + 2/8·2/8 + 1/8·2/8 = (12 + 4 + 2)/64 = 18/64; κ = (1/2 − 18/64)/(1 − 18/64) = 14/46.
        Assert.Equal(0.5, stats.Agreement.PercentAgreement);
        Assert.Equal(14.0 / 46, stats.Agreement.Kappa!.Value, 10);
        Assert.Equal(1.0, stats.AgreementByAgency[home.PoliceId].PercentAgreement);
        Assert.Equal(0.0, stats.AgreementByAgency[home.HealthId].PercentAgreement);
        Assert.Equal(1.0, stats.AgreementByAgency[home.HealthId].MeanDifference);
        Assert.Equal(0.25, stats.ModeratedVoiceShareYes);
        Assert.Equal(0.5, stats.ByAgency[home.PoliceId].ShareGoodOrBetter);
        Assert.Equal(0.75, stats.ByAgency[home.HealthId].ShareGoodOrBetter);
        var across = await Queries.AgreementByAgencyAsync(home.Executive, default);
        Assert.True(across[home.HealthId].Pairs >= 4);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Queries.AgreementByAgencyAsync(home.PoliceUser, default));
    }

    [Fact]
    public async Task FindingsKeepTheirIdsAndNameTheAgenciesAndQuestionsTheyRestOn()
    {
        var (auditId, _, questions) = await AuditWithCaseAsync(home, "FND25-01");
        var before = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit_finding");

        var strength = await Commands.AddFindingAsync(home.Qa, auditId, FindingType.Strength, "Warm, persistent relationships with families", [home.PoliceId], [questions[0]], default);
        var recommendation = await Commands.AddFindingAsync(home.Qa, auditId, FindingType.Recommendation, "Record the child's own words in every plan", [home.PoliceId, home.HealthId], questions, default);
        var foreignQuestion = await Commands.AddFindingAsync(home.Qa, auditId, FindingType.Strength, "Rests on another audit's question", [], [int.MaxValue], default);
        await Commands.WithdrawFindingAsync(home.Qa, strength.Value, default);
        var view = await Queries.AuditAsync(home.PoliceUser, auditId, default);

        var finding = Assert.Single(view!.Findings);
        Assert.Equal(recommendation.Value, finding.Id);
        Assert.Equal(FindingType.Recommendation, finding.FindingType);
        Assert.Equal(questions, finding.QuestionIds);
        Assert.Equal(2, finding.AgencyIds.Length);
        Assert.Equal("QuestionIds", Assert.Single(foreignQuestion.Errors).Field);
        Assert.Equal(before + 3, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit_finding"));
    }

    [Fact]
    public async Task AnotherPartnershipsAuditIsInvisibleAndCannotBeChanged()
    {
        var (otherAudit, otherCase, _) = await AuditWithCaseAsync(other, "TEN25-01");

        Assert.Null(await Queries.AuditAsync(home.Qa, otherAudit, default));
        Assert.DoesNotContain(await Queries.ProgrammeAsync(home.Executive, null, default), a => a.Id == otherAudit);
        Assert.False((await Commands.ModerateCaseAsync(home.Qa, otherCase, Grade.Good, YesPartlyNo.Yes, "", default)).Succeeded);
        Assert.False((await Commands.SetStatusAsync(home.Qa, otherAudit, AuditStatus.Closed, default)).Succeeded);
        Assert.False((await Commands.AddCaseAsync(home.Qa, otherAudit, "TEN25-02", [home.PoliceId], default)).Succeeded);
        Assert.Equal(0, await CountAsync("audit_moderation", other.PartnershipId, "true"));
    }

    [Fact]
    public async Task SingleAgencySummariesVersionAddUpAndStayWithinTheAgency()
    {
        var input = new AuditSummaryInput("Strategy discussions", 10, 1, 5, 3, 1, 4, 4, 2, ["Timely", "Police always present", "", "Health sometimes absent"]);

        var first = await new AuditSummaryCommands(db.DataSource).RecordAsync(home.PoliceUser, home.PoliceId, home.PeriodId, input, default);
        var second = await new AuditSummaryCommands(db.DataSource).RecordAsync(home.PoliceUser, home.PoliceId, home.PeriodId, input with { Good = 6, RequiresImprovement = 2 }, default);
        var wrongSum = await new AuditSummaryCommands(db.DataSource).RecordAsync(home.PoliceUser, home.PoliceId, home.PeriodId, input with { Inadequate = 5 }, default);

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Contains("not the 10 cases audited", Assert.Single(wrongSum.Errors).Message);
        var current = Assert.Single(await new AuditSummaryQueries(db.DataSource).CurrentAsync(home.Qa, null, default));
        Assert.Equal((2, 6), (current.Version, current.GradedGood));
        Assert.Equal(3, current.KeyFindings.Length);
        Assert.Empty(await new AuditSummaryQueries(db.DataSource).CurrentAsync(home.HealthUser, null, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new AuditSummaryQueries(db.DataSource).CurrentAsync(home.HealthUser, home.PoliceId, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new AuditSummaryCommands(db.DataSource).RecordAsync(home.HealthUser, home.PoliceId, home.PeriodId, input, default));
        Assert.Equal(2, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit_summary_return"));
    }

    [Fact]
    public async Task AnAuditMovesThroughItsStagesAndEachMoveIsLogged()
    {
        var auditId = (await Commands.CreateAuditAsync(home.Admin, Plan(home, "Stages"), default)).Value;
        var before = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit");

        foreach (var status in new[] { AuditStatus.Fieldwork, AuditStatus.Moderation, AuditStatus.Reported })
            Assert.True((await Commands.SetStatusAsync(home.Qa, auditId, status, default)).Succeeded);

        Assert.Equal(AuditStatus.Reported, (await Queries.AuditAsync(home.Executive, auditId, default))!.Audit.Status);
        Assert.Equal(before + 3, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SetStatusAsync(home.Executive, auditId, AuditStatus.Closed, default));
        // A reported audit's gradings are closed to change.
        var caseId = (await Commands.AddCaseAsync(home.Qa, auditId, "STG25-01", [home.PoliceId], default)).Value;
        var late = await Commands.SaveGradingAsync(home.PoliceUser, new CaseGradingInput(caseId, home.PoliceId, Grade.Good, YesPartlyNo.Yes, "", "", new Dictionary<int, Grade>()), default);
        Assert.Contains("has reported", Assert.Single(late.Errors).Message);
    }

    [Fact]
    public async Task ASummaryForAnotherPartnershipsQuarterIsRefused()
    {
        var input = new AuditSummaryInput("Strategy discussions", 2, 0, 1, 1, 0, 1, 1, 0, []);

        var result = await new AuditSummaryCommands(db.DataSource).RecordAsync(home.Admin, home.PoliceId, other.PeriodId, input, default);

        Assert.Equal("That agency or quarter does not exist.", Assert.Single(result.Errors).Message);
        Assert.Empty(await new AuditSummaryQueries(db.DataSource).CurrentAsync(other.Qa, null, default));
    }

    private async Task<long> CountAsync(string table, int partnershipId, string where)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>($"select count(*) from {table} where partnership_id = @partnershipId and {where}", new { partnershipId });
    }
}
