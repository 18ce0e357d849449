using Dapper;
using Npgsql;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Browser.Sweep;

/// <summary>
/// Every page of the product, as every role reaches it. The page sweep (fit, errors, console, accessibility) visits each
/// pair; a page a role may not open is still visited, because the refusal it shows must itself fit and be accessible.
/// Paths may hold placeholders that are resolved against the running app's demo database.
/// </summary>
public static class ProductPages
{
    public static readonly string[] Roles = [Actors.AdminEmail, Actors.QaEmail, Actors.ExecutiveEmail, Actors.PoliceEmail, Actors.SchoolEmail];

    /// <summary>The pages, by a short name used in test names and messages, with their path.</summary>
    public static readonly (string Name, string Path)[] Pages =
    [
        ("home", "/"),
        ("scorecard", "/scorecard"),
        ("scorecard-exceptions", "/scorecard?exceptions=true&rag=red,amber"),
        ("measure", "/scorecard/measures/CSC-REREF"),
        ("measure-schools", "/scorecard/measures/EDU-DSL-TRAINING"),
        ("agency-view", "/scorecard/agencies/{police}"),
        ("trends", "/trends"),
        ("measures-catalogue", "/measures"),
        ("my-returns", "/my-returns"),
        ("upload", "/returns/upload?agency={police}&period={latest}"),
        ("history", "/returns/history/{police}/{latest}"),
        ("tracker", "/returns/tracker"),
        ("admin-users", "/admin/users"),
        ("admin-agencies", "/admin/agencies"),
        ("admin-priorities", "/admin/priorities"),
        ("admin-periods", "/admin/periods"),
        ("admin-measure-new", "/admin/measures/new"),
        ("admin-measure-edit", "/admin/measures/{measure}"),
        ("admin-api-tokens", "/admin/api-tokens"),
        ("admin-change-log", "/admin/change-log"),
        ("not-found", "/no-such-page"),
    ];

    public static IEnumerable<object[]> PageAndRole() =>
        from page in Pages from role in Roles select new object[] { page.Name, role };

    /// <summary>Replaces the placeholders in a page's path with ids from the app's database.</summary>
    public static async Task<string> ResolveAsync(string path, NpgsqlDataSource dataSource)
    {
        if (!path.Contains('{'))
            return path;
        await using var conn = await dataSource.OpenConnectionAsync();
        var police = await conn.QueryFirstAsync<int>("select id from agency where name ilike 'Cheshire Constabulary%' order by id");
        var latest = await conn.QueryFirstAsync<int>("select id from reporting_period where due_date < current_date order by start_date desc limit 1");
        var measure = await conn.QueryFirstAsync<int>("select id from measure where code = 'CSC-REREF'");
        return path.Replace("{police}", police.ToString()).Replace("{latest}", latest.ToString()).Replace("{measure}", measure.ToString());
    }
}
