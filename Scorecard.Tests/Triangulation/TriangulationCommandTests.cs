using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Meetings;
using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;
using Scorecard.Data.Voice;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Triangulation;

/// <summary>
/// Themes, links, rules and judgements on the demo partnership in a real PostgreSQL: roles, tenancy, the change log,
/// override with the computed verdict kept beside it, history per meeting date, disclosure in the voice lens, the agenda.
/// </summary>
public sealed class TriangulationCommandTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private TriangulationQueries Queries => new(db.DataSource, new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System));
    private TriangulationCommands Commands => new(db.DataSource, Queries);

    private async Task<ThemeAssessment> ThemeAsync(Actor actor, string title) =>
        (await Queries.MatrixAsync(actor, null, null, default)).Rows.Single(r => r.Theme.Title == title);

    [Fact]
    public async Task AQaMemberOverridesTheVerdictWithARationaleAndTheComputedVerdictStaysBesideIt()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var theme = await ThemeAsync(qa, TriangulationDemo.ContestedTheme);
        var before = await Actors.CountAsync(db.DataSource, "change_log", "entity = 'triangulation_judgement'");

        var recorded = await Commands.RecordJudgementAsync(qa, theme.Theme.Id,
            new JudgementInput(new DateOnly(2025, 10, 14), Verdict.Corroborated, Side.Negative, "Children's own accounts outweigh practitioner confidence."), default);

        Assert.True(recorded.Succeeded, string.Join("; ", recorded.Errors.Select(e => e.Message)));
        var after = await ThemeAsync(qa, TriangulationDemo.ContestedTheme);
        Assert.Equal(Verdict.Contested, after.Verdict.Verdict);
        Assert.Equal("Corroborated (negative)", after.LatestJudgement!.OverrideLabel);
        Assert.Equal("Contested", after.LatestJudgement.ComputedLabel);
        Assert.Equal(before + 1, await Actors.CountAsync(db.DataSource, "change_log", "entity = 'triangulation_judgement'"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var summary = await conn.ExecuteScalarAsync<string>("select summary from change_log where entity = 'triangulation_judgement' order by id desc limit 1");
        Assert.Contains("Corroborated (negative) (computed: Contested)", summary);
    }

    [Fact]
    public async Task AnOverrideNeedsARationaleAndOnlyQaOrAdminMayRecordOne()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var theme = await ThemeAsync(qa, TriangulationDemo.InsufficientTheme);

        var bare = await Commands.RecordJudgementAsync(qa, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 10, 14), Verdict.Emerging, Side.None, "short"), default);
        Assert.False(bare.Succeeded);
        Assert.Equal("Rationale", bare.Errors[0].Field);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.RecordJudgementAsync(exec, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 10, 14), null, Side.None, ""), default));
    }

    [Fact]
    public async Task JudgementsKeepAHistoryPerMeetingDateAndASecondForTheSameMeetingReplacesTheFirst()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var theme = await ThemeAsync(qa, "Neglect is recognised and acted on");

        await Commands.RecordJudgementAsync(qa, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 6, 10), null, Side.None, ""), default);
        await Commands.RecordJudgementAsync(qa, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 8, 12), null, Side.None, ""), default);
        await Commands.RecordJudgementAsync(qa, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 8, 12), Verdict.Contested, Side.None, "Re-referrals red while practitioners say they use the tool."), default);

        var detail = await Queries.ThemeAsync(qa, theme.Theme.Id, null, default);
        Assert.Equal([new DateOnly(2025, 8, 12), new DateOnly(2025, 6, 10)], detail!.History.Select(h => h.MeetingDate));
        Assert.Equal(Verdict.Contested, detail.History[0].OverrideVerdict);
        Assert.Null(detail.History[1].OverrideVerdict);
        Assert.Equal(6, detail.OverTime.Count);
    }

    [Fact]
    public async Task AnotherPartnershipSeesNoneOfTheThemesAndCannotLinkToThem()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var other = await Actors.OtherPartnershipAdminAsync(db.DataSource);
        var theme = await ThemeAsync(qa, TriangulationDemo.ContestedTheme);

        Assert.Empty((await Queries.MatrixAsync(other, null, null, default)).Rows);
        Assert.Null(await Queries.ThemeAsync(other, theme.Theme.Id, null, default));
        Assert.False((await Commands.AddLinkAsync(other, theme.Theme.Id, LinkInput.SummaryTopic("Anything"), default)).Succeeded);
        Assert.False((await Commands.RecordJudgementAsync(other, theme.Theme.Id, new JudgementInput(new DateOnly(2025, 1, 1), null, Side.None, ""), default)).Succeeded);
    }

    [Fact]
    public async Task AThemeIsCreatedAndLinkedByQaWithEvidenceFromItsOwnPartnershipOnly()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var priorityId = await conn.ExecuteScalarAsync<int>("select id from priority where partnership_id = @p and code = 'P3'", new { p = qa.PartnershipId });
        var measureId = await conn.ExecuteScalarAsync<int>("select id from measure where partnership_id = @p and code = 'HLT-CAMHS-WAIT'", new { p = qa.PartnershipId });

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.CreateThemeAsync(police, new ThemeInput("Emotional health", "", priorityId), default));
        var created = await Commands.CreateThemeAsync(qa, new ThemeInput("Children get timely help with their emotional health", "", priorityId), default);
        Assert.True(created.Succeeded);
        Assert.True((await Commands.AddLinkAsync(qa, created.Value, LinkInput.Measure(measureId), default)).Succeeded);
        var duplicate = await Commands.AddLinkAsync(qa, created.Value, LinkInput.Measure(measureId), default);
        Assert.Equal("That evidence is already linked to the theme.", duplicate.Errors[0].Message);
        Assert.False((await Commands.AddLinkAsync(qa, created.Value, LinkInput.Measure(987654), default)).Succeeded);

        var row = await ThemeAsync(qa, "Children get timely help with their emotional health");
        Assert.Single(row.Lens(Lens.Data).Items);
        Assert.Equal(Verdict.InsufficientEvidence, row.Verdict.Verdict);
        Assert.True(await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'triangulation_link' and after->>'themeId' = '{created.Value}'") == 1);
    }

    [Fact]
    public async Task OnlyAnAdminTunesAThemesRulesAndTheTunedRulesChangeTheVerdict()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var theme = await ThemeAsync(qa, TriangulationDemo.CorroboratedTheme);
        Assert.Equal(Verdict.Corroborated, theme.Verdict.Verdict);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SetRulesAsync(qa, theme.Theme.Id, LensRules.Default with { CorroborationLenses = 4 }, default));
        Assert.False((await Commands.SetRulesAsync(admin, theme.Theme.Id, LensRules.Default with { WindowMonths = 0 }, default)).Succeeded);
        Assert.True((await Commands.SetRulesAsync(admin, theme.Theme.Id, LensRules.Default with { CorroborationLenses = 4 }, default)).Succeeded);

        var tuned = await ThemeAsync(qa, TriangulationDemo.CorroboratedTheme);
        Assert.Equal(Verdict.Emerging, tuned.Verdict.Verdict);
        Assert.Equal(4, tuned.Rules.CorroborationLenses);
        await Commands.SetRulesAsync(admin, theme.Theme.Id, LensRules.Default, default);
    }

    [Fact]
    public async Task TheWindowDecidesWhatCounts()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var now = await ThemeAsync(qa, TriangulationDemo.ContestedTheme);
        // Two years earlier, the 2025 waves and audits were not yet there.
        var earlier = (await Queries.MatrixAsync(qa, null, now.AsAt.AddYears(-2), default)).Rows.Single(r => r.Theme.Title == TriangulationDemo.ContestedTheme);

        Assert.Equal(new DateOnly(2025, 9, 30), now.AsAt);
        Assert.Equal(new DateOnly(2024, 10, 1), now.WindowStart);
        Assert.DoesNotContain(earlier.Lens(Lens.ChildrenAndFamilies).Items, i => i.Dated > earlier.AsAt);
        Assert.Equal(Judgement.NoEvidence, earlier.Lens(Lens.MultiAgencyAudit).Judgement);
    }

    [Fact]
    public async Task ThePriorityFilterKeepsOnlyThatPrioritysThemes()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var p1 = await Queries.MatrixAsync(qa, "P1", null, default);
        Assert.Equal([TriangulationDemo.CorroboratedTheme], p1.Rows.Select(r => r.Theme.Title));
        Assert.Equal(4, p1.Priorities.Count);
    }

    [Fact]
    public async Task SuppressedVoiceResultsAreNotCountedOrShownForAnAgencyUser()
    {
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);

        var forPolice = (await ThemeAsync(police, TriangulationDemo.InsufficientTheme)).Lens(Lens.ChildrenAndFamilies);
        var forQa = (await ThemeAsync(qa, TriangulationDemo.InsufficientTheme)).Lens(Lens.ChildrenAndFamilies);

        var hidden = forPolice.Items.Single(i => i.Label.StartsWith("Someone at my school", StringComparison.Ordinal));
        Assert.Equal(VoiceDisclosure.SmallAnswer, hidden.Figures);
        Assert.Equal(Judgement.NoEvidence, hidden.Judgement);
        Assert.DoesNotContain("79%", string.Join(" ", forPolice.Items.Select(i => i.Figures)));
        Assert.Contains(forQa.Items, i => i.Figures.StartsWith("79%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAgendaSourceProposesTheContestedThemeOnly()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        IAgendaSource source = new TriangulationAgendaSource(Queries);

        var items = await source.FindAsync(qa, new DateOnly(2025, 8, 1), new DateOnly(2025, 10, 14), default);

        var item = Assert.Single(items);
        Assert.Equal(AgendaItemKind.ContestedTheme, item.Kind);
        Assert.StartsWith("theme:", item.SourceKey);
        Assert.Contains(TriangulationDemo.ContestedTheme, item.Title);
        Assert.StartsWith("/triangulation/themes/", item.Link);
        Assert.Contains(item.Facts, f => f.Label == "Negative" && f.Value.Contains("Children and families"));
    }
}
