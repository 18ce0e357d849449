using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Assurance;

/// <summary>
/// Self-assessment cycles on a real PostgreSQL: frameworks, cycles, drafts saved as typed, versioned submissions with
/// sign-off, evidence files, moderation and the agency's response, the optimism gap, cycle comparison, agency isolation
/// with edited ids and tenancy against a second partnership.
/// </summary>
public sealed class SelfAssessmentTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private AssuranceWorld home = default!;
    private AssuranceWorld other = default!;
    private int frameworkId;
    private int otherFrameworkId;
    private IReadOnlyList<StandardRow> standards = [];

    private SelfAssessmentCommands Commands => new(db.DataSource, new AssuranceOptions { MaxEvidenceBytes = 64 * 1024 });
    private SelfAssessmentQueries Queries => new(db.DataSource, new FixedClock(Now));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public async Task InitializeAsync()
    {
        home = await AssuranceWorld.CreateAsync(db.DataSource, "sa-home");
        other = await AssuranceWorld.CreateAsync(db.DataSource, "sa-other");
        frameworkId = (await new FrameworkCommands(db.DataSource).InstallBuiltInAsync(home.Qa, BuiltInFrameworks.Section11, default)).Value;
        otherFrameworkId = (await new FrameworkCommands(db.DataSource).InstallBuiltInAsync(other.Qa, BuiltInFrameworks.Section11, default)).Value;
        await using var conn = await db.DataSource.OpenConnectionAsync();
        standards = (await conn.QueryAsync<StandardRow>(
            "select id, position::int as position, code, title, what_good_looks_like, evidence_expected from framework_standard where partnership_id = @p and framework_id = @f order by position",
            new { p = home.PartnershipId, f = frameworkId })).ToList();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> CycleAsync(string name, DateOnly deadline, AssuranceWorld? w = null)
    {
        w ??= home;
        var result = await Commands.OpenCycleAsync(w.Qa, w == home ? frameworkId : otherFrameworkId, name, deadline.AddMonths(-3), deadline, [w.PoliceId, w.HealthId], default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    private List<RatingInput> AllRated(Func<int, Rating> rating) =>
        standards.Select((s, i) => new RatingInput(s.Id, rating(i), $"Evidence for {s.Code}", "")).ToList();

    private async Task<long> SubmitAsync(Actor actor, int cycleId, int agencyId, Func<int, Rating> rating)
    {
        await Commands.SaveDraftAsync(actor, cycleId, agencyId, AllRated(rating), default);
        var submitted = await Commands.SubmitAsync(actor, cycleId, agencyId, new SignOff("Chief Constable", "Executive lead", new DateOnly(2025, 11, 20)), default);
        Assert.True(submitted.Succeeded, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        return submitted.Value;
    }

    [Fact]
    public void TheShippedFrameworksHaveTheStandardsTheIssueLists()
    {
        var s11 = BuiltInFrameworks.Get(BuiltInFrameworks.Section11);
        var s175 = BuiltInFrameworks.Get(BuiltInFrameworks.Section175157);
        var tfu = BuiltInFrameworks.Get(BuiltInFrameworks.TrueForUs);

        Assert.Equal(10, s11.Standards.Count);
        Assert.Equal("A culture of listening to children", s11.Standards[2].Title);
        Assert.Equal(FrameworkKind.Section11, s11.FrameworkKind);
        Assert.Equal(12, s175.Standards.Count);
        Assert.Contains(s175.Standards, s => s.Title.Contains("single central record"));
        Assert.Contains(s175.Standards, s => s.Title.Contains("filtering"));
        Assert.Equal(FrameworkKind.TrueForUs, tfu.FrameworkKind);
        Assert.All(BuiltInFrameworks.All.SelectMany(f => f.Standards), s => Assert.True(s.WhatGoodLooksLike.Length > 20 && s.EvidenceExpected.Length > 10, s.Code));
    }

    [Fact]
    public async Task ADraftIsSavedAsTypedButCountsOnlyOnceSubmittedWithASignOff()
    {
        var cycleId = await CycleAsync("Draft cycle", new DateOnly(2025, 11, 28));
        var half = AllRated(_ => Rating.Met).Take(5).ToList();

        var draft = await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, half, default);
        var again = await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, [half[0] with { Rating = Rating.PartlyMet }], default);
        var early = await Commands.SubmitAsync(home.PoliceUser, cycleId, home.PoliceId, new SignOff("Chief Constable", "Executive lead", new DateOnly(2025, 11, 20)), default);
        var cycleWithDraft = await Queries.CycleAsync(home.Qa, cycleId, default);
        var noSignOff = await Commands.SubmitAsync(home.PoliceUser, cycleId, home.PoliceId, new SignOff(" ", "", new DateOnly(2025, 11, 20)), default);

        Assert.Equal(draft.Value, again.Value);
        Assert.Contains("Rate every standard before submitting: S11-6", Assert.Single(early.Errors).Message);
        Assert.Empty(cycleWithDraft!.Cells);
        Assert.Equal(SubmissionState.Missing, cycleWithDraft.Agencies.Single(a => a.AgencyId == home.PoliceId).State);
        Assert.Equal(["SignOffName", "SignOffRole"], noSignOff.Errors.Select(e => e.Field));
        var view = await Queries.SubmissionAsync(home.PoliceUser, cycleId, home.PoliceId, default);
        Assert.Null(view.Submitted);
        Assert.Equal(Rating.PartlyMet, view.Draft!.Ratings[0].Rating);
        Assert.Null(view.Draft.Ratings[9].Rating);

        var submittedId = await SubmitAsync(home.PoliceUser, cycleId, home.PoliceId, _ => Rating.Met);
        var cycle = await Queries.CycleAsync(home.Qa, cycleId, default);

        Assert.Equal(draft.Value, submittedId);
        Assert.Equal(10, cycle!.Cells.Count);
        var police = cycle.Agencies.Single(a => a.AgencyId == home.PoliceId);
        Assert.Equal((SubmissionState.SubmittedLate, 1), (police.State, police.Version));
    }

    [Fact]
    public async Task SubmittingAgainSupersedesThePreviousVersionAndCarriesItsRatingsIntoTheNewDraft()
    {
        var cycleId = await CycleAsync("Version cycle", new DateOnly(2099, 1, 31));
        var first = await SubmitAsync(home.HealthUser, cycleId, home.HealthId, _ => Rating.PartlyMet);
        var toSubmitted = await Commands.AttachEvidenceAsync(home.HealthUser, first, standards[0].Id, "policy.pdf", EvidenceFileTests.Pdf, default);

        Assert.Contains("Evidence is added to a draft", Assert.Single(toSubmitted.Errors).Message);
        var draftAfter = await Commands.SaveDraftAsync(home.HealthUser, cycleId, home.HealthId, [new RatingInput(standards[0].Id, Rating.Met, "Now met", "")], default);
        var view = await Queries.SubmissionAsync(home.HealthUser, cycleId, home.HealthId, default);
        var second = await Commands.SubmitAsync(home.HealthUser, cycleId, home.HealthId, new SignOff("Chief Nurse", "Board lead", new DateOnly(2026, 1, 10)), default);
        var after = await Queries.SubmissionAsync(home.Qa, cycleId, home.HealthId, default);

        Assert.NotEqual(first, draftAfter.Value);
        Assert.Equal(Rating.PartlyMet, view.Draft!.Ratings[1].Rating);
        Assert.Equal(1, view.Submitted!.Version);
        Assert.Equal(2, after.Submitted!.Version);
        Assert.Equal(second.Value, after.Submitted.Id);
        Assert.Equal(Rating.Met, after.Submitted.Ratings[0].Rating);
        Assert.Null(after.Draft);
        Assert.Equal(SubmissionState.SubmittedOnTime, (await Queries.CycleAsync(home.Qa, cycleId, default))!.Agencies.Single(a => a.AgencyId == home.HealthId).State);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(["submitted", "superseded"], await conn.QueryAsync<string>(
            "select status from self_assessment where partnership_id = @p and cycle_id = @cycleId order by version desc", new { p = home.PartnershipId, cycleId }));
    }

    [Fact]
    public async Task EvidenceIsStoredWithItsHashAndServedOnlyToThoseAllowed()
    {
        var cycleId = await CycleAsync("Evidence cycle", new DateOnly(2026, 1, 31));
        var draft = (await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, [], default)).Value;

        var pdf = await Commands.AttachEvidenceAsync(home.PoliceUser, draft, standards[2].Id, "..\\listening.pdf", EvidenceFileTests.Pdf, default);
        var exe = await Commands.AttachEvidenceAsync(home.PoliceUser, draft, standards[2].Id, "policy.pdf", "MZ\u0090\0"u8.ToArray(), default);
        var big = await Commands.AttachEvidenceAsync(home.PoliceUser, draft, null, "big.pdf", [.. EvidenceFileTests.Pdf, .. new byte[70 * 1024]], default);

        Assert.True(pdf.Succeeded);
        Assert.Contains("must be a PDF", Assert.Single(exe.Errors).Message);
        Assert.Contains("at most 64 KB", Assert.Single(big.Errors).Message);
        var file = Assert.Single((await Queries.SubmissionAsync(home.PoliceUser, cycleId, home.PoliceId, default)).Draft!.Evidence);
        Assert.Equal(("listening.pdf", EvidenceFiles.Pdf), (file.FileName, file.ContentType));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(EvidenceFileTests.Pdf), file.Sha256);
        Assert.Equal(EvidenceFileTests.Pdf, (await Queries.EvidenceFileAsync(home.Executive, pdf.Value, default))!.Bytes);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Queries.EvidenceFileAsync(home.HealthUser, pdf.Value, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.AttachEvidenceAsync(home.HealthUser, draft, null, "x.pdf", EvidenceFileTests.Pdf, default));
        Assert.Null(await Queries.EvidenceFileAsync(other.Qa, pdf.Value, default));
    }

    [Fact]
    public async Task AQaMemberModeratesTheAgencySeesTheChallengeAndResponds()
    {
        var cycleId = await CycleAsync("Moderation cycle", new DateOnly(2026, 1, 31));
        var submission = await SubmitAsync(home.PoliceUser, cycleId, home.PoliceId, _ => Rating.Met);

        var noReason = await Commands.ModerateAsync(home.Qa, submission, standards[2].Id, ModerationOutcome.Moderated, Rating.PartlyMet, "", default);
        var moderated = await Commands.ModerateAsync(home.Qa, submission, standards[2].Id, ModerationOutcome.Moderated, Rating.PartlyMet, "Audits found the child's voice in under half of cases", default);
        var agreed = await Commands.ModerateAsync(home.Qa, submission, standards[0].Id, ModerationOutcome.Agree, null, "", default);
        var response = await Commands.RespondAsync(home.PoliceUser, submission, standards[2].Id, "Accepted: new recording template from April", default);

        Assert.Equal("Reason", Assert.Single(noReason.Errors).Field);
        Assert.True(moderated.Succeeded && agreed.Succeeded && response.Succeeded);
        var seen = (await Queries.SubmissionAsync(home.PoliceUser, cycleId, home.PoliceId, default)).Submitted!.Ratings[2];
        Assert.Equal((ModerationOutcome.Moderated, Rating.PartlyMet, "Accepted: new recording template from April"), (seen.Outcome!.Value, seen.ModeratedRating!.Value, seen.AgencyResponse));
        var cycle = await Queries.CycleAsync(home.Executive, cycleId, default);
        // Two moderated standards: met → partly met (+1) and agreed (0): the gap is 0.5.
        Assert.Equal(new OptimismGap(2, 0.5, 1, 0), cycle!.Gap);
        Assert.Equal(0.5, cycle.GapByAgency[home.PoliceId].Gap);
        Assert.Equal("S11-3", cycle.Standings[0].StandardCode);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.ModerateAsync(home.PoliceUser, submission, standards[1].Id, ModerationOutcome.Agree, null, "", default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.RespondAsync(home.HealthUser, submission, standards[2].Id, "Not ours", default));
        Assert.Equal(3, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "self_assessment_moderation"));
    }

    [Fact]
    public async Task AnAgencyUserSeesAndChangesOnlyTheirOwnAgencysSelfAssessment()
    {
        var cycleId = await CycleAsync("Isolation cycle", new DateOnly(2026, 1, 31));
        await SubmitAsync(home.HealthUser, cycleId, home.HealthId, _ => Rating.NotMet);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.HealthId, [], default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SubmitAsync(home.PoliceUser, cycleId, home.HealthId, new SignOff("X Y", "Lead", new DateOnly(2025, 1, 1)), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Queries.SubmissionAsync(home.PoliceUser, cycleId, home.HealthId, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SaveDraftAsync(home.Executive, cycleId, home.PoliceId, [], default));
        var policeView = await Queries.CycleAsync(home.PoliceUser, cycleId, default);
        Assert.Equal([home.PoliceId], policeView!.Agencies.Select(a => a.AgencyId));
        Assert.Empty(policeView.Cells);
        Assert.Equal(2, (await Queries.CycleAsync(home.Executive, cycleId, default))!.Agencies.Count);
        // A standard of another framework, and a council (out of scope) self-assessment, are refused.
        var foreignStandard = await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, [new RatingInput(int.MaxValue, Rating.Met, "", "")], default);
        Assert.Equal("Ratings", Assert.Single(foreignStandard.Errors).Field);
        var outOfScope = await Commands.SaveDraftAsync(home.Admin, cycleId, home.CouncilId, [], default);
        Assert.Equal("That agency is not in this cycle.", Assert.Single(outOfScope.Errors).Message);
    }

    [Fact]
    public async Task AnotherPartnershipsCycleIsInvisibleAndCannotBeUsed()
    {
        var otherCycle = await CycleAsync("Other partnership cycle", new DateOnly(2026, 1, 31), other);

        Assert.Null(await Queries.CycleAsync(home.Qa, otherCycle, default));
        Assert.DoesNotContain(await Queries.CyclesAsync(home.Executive, default), c => c.Id == otherCycle);
        Assert.Equal("That cycle does not exist.", Assert.Single((await Commands.SaveDraftAsync(home.Admin, otherCycle, home.PoliceId, [], default)).Errors).Message);
        var foreignFramework = await Commands.OpenCycleAsync(home.Qa, otherFrameworkId, "Borrowed framework", new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 1), [home.PoliceId], default);
        Assert.Equal("FrameworkId", Assert.Single(foreignFramework.Errors).Field);
        var foreignAgency = await Commands.OpenCycleAsync(home.Qa, frameworkId, "Borrowed agency", new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 1), [other.PoliceId], default);
        Assert.Equal("AgencyIds", Assert.Single(foreignAgency.Errors).Field);
    }

    [Fact]
    public async Task ACycleIsComparedWithThePreviousOnePerAgencyAndPerStandard()
    {
        var earlier = await CycleAsync("Compare 2023", new DateOnly(2023, 11, 30));
        var later = await CycleAsync("Compare 2025", new DateOnly(2025, 11, 28));
        await SubmitAsync(home.PoliceUser, earlier, home.PoliceId, i => i == 8 ? Rating.Met : Rating.PartlyMet);
        var now = await SubmitAsync(home.PoliceUser, later, home.PoliceId, i => i == 8 ? Rating.NotMet : i == 0 ? Rating.Met : Rating.PartlyMet);
        // The moderator settles standard 2 lower than the agency put it.
        await Commands.ModerateAsync(home.Qa, now, standards[1].Id, ModerationOutcome.Moderated, Rating.NotMet, "No board-level reports seen", default);

        var changes = await Queries.CompareAgencyAsync(home.PoliceUser, home.PoliceId, later, earlier, default);
        var partnership = await Queries.CompareCyclesAsync(home.Qa, later, earlier, default);

        Assert.Equal(Change.Improved, changes.Single(c => c.StandardCode == "S11-1").Change);
        Assert.Equal(Change.Worse, changes.Single(c => c.StandardCode == "S11-2").Change);
        Assert.Equal(Change.Same, changes.Single(c => c.StandardCode == "S11-3").Change);
        Assert.Equal(Change.Worse, changes.Single(c => c.StandardCode == "S11-9").Change);
        Assert.Equal((2.0, 0.0, Change.Worse), partnership.Where(c => c.StandardCode == "S11-9").Select(c => (c.PreviousMean!.Value, c.CurrentMean!.Value, c.Change!.Value)).Single());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Queries.CompareAgencyAsync(home.HealthUser, home.PoliceId, later, earlier, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Queries.CompareCyclesAsync(home.PoliceUser, later, earlier, default));
    }

    [Fact]
    public async Task OnlyAdminsAndQaMembersOpenCyclesAndInstallFrameworks()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.OpenCycleAsync(home.Executive, frameworkId, "Nope", new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 1), [home.PoliceId], default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => new FrameworkCommands(db.DataSource).InstallBuiltInAsync(home.PoliceUser, BuiltInFrameworks.TrueForUs, default));
        var second = await new FrameworkCommands(db.DataSource).InstallBuiltInAsync(home.Admin, BuiltInFrameworks.Section11, default);
        Assert.Equal(2, (await Queries.FrameworksAsync(home.Qa, default)).Single(f => f.Id == second.Value).Version);
        var backwards = await Commands.OpenCycleAsync(home.Qa, frameworkId, "Backwards", new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 1), [home.PoliceId], default);
        Assert.Equal("Deadline", Assert.Single(backwards.Errors).Field);
    }

    [Fact]
    public async Task AClosedCycleTakesNoMoreDraftsOrSubmissionsAndAFailedCommandLogsNothing()
    {
        var cycleId = await CycleAsync("Closing cycle", new DateOnly(2099, 1, 31));
        await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, AllRated(_ => Rating.Met), default);
        var logged = await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "self_assessment");

        var closed = await Commands.CloseCycleAsync(home.Qa, cycleId, default);
        var draft = await Commands.SaveDraftAsync(home.PoliceUser, cycleId, home.PoliceId, [], default);
        var submit = await Commands.SubmitAsync(home.PoliceUser, cycleId, home.PoliceId, new SignOff("Chief Constable", "Executive lead", new DateOnly(2025, 11, 20)), default);

        Assert.True(closed.Succeeded);
        Assert.Equal("This cycle is closed.", Assert.Single(draft.Errors).Message);
        Assert.Equal("This cycle is closed.", Assert.Single(submit.Errors).Message);
        Assert.Equal(logged, await AssuranceWorld.LogCountAsync(db.DataSource, home.PartnershipId, "self_assessment"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CloseCycleAsync(home.PoliceUser, cycleId, default));
        Assert.False((await Commands.CloseCycleAsync(other.Qa, cycleId, default)).Succeeded);
    }
}
