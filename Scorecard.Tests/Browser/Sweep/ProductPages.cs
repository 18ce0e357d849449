using ClosedXML.Excel;
using Dapper;
using Microsoft.Playwright;
using Npgsql;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using Scorecard.Tests.Returns;
using Scorecard.Web.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// Every page of the product as every role reaches it, read from <see cref="AccessibilityScope.Pages"/> (the list the
/// accessibility statement is written from). A plain page joins the sweep with one line there; a state (a dialog open, a
/// validation error) also needs its steps in <see cref="Reach"/>, keyed by the same name. Paths may hold placeholders
/// that are resolved against the running app's demo database.
/// </summary>
public static class ProductPages
{
    /// <summary>The demo account each checked role signs in as (null: not signed in).</summary>
    public static string? EmailOf(CheckedRole role) => role switch
    {
        CheckedRole.Administrator => Actors.AdminEmail,
        CheckedRole.QaMember => Actors.QaEmail,
        CheckedRole.Executive => Actors.ExecutiveEmail,
        CheckedRole.PoliceUser => Actors.PoliceEmail,
        CheckedRole.SchoolUser => Actors.SchoolEmail,
        _ => null,
    };

    public static CheckedPage Page(string name) => AccessibilityScope.Pages.Single(p => p.Name == name);

    public static IEnumerable<object[]> PageAndRole() =>
        from page in AccessibilityScope.Pages from role in page.Roles select new object[] { page.Name, role };

    /// <summary>The steps that bring a page into the state its line names, after it has opened.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IPage, NpgsqlDataSource, Task>> Reach = new Dictionary<string, Func<IPage, NpgsqlDataSource, Task>>
    {
        ["sign-in-error"] = async (page, _) =>
        {
            // An account that does not exist: a wrong password for a real one would count towards its lockout.
            await page.GetByLabel("E-mail address").FillAsync("nobody@cescp.example");
            await page.GetByLabel("Password").FillAsync("not-the-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        },
        ["scorecard-exceptions"] = (page, _) => Expect(page.GetByRole(AriaRole.Table, new() { Name = "Scorecard" })).ToBeVisibleAsync(),
        ["scorecard-empty"] = (page, _) => Expect(page.GetByText("No measures match these filters")).ToBeVisibleAsync(),
        ["scorecard-bad-filter"] = (page, _) => Expect(page.GetByText("There is no quarter \"1999-Q9\"", new() { Exact = false })).ToBeVisibleAsync(),
        ["scorecard-agency-list"] = async (page, _) =>
        {
            await page.GetByLabel("Agency or sector").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Option).First).ToBeVisibleAsync();
        },
        ["measure-table"] = async (page, _) =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Show the data as a table" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "The chart's data" })).ToBeVisibleAsync();
        },
        ["trends-table"] = async (page, _) =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Show the data as a table" }).First.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Table).First).ToBeVisibleAsync();
        },
        ["upload-errors"] = async (page, dataSource) =>
        {
            await UploadAsync(page, dataSource, ws => ws.Cell(ReturnFiles.FirstCountRow(ws), ReturnTemplateLayout.ValueColumn).Value = "lots");
            await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "was not saved" })).ToBeVisibleAsync();
        },
        ["upload-warnings"] = async (page, dataSource) =>
        {
            await UploadAsync(page, dataSource, ws =>
            {
                var row = ReturnFiles.FirstCountRow(ws);
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000;
                ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Clear(XLClearOptions.Contents);
            });
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and submit" }).ClickAsync();
            await Expect(page.GetByText("Explain the warning before you submit.")).ToBeVisibleAsync();
        },
        ["admin-user-dialog"] = async (page, _) =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        },
        ["admin-measure-invalid"] = async (page, _) =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();
            await Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync();
        },
    };

    /// <summary>Fills the police template for the latest quarter, changes it, and chooses it on the upload page.</summary>
    private static async Task UploadAsync(IPage page, NpgsqlDataSource dataSource, Action<IXLWorksheet> edit)
    {
        var setup = await ReturnFiles.SetupAsync(dataSource);
        var filled = ReturnFiles.Fill(await ReturnFiles.TemplateAsync(dataSource, setup.Admin, setup.PoliceId, setup.PeriodId), edit);
        var path = Path.Combine(Path.GetTempPath(), $"sweep-return-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, filled);
        await page.Locator("input[type=file]").SetInputFilesAsync(path);
    }

    private static readonly (string Placeholder, string Sql)[] Placeholders =
    [
        ("{audit}", "select id::text from audit order by id limit 1"),
        ("{cycle}", "select c.id::text from assessment_cycle c join cycle_agency ca on ca.partnership_id = c.partnership_id and ca.cycle_id = c.id join agency a on a.id = ca.agency_id where a.name ilike 'Cheshire Constabulary%' order by c.id desc limit 1"),
        ("{activity}", "select id::text from voice_activity order by id limit 1"),
        ("{theme}", "select id::text from triangulation_theme order by id limit 1"),
        ("{meeting}", "select id::text from meeting order by meeting_date desc limit 1"),
        ("{action}", "select id::text from improvement_action order by id limit 1"),
        ("{plankind}", "select source_kind from improvement_action order by id limit 1"),
        ("{plankey}", "select source_key from improvement_action order by id limit 1"),
        ("{challenge}", "select id::text from challenge order by id limit 1"),
        ("{review}", "select id::text from learning_review order by id limit 1"),
        ("{risk}", "select id::text from risk order by id limit 1"),
    ];

    /// <summary>Replaces the placeholders in a page's path with ids from the app's database.</summary>
    public static async Task<string> ResolveAsync(string path, NpgsqlDataSource dataSource)
    {
        if (!path.Contains('{'))
            return path;
        await using var conn = await dataSource.OpenConnectionAsync();
        var police = await conn.QueryFirstAsync<int>("select id from agency where name ilike 'Cheshire Constabulary%' order by id");
        var latest = await conn.QueryFirstAsync<int>("select id from reporting_period where due_date < current_date order by start_date desc limit 1");
        var measure = await conn.QueryFirstAsync<int>("select id from measure where code = 'CSC-REREF'");
        path = path.Replace("{police}", police.ToString()).Replace("{latest}", latest.ToString()).Replace("{measure}", measure.ToString());
        // The qualitative half: the demo's first of each (the police force's part where the page is an agency's).
        foreach (var (placeholder, sql) in Placeholders)
            if (path.Contains(placeholder, StringComparison.Ordinal))
                path = path.Replace(placeholder, await conn.QueryFirstAsync<string>(sql));
        return path;
    }
}
