using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Home;
using Scorecard.Data.Returns;
using Scorecard.Data.Performance;
using Scorecard.Web.Auth;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Components;

/// <summary>bUnit with MudBlazor (loose JS interop, as MudBlazor's own tests do) and a signed-in user built from real claims.</summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddScoped<CurrentUser>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Registers the real Data-layer classes over a test database.</summary>
    protected void UseDatabase(NpgsqlDataSource dataSource)
    {
        Services.AddSingleton(dataSource);
        Services.AddSingleton<TimeProvider>(FixedClock.DemoToday);
        Services.AddSingleton<CatalogQueries>();
        Services.AddSingleton<MeasureCommands>();
        Services.AddSingleton<ReturnQueries>();
        Services.AddSingleton<HomeQueries>();
        Services.AddSingleton<ScorecardQueries>();
        Services.AddSingleton<ProcessChangeCommands>();
    }

    protected void SignInAs(Actor actor, string? agencyName = null)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(actor.DisplayName);
        auth.SetRoles(actor.Role.ToDb());
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, actor.UserId.ToString()),
            new(ScorecardClaims.PartnershipId, actor.PartnershipId.ToString()),
            new(ScorecardClaims.PartnershipName, "Cheshire East Safeguarding Children Partnership"),
        };
        if (actor.AgencyId is { } agencyId)
        {
            claims.Add(new Claim(ScorecardClaims.AgencyId, agencyId.ToString()));
            claims.Add(new Claim(ScorecardClaims.AgencyName, agencyName ?? ""));
        }
        auth.SetClaims(claims.ToArray());
        // The app renders interactively on the server; the layout reads RendererInfo to say so.
        // (Touching the renderer freezes the services, so this comes after every registration.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }
}
