using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Data.Meetings.Sources;

namespace Scorecard.Data.Meetings;

/// <summary>The meetings feature's registrations, called once from <c>AddScorecardData</c>.</summary>
public static class MeetingServices
{
    public static IServiceCollection AddMeetings(this IServiceCollection services)
    {
        services.AddSingleton<MeetingQueries>();
        services.AddSingleton<MeetingCommands>();
        services.AddSingleton<MeetingPackService>();
        services.AddSingleton<ExecutiveHomeQueries>();
        // This feature's contributions to the agenda; others register their own IAgendaSource.
        services.AddSingleton<IAgendaSource, ScorecardExceptionsAgendaSource>();
        services.AddSingleton<IAgendaSource, LateReturnsAgendaSource>();
        return services;
    }
}
