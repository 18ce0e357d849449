using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

/// <summary>An admin rejects a version with a reason; the scorecard goes back to the previous accepted version.</summary>
public sealed class RejectTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private RejectReturnCommand Rejections => new(db.DataSource);
    private ReturnQueries Returns => new(db.DataSource, FixedClock.DemoToday);

    private Task<(int Agency, int Period, IReadOnlyList<string> Codes, Actor Admin)> AgencyAsync(string name) =>
        HistoryTestData.DemoAgencyAsync(db.DataSource, name);

    private async Task<ReturnStatus> StatusAsync(long returnId)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return DbEnum.Parse<ReturnStatus>(await conn.ExecuteScalarAsync<string>("select status from data_return where id = @returnId", new { returnId }) ?? "");
    }

    [Fact]
    public async Task RejectingTheCurrentVersionPutsThePreviousValuesBackOnTheScorecard()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Cheshire Constabulary");
        var original = await Returns.GetCurrentValuesAsync(admin, agency, period);
        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, [9], "wrong.xlsx",
            [new(codes[0], Value: original[0].Value + 1000m, Commentary: "Typed in the wrong column")]);
        Assert.NotEqual(original[0].Value, (await Returns.GetCurrentValuesAsync(admin, agency, period))[0].Value);
        var logBefore = await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'data_return' and entity_id = '{v2.ReturnId}'");

        var result = await Rejections.RejectAsync(admin, v2.ReturnId, "  Figures typed into the wrong column.  ");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(new RejectOutcome(v2.ReturnId, v2.Version, v2.PreviousReturnId, v2.Version - 1), result.Value);
        Assert.Equal(original, await Returns.GetCurrentValuesAsync(admin, agency, period));
        var history = (await new ReturnHistoryQueries(db.DataSource).GetHistoryAsync(admin, agency, period))!;
        var rejected = history.Versions.Single(v => v.Id == v2.ReturnId);
        Assert.Equal((ReturnStatus.Rejected, "Figures typed into the wrong column.", admin.DisplayName), (rejected.Status, rejected.RejectedReason, rejected.RejectedByName));
        Assert.NotNull(rejected.RejectedAt);
        Assert.Equal(ReturnStatus.Accepted, history.Versions.Single(v => v.Id == v2.PreviousReturnId).Status);
        Assert.Equal(logBefore + 1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'data_return' and entity_id = '{v2.ReturnId}' and action = 'reject'"));
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "change_log", $"entity = 'data_return' and entity_id = '{v2.PreviousReturnId}' and action = 'update'"));
    }

    [Fact]
    public async Task RejectingTheMiddleOfThreeVersionsWhenTheLatestIsRejectedFallsBackTwice()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Cheshire East Council");
        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, null, null, [new(codes[0], Value: 2m)]);
        var v3 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, null, null, [new(codes[0], Value: 3m)]);

        Assert.True((await Rejections.RejectAsync(admin, v3.ReturnId, "Third version is wrong")).Succeeded);
        Assert.Equal(2m, (await Returns.GetCurrentValuesAsync(admin, agency, period)).Single(v => v.MeasureCode == codes[0]).Value);
        var second = await Rejections.RejectAsync(admin, v2.ReturnId, "Second version is wrong too");

        Assert.Equal(v2.PreviousReturnId, second.Value!.ReinstatedReturnId);
        Assert.Equal(ReturnStatus.Accepted, await StatusAsync(v2.PreviousReturnId!.Value));
        Assert.Equal(1, await Actors.CountAsync(db.DataSource, "data_return", $"agency_id = {agency} and period_id = {period} and status = 'accepted'"));
    }

    [Fact]
    public async Task RejectingAVersionTwiceIsAValidationErrorAndChangesNothing()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Sandbach High School");
        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, null, null, [new(codes[0], Value: 5m)]);
        Assert.True((await Rejections.RejectAsync(admin, v2.ReturnId, "Wrong school")).Succeeded);
        var log = await Actors.CountAsync(db.DataSource, "change_log");

        var again = await Rejections.RejectAsync(admin, v2.ReturnId, "Still wrong");

        Assert.False(again.Succeeded);
        Assert.Contains("already been rejected", again.Errors.Single().Message);
        Assert.Equal(log, await Actors.CountAsync(db.DataSource, "change_log"));
        Assert.Equal(ReturnStatus.Accepted, await StatusAsync(v2.PreviousReturnId!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no")]
    public async Task AReasonIsRequired(string reason)
    {
        var (agency, period, _, admin) = await AgencyAsync("Cheshire Constabulary");
        var history = await new ReturnHistoryQueries(db.DataSource).GetHistoryAsync(admin, agency, period);
        var current = history!.Versions.First(v => v.Status == ReturnStatus.Accepted);

        var result = await Rejections.RejectAsync(admin, current.Id, reason);

        Assert.Equal("Reason", result.Errors.Single().Field);
        Assert.Equal(ReturnStatus.Accepted, await StatusAsync(current.Id));
    }

    [Theory]
    [InlineData(Actors.QaEmail)]
    [InlineData(Actors.ExecutiveEmail)]
    [InlineData(Actors.PoliceEmail)]
    public async Task OnlyAnAdminMayReject(string email)
    {
        var (agency, period, _, admin) = await AgencyAsync("Cheshire Constabulary");
        var current = (await new ReturnHistoryQueries(db.DataSource).GetHistoryAsync(admin, agency, period))!.Versions.First(v => v.Status == ReturnStatus.Accepted);
        var actor = await Actors.ForAsync(db.DataSource, email);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Rejections.RejectAsync(actor, current.Id, "Not my call to make"));

        Assert.Equal(ReturnStatus.Accepted, await StatusAsync(current.Id));
    }

    [Fact]
    public async Task AnUnknownVersionOrOneInAnotherPartnershipIsNotFound()
    {
        var (agency, period, _, admin) = await AgencyAsync("Cheshire Constabulary");
        var current = (await new ReturnHistoryQueries(db.DataSource).GetHistoryAsync(admin, agency, period))!.Versions.First(v => v.Status == ReturnStatus.Accepted);

        var unknown = await Rejections.RejectAsync(admin, -1, "Does not exist");
        var elsewhere = await Rejections.RejectAsync(await Actors.OtherPartnershipAdminAsync(db.DataSource), current.Id, "Not ours");

        Assert.Contains("does not exist", unknown.Errors.Single().Message);
        Assert.Contains("does not exist", elsewhere.Errors.Single().Message);
        Assert.Equal(ReturnStatus.Accepted, await StatusAsync(current.Id));
    }

    [Fact]
    public async Task TheTrackerStopsCountingARejectedResubmission()
    {
        var (agency, period, codes, admin) = await AgencyAsync("Cheshire East Council");
        var v2 = await HistoryTestData.AddVersionAsync(db.DataSource, agency, period, admin.UserId, null, null, [new(codes[0], Value: 1m)]);
        var before = (await Returns.GetPeriodSubmissionsAsync(admin, period))!.Agencies.Single(a => a.AgencyId == agency);

        await Rejections.RejectAsync(admin, v2.ReturnId, "Sent by mistake");
        var after = (await Returns.GetPeriodSubmissionsAsync(admin, period))!.Agencies.Single(a => a.AgencyId == agency);

        Assert.Equal(before.Versions - 1, after.Versions);
        Assert.NotEqual(SubmissionStatus.Resubmitted, after.Status);
    }
}
