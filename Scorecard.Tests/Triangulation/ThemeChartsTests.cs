using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance;
using Scorecard.Data.Performance;
using Scorecard.Data.Triangulation;
using Scorecard.Data.Voice;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Triangulation;

/// <summary>
/// The theme page's evidence as charts (issue 12 §2), built in the Data layer on the demo in a real PostgreSQL: one chart
/// source per linked piece of evidence with evidence in the window, the same numbers the lens judged, and disclosure per
/// viewer (grade counts of 1–4 and small voice results hidden from an agency user; their own agency's ratings only).
/// </summary>
public sealed class ThemeChartsTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private TriangulationQueries Queries => new(db.DataSource, new ScorecardReadModel(new ScorecardQueries(db.DataSource, TimeProvider.System), TimeProvider.System));

    private async Task<ThemeDetail> DetailAsync(Actor actor, string title)
    {
        var matrix = await Queries.MatrixAsync(actor, null, null, default);
        return (await Queries.ThemeAsync(actor, matrix.Rows.Single(r => r.Theme.Title == title).Theme.Id, null, default))!;
    }

    [Fact]
    public async Task EachLensWithEvidenceHasItsChartFromTheSameNumbersTheLensJudged()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var all = new List<ThemeCharts>();
        foreach (var row in (await Queries.MatrixAsync(qa, null, null, default)).Rows)
        {
            var detail = (await Queries.ThemeAsync(qa, row.Theme.Id, null, default))!;
            var charts = detail.Charts!;
            var now = detail.Current;
            all.Add(charts);

            // Data: one XmR line per linked measure on the scorecard, the same measures the lens listed.
            Assert.Equal(now.Lens(Lens.Data).Items.Where(i => i.Href is not null).Select(i => i.Label).Order(),
                charts.Measures.Select(l => $"{l.Measure.Code} {l.Measure.Title}").Order());

            // Multi-agency audit: one bar per graded question, whose good-or-better share is the lens item's.
            Assert.Equal(now.Lens(Lens.MultiAgencyAudit).Items.Count, charts.Audits.Count);
            foreach (var bar in charts.Audits)
            {
                var item = now.Lens(Lens.MultiAgencyAudit).Items.Single(i => i.Label == bar.QuestionText && i.Source == bar.AuditTitle);
                // The assurance pages write "29 %" with a thin space; the lens writes "29%".
                Assert.StartsWith(string.Concat(bar.Distribution.ShareText.Where(c => !char.IsWhiteSpace(c))), item.Figures);
            }

            // Self-assessment: one column per linked standard, each agency's rating; the counts match the lens's figures.
            Assert.Equal(now.Lens(Lens.SelfAssessment).Items.Count, charts.Standards.Count);
            foreach (var column in charts.Standards)
            {
                Assert.Equal(0, column.OtherAgencies);
                var item = now.Lens(Lens.SelfAssessment).Items.Single(i => i.Label == $"{column.Code} {column.Title}");
                Assert.Contains($"({column.Agencies.Count(a => a.Rating == Rating.Met)} met, ", item.Figures);
            }

            // Voice: the children's questions and the practitioners' apart, each with the lens item's interval.
            Assert.Equal(now.Lens(Lens.ChildrenAndFamilies).Items.Count, charts.ChildrenAndFamilies.Count);
            Assert.Equal(now.Lens(Lens.Practitioners).Items.Count, charts.Practitioners.Count);
            foreach (var q in charts.ChildrenAndFamilies.Concat(charts.Practitioners).Where(q => !q.Result.Suppressed))
                Assert.Contains(now.Lenses.SelectMany(l => l.Items), i => i.Label == q.Wording && i.Figures.StartsWith(VoiceStatistics.Describe(q.Result.Share!)));
        }
        // The demo gives every kind of chart something to draw, and the plant's children's question is under half.
        Assert.Contains(all, c => c.Measures.Count > 0);
        Assert.Contains(all, c => c.Audits.Count > 0);
        Assert.Contains(all, c => c.Standards.Count > 0);
        Assert.Contains(all, c => c.Practitioners.Count > 0);
        Assert.Contains(all.SelectMany(c => c.ChildrenAndFamilies), q => q.Wording.Contains("I was listened to at my conference") && q.Result.Share is { Share: < 0.5 });
    }

    [Fact]
    public async Task AnAgencyUserSeesTheirOwnAgencysRatingsAndNoSmallCountsInTheCharts()
    {
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        foreach (var title in new[] { TriangulationDemo.ContestedTheme, TriangulationDemo.CorroboratedTheme })
        {
            var asQa = (await DetailAsync(qa, title)).Charts!;
            var asPolice = (await DetailAsync(police, title)).Charts!;

            foreach (var (mine, all) in asPolice.Standards.Zip(asQa.Standards))
            {
                Assert.True(mine.Agencies.Count <= 1);
                Assert.Equal(all.Agencies.Count, mine.Agencies.Count + mine.OtherAgencies);
            }
            // No grade count of 1–4 reaches the agency user, for any agency's cases.
            Assert.All(asPolice.Audits.SelectMany(a => a.Distribution.Counts), c => Assert.False(c.Count is >= 1 and <= 4));
            Assert.All(asPolice.ChildrenAndFamilies.Where(q => !q.Result.Suppressed), q => Assert.DoesNotContain(q.Result.Counts!, c => c is >= 1 and <= 4));
        }
    }

    [Fact]
    public async Task ASmallVoiceResultLinkedToAThemeIsSuppressedInItsChartForAnAgencyUser()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var commands = new TriangulationCommands(db.DataSource, Queries);
        var setup = new ThemeSetupQueries(db.DataSource);
        // The young carers' consultation has an answer given by fewer than 5 (the demo plants it).
        var option = (await setup.SearchAsync(qa, EvidencePicker.ChildrenAndFamiliesQuestion, "Someone at my school knows", default)).First();
        var theme = (await Queries.MatrixAsync(qa, null, null, default)).Rows.Single(r => r.Theme.Title == TriangulationDemo.InsufficientTheme).Theme.Id;
        var linked = await commands.AddLinkAsync(qa, theme, option.Link, default);
        Assert.True(linked.Succeeded || linked.Errors[0].Message.Contains("already linked"));

        var asQa = (await Queries.ThemeAsync(qa, theme, null, default))!.Charts!;
        var asPolice = (await Queries.ThemeAsync(police, theme, null, default))!.Charts!;

        var shown = Assert.Single(asQa.ChildrenAndFamilies, q => q.Wording.StartsWith("Someone at my school knows"));
        Assert.False(shown.Result.Suppressed);
        Assert.Contains(shown.Result.Counts!, c => c is >= 1 and <= 4);
        var hidden = Assert.Single(asPolice.ChildrenAndFamilies, q => q.Wording.StartsWith("Someone at my school knows"));
        Assert.True(hidden.Result.Suppressed);
        Assert.Null(hidden.Result.Counts);
        Assert.Equal(VoiceDisclosure.SmallAnswer, hidden.Result.Reason);
    }

    [Fact]
    public async Task ExportsCarryNoCharts()
    {
        var qa = await Actors.ForAsync(db.DataSource, Actors.QaEmail);
        var id = (await Queries.MatrixAsync(qa, null, null, default)).Rows.First().Theme.Id;
        Assert.Null((await Queries.ThemeAsync(qa, id, null, default, forExport: true))!.Charts);
    }
}
