using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Returns;

namespace Scorecard.Tests.Returns;

/// <summary>The drill path ends on figures: the return history shows the return's values with RAG, commentary and warnings.</summary>
public sealed class ReturnFiguresTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ReturnFiguresQueries Figures => new(db.DataSource, new ReturnUploadOptions());

    [Fact]
    public async Task TheCurrentVersionsFiguresComeWithRagCommentaryAndWarnings()
    {
        var (agency, period, codes, admin) = await HistoryTestData.DemoAgencyAsync(db.DataSource, "Cheshire Constabulary");
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var added = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, police.UserId, null, null,
            [new(codes[0], Value: 987654m, Commentary: "A county lines operation.")]);

        var figures = await Figures.GetCurrentAsync(police, agency, period);

        Assert.NotNull(figures);
        Assert.Equal((added.Version, ReturnStatus.Accepted), (figures.Version, figures.Status));
        Assert.Equal(codes, figures.Figures.Select(f => f.MeasureCode));
        var changed = figures.Figures[0];
        Assert.Equal((987654m, "A county lines operation."), (changed.Value, changed.Commentary));
        // A value thousands of times its usual level is outside the process limits and far from last quarter.
        Assert.Contains(changed.Warnings, w => w.Contains("outside this measure's usual range"));
        Assert.Contains(changed.Warnings, w => w.Contains("on last quarter's"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var measure = await conn.QuerySingleAsync<(decimal? Target, decimal? AmberTolerance, string Polarity, int DecimalPlaces)>(
            "select target, amber_tolerance, polarity, decimal_places::int from measure where code = @code and partnership_id = @p",
            new { code = codes[0], p = admin.PartnershipId });
        Assert.Equal(Rag.Assess(987654m, measure.Target, measure.AmberTolerance, DbEnum.Parse<Polarity>(measure.Polarity), measure.DecimalPlaces), changed.Rag);
        Assert.All(figures.Figures, f => Assert.Equal(f.Value is null ? RagStatus.NoData : f.Rag, f.Rag));
    }

    [Fact]
    public async Task AnotherAgencysFiguresAreRefusedToAnAgencyUser()
    {
        var (agency, period, _, _) = await HistoryTestData.DemoAgencyAsync(db.DataSource, "Cheshire Fire");
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Figures.GetCurrentAsync(police, agency, period));
    }

    [Fact]
    public async Task AQuarterWithNothingSentHasNoFigures()
    {
        var (agency, _, _, admin) = await HistoryTestData.DemoAgencyAsync(db.DataSource, "Cheshire Constabulary");
        var empty = await new Scorecard.Data.Catalog.PeriodCommands(db.DataSource).CreateAsync(
            admin, new Scorecard.Data.Catalog.PeriodInput(2025, 3, new DateOnly(2026, 1, 28), true));
        Assert.True(empty.Succeeded);

        Assert.Null(await Figures.GetCurrentAsync(admin, agency, empty.Value));
    }

    [Theory]
    [InlineData("measure", "CSC-REREF", false, "Scorecard|CSC-REREF|Police 2025/26 Q2")]
    [InlineData("agency", null, false, "Scorecard|Police|2025/26 Q2")]
    [InlineData("tracker", null, false, "Submission tracker|Police 2025/26 Q2")]
    [InlineData(null, null, true, "Our returns|Police 2025/26 Q2")]
    [InlineData(null, null, false, "Submission tracker|Police 2025/26 Q2")]
    [InlineData("home", null, true, "Home|Police 2025/26 Q2")]
    [InlineData("measure", "<script>", false, "Submission tracker|Police 2025/26 Q2")]
    public void BreadcrumbsFollowTheRouteTaken(string? from, string? code, bool agencyUser, string expected) =>
        Assert.Equal(expected, string.Join("|",
            HistoryBreadcrumbs.For(from, code, agencyUser, 7, "Police", "2025/26 Q2").Select(b => b.Text)));
}
