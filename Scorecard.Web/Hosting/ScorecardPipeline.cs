using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Scorecard.Data.Accounts;
using Scorecard.Web.Auth;
using Scorecard.Web.Components;
using Scorecard.Web.Endpoints;
using Scorecard.Web.Faults;

namespace Scorecard.Web.Hosting;

/// <summary>
/// The web side of the app: security services (authentication, policies, Data Protection, rate limits, problem details,
/// forwarded headers, HSTS) and the middleware pipeline with its endpoints, kept apart from the data services so that each
/// can change without the other.
/// </summary>
public static class ScorecardPipeline
{
    public static IServiceCollection AddScorecardWebSecurity(this IServiceCollection services, IConfiguration config, string dataFolder)
    {
        services.AddScorecardDataProtection(config, dataFolder);
        services.AddScorecardAuthentication(config);
        services.AddScorecardRateLimits(config);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Problems the framework writes by itself (no endpoint, wrong method, unreadable parameter) get the same
            // members as ours: a detail, a stable code, and message (= detail) for clients of the first API.
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Detail ??= ApiProblems.DetailFor(status);
            problem.Extensions.TryAdd("code", ApiProblems.CodeFor(status));
            problem.Extensions.TryAdd("message", problem.Detail);
        });
        services.AddExceptionHandler<ScorecardExceptionHandler>();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, config.GetSection("Scorecard:ForwardedHeaders")));
        return services;
    }

    /// <summary>
    /// Trust <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> only from the configured proxies
    /// (<c>Scorecard:ForwardedHeaders:KnownProxies</c>, addresses, and <c>KnownNetworks</c>, CIDR ranges; each a list or a
    /// comma-separated string). With neither configured only a proxy on this machine (loopback) is trusted.
    /// </summary>
    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration section)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var proxies = List(section, "KnownProxies");
        var networks = List(section, "KnownNetworks");
        if (proxies.Count + networks.Count > 0)
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        options.ForwardLimit = section.GetValue("ForwardLimit", 1);
    }

    private static List<string> List(IConfiguration section, string key)
    {
        var child = section.GetSection(key);
        var values = child.Value is { Length: > 0 } single ? single.Split(',') : child.GetChildren().Select(c => c.Value ?? "").ToArray();
        return values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }

    /// <summary>The middleware, outermost first. Forwarded headers first, so that everything after sees the real client and scheme.</summary>
    public static WebApplication UseScorecardPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        // Bare error statuses: problem details on the API, the not-found page elsewhere.
        // The pages' re-execution is registered on the app itself, not inside a UseWhen branch: a branch re-executes
        // without routing again, so an unmatched route (e.g. /scorecard/agencies/abc) answered 404 with no body.
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseWhen(ApiProblems.IsApi, api =>
        {
            // The API answers its own problem details: switch the pages' re-execution off for it first.
            api.Use((context, next) =>
            {
                if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                    pages.Enabled = false;
                return next(context);
            });
            api.UseStatusCodePages();
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            CreateScopeForErrors = true,
            StatusCodeSelector = exception => exception switch
            {
                AccessDeniedException => StatusCodes.Status403Forbidden,
                BadHttpRequestException bad => bad.StatusCode,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseRateLimiter();
        app.UseDatabaseOutagePage();
        app.UseFirstRunSetup();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Every endpoint: static assets, health, the feature endpoints (one group each) and the pages.</summary>
    public static WebApplication MapScorecardApp(this WebApplication app, IConfiguration config)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapAccountEndpoints(config);
        app.MapScorecardEndpoints();
        app.MapTrackerEndpoints();
        app.MapVoiceEndpoints();
        app.MapReturnEndpoints();
        app.MapBackupEndpoints();
        app.MapAssuranceEndpoints();
        app.MapImprovementEndpoints();
        app.MapMeetingEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
