namespace Scorecard.Tests.Browser;

/// <summary>The app on Kestrel with its own database, for the HTTP endpoints (no browser).</summary>
public sealed class RunningAppFixture : IAsyncLifetime
{
    public RunningApp App { get; private set; } = default!;

    public async Task InitializeAsync() => App = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
