using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Scorecard.Data;
using Scorecard.Data.Accounts;
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

    /// <summary>Registers the real Data layer over a test database, through the app's own composition root.</summary>
    protected void UseDatabase(NpgsqlDataSource dataSource)
    {
        Services.AddSingleton(dataSource);
        // The demo's fixed today, registered before the composition root (which adds the system clock only when none is).
        Services.AddSingleton<TimeProvider>(FixedClock.DemoToday);
        Services.AddScorecardData(new ConfigurationBuilder().Build());
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
