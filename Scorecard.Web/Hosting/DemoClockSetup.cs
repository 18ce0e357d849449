using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scorecard.Data.Demo;

namespace Scorecard.Web.Hosting;

/// <summary>
/// Registers the app's clock before <c>AddScorecardData</c> (which otherwise adds <see cref="TimeProvider.System"/>): the
/// <see cref="DemoClock"/> when the app runs the demo partnership, so everything that asks "what is today" (overdue, late,
/// due) answers the demo's date. Sign-in cookies keep the real clock: a browser judges a cookie's expiry by its own.
/// </summary>
public static class DemoClockSetup
{
    public static IServiceCollection AddScorecardClock(this IServiceCollection services, IConfiguration config)
    {
        if (DemoClock.AsOfFrom(config) is not { } asOf)
            return services;
        var clock = new DemoClock(asOf, TimeProvider.System);
        services.TryAddSingleton<TimeProvider>(clock);
        services.TryAddSingleton(clock);
        services.ConfigureAll<CookieAuthenticationOptions>(o => o.TimeProvider = TimeProvider.System);
        services.ConfigureAll<AuthenticationSchemeOptions>(o => o.TimeProvider = TimeProvider.System);
        services.ConfigureAll<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(o => o.TimeProvider = TimeProvider.System);
        return services;
    }
}
