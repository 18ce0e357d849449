using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Assurance;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>
/// Action plans on a real PostgreSQL: creation with a validated source link, progress by the owner agency only (edited
/// ids refused), completion with evidence, moderation (accept closes; return sends back to on track with the challenge
/// recorded), closing with a reason, plan completeness and sign-off, tenancy against a second partnership, and the log.
/// </summary>
public sealed class ActionCommandTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;
    private ImprovementWorld other = default!;

    public async Task InitializeAsync()
    {
        w = await ImprovementWorld.CreateAsync(db.DataSource, "act");
        other = await ImprovementWorld.CreateAsync(db.DataSource, "oth");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> CreateAsync(int agencyId, string? title = null)
    {
        var result = await w.Actions.CreateAsync(w.Qa, w.ActionFor(agencyId, title ?? "Refresh neglect training for frontline staff"), default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    [Fact]
    public async Task AQaMemberCreatesAnActionLinkedToAFindingAndItIsLogged()
    {
        var before = await w.LogCountAsync("improvement_action");
        var id = await CreateAsync(w.PoliceId);
        var detail = await w.ActionQueries.GetAsync(w.Qa, id, default);
        Assert.NotNull(detail);
        Assert.Equal(ActionStatus.NotStarted, detail.Action.Status);
        Assert.Equal(SourceKind.AuditFinding, detail.Action.SourceKind);
        Assert.Contains("Neglect audit", detail.Action.SourceTitle);
        Assert.Equal("Police", detail.Action.OwnerAgencyName);
        Assert.Equal(before + 1, await w.LogCountAsync("improvement_action"));
    }

    [Theory]
    [InlineData(SourceKind.AuditFinding, "999999")]
    [InlineData(SourceKind.Risk, "abc")]
    [InlineData(SourceKind.Measure, "NO-SUCH")]
    [InlineData(SourceKind.TriangulationTheme, "has spaces in it")]
    [InlineData(SourceKind.VoiceMessage, "-1")]
    public async Task ASourceThatIsNotOfThisPartnershipIsRefused(SourceKind kind, string key)
    {
        var result = await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, kind: kind, key: key), default);
        Assert.False(result.Succeeded);
        Assert.NotNull(result.ErrorFor("SourceKey"));
    }

    [Fact]
    public async Task AnotherPartnershipsFindingCannotBeASource()
    {
        var result = await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, key: other.FindingId.ToString()), default);
        Assert.NotNull(result.ErrorFor("SourceKey"));
    }

    [Fact]
    public async Task AVoiceMessageAndAThemeAreSourcesByTheirIdsAndNamedByTheirWords()
    {
        var activity = await w.ScalarAsync<int>("""
            insert into voice_activity (partnership_id, title, method, respondent_group, cohort, agency_id, period_start, period_end, respondents)
            values (@p, 'Young people on waiting times', 'survey', 'children_young_people', 'Young people', @health, '2025-04-01', '2025-06-30', 40) returning id
            """, new { p = w.PartnershipId, health = w.HealthId });
        var message = await w.ScalarAsync<int>("""
            insert into voice_message (partnership_id, activity_id, message, you_said_we_did) values (@p, @activity, 'Waiting for CAMHS is too long', 'Drop-in clinics') returning id
            """, new { p = w.PartnershipId, activity });
        var priority = await w.ScalarAsync<int>("select id from priority where partnership_id = @p", new { p = w.PartnershipId });
        var theme = await w.ScalarAsync<int>("insert into triangulation_theme (partnership_id, title, priority_id) values (@p, 'Neglect is seen early', @priority) returning id",
            new { p = w.PartnershipId, priority });

        var fromMessage = await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, kind: SourceKind.VoiceMessage, key: message.ToString()), default);
        var fromTheme = await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, kind: SourceKind.TriangulationTheme, key: $" {theme} "), default);

        Assert.True(fromMessage.Succeeded && fromTheme.Succeeded);
        var messageRow = (await w.ActionQueries.GetAsync(w.Qa, fromMessage.Value, default))!.Action;
        Assert.Equal("You said: Waiting for CAMHS is too long (Young people on waiting times)", messageRow.SourceTitle);
        var themeRow = (await w.ActionQueries.GetAsync(w.Qa, fromTheme.Value, default))!.Action;
        Assert.Equal(theme.ToString(), themeRow.SourceKey);
        Assert.Equal("Theme: Neglect is seen early", themeRow.SourceTitle);
    }

    [Theory]
    [InlineData(SourceKind.VoiceMessage, "ysww:2025-q2:waiting-times")]
    [InlineData(SourceKind.VoiceMessage, "999999")]
    [InlineData(SourceKind.TriangulationTheme, "theme:neglect")]
    public async Task APlainKeyOrAnUnknownIdIsNoLongerAVoiceOrThemeSource(SourceKind kind, string key)
    {
        var result = await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, kind: kind, key: key), default);
        Assert.Equal($"That is not a {kind.Label().ToLowerInvariant()} of this partnership.", result.ErrorFor("SourceKey"));
    }

    [Fact]
    public async Task EachSourcesPageListsItsActionsAndAnAgencyUserOnlyTheirOwn()
    {
        var second = await w.ScalarAsync<int>("""
            insert into audit_finding (partnership_id, audit_id, finding_type, statement, position)
            select partnership_id, audit_id, 'strength', 'Good use of chronologies', 2 from audit_finding where partnership_id = @p and id = @f returning id
            """, new { p = w.PartnershipId, f = w.FindingId });
        var police = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.PoliceId, "Police: brief officers"), default)).Value;
        var health = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, "Health: audit records", key: second.ToString()), default)).Value;
        await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, "From the measure", kind: SourceKind.Measure, key: w.MeasureCode), default);
        string[] keys = [w.FindingId.ToString(), second.ToString()];

        Assert.Equal([police, health], (await w.ActionQueries.ForSourcesAsync(w.Qa, SourceKind.AuditFinding, keys, null, default)).Select(a => a.Id).Order());
        Assert.Equal([police], (await w.ActionQueries.ForSourcesAsync(w.PoliceUser, SourceKind.AuditFinding, keys, null, default)).Select(a => a.Id));
        Assert.Equal([health], (await w.ActionQueries.ForSourcesAsync(w.Executive, SourceKind.AuditFinding, keys, w.HealthId, default)).Select(a => a.Id));
        Assert.Empty(await w.ActionQueries.ForSourcesAsync(w.PoliceUser, SourceKind.AuditFinding, keys, w.HealthId, default));
        Assert.Empty(await w.ActionQueries.ForSourcesAsync(w.Qa, SourceKind.AuditFinding, [], null, default));
    }

    [Fact]
    public async Task AnAgencyUserMayNotCreateActions() =>
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.CreateAsync(w.PoliceUser, w.ActionFor(w.PoliceId), default));

    [Fact]
    public async Task ADueDateBeforeTheStartIsAFieldError()
    {
        var a = w.ActionFor(w.PoliceId) with { DueDate = ImprovementWorld.Today.AddDays(-100) };
        var result = await w.Actions.CreateAsync(w.Qa, a, default);
        Assert.NotNull(result.ErrorFor("DueDate"));
        Assert.Equal(0, await w.ScalarAsync<long>("select count(*) from improvement_action where partnership_id = @p", new { p = w.PartnershipId }));
    }

    [Fact]
    public async Task TheOwnerAgencyRecordsProgressAndAnotherAgencyIsRefused()
    {
        var id = await CreateAsync(w.PoliceId);
        var ok = await w.Actions.RecordProgressAsync(w.PoliceUser, id, "Training dates booked for January", ActionStatus.AtRisk, default);
        Assert.True(ok.Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.RecordProgressAsync(w.HealthUser, id, "Edited id", ActionStatus.OnTrack, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.RecordProgressAsync(w.Executive, id, "Executives read", ActionStatus.OnTrack, default));
        var detail = (await w.ActionQueries.GetAsync(w.PoliceUser, id, default))!;
        Assert.Equal(ActionStatus.AtRisk, detail.Action.Status);
        Assert.Single(detail.Progress);
        Assert.Equal(ImprovementWorld.Today, detail.Progress[0].NotedOn);
    }

    [Fact]
    public async Task AnUpdateCannotMarkAnActionCompletedWithoutEvidence()
    {
        var id = await CreateAsync(w.PoliceId);
        var result = await w.Actions.RecordProgressAsync(w.PoliceUser, id, "Done", ActionStatus.Completed, default);
        Assert.NotNull(result.ErrorFor("Status"));
        var complete = await w.Actions.CompleteAsync(w.PoliceUser, id, "", default);
        Assert.NotNull(complete.ErrorFor("Evidence"));
    }

    [Fact]
    public async Task AnAgencyUserSeesOnlyTheirOwnAgencysActions()
    {
        var police = await CreateAsync(w.PoliceId);
        var health = await CreateAsync(w.HealthId);
        var list = await w.ActionQueries.ListAsync(w.PoliceUser, new ActionFilter(), default);
        Assert.Equal([police], list.Select(a => a.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ActionQueries.GetAsync(w.PoliceUser, health, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ActionQueries.ListAsync(w.PoliceUser, new ActionFilter(AgencyId: w.HealthId), default));
    }

    [Fact]
    public async Task CompletionThenAcceptanceClosesTheAction()
    {
        var id = await CreateAsync(w.PoliceId);
        Assert.True((await w.Actions.CompleteAsync(w.PoliceUser, id, "All 140 officers trained; attendance register attached", default)).Succeeded);
        Assert.Equal(ActionStatus.Completed, (await w.ActionQueries.GetAsync(w.Qa, id, default))!.Action.Status);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.ModerateAsync(w.PoliceUser, id, ModerationDecision.Accepted, "", default));
        Assert.True((await w.Actions.ModerateAsync(w.Qa, id, ModerationDecision.Accepted, "Register checked", default)).Succeeded);
        var detail = (await w.ActionQueries.GetAsync(w.Qa, id, default))!;
        Assert.Equal(ActionStatus.Closed, detail.Action.Status);
        Assert.StartsWith("Accepted at moderation", detail.CloseReason);
        Assert.Equal(ModerationDecision.Accepted, Assert.Single(detail.Moderations).Outcome);
    }

    [Fact]
    public async Task AReturnedActionGoesBackOnTrackWithTheChallengeRecorded()
    {
        var id = await CreateAsync(w.PoliceId);
        await w.Actions.CompleteAsync(w.PoliceUser, id, "Training delivered to most staff", default);
        var noReason = await w.Actions.ModerateAsync(w.Qa, id, ModerationDecision.Returned, "", default);
        Assert.NotNull(noReason.ErrorFor("Reason"));
        Assert.True((await w.Actions.ModerateAsync(w.Qa, id, ModerationDecision.Returned, "No evidence that night-shift staff attended", default)).Succeeded);
        var detail = (await w.ActionQueries.GetAsync(w.PoliceUser, id, default))!;
        Assert.Equal(ActionStatus.OnTrack, detail.Action.Status);
        Assert.Null(detail.Action.CompletedOn);
        Assert.Equal(1, detail.Action.Returns);
        var m = Assert.Single(detail.Moderations);
        Assert.Equal(ModerationDecision.Returned, m.Outcome);
        Assert.Equal("No evidence that night-shift staff attended", m.Reason);
        // Only a completed action is moderated.
        Assert.NotNull((await w.Actions.ModerateAsync(w.Qa, id, ModerationDecision.Accepted, "", default)).ErrorFor("Status"));
    }

    [Fact]
    public async Task EvidenceFilesAreCheckedByTheirBytesAndAnotherAgencysDownloadIsRefused()
    {
        var id = await CreateAsync(w.PoliceId);
        var refused = await w.Actions.AddEvidenceFileAsync(w.PoliceUser, id, "evil.exe", "MZ this is not evidence"u8.ToArray(), default);
        Assert.NotNull(refused.ErrorFor("File"));
        var added = await w.Actions.AddEvidenceFileAsync(w.PoliceUser, id, "../../register.pdf", EvidenceFileTests.Pdf, default);
        Assert.True(added.Succeeded);
        var file = await w.ActionQueries.EvidenceFileAsync(w.PoliceUser, added.Value, default);
        Assert.Equal("register.pdf", file!.FileName);
        Assert.Equal("application/pdf", file.ContentType);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ActionQueries.EvidenceFileAsync(w.HealthUser, added.Value, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.AddEvidenceFileAsync(w.HealthUser, id, "x.pdf", EvidenceFileTests.Pdf, default));
        // A file alone is enough evidence to complete.
        Assert.True((await w.Actions.CompleteAsync(w.PoliceUser, id, "", default)).Succeeded);
    }

    [Fact]
    public async Task APlanIsCompleteWhenAllItsActionsCloseAndTheExecutiveSignsItOffOnce()
    {
        var a = await CreateAsync(w.PoliceId, "Police: refresh neglect training");
        var b = await CreateAsync(w.HealthId, "Health: audit health visitor records");
        var plan = new SourceLink(SourceKind.AuditFinding, w.FindingId.ToString());
        Assert.False((await w.ActionQueries.PlanAsync(w.Qa, plan, default)).Complete);
        await w.Actions.CompleteAsync(w.PoliceUser, a, "Training delivered to all staff", default);
        await w.Actions.ModerateAsync(w.Qa, a, ModerationDecision.Accepted, "", default);
        Assert.NotNull((await w.Actions.SignOffPlanAsync(w.Executive, plan, "", default)).ErrorFor("Plan"));
        Assert.True((await w.Actions.CloseAsync(w.Qa, b, "Superseded by the health visiting review", default)).Succeeded);

        var complete = await w.ActionQueries.PlanAsync(w.Executive, plan, default);
        Assert.True(complete.AwaitingSignOff);
        Assert.Contains(await w.ActionQueries.AwaitingSignOffAsync(w.Executive, default), p => p.Source == plan);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Actions.SignOffPlanAsync(w.Qa, plan, "", default));
        Assert.True((await w.Actions.SignOffPlanAsync(w.Executive, plan, "Reported complete", default)).Succeeded);
        Assert.False((await w.ActionQueries.PlanAsync(w.Executive, plan, default)).AwaitingSignOff);
        Assert.DoesNotContain(await w.ActionQueries.AwaitingSignOffAsync(w.Executive, default), p => p.Source == plan);
    }

    [Fact]
    public async Task AnotherPartnershipCannotReadOrChangeTheseActions()
    {
        var id = await CreateAsync(w.PoliceId);
        Assert.Null(await w.ActionQueries.GetAsync(other.Admin, id, default));
        Assert.DoesNotContain(await w.ActionQueries.ListAsync(other.Admin, new ActionFilter(), default), a => a.Id == id);
        Assert.NotNull((await w.Actions.RecordProgressAsync(other.Admin, id, "Cross-tenant edit", ActionStatus.OffTrack, default)).ErrorFor("ActionId"));
        Assert.NotNull((await w.Actions.CloseAsync(other.Qa, id, "Cross-tenant close", default)).ErrorFor("ActionId"));
        Assert.Equal(ActionStatus.NotStarted, (await w.ActionQueries.GetAsync(w.Qa, id, default))!.Action.Status);
    }

    [Fact]
    public async Task TheListFiltersAndPutsOverdueFirst()
    {
        var later = await CreateAsync(w.PoliceId, "Later action, due in two months");
        var overdue = (await w.Actions.CreateAsync(w.Qa, w.ActionFor(w.HealthId, "Overdue action", dueInDays: -5, startedDaysAgo: 60), default)).Value;
        var list = await w.ActionQueries.ListAsync(w.Qa, new ActionFilter(), default);
        Assert.Equal([overdue, later], list.Select(a => a.Id));
        Assert.True(list[0].Overdue);
        Assert.Equal([overdue], (await w.ActionQueries.ListAsync(w.Qa, new ActionFilter(OverdueOnly: true), default)).Select(a => a.Id));
        Assert.Equal([later], (await w.ActionQueries.ListAsync(w.Qa, new ActionFilter(AgencyId: w.PoliceId), default)).Select(a => a.Id));
        Assert.Empty(await w.ActionQueries.ListAsync(w.Qa, new ActionFilter(Status: ActionStatus.Closed), default));
    }

    [Fact]
    public async Task TheExportHoldsTheViewersActionsOnly()
    {
        await CreateAsync(w.PoliceId, "Police action for the export");
        await CreateAsync(w.HealthId, "Health action for the export");
        var export = new ImprovementExport(w.ActionQueries, w.RiskQueries, w.ChallengeQueries);
        var file = await export.ActionsAsync(w.PoliceUser, new ActionFilter(), default);
        using var wb = new ClosedXML.Excel.XLWorkbook(new MemoryStream(file.Bytes));
        var ws = wb.Worksheet(1);
        Assert.Equal("Police action for the export", ws.Cell(2, 2).GetString());
        Assert.True(ws.Cell(3, 2).IsEmpty());
    }
}
