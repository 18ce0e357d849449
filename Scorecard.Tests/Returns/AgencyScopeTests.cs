using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Returns;

public sealed class AgencyScopeTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ReturnQueries Returns => new(db.DataSource, FixedClock.DemoToday);

    private async Task<(int Police, int Council, int Period)> IdsAsync()
    {
        var police = await Actors.AgencyIdAsync(db.DataSource, "Cheshire Constabulary");
        var council = await Actors.AgencyIdAsync(db.DataSource, "Cheshire East Council");
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);
        var period = (await new CatalogQueries(db.DataSource).ListPeriodsAsync(admin)).First().Id;
        return (police, council, period);
    }

    [Fact]
    public async Task AnAgencyUserReadsTheirOwnReturnsAndValues()
    {
        var (police, _, period) = await IdsAsync();
        var actor = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);

        var versions = await Returns.ListVersionsAsync(actor, police);
        var values = await Returns.GetCurrentValuesAsync(actor, police, period);

        Assert.Equal(22, versions.Count);
        Assert.All(versions, v => Assert.Equal(police, v.AgencyId));
        Assert.NotEmpty(values);
    }

    [Fact]
    public async Task AnAgencyUserCannotReadAnotherAgencysReturnsByEditingTheId()
    {
        var (_, council, period) = await IdsAsync();
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var school = await Actors.ForAsync(db.DataSource, Actors.SchoolEmail);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Returns.ListVersionsAsync(police, council));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Returns.GetCurrentValuesAsync(police, council, period));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Returns.ListVersionsAsync(school, police.AgencyId!.Value));
    }

    [Theory]
    [InlineData(Actors.AdminEmail)]
    [InlineData(Actors.QaEmail)]
    [InlineData(Actors.ExecutiveEmail)]
    public async Task PartnershipRolesReadEveryAgency(string email)
    {
        var (police, council, period) = await IdsAsync();
        var actor = await Actors.ForAsync(db.DataSource, email);

        Assert.NotEmpty(await Returns.ListVersionsAsync(actor, council));
        Assert.NotEmpty(await Returns.GetCurrentValuesAsync(actor, police, period));
    }

    [Fact]
    public async Task AnotherPartnershipCannotReachThisPartnershipsReturns()
    {
        var (police, _, _) = await IdsAsync();
        var admin = await Actors.ForAsync(db.DataSource, Actors.AdminEmail);

        var outsider = await Actors.OtherPartnershipAdminAsync(db.DataSource);

        Assert.NotEmpty(await Returns.ListVersionsAsync(admin, police));
        Assert.Empty(await Returns.ListVersionsAsync(outsider, police));
    }
}
