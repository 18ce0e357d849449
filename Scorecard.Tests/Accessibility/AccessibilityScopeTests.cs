using System.Reflection;
using System.Text.RegularExpressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scorecard.Tests.Browser.Accessibility;
using Scorecard.Tests.Browser.Sweep;
using Scorecard.Tests.Components;
using Scorecard.Web.Accessibility;
using Scorecard.Web.Components.Pages.Accessibility;

namespace Scorecard.Tests.Accessibility;

/// <summary>
/// The accessibility statement says only what the tests check, and the tests check every page: the sweep's cases, the
/// statement's table and the app's routes are the same list (issue 14).
/// </summary>
public sealed class AccessibilityScopeTests : ComponentTestBase
{
    private static readonly Assembly Web = typeof(AccessibilityScope).Assembly;

    private static IEnumerable<string> Routes() => Web.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .Distinct();

    private static bool Matches(string template, string path)
    {
        var pattern = "^" + Regex.Replace(Regex.Escape(template.TrimEnd('/')), @"\\\{[^}]*}", "[^/]+") + "/?$";
        return Regex.IsMatch(path.Split('?')[0], pattern);
    }

    [Fact]
    public void EveryRouteOfTheAppIsSweptOrSaysWhyNot()
    {
        var notSwept = AccessibilityScope.NotSwept.Select(n => n.Route).ToHashSet();
        var missing = Routes()
            .Where(route => !notSwept.Contains(route) && !AccessibilityScope.Pages.Any(p => Matches(route, p.Path)))
            .ToList();
        Assert.True(missing.Count == 0,
            "Pages the accessibility sweep does not check (add a line to AccessibilityScope.Pages, or to NotSwept with the reason): " + string.Join(", ", missing));
    }

    [Fact]
    public void EverySweptPathIsARouteOfTheAppExceptTheUnknownAddress()
    {
        var strays = AccessibilityScope.Pages
            .Where(p => p.Name != "not-found" && !Routes().Any(route => Matches(route, p.Path)))
            .Select(p => $"{p.Name} ({p.Path})")
            .ToList();
        Assert.Empty(strays);
        Assert.DoesNotContain(Routes(), route => Matches(route, ProductPages.Page("not-found").Path));
    }

    [Fact]
    public void EveryStateInTheListHasStepsThatReachItAndEveryStepHasALine()
    {
        var states = AccessibilityScope.Pages.Where(p => p.State is not null).Select(p => p.Name).ToHashSet();
        Assert.Empty(states.Except(ProductPages.Reach.Keys));
        Assert.Empty(ProductPages.Reach.Keys.Except(states));
        Assert.Equal(AccessibilityScope.Pages.Length, AccessibilityScope.Pages.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void TheSweepRunsEveryPageForEveryRoleItsLineNamesAndNothingElse()
    {
        var cases = PageSweepTests.Cases.Select(c => ((string)c[0], (CheckedRole)c[1])).ToHashSet();
        var listed = AccessibilityScope.Pages.SelectMany(p => p.Roles.Select(r => (p.Name, r))).ToHashSet();
        Assert.True(listed.SetEquals(cases));
        Assert.All(AccessibilityScope.Pages.SelectMany(p => p.Roles).Distinct().Where(r => r != CheckedRole.SignedOut),
            role => Assert.NotNull(ProductPages.EmailOf(role)));
    }

    [Fact]
    public void TheJourneysTheStatementListsAreTheKeyboardTestsThatRun()
    {
        var tests = typeof(KeyboardJourneyTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToHashSet();
        Assert.True(tests.SetEquals(AccessibilityScope.Journeys.Select(j => j.TestName)),
            $"Keyboard tests: {string.Join(", ", tests)}; statement: {string.Join(", ", AccessibilityScope.Journeys.Select(j => j.TestName))}");
    }

    [Fact]
    public void TheSweepUsesTheRuleTagsTheStatementNames()
    {
        Assert.Same(AccessibilityScope.WcagTags, PageCheck.WcagTags);
        Assert.Contains("wcag22aa", AccessibilityScope.WcagTags);
    }

    [Fact]
    public void TheStatementListsEveryCheckedPageJourneyKnownIssueAndTheContact()
    {
        Services.AddSingleton(Options.Create(new AccessibilityOptions { ContactEmail = "access@cescp.example", ReplyWithinDays = 7 }));
        var cut = Render<AccessibilityStatement>();

        var rows = cut.FindAll("[data-testid=tested-pages] tbody tr").Select(r => r.GetAttribute("data-page")).ToList();
        Assert.Equal(AccessibilityScope.Pages.Select(p => p.Name), rows);
        Assert.Equal(AccessibilityScope.Journeys.Length, cut.FindAll("[data-testid=journeys] li").Count);
        Assert.Equal(AccessibilityScope.KnownIssues.Length, cut.FindAll("[data-testid=known-issues] li").Count);
        Assert.Contains("partially compliant", cut.Find("[data-testid=compliance-status]").TextContent);
        Assert.Equal("mailto:access@cescp.example", cut.Find("[data-testid=contact] a").GetAttribute("href"));
        Assert.Contains("within 7 working days", cut.Find("[data-testid=contact]").TextContent);
        Assert.Equal(string.Join(", ", AccessibilityScope.WcagTags), cut.Find("[data-testid=rule-tags]").TextContent);
        Assert.Contains("30 November 2026", cut.Find("[data-testid=last-tested]").TextContent);
    }
}
