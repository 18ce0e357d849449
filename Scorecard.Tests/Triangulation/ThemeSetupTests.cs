using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Triangulation;

/// <summary>
/// Managing themes on screen (issue 12 §2), on the demo partnership in a real PostgreSQL: editing a theme's details
/// (validated, logged with before and after, QA and admins only, never another partnership's), the evidence pickers'
/// searches (each kind, findings finding their questions, voice split by whose voice, wildcards taken literally,
/// tenancy), and the rules beside their documented defaults.
/// </summary>
public sealed class ThemeSetupTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private TriangulationQueries Queries => new(db.DataSource, new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System));
    private TriangulationCommands Commands => new(db.DataSource, Queries);
    private ThemeSetupQueries Setup => new(db.DataSource);

    private async Task<int> ThemeIdAsync(string title)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select id from triangulation_theme where title = @title", new { title });
    }

    private async Task<int> PriorityIdAsync(string code)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select p.id from priority p join partnership x on x.id = p.partnership_id where x.code <> 'other-lscp' and p.code = @code", new { code });
    }

    [Fact]
    public async Task AQaMemberCreatesThenEditsAThemeAndBothChangesAreLoggedWithBeforeAndAfter()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var p1 = await PriorityIdAsync("P1");
        var p2 = await PriorityIdAsync("P2");
        var created = await Commands.CreateThemeAsync(qa, new ThemeInput("Neglect is recognised early", "First wording", p1), default);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        var logsBefore = await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'triangulation_theme' and entity_id = '{created.Value}'");

        var edited = await Commands.UpdateThemeAsync(qa, created.Value, new ThemeInput("  Neglect is recognised and acted on early ", "Second wording", p2, 5), default);

        Assert.True(edited.Succeeded, string.Join("; ", edited.Errors.Select(e => e.Message)));
        Assert.True(edited.Value);
        var setup = await Setup.SetupAsync(qa, created.Value, default);
        Assert.NotNull(setup);
        Assert.Equal("Neglect is recognised and acted on early", setup.Theme.Title);
        Assert.Equal("Second wording", setup.Theme.Description);
        Assert.Equal(p2, setup.Theme.PriorityId);
        Assert.Equal(5, setup.Theme.SortOrder);
        Assert.Equal(logsBefore + 1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'triangulation_theme' and entity_id = '{created.Value}'"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var log = await conn.QuerySingleAsync<(string Summary, string Before, string After, int? UserId)>(
            "select summary, before::text, after::text, user_id from change_log where entity = 'triangulation_theme' and entity_id = @id order by id desc limit 1",
            new { id = created.Value.ToString() });
        Assert.Contains("renamed \"Neglect is recognised and acted on early\"", log.Summary);
        Assert.Contains("First wording", log.Before);
        Assert.Contains("Second wording", log.After);
        Assert.Equal(qa.UserId, log.UserId);

        // Saving the same details again changes nothing and logs nothing.
        var again = await Commands.UpdateThemeAsync(qa, created.Value, new ThemeInput("Neglect is recognised and acted on early", "Second wording", p2, 5), default);
        Assert.True(again.Succeeded);
        Assert.False(again.Value);
        Assert.Equal(logsBefore + 1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'triangulation_theme' and entity_id = '{created.Value}'"));
    }

    [Fact]
    public async Task AnEditIsValidatedWithClearMessagesAndNothingIsHalfSaved()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var id = await ThemeIdAsync(TriangulationDemo.InsufficientTheme);
        var before = await Setup.SetupAsync(qa, id, default);

        var blank = await Commands.UpdateThemeAsync(qa, id, new ThemeInput(" ", "x", before!.Theme.PriorityId), default);
        Assert.Equal("Title is required.", Assert.Single(blank.Errors).Message);

        var duplicate = await Commands.UpdateThemeAsync(qa, id, new ThemeInput(TriangulationDemo.ContestedTheme.ToUpperInvariant(), "", before.Theme.PriorityId), default);
        Assert.Equal("There is already a theme with that title.", Assert.Single(duplicate.Errors).Message);

        var noPriority = await Commands.UpdateThemeAsync(qa, id, new ThemeInput("A new title for the theme", "", 999_999), default);
        Assert.Equal("Choose one of the partnership's priorities.", Assert.Single(noPriority.Errors).Message);

        var missing = await Commands.UpdateThemeAsync(qa, 999_999, new ThemeInput("A new title for the theme", "", before.Theme.PriorityId), default);
        Assert.Equal("There is no such theme.", Assert.Single(missing.Errors).Message);

        var after = await Setup.SetupAsync(qa, id, default);
        Assert.Equal(before.Theme, after!.Theme);
    }

    [Fact]
    public async Task OnlyQaAndAdminsManageThemesAndAnotherPartnershipCannotReachThem()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var other = await Actors.OtherPartnershipAdminAsync(db.DataSource);
        var id = await ThemeIdAsync(TriangulationDemo.ContestedTheme);
        var p1 = await PriorityIdAsync("P1");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.UpdateThemeAsync(exec, id, new ThemeInput("Renamed by an executive", "", p1), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Setup.SetupAsync(police, id, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Setup.SearchAsync(police, EvidencePicker.Measure, "", default));

        // The other partnership's admin: no such theme, the demo's priority is not theirs, and no demo evidence in any picker.
        Assert.Null(await Setup.SetupAsync(other, id, default));
        var edit = await Commands.UpdateThemeAsync(other, id, new ThemeInput("Renamed by another partnership", "", p1), default);
        Assert.False(edit.Succeeded);
        foreach (var picker in Enum.GetValues<EvidencePicker>())
            Assert.Empty(await Setup.SearchAsync(other, picker, "", default));
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        Assert.Equal(TriangulationDemo.ContestedTheme, (await Setup.SetupAsync(qa, id, default))!.Theme.Title);
    }

    [Fact]
    public async Task EachPickerFindsItsOwnKindOfEvidenceByItsWords()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var measure = await conn.QueryFirstAsync<(int Id, string Code)>("select id, code from measure order by code limit 1");
        var standard = await conn.QueryFirstAsync<(int Id, string Title)>("select id, title from framework_standard order by id limit 1");
        var topic = await conn.QueryFirstAsync<string>("select topic from audit_summary_return where status = 'accepted' order by id limit 1");
        var children = await conn.QueryFirstAsync<(int Id, string Wording)>(
            "select q.id, q.wording from voice_question q join voice_activity a on a.partnership_id = q.partnership_id and a.id = q.activity_id where a.respondent_group <> 'practitioners' order by q.id limit 1");
        var practitioners = await conn.QueryFirstAsync<(int Id, string Wording)>(
            "select q.id, q.wording from voice_question q join voice_activity a on a.partnership_id = q.partnership_id and a.id = q.activity_id where a.respondent_group = 'practitioners' order by q.id limit 1");

        var measures = await Setup.SearchAsync(qa, EvidencePicker.Measure, measure.Code.ToLowerInvariant(), default);
        Assert.Contains(measures, o => o.Link == LinkInput.Measure(measure.Id) && o.Label.StartsWith(measure.Code));

        var standards = await Setup.SearchAsync(qa, EvidencePicker.Standard, standard.Title[..Math.Min(20, standard.Title.Length)], default);
        Assert.Contains(standards, o => o.Link == LinkInput.Standard(standard.Id));

        var topics = await Setup.SearchAsync(qa, EvidencePicker.SummaryTopic, topic, default);
        Assert.Equal(LinkInput.SummaryTopic(topic), Assert.Single(topics).Link);

        var childOptions = await Setup.SearchAsync(qa, EvidencePicker.ChildrenAndFamiliesQuestion, children.Wording, default);
        Assert.Contains(childOptions, o => o.Link == LinkInput.VoiceQuestion(children.Id));
        Assert.DoesNotContain(await Setup.SearchAsync(qa, EvidencePicker.PractitionerQuestion, children.Wording, default), o => o.Link.Id == children.Id);
        var practitionerOptions = await Setup.SearchAsync(qa, EvidencePicker.PractitionerQuestion, practitioners.Wording, default);
        Assert.Contains(practitionerOptions, o => o.Link == LinkInput.VoiceQuestion(practitioners.Id));
        Assert.DoesNotContain(await Setup.SearchAsync(qa, EvidencePicker.ChildrenAndFamiliesQuestion, practitioners.Wording, default), o => o.Link.Id == practitioners.Id);

        // A blank search lists the first ones, never more than the limit.
        var all = await Setup.SearchAsync(qa, EvidencePicker.Measure, "  ", default);
        Assert.InRange(all.Count, 1, ThemeSetupQueries.PickerLimit);
    }

    [Fact]
    public async Task AFindingsWordsFindTheAuditQuestionsItWasDrawnFrom()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var finding = await conn.QueryFirstAsync<(int QuestionId, string Statement)>("""
            select fq.question_id, f.statement from audit_finding f
            join audit_finding_question fq on fq.partnership_id = f.partnership_id and fq.finding_id = f.id
            where f.withdrawn_at is null order by f.id limit 1
            """);
        // The finding's words, not the question's: the search goes through the finding.
        var words = finding.Statement[..Math.Min(30, finding.Statement.Length)];

        var options = await Setup.SearchAsync(qa, EvidencePicker.AuditQuestion, words, default);

        var option = Assert.Single(options, o => o.Link == LinkInput.AuditQuestion(finding.QuestionId));
        Assert.StartsWith("Finding: ", option.Detail);
    }

    [Fact]
    public async Task SearchWildcardsAreTakenLiterally()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        Assert.Empty(await Setup.SearchAsync(qa, EvidencePicker.Measure, "%", default));
        Assert.Empty(await Setup.SearchAsync(qa, EvidencePicker.AuditQuestion, "_____'; drop table measure; --", default));
        Assert.NotEmpty(await Setup.SearchAsync(qa, EvidencePicker.Measure, "", default));
    }

    [Fact]
    public async Task APickedOptionLinksAndUnlinksAndTheSetupShowsIt()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var id = await ThemeIdAsync(TriangulationDemo.InsufficientTheme);
        var option = (await Setup.SearchAsync(qa, EvidencePicker.Standard, "", default)).First();
        var logs = await Actors.CountAsync(db.DataSource, "change_log", "entity = 'triangulation_link'");

        var linked = await Commands.AddLinkAsync(qa, id, option.Link, default);
        Assert.True(linked.Succeeded, string.Join("; ", linked.Errors.Select(e => e.Message)));
        var setup = await Setup.SetupAsync(qa, id, default);
        Assert.Contains(setup!.Links, l => l.Id == linked.Value && l.StandardId == option.Link.Id && l.Label.Contains(option.Label));

        var twice = await Commands.AddLinkAsync(qa, id, option.Link, default);
        Assert.Equal("That evidence is already linked to the theme.", Assert.Single(twice.Errors).Message);

        Assert.True((await Commands.RemoveLinkAsync(qa, linked.Value, default)).Succeeded);
        Assert.DoesNotContain((await Setup.SetupAsync(qa, id, default))!.Links, l => l.Id == linked.Value);
        Assert.Equal(logs + 2, await Actors.CountAsync(db.DataSource, "change_log", "entity = 'triangulation_link'"));
    }

    [Fact]
    public async Task TheRulesAreShownBesideTheDocumentedDefaultsWithWhatChanged()
    {
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var p1 = await PriorityIdAsync("P1");
        var id = (await Commands.CreateThemeAsync(qa, new ThemeInput("Rules are tuned for this theme", "", p1), default)).Value;
        var fresh = await Setup.SetupAsync(qa, id, default);
        Assert.False(fresh!.RulesTuned);
        Assert.All(LensRulesSettings.Compare(fresh.Rules), s => Assert.False(s.Changed));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Commands.SetRulesAsync(qa, id, LensRules.Default with { PositiveShare = 0.8 }, default));
        var bad = await Commands.SetRulesAsync(admin, id, LensRules.Default with { NegativeShare = 0.9 }, default);
        Assert.Contains(bad.Errors, e => e.Message.StartsWith("The audit thresholds"));

        Assert.True((await Commands.SetRulesAsync(admin, id, LensRules.Default with { PositiveShare = 0.8, WindowMonths = 18 }, default)).Succeeded);

        var tuned = await Setup.SetupAsync(qa, id, default);
        Assert.True(tuned!.RulesTuned);
        var changed = LensRulesSettings.Compare(tuned.Rules).Where(s => s.Changed).ToList();
        Assert.Equal([("PositiveShare", "75%", "80%"), ("WindowMonths", "12", "18")],
            changed.Select(s => (s.Name, s.Default, s.Current)).OrderBy(s => s.Name).ToList());
    }
}
