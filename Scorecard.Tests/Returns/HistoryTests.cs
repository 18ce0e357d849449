using System.Text;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>Every version of a return, what changed between them, the original file, and who may see them.</summary>
public sealed class HistoryTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ReturnHistoryQueries Histories => new(db.DataSource);

    private Task<(int Agency, int Period, IReadOnlyList<string> Codes, Actor Admin)> AgencyAsync(string name) =>
        HistoryTestData.DemoAgencyAsync(db.DataSource, name);

    [Fact]
    public async Task HistoryListsEveryVersionNewestFirstWithWhatChangedPerMeasure()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Cheshire Constabulary");
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var before = await new ReturnQueries(db.DataSource, FixedClock.DemoToday).GetCurrentValuesAsync(admin, agency, period);
        var file = Encoding.UTF8.GetBytes("version two");

        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, police.UserId, file, "police-q2-v2.xlsx",
            [new(codes[0], Value: 4321m), new(codes[1], Commentary: "Recounted after a data cleanse.")]);
        var history = await Histories.GetHistoryAsync(police, agency, period);

        Assert.NotNull(history);
        Assert.Equal([v2.Version, v2.Version - 1], history.Versions.Select(v => v.Version));
        Assert.Equal([ReturnStatus.Accepted, ReturnStatus.Superseded], history.Versions.Select(v => v.Status));
        var newest = history.Versions[0];
        Assert.Equal(("police-q2-v2.xlsx", (long?)file.Length, police.DisplayName, before.Count), (newest.FileName, newest.FileSize, newest.SubmittedByName, newest.ValueCount));
        Assert.False(history.Versions[1].HasFile);
        var changes = Assert.Single(history.Changes);
        Assert.Equal((v2.Version - 1, v2.Version), (changes.FromVersion, changes.ToVersion));
        Assert.Equal([codes[0], codes[1]], changes.Changes.Select(c => c.MeasureCode));
        var value = changes.Changes[0];
        Assert.Equal((before.Single(v => v.MeasureCode == codes[0]).Value, 4321m, true, false), (value.OldValue, value.NewValue, value.ValueChanged, value.CommentaryChanged));
        var commentary = changes.Changes[1];
        Assert.Equal((false, true, "Recounted after a data cleanse."), (commentary.ValueChanged, commentary.CommentaryChanged, commentary.NewCommentary));
    }

    [Fact]
    public async Task TheOriginalFileDownloadsByteForByteAndAVersionWithoutOneHasNone()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Cheshire East Council");
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 % 256)).ToArray();

        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, bytes, "council return.xlsx", [new(codes[0], Value: 1m)]);
        var file = await Histories.GetOriginalFileAsync(admin, v2.ReturnId);

        Assert.NotNull(file);
        Assert.Equal("council return.xlsx", file.FileName);
        Assert.Equal(bytes, file.Bytes);
        Assert.Null(await Histories.GetOriginalFileAsync(admin, v2.PreviousReturnId!.Value));
        Assert.Null(await Histories.GetOriginalFileAsync(admin, -5));
    }

    [Fact]
    public async Task AnAgencyUserCannotReadAnotherAgencysHistoryOrFile()
    {
        var (school, period, codes, admin) = await AgencyAsync("Sandbach High School");
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var schoolUser = await Actors.ForAsync(db.DataSource, Actors.SchoolEmail);
        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, school, period, schoolUser.UserId, [1, 2, 3], "school.xlsx", [new(codes[0], Value: 2m)]);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Histories.GetHistoryAsync(police, school, period));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Histories.GetOriginalFileAsync(police, v2.ReturnId));
        Assert.NotNull(await Histories.GetHistoryAsync(schoolUser, school, period));
        Assert.Equal([1, 2, 3], (await Histories.GetOriginalFileAsync(schoolUser, v2.ReturnId))!.Bytes);
        foreach (var email in new[] { Actors.QaEmail, Actors.ExecutiveEmail })
        {
            var reader = await Actors.ForAsync(db.DataSource, email);
            Assert.Equal(2, (await Histories.GetHistoryAsync(reader, school, period))!.Versions.Count);
            Assert.NotNull(await Histories.GetOriginalFileAsync(reader, v2.ReturnId));
        }
    }

    [Fact]
    public async Task UnknownAgencyOrQuarterIsNotFoundAndAQuarterWithoutReturnsHasNoVersions()
    {
        var (agency, period, _, admin) = await AgencyAsync("Cheshire Constabulary");
        var lateAgency = await Actors.AgencyIdAsync(db.DataSource, "Mid Cheshire Hospitals");

        Assert.Null(await Histories.GetHistoryAsync(admin, 999_999, period));
        Assert.Null(await Histories.GetHistoryAsync(admin, agency, 999_999));
        Assert.Null(await Histories.GetHistoryAsync(await Actors.OtherPartnershipAdminAsync(db.DataSource), agency, period));
        var missing = await Histories.GetHistoryAsync(admin, lateAgency, period);
        Assert.NotNull(missing);
        Assert.Empty(missing.Versions);
        Assert.Empty(missing.Changes);
    }

    [Fact]
    public void TheDiffReportsAddedRemovedAndChangedMeasuresOnly()
    {
        VersionValue V(long ret, int id, decimal? value, string commentary = "") => new(ret, id, $"M{id}", $"Measure {id}", MeasureUnit.Count, null, null, value, commentary);
        var older = new[] { V(1, 1, 10m), V(1, 2, 5m, "a"), V(1, 3, 7m), V(1, 4, 1.50m) };
        var newer = new[] { V(2, 1, 10m), V(2, 2, 5m, "b "), V(2, 4, 1.5m), V(2, 5, 3m) };

        var changes = ReturnDiff.Compare(older, newer);

        Assert.Equal([("M2", ChangeKind.Changed), ("M5", ChangeKind.Added), ("M3", ChangeKind.Removed)], changes.Select(c => (c.MeasureCode, c.Kind)));
        Assert.False(changes[0].ValueChanged);
        Assert.True(changes[0].CommentaryChanged);
    }
}
