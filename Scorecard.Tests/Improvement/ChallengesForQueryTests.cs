using Scorecard.Data.Accounts;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>
/// The queries behind "each measure, finding, standard, theme and agency page shows its challenges" (issue 13 §3), on a
/// real PostgreSQL: several subjects of one kind in one query, only those put to one agency, the challenges put to an
/// agency, and an agency user kept to their own agency's.
/// </summary>
public sealed class ChallengesForQueryTests(EmptyDatabaseFixture db) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private ImprovementWorld w = default!;

    public async Task InitializeAsync() => w = await ImprovementWorld.CreateAsync(db.DataSource, "cfq");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> RaiseAsync(NewChallenge challenge)
    {
        var result = await w.Challenges.RaiseAsync(w.Qa, challenge, default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    private NewChallenge AboutFinding(int agencyId) => w.ChallengeTo(agencyId, "The audit found the child's voice missing: what has changed?")
        with { SubjectKind = SourceKind.AuditFinding, SubjectKey = w.FindingId.ToString() };

    [Fact]
    public async Task SeveralSubjectsOfOneKindComeBackTogetherAndNoOtherKind()
    {
        var aboutFinding = await RaiseAsync(AboutFinding(w.PoliceId));
        await RaiseAsync(w.ChallengeTo(w.PoliceId));
        var rows = await w.ChallengeQueries.ForSubjectsAsync(w.Qa, SourceKind.AuditFinding, [w.FindingId.ToString(), "999999"], null, default);
        var row = Assert.Single(rows);
        Assert.Equal(aboutFinding, row.Id);
        Assert.StartsWith("Neglect audit: Record the voice", row.SubjectTitle);
        Assert.Empty(await w.ChallengeQueries.ForSubjectsAsync(w.Qa, SourceKind.AuditFinding, [], null, default));
    }

    [Fact]
    public async Task OnlyThoseToTheAgencyAskedFor()
    {
        await RaiseAsync(AboutFinding(w.PoliceId));
        var toHealth = await RaiseAsync(AboutFinding(w.HealthId));
        var rows = await w.ChallengeQueries.ForSubjectsAsync(w.Qa, SourceKind.AuditFinding, [w.FindingId.ToString()], w.HealthId, default);
        Assert.Equal(toHealth, Assert.Single(rows).Id);
    }

    [Fact]
    public async Task AnAgencysPageListsTheChallengesPutToItAboutAnything()
    {
        var aboutMeasure = await RaiseAsync(w.ChallengeTo(w.PoliceId));
        var aboutFinding = await RaiseAsync(AboutFinding(w.PoliceId));
        await RaiseAsync(w.ChallengeTo(w.HealthId));
        var rows = await w.ChallengeQueries.ForAgencyAsync(w.Executive, w.PoliceId, default);
        Assert.Equal([aboutMeasure, aboutFinding], rows.Select(r => r.Id).Order().ToArray());
        Assert.All(rows, r => Assert.Equal(w.PoliceId, r.ToAgencyId));
    }

    [Fact]
    public async Task AnAgencyUserSeesOnlyTheirOwnAgencysChallenges()
    {
        await RaiseAsync(AboutFinding(w.PoliceId));
        var toHealth = await RaiseAsync(AboutFinding(w.HealthId));
        var mine = await w.ChallengeQueries.ForSubjectsAsync(w.HealthUser, SourceKind.AuditFinding, [w.FindingId.ToString()], null, default);
        Assert.Equal(toHealth, Assert.Single(mine).Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ChallengeQueries.ForAgencyAsync(w.HealthUser, w.PoliceId, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.ChallengeQueries.ForSubjectsAsync(w.HealthUser, SourceKind.AuditFinding, [w.FindingId.ToString()], w.PoliceId, default));
    }

    [Fact]
    public void AThemeLinksToItsPage() =>
        Assert.Equal("/triangulation/themes/7", SourceLinks.Href(SourceKind.TriangulationTheme, "7"));
}
