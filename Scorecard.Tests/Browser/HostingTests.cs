using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Browser;

public sealed class HostingTests
{
    [Fact]
    public async Task HealthAnswers200WhileTheDatabaseAnswersAnd503WhenItDoesNot()
    {
        await using var app = await RunningApp.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        await TestDatabase.ExecuteOnServerAsync($"alter database {database} allow_connections false");
        try
        {
            await TestDatabase.ExecuteOnServerAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}'");
            NpgsqlConnection.ClearAllPools();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            await TestDatabase.ExecuteOnServerAsync($"alter database {database} allow_connections true");
        }
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabaseShareTheirDataProtectionKeys()
    {
        await using var first = await RunningApp.StartAsync();
        await using var second = await RunningApp.StartAsync(first.ConnectionString);
        const string purpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";

        var cookie = first.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("signed-in");
        var read = second.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(cookie);

        Assert.Equal("signed-in", read);
        Assert.True(await Actors.CountAsync(first.DataSource, "data_protection_key") >= 1);
    }

    [Fact]
    public async Task PagesNeedSignInAndTheSignInPageIsServedToEveryone()
    {
        await using var app = await RunningApp.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

        var home = await http.GetAsync("/measures");
        var login = await http.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("E-mail address", await login.Content.ReadAsStringAsync());
    }
}
