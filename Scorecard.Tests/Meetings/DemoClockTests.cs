using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Demo;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

/// <summary>The demo's "today" (Data/Demo/DemoClock.cs): the demo data's as-of date, advancing with real time.</summary>
public sealed class DemoClockTests
{
    private sealed class MovingClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void TheDemoClockStartsOnItsAsOfDateAtTheRealTimeOfDayAndAdvancesWithRealTime()
    {
        var real = new MovingClock(new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero));
        var clock = new DemoClock(DemoClock.DefaultAsOf, real);

        Assert.Equal(new DateTimeOffset(2025, 12, 15, 21, 30, 0, TimeSpan.Zero), clock.GetUtcNow());
        real.Now = real.Now.AddHours(3);
        Assert.Equal(new DateTimeOffset(2025, 12, 16, 0, 30, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(new DateOnly(2025, 12, 15), clock.AsOf);
    }

    [Fact]
    public void TheDemoClockIsOnExactlyWhenTheAppRunsTheDemoOrTheSettingSaysSo()
    {
        Assert.Equal(DemoClock.DefaultAsOf, DemoClock.AsOfFrom(Config()));
        Assert.Null(DemoClock.AsOfFrom(Config(("Scorecard:Demo", "false"))));
        Assert.Null(DemoClock.AsOfFrom(Config(("ConnectionStrings:Scorecard", "Host=db;Database=scorecard"))));
        Assert.Equal(DemoClock.DefaultAsOf, DemoClock.AsOfFrom(Config(("ConnectionStrings:Scorecard", "Host=db"), ("Scorecard:LoadDemoData", "true"))));
        Assert.Equal(new DateOnly(2025, 6, 1), DemoClock.AsOfFrom(Config(("ConnectionStrings:Scorecard", "Host=db"), (DemoClock.Setting, "2025-06-01"))));
        Assert.Null(DemoClock.AsOfFrom(Config((DemoClock.Setting, "real"))));
        var bad = Assert.Throws<InvalidOperationException>(() => DemoClock.AsOfFrom(Config((DemoClock.Setting, "15/12/2025"))));
        Assert.Contains("yyyy-MM-dd", bad.Message);
    }
}

/// <summary>The app on the demo clock: "today" is the demo's date, said in the shell, and the demo's actions are not all overdue.</summary>
[Collection("browser")]
public sealed class DemoClockAppTests
{
    [Fact]
    public async Task OnTheDemoClockTheShellSaysSoAndTheDemosActionsAreNotAllOverdue()
    {
        await using var app = await RunningApp.StartAsync(null, $"--{DemoClock.Setting}=2025-12-15");
        var clock = app.App.Services.GetRequiredService<TimeProvider>();
        Assert.Equal(new DateOnly(2025, 12, 15), Assert.IsType<DemoClock>(clock).AsOf);
        Assert.Equal(2025, clock.GetUtcNow().Year);

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var signIn = await http.GetStringAsync("/account/login");
        Assert.Matches("Demo partnership — figures as of 1[56] December 2025", signIn);

        var qa = await Actors.ForAsync(app.DataSource, Actors.QaEmail);
        var onDemoClock = await app.App.Services.GetRequiredService<ActionQueries>().ListAsync(qa, new ActionFilter(), default);
        var open = onDemoClock.Where(a => a.Status is not (ActionStatus.Completed or ActionStatus.Closed)).ToList();
        Assert.NotEmpty(open);
        Assert.Contains(open, a => a.Overdue);
        Assert.Contains(open, a => !a.Overdue);
        // The defect this fixes: on the real calendar (30 November 2026) far more of the demo's actions read as overdue.
        var yearOn = await new ActionQueries(app.DataSource, new FixedClock(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero))).ListAsync(qa, new ActionFilter(), default);
        Assert.True(yearOn.Count(a => a.Overdue) > 2 * open.Count(a => a.Overdue),
            $"{yearOn.Count(a => a.Overdue)} overdue on the real date against {open.Count(a => a.Overdue)} on the demo's");
    }

    [Fact]
    public async Task AConfiguredServerWithoutTheSettingKeepsTheRealClockAndNoNotice()
    {
        await using var app = await RunningApp.StartAsync();
        Assert.Same(TimeProvider.System, app.App.Services.GetRequiredService<TimeProvider>());
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.DoesNotContain("figures as of", await http.GetStringAsync("/account/login"));
    }
}
