using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

/// <summary>The meetings feature over a test database holding the demo partnership, on the demo's fixed today.</summary>
public sealed class MeetingWorld
{
    public static readonly DateOnly NextMeeting = new(2026, 1, 14);

    private MeetingWorld(NpgsqlDataSource dataSource)
    {
        var clock = FixedClock.DemoToday;
        ReadModel = new ScorecardReadModel(new ScorecardQueries(dataSource, clock), clock);
        IAgendaSource[] sources = [new ScorecardExceptionsAgendaSource(ReadModel), new LateReturnsAgendaSource(new ReturnQueries(dataSource, clock))];
        Challenges = new ChallengeCommands(dataSource, clock);
        Actions = new ActionCommands(dataSource, clock, new AssuranceOptions());
        Commands = new MeetingCommands(dataSource, sources, clock, Challenges, Actions);
        Queries = new MeetingQueries(dataSource, clock);
        Packs = new MeetingPackService(dataSource, ReadModel);
    }

    public ScorecardReadModel ReadModel { get; }
    public MeetingCommands Commands { get; }
    public ChallengeCommands Challenges { get; }
    public ActionCommands Actions { get; }
    public MeetingQueries Queries { get; }
    public MeetingPackService Packs { get; }
    public Actor Qa { get; private set; } = default!;
    public Actor Executive { get; private set; } = default!;
    public Actor Police { get; private set; } = default!;
    public Actor Admin { get; private set; } = default!;

    public static async Task<MeetingWorld> CreateAsync(NpgsqlDataSource dataSource) => new(dataSource)
    {
        Qa = await Actors.ForAsync(dataSource, Actors.QaEmail),
        Executive = await Actors.ForAsync(dataSource, Actors.ExecutiveEmail),
        Police = await Actors.ForAsync(dataSource, Actors.PoliceEmail),
        Admin = await Actors.ForAsync(dataSource, Actors.AdminEmail),
    };

    /// <summary>A QA subgroup meeting with its agenda built; returns its id.</summary>
    public async Task<int> MeetingWithAgendaAsync(string title = "QA subgroup, January")
    {
        var id = (await Commands.CreateAsync(Qa, new NewMeeting(MeetingKind.QaSubgroup, title, NextMeeting), default)).Value;
        var built = await Commands.BuildAgendaAsync(Qa, id, default);
        Assert.True(built.Succeeded, string.Join(" ", built.Errors.Select(e => e.Message)));
        return id;
    }
}
