using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// The sweep's own axe-core runner (<see cref="PageCheck.AxeRunAsync"/>) finds what Deque's <c>RunAxe</c> finds, on a
/// page built to break several WCAG rules and on one that breaks none: the faster runner must not be a blinder one.
/// </summary>
public sealed class PageCheckTests
{
    private const string Broken = """
        <!doctype html><html><head><title>Broken</title></head><body><main>
          <h1>Broken on purpose</h1>
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
          <button></button>
          <input type="text">
          <p style="color:#aaa;background:#fff">Pale text on white.</p>
          <a href="/x"></a>
        </main></body></html>
        """;

    private const string Sound = """
        <!doctype html><html lang="en"><head><title>Sound</title></head><body><main>
          <h1>Nothing wrong here</h1>
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot">
          <button>Save</button>
          <label for="n">Name</label><input id="n" type="text">
          <p>Dark text on white.</p>
          <a href="/x">The scorecard</a>
        </main></body></html>
        """;

    [Fact]
    public async Task TheSweepsAxeRunnerReportsTheSameViolationsAsDequesOwn()
    {
        var browser = await SharedChromium.GetAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.SetContentAsync(Broken);
            var ours = await PageCheck.AxeRunAsync(page);
            // Deque's runner on a fresh copy of the page (ours left axe loaded in this one).
            await page.SetContentAsync(Broken);
            var theirs = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. PageCheck.WcagTags] } });

            var ids = ours.Select(v => v.Id).Order().ToArray();
            Assert.Equal(theirs.Violations.Select(v => v.Id).Order().ToArray(), ids);
            Assert.Superset(new HashSet<string> { "image-alt", "button-name", "label", "color-contrast", "link-name", "html-has-lang" }, ids.ToHashSet());
            Assert.Equal(theirs.Violations.Sum(v => v.Nodes.Length), ours.Sum(v => v.Nodes.Length));
            var image = Assert.Single(ours, v => v.Id == "image-alt");
            Assert.Equal("critical", image.Impact);
            Assert.Equal("img", Assert.Single(image.Nodes).Target);
            Assert.Contains(await PageCheck.AxeViolationsAsync(page), d => d.StartsWith("button-name (critical)", StringComparison.Ordinal));

            await page.SetContentAsync(Sound);
            Assert.Empty(await PageCheck.AxeRunAsync(page));
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
