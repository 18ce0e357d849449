using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// Editing an audit beyond its stage on a real PostgreSQL: details, questions (add; reword and reorder only while no
/// grade rests on them), findings edited in place with a stable id; QA/admin only, validated, logged; tenancy.
/// </summary>
public sealed class AuditEditTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private AssuranceWorld home = default!;
    private AssuranceWorld other = default!;
    private AuditCommands Commands => new(db.DataSource);
    private AuditEditCommands Edits => new(db.DataSource);
    private AuditQueries Queries => new(db.DataSource);

    public async Task InitializeAsync()
    {
        home = await AssuranceWorld.CreateAsync(db.DataSource, "edit");
        other = await AssuranceWorld.CreateAsync(db.DataSource, "edo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> PlanAsync(AssuranceWorld w) => (await Commands.CreateAuditAsync(w.Qa, new NewAudit(
        "Neglect: cumulative harm", AuditType.MultiAgencyCase, "Long-term neglect", null, w.CouncilId, "Head of Safeguarding", 2025, 2,
        null, null, null, ["Was the child seen and their wishes recorded?", "Was information shared in time?"]), default)).Value;

    private static AuditDetails Details(AssuranceWorld w) => new("Neglect and cumulative harm (revised)", AuditType.ThematicDeepDive, "Neglect across agencies",
        null, w.PoliceId, "Detective Inspector", 2025, 3, new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31), new DateOnly(2025, 12, 1));

    [Fact]
    public async Task AQaMemberEditsAnAuditsDetailsAndTheChangeIsLoggedWithBeforeAndAfter()
    {
        var auditId = await PlanAsync(home);
        var result = await Edits.UpdateDetailsAsync(home.Qa, auditId, Details(home), default);
        Assert.True(result.Succeeded);
        var audit = (await Queries.AuditAsync(home.Executive, auditId, default))!.Audit;
        Assert.Equal(("Neglect and cumulative harm (revised)", AuditType.ThematicDeepDive, "Police", "Detective Inspector", 3, new DateOnly(2025, 12, 1)),
            (audit.Title, audit.AuditType, audit.LeadAgency, audit.LeadPerson, audit.PlannedQuarter, audit.ReportDate!.Value));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var log = await conn.QuerySingleAsync<(string Before, string After)>(
            "select before::text, after::text from change_log where partnership_id = @p and entity = 'audit' and action = 'update' and entity_id = @id",
            new { p = home.PartnershipId, id = auditId.ToString() });
        Assert.Contains("Neglect: cumulative harm", log.Before);
        Assert.Contains("(revised)", log.After);
    }

    [Fact]
    public async Task BadDetailsAndOtherPartnershipsIdsAreRefusedWithClearMessagesAndNothingChanges()
    {
        var auditId = await PlanAsync(home);
        var bad = await Edits.UpdateDetailsAsync(home.Qa, auditId, Details(home) with { Title = "", FieldworkEnd = new DateOnly(2025, 9, 1) }, default);
        Assert.Equal(["Title", "FieldworkEnd"], bad.Errors.Select(e => e.Field));
        var lead = await Edits.UpdateDetailsAsync(home.Qa, auditId, Details(home) with { LeadAgencyId = other.PoliceId }, default);
        Assert.Equal("Choose a lead agency of this partnership.", Assert.Single(lead.Errors).Message);
        // Another partnership's QA member cannot reach this audit by its id.
        Assert.Equal("That audit does not exist.", Assert.Single((await Edits.UpdateDetailsAsync(other.Qa, auditId, Details(other), default)).Errors).Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Edits.UpdateDetailsAsync(home.PoliceUser, auditId, Details(home), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Edits.AddQuestionAsync(home.Executive, auditId, "Was the plan reviewed?", default));
        Assert.Equal("Neglect: cumulative harm", (await Queries.AuditAsync(home.Qa, auditId, default))!.Audit.Title);
    }

    [Fact]
    public async Task QuestionsAreAddedRewordedAndReorderedUntilAGradeRestsOnThem()
    {
        var auditId = await PlanAsync(home);
        var added = await Edits.AddQuestionAsync(home.Qa, auditId, "Was the plan reviewed with the family?", default);
        Assert.True(added.Succeeded);
        Assert.Equal("Question must be at least 5 characters.", Assert.Single((await Edits.AddQuestionAsync(home.Qa, auditId, "Why", default)).Errors).Message);
        var ids = (await Queries.AuditAsync(home.Qa, auditId, default))!.Questions.Select(q => q.Id).ToArray();
        Assert.Equal(3, ids.Length);

        Assert.True((await Edits.RewordQuestionAsync(home.Qa, ids[0], "Was the child seen alone, and their wishes recorded?", default)).Succeeded);
        Assert.True((await Edits.ReorderQuestionsAsync(home.Qa, auditId, [ids[2], ids[0], ids[1]], default)).Succeeded);
        var questions = (await Queries.AuditAsync(home.Qa, auditId, default))!.Questions;
        Assert.Equal([(ids[2], 1), (ids[0], 2), (ids[1], 3)], questions.Select(q => (q.Id, q.Position)));
        Assert.Equal("Was the child seen alone, and their wishes recorded?", questions.Single(q => q.Id == ids[0]).Text);
        Assert.Equal("Give every question of this audit once, in the new order.",
            Assert.Single((await Edits.ReorderQuestionsAsync(home.Qa, auditId, [ids[0], ids[0], ids[1]], default)).Errors).Message);

        // Once an agency has graded against the questions, their wording and order are fixed; adding still works.
        var caseId = (await Commands.AddCaseAsync(home.Qa, auditId, "NEG25-07", [home.PoliceId], default)).Value;
        Assert.True((await Commands.SaveGradingAsync(home.PoliceUser, new CaseGradingInput(caseId, home.PoliceId, Grade.Good, YesPartlyNo.Yes, "", "",
            new Dictionary<int, Grade> { [ids[0]] = Grade.Good }), default)).Succeeded);
        Assert.Contains("already graded", Assert.Single((await Edits.RewordQuestionAsync(home.Qa, ids[0], "Was the child seen at all?", default)).Errors).Message);
        Assert.Contains("already graded", Assert.Single((await Edits.ReorderQuestionsAsync(home.Qa, auditId, [ids[0], ids[1], ids[2]], default)).Errors).Message);
        Assert.True((await Edits.RewordQuestionAsync(home.Qa, ids[1], "Was information shared within a day?", default)).Succeeded);
        Assert.True((await Edits.AddQuestionAsync(home.Qa, auditId, "Did the plan change after the audit?", default)).Succeeded);
        // Logged: two questions added, two rewordings (the reorder is logged on the audit).
        Assert.Equal(4, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "audit_question"));
    }

    [Fact]
    public async Task AFindingIsEditedInPlaceKeepingItsIdAndWithdrawnOnesNoLongerChange()
    {
        var auditId = await PlanAsync(home);
        var q = (await Queries.AuditAsync(home.Qa, auditId, default))!.Questions.Select(x => x.Id).ToArray();
        var findingId = (await Commands.AddFindingAsync(home.Qa, auditId, FindingType.Strength, "Police attended every strategy meeting.", [home.PoliceId], [q[0]], default)).Value;

        var edited = await Edits.UpdateFindingAsync(home.Admin, findingId, FindingType.Recommendation, "Health should attend every strategy meeting.",
            [home.HealthId, home.PoliceId], [q[1]], default);
        Assert.True(edited.Succeeded);
        var finding = Assert.Single((await Queries.AuditAsync(home.Qa, auditId, default))!.Findings);
        Assert.Equal((findingId, FindingType.Recommendation, "Health should attend every strategy meeting."), (finding.Id, finding.FindingType, finding.Statement));
        Assert.Equal(new[] { home.PoliceId, home.HealthId }.Order(), finding.AgencyIds.Order());
        Assert.Equal([q[1]], finding.QuestionIds);

        Assert.Equal("Choose agencies of this partnership.", Assert.Single((await Edits.UpdateFindingAsync(home.Qa, findingId, FindingType.Strength,
            "Still a fine statement.", [other.PoliceId], [], default)).Errors).Message);
        Assert.Equal("That finding does not exist.", Assert.Single((await Edits.UpdateFindingAsync(other.Qa, findingId, FindingType.Strength,
            "Another partnership's edit.", [], [], default)).Errors).Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Edits.UpdateFindingAsync(home.HealthUser, findingId, FindingType.Strength, "Health's own wording.", [], [], default));

        Assert.True((await Commands.WithdrawFindingAsync(home.Qa, findingId, default)).Succeeded);
        Assert.Contains("withdrawn", Assert.Single((await Edits.UpdateFindingAsync(home.Qa, findingId, FindingType.Strength, "Too late to edit.", [], [], default)).Errors).Message);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>(
            "select count(*) from change_log where partnership_id = @p and entity = 'audit_finding' and action = 'update' and entity_id = @id",
            new { p = home.PartnershipId, id = findingId.ToString() }));
    }
}
