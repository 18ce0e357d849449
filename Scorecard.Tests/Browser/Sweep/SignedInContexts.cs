using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// Browser contexts already signed in as a role: each role signs in through the real form once per app, and later
/// contexts start from that sign-in's cookies, so a sweep of every page does not sign in a hundred times.
/// </summary>
public static class SignedInContexts
{
    private static readonly ConcurrentDictionary<(string BaseUrl, string Email), Task<string>> States = new();

    /// <summary>A context signed in as <paramref name="email"/>, or signed out when it is null.</summary>
    public static async Task<IBrowserContext> NewContextAsync(this BrowserFixture fixture, string? email, ViewportSize viewport)
    {
        var state = email is null ? null : await States.GetOrAdd((fixture.App.BaseUrl, email), key => SignInOnceAsync(fixture, key.Email));
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl,
            ViewportSize = viewport,
            Locale = "en-GB",
            StorageState = state,
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    private static async Task<string> SignInOnceAsync(BrowserFixture fixture, string email)
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseUrl, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email);
        return await context.StorageStateAsync();
    }
}
