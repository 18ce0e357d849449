using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Database;
using Scorecard.Data.Home;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Data.Triangulation;
using Scorecard.Data.Voice;

namespace Scorecard.Data;

/// <summary>The one composition root of the Data layer, used by the app, the tests and the benchmarks.</summary>
public static class ScorecardDataServices
{
    /// <summary>
    /// Registers every Data service, its options (bound from <paramref name="configuration"/> and validated when the host
    /// starts), the database bootstrap as the first hosted step, and the embedded cluster's supervisor. The shared
    /// <see cref="NpgsqlDataSource"/> is created on first use from the prepared database; register one before calling this
    /// to use it instead (component tests over a test database do).
    /// </summary>
    public static IServiceCollection AddScorecardData(this IServiceCollection services, IConfiguration configuration)
    {
        ScorecardDataSource.ConfigureDapper();

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection("Scorecard"))
            .Bind(configuration.GetSection("Scorecard:Database"))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Scorecard"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutSettings>().Bind(configuration.GetSection(LockoutSettings.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RevalidationOptions>().Bind(configuration.GetSection("Scorecard")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CompletenessRule>().Bind(configuration.GetSection(CompletenessRule.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ScorecardDatabase>();
        services.AddSingleton<FirstRunSetup>();
        services.AddSingleton<EmbeddedPostgresSupervisor>();
        // Hosted steps start in this order before Kestrel listens, and stop in reverse: the database first up, last down.
        services.AddHostedService<DatabaseBootstrapService>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedPostgresSupervisor>());

        services.TryAddSingleton(sp =>
        {
            var database = sp.GetRequiredService<ScorecardDatabase>();
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = ScorecardDataSource.Create(database.ConnectionString, options.KeepAliveSeconds, options.ConnectionLifetimeSeconds);
            // The connections pooled before a restart of the embedded cluster died with it.
            sp.GetRequiredService<EmbeddedPostgresSupervisor>().Restarted += (_, _) => dataSource.Clear();
            return dataSource;
        });

        services.AddSingleton(sp =>
        {
            var lockout = sp.GetRequiredService<IOptions<LockoutSettings>>().Value;
            return new LockoutOptions(lockout.MaxFailedAttempts, lockout.Minutes, lockout.MaxMinutes);
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<UploadOptions>>().Value;
            return new ReturnUploadOptions(MaxFileBytes: o.MaxFileBytes, MaxRows: o.MaxRows, ChangeWarningPercent: o.ChangeWarningPercent,
                MaxValues: o.MaxValue.Count > 0 ? o.MaxValue : null);
        });

        services.AddSingleton<SignInService>();
        services.AddSingleton<UserCommands>();
        services.AddSingleton<ChangeLogQueries>();
        services.AddSingleton<DemoAccounts>();
        services.AddSingleton<FirstRunSetupCommand>();
        services.AddSingleton<CatalogQueries>();
        services.AddSingleton<AgencyCommands>();
        services.AddSingleton<PriorityCommands>();
        services.AddSingleton<MeasureCommands>();
        services.AddSingleton<PeriodCommands>();
        services.AddSingleton<ReturnQueries>();
        services.AddSingleton<HomeQueries>();
        services.AddSingleton<AgencyHomeQueries>();
        services.AddSingleton<ScorecardQueries>();
        services.AddSingleton<ScorecardReadModel>();
        services.AddHostedService<ScorecardChangeListener>();
        services.AddSingleton<ProcessChangeCommands>();
        services.AddSingleton<GhostedPointCommands>();
        services.AddSingleton<ReturnHistoryQueries>();
        services.AddSingleton<ReturnFiguresQueries>();
        services.AddSingleton<RejectReturnCommand>();
        services.AddSingleton<TrackerExport>();
        services.AddSingleton<ReturnTemplateService>();
        services.AddSingleton<ReturnImportService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton(sp =>
            configuration.GetSection("Assurance").Get<AssuranceOptions>() ?? new AssuranceOptions());
        services.AddSingleton<AuditCommands>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<AuditEditCommands>();
        services.AddSingleton<AuditSummaryCommands>();
        services.AddSingleton<AuditSummaryQueries>();
        services.AddSingleton<AuditSummaryReturnService>();
        services.AddSingleton<FrameworkCommands>();
        services.AddSingleton<SelfAssessmentCommands>();
        services.AddSingleton<SelfAssessmentQueries>();
        services.AddSingleton<SelfAssessmentWorkbook>();
        services.AddSingleton<AssuranceExports>();
        services.AddSingleton<Meetings.IAgendaSource, AuditAgendaSource>();
        services.AddSingleton<VoiceCommands>();
        services.AddSingleton<VoiceQueries>();
        services.AddSingleton<VoiceImport>();
        services.AddSingleton<TriangulationQueries>();
        services.AddSingleton<TriangulationCommands>();
        services.AddSingleton<ThemeSetupQueries>();
        services.AddSingleton<Meetings.IAgendaSource, TriangulationAgendaSource>();
        services.AddSingleton<ActionCommands>().AddSingleton<ActionQueries>().AddSingleton<RiskCommands>().AddSingleton<RiskQueries>().AddSingleton<ChallengeCommands>().AddSingleton<ChallengeQueries>().AddSingleton<LearningReviewCommands>().AddSingleton<LearningReviewQueries>().AddSingleton<ImprovementExport>().AddSingleton<IAgendaSource, ImprovementAgendaSource>();
        services.AddMeetings();
        services.AddSingleton(sp => new DataProtectionKeyRepository(() => sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}
