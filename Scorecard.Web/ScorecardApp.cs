using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Database;
using Scorecard.Data.Home;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;
using Scorecard.Web.Endpoints;
using Scorecard.Web.Components;

namespace Scorecard.Web;

/// <summary>Builds the Scorecard web app: the database first (embedded or configured), then services, auth and endpoints.</summary>
public static class ScorecardApp
{
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ScorecardApp).Assembly.GetName().Name,
        });
        // Serve the framework's and MudBlazor's static web assets from the build output whatever the environment,
        // so `dotnet run` works outside Development too.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        var config = builder.Configuration;
        var settings = new DatabaseSettings(
            config.GetConnectionString("Scorecard"),
            config["Scorecard:DataFolder"] is { Length: > 0 } folder ? folder : EmbeddedPostgresOptions.DefaultDataFolder,
            config.GetValue("Scorecard:LoadDemoData", false) || args.Contains("--load-demo"));

        using var bootLoggers = LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Information));
        var database = await DatabaseBootstrap.PrepareAsync(settings, bootLoggers);

        var services = builder.Services;
        services.AddSingleton(database);
        services.AddSingleton(_ => ScorecardDataSource.Create(database.ConnectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new LockoutOptions(
            config.GetValue("Scorecard:Lockout:MaxFailedAttempts", 5), config.GetValue("Scorecard:Lockout:Minutes", 15)));
        services.AddSingleton<SignInService>();
        services.AddSingleton<UserCommands>();
        services.AddSingleton<ChangeLogQueries>();
        services.AddSingleton<CatalogQueries>();
        services.AddSingleton<AgencyCommands>();
        services.AddSingleton<PriorityCommands>();
        services.AddSingleton<MeasureCommands>();
        services.AddSingleton<PeriodCommands>();
        services.AddSingleton<ReturnQueries>();
        services.AddSingleton<HomeQueries>();
        services.AddSingleton<ScorecardQueries>();
        services.AddSingleton<ProcessChangeCommands>();
        services.AddSingleton<ReturnHistoryQueries>();
        services.AddSingleton<RejectReturnCommand>();
        services.AddSingleton<TrackerExport>();
        services.AddSingleton(new ReturnUploadOptions(
            MaxFileBytes: config.GetValue("Scorecard:Uploads:MaxFileBytes", 5L * 1024 * 1024),
            MaxRows: config.GetValue("Scorecard:Uploads:MaxRows", 20_000),
            ChangeWarningPercent: config.GetValue("Scorecard:Uploads:ChangeWarningPercent", 25m)));
        services.AddSingleton<ReturnTemplateService>();
        services.AddSingleton<ReturnImportService>();
        services.AddSingleton<ApiTokenService>();

        services.AddDataProtection().SetApplicationName("Scorecard");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyRepository(sp.GetRequiredService<NpgsqlDataSource>())));

        services.AddScorecardAuthentication(config);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() => database.DisposeAsync().AsTask().GetAwaiter().GetResult());

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapAccountEndpoints(config);
        app.MapScorecardEndpoints();
        app.MapTrackerEndpoints();
        app.MapReturnEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
