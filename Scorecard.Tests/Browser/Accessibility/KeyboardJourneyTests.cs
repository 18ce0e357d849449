using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Dapper;
using Microsoft.Playwright;
using Scorecard.Data.Returns;
using Scorecard.Tests.Browser.Sweep;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser.Accessibility;

/// <summary>
/// The four journeys of issue 14 with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys; no clicks), on an app
/// and database of their own because two of them save. The accessibility statement lists them by these method names
/// (<see cref="Scorecard.Web.Accessibility.AccessibilityScope.Journeys"/>).
/// </summary>
[Collection("browser")]
public sealed class KeyboardJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly ViewportSize Window = new() { Width = 1366, Height = 768 };

    [Fact]
    public async Task SignInWithTheKeyboardAlone()
    {
        await using var context = await fixture.NewContextAsync(null, Window);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");

        // The page puts focus on its heading, so Tab goes to the e-mail box; back from it is the skip link, shown when
        // focused, and Enter on it moves focus to the main content, from where Tab reaches the e-mail box again.
        var email = page.GetByLabel("E-mail address");
        await Keyboard.TabToAsync(page, email, maxPresses: 3);
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" });
        await Keyboard.TabToAsync(page, skip, maxPresses: 5, backwards: true);
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main-content")).ToBeFocusedAsync();
        await Keyboard.TabToAsync(page, email, maxPresses: 3);
        await page.Keyboard.TypeAsync(Actors.QaEmail);
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await Keyboard.IsFocusedAsync(page.GetByLabel("Password")));
        await page.Keyboard.TypeAsync(Actors.Passwords[Actors.QaEmail]);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("QA");
    }

    [Fact]
    public async Task FilterTheScorecardToExceptionsAndOpenAMeasureWithTheKeyboardAlone()
    {
        await using var context = await fixture.NewContextAsync(Actors.QaEmail, Window);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/scorecard");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Scorecard" })).ToBeVisibleAsync();

        // Back to the skip link, past the navigation, then on to the exceptions switch and turn it on with Space.
        await Keyboard.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" }), maxPresses: 40, backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main-content")).ToBeFocusedAsync();
        var exceptions = page.GetByRole(AriaRole.Switch, new() { Name = "Exceptions only" });
        await Keyboard.TabToAsync(page, exceptions, maxPresses: 30);
        await page.Keyboard.PressAsync("Space");
        await Expect(page).ToHaveURLAsync(new Regex("exceptions=true"));
        await Expect(page.GetByTestId("filter-description")).ToContainTextAsync("xception");

        // The first measure left in the table opens with Enter.
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Scorecard" });
        var first = table.Locator("td.measure-col a").First;
        var title = (await first.TextContentAsync())!.Trim();
        await Keyboard.TabToAsync(page, first, maxPresses: 60);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/scorecard/measures/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
    }

    [Fact]
    public async Task AnAgencyUserDownloadsUploadsFixesAWarningAndSubmitsWithTheKeyboardAlone()
    {
        var setup = await ReturnFiles.SetupAsync(fixture.App.DataSource);
        await using var context = await fixture.NewContextAsync(Actors.PoliceEmail, Window);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/my-returns");
        await BrowserFixture.WaitForCircuitAsync(page);

        var templateLink = page.GetByRole(AriaRole.Link, new() { Name = "Download template for 2025/26 Q2" });
        await Keyboard.TabToAsync(page, templateLink);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        var templatePath = Path.Combine(Path.GetTempPath(), $"kbd-template-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(templatePath);
        var code = "";
        var filled = ReturnFiles.Fill(await File.ReadAllBytesAsync(templatePath), ws =>
        {
            var row = ReturnFiles.FirstCountRow(ws);
            code = ws.Cell(row, 1).GetString();
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000;
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Clear(XLClearOptions.Contents);
        });
        var filledPath = Path.Combine(Path.GetTempPath(), $"kbd-return-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(filledPath, filled);

        // Tab on from the template link to the upload link of the same quarter.
        await Keyboard.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^(Upload|Send again): the return for 2025\/26 Q2$") }), maxPresses: 5);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Send a quarterly return" })).ToBeVisibleAsync();
        await BrowserFixture.WaitForCircuitAsync(page);

        await Keyboard.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Upload filled-in template" }));
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync("Enter"));
        await chooser.SetFilesAsync(filledPath);
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Confirm and submit" });
        await Expect(confirm).ToBeVisibleAsync();

        // Submitting with the warning unexplained is refused; the commentary field is reached backwards from the button.
        await Keyboard.TabToAsync(page, confirm);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Explain the warning before you submit.")).ToBeVisibleAsync();
        await Keyboard.TabToAsync(page, page.GetByLabel($"Commentary for {code}"), backwards: true);
        await page.Keyboard.TypeAsync("A week-long operation found many more cases than usual.");
        await Keyboard.TabToAsync(page, confirm);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was saved" })).ToContainTextAsync("Cheshire Constabulary's return for 2025/26 Q2 was saved");
        var value = (await new ReturnQueries(fixture.App.DataSource, TimeProvider.System).GetCurrentValuesAsync(setup.Police, setup.PoliceId, setup.PeriodId))
            .Single(v => v.MeasureCode == code);
        Assert.Equal((50_000m, "A week-long operation found many more cases than usual."), (value.Value!.Value, value.Commentary));
    }

    [Fact]
    public async Task AnAdminEditsAMeasureAndSavesWithTheKeyboardAlone()
    {
        var path = await ProductPages.ResolveAsync("/admin/measures/{measure}", fixture.App.DataSource);
        await using var context = await fixture.NewContextAsync(Actors.AdminEmail, Window);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await BrowserFixture.WaitForCircuitAsync(page);

        var title = page.GetByLabel("Title", new() { Exact = true });
        await Expect(title).ToHaveValueAsync(new Regex("."));
        await Keyboard.TabToAsync(page, title);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Re-referrals to children's social care within 12 months");
        // The decimal places go up one with the arrow key.
        var places = page.GetByLabel("Decimal places");
        var before = int.Parse(await places.InputValueAsync());
        await Keyboard.TabToAsync(page, places, maxPresses: 10);
        await page.Keyboard.PressAsync(before < 4 ? "ArrowUp" : "ArrowDown");
        var after = before < 4 ? before + 1 : before - 1;
        await Expect(places).ToHaveValueAsync(after.ToString());

        await Keyboard.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("/measures$"));
        await Expect(page.GetByText("Measure CSC-REREF saved.")).ToBeVisibleAsync();
        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        var saved = await conn.QuerySingleAsync<(string Title, int DecimalPlaces)>("select title, decimal_places::int from measure where code = 'CSC-REREF'");
        Assert.Equal(("Re-referrals to children's social care within 12 months", after), saved);
    }
}
