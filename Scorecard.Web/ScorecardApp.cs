using MudBlazor.Services;
using Scorecard.Data;
using Scorecard.Data.Backup;
using Scorecard.Data.Database;
using Scorecard.Web.Hosting;

namespace Scorecard.Web;

/// <summary>Builds the Scorecard web app: the database first (embedded or configured), then services, auth and endpoints.</summary>
public static class ScorecardApp
{
    /// <summary>Flags of <c>scripts/run</c> that are settings: <c>--no-demo</c> (Scorecard:Demo=false) and <c>--load-demo</c> (Scorecard:LoadDemoData=true).</summary>
    private static readonly Dictionary<string, KeyValuePair<string, string?>> Flags = new()
    {
        ["--no-demo"] = new("Scorecard:Demo", "false"),
        ["--load-demo"] = new("Scorecard:LoadDemoData", "true"),
    };

    /// <summary>
    /// Builds the app. Nothing touches the database here: the database bootstrap (embedded cluster, migrations, demo data,
    /// first-run setup) is the first hosted step and runs in <c>StartAsync</c>/<c>RunAsync</c>, before Kestrel serves requests.
    /// </summary>
    public static Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => !Flags.ContainsKey(a)).ToArray(),
            ApplicationName = typeof(ScorecardApp).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(args.Where(Flags.ContainsKey).Select(a => Flags[a]));
        // Serve the framework's and MudBlazor's static web assets from the build output whatever the environment,
        // so `dotnet run` works outside Development too.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        var config = builder.Configuration;
        var services = builder.Services;
        services.AddScorecardClock(config);
        services.AddScorecardData(config);
        services.AddScorecardBackups(config);

        services.AddScorecardWebSecurity(config,
            config["Scorecard:DataFolder"] is { Length: > 0 } folder ? folder : EmbeddedPostgresOptions.DefaultDataFolder);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddOptions<Accessibility.AccessibilityOptions>().Bind(config.GetSection("Accessibility"))
            .Validate(o => o.IsValid(), "Accessibility:ContactEmail must be an e-mail address and Accessibility:ReplyWithinDays 1 to 30.").ValidateOnStart();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();

        app.UseScorecardPipeline();
        app.MapScorecardApp(config);
        return Task.FromResult(app);
    }
}
