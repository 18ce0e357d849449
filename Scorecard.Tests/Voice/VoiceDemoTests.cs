using Scorecard.Data.Voice;
using Scorecard.Data.Voice.Demo;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Voice;

/// <summary>The voice demo: deterministic, loaded with the demo partnership, with its plants and its suppressed results.</summary>
public sealed class VoiceDemoTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public void TheDemoIsTheSameEveryTime()
    {
        var a = VoiceDemoGenerator.Generate();
        var b = VoiceDemoGenerator.Generate();
        Assert.Equal(a.SelectMany(x => x.Input.Questions.SelectMany(q => q.Counts)), b.SelectMany(x => x.Input.Questions.SelectMany(q => q.Counts)));
        Assert.All(a, x => Assert.Empty(VoiceCommands.Validate(x.Input with { AgencyId = x.AgencyKey is null ? null : 1 })));
    }

    [Fact]
    public async Task TheDemoHasTheIssuesActivitiesWithWaves()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var list = await new VoiceQueries(db.DataSource).ListAsync(qa, null, null, default);

        Assert.Equal(4, list.Count(a => a.SeriesKey == VoiceDemoGenerator.ChildrenInCareSeries));
        Assert.Equal(2, list.Count(a => a.SeriesKey == VoiceDemoGenerator.ChildProtectionSeries));
        Assert.Equal(2, list.Count(a => a.SeriesKey == VoiceDemoGenerator.PractitionerSeries));
        Assert.Equal(2, list.Count(a => a.Method == VoiceMethod.PractitionerVisit));
        Assert.All(list.Where(a => a.SeriesKey == VoiceDemoGenerator.ChildrenInCareSeries), a => Assert.InRange(a.Respondents, 180, 220));
        Assert.All(list.Where(a => a.SeriesKey == VoiceDemoGenerator.PractitionerSeries), a => Assert.InRange(a.Respondents, 420, 480));
        Assert.Contains(list, a => a.Method == VoiceMethod.DirectWork);
        Assert.Contains(list, a => a.Forum == "Cheshire Youth Commission");
    }

    [Fact]
    public async Task UnderHalfOfChildrenOnAPlanSayTheyWereListenedToInTheLatestWave()
    {
        var exec = await Actors.ForAsync(db.DataSource, Actors.ExecutiveEmail);
        var queries = new VoiceQueries(db.DataSource);
        var latest = (await queries.ListAsync(exec, null, null, default)).Where(a => a.SeriesKey == VoiceDemoGenerator.ChildProtectionSeries).MaxBy(a => a.Wave)!;

        var q = (await queries.ActivityAsync(exec, latest.Id, default))!.Questions.Single(q => q.QuestionKey == "listened-at-conference");

        Assert.True(q.Result.Share!.High < 0.5, $"{q.Result.Share}");
        Assert.Equal(2, q.Waves.Count);
    }

    [Fact]
    public async Task TheYoungCarersResultsAreSuppressedForAnAgencyUserButNotForQa()
    {
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var queries = new VoiceQueries(db.DataSource);
        var focus = (await queries.ListAsync(police, null, null, default)).Single(a => a.Title == VoiceDemoGenerator.YoungCarersFocusGroup);
        var consultation = (await queries.ListAsync(police, null, null, default)).Single(a => a.Title == "Young carers' consultation");

        Assert.All((await queries.ActivityAsync(police, focus.Id, default))!.Questions, q => Assert.Equal(VoiceDisclosure.FewRespondents, q.Result.Reason));
        var questions = (await queries.ActivityAsync(police, consultation.Id, default))!.Questions;
        Assert.True(questions.Single(q => q.QuestionKey == "school-knows").Result.Suppressed);
        Assert.False(questions.Single(q => q.QuestionKey == "know-help").Result.Suppressed);
        Assert.All((await queries.ActivityAsync(qa, focus.Id, default))!.Questions, q => Assert.False(q.Result.Suppressed));
    }
}
