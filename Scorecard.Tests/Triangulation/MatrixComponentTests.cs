using Bunit;
using Scorecard.Data.Triangulation;
using Scorecard.Tests.Components;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Pages.Triangulation;

namespace Scorecard.Tests.Triangulation;

/// <summary>The matrix's cells (colour, symbol and word; a name for screen readers; a link to the evidence) and the page over the demo.</summary>
public sealed class MatrixComponentTests(DatabaseFixture db) : ComponentTestBase, IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(Judgement.Positive, "positive", "✓", "Positive")]
    [InlineData(Judgement.Negative, "negative", "✗", "Negative")]
    [InlineData(Judgement.Mixed, "mixed", "≈", "Mixed")]
    [InlineData(Judgement.NoEvidence, "none", "–", "No evidence")]
    public void ACellShowsColourSymbolAndWordAndNamesItsLensAndThemeForScreenReaders(Judgement judgement, string css, string symbol, string word)
    {
        var cut = Render<LensCell>(p => p
            .Add(c => c.ThemeId, 7).Add(c => c.ThemeTitle, "Children's voice shapes their plans")
            .Add(c => c.Lens, Lens.ChildrenAndFamilies).Add(c => c.Judgement, judgement));

        var link = cut.Find("a");
        Assert.Equal("/triangulation/themes/7#lens-children-and-families", link.GetAttribute("href"));
        Assert.Contains($"lens-cell--{css}", link.ClassList);
        Assert.Equal(symbol, cut.Find(".lens-cell__symbol").TextContent);
        Assert.Equal("true", cut.Find(".lens-cell__symbol").GetAttribute("aria-hidden"));
        Assert.Equal(word, cut.Find(".lens-cell__word").TextContent);
        // What a screen reader reads, without the decorative symbol.
        var spoken = string.Join("", link.Children.Where(c => c.GetAttribute("aria-hidden") != "true").Select(c => c.TextContent));
        Assert.Equal($"Children and families for Children's voice shapes their plans: {word}", spoken);
    }

    [Fact]
    public void AVerdictChipSaysItsVerdictInWords()
    {
        var cut = Render<VerdictChip>(p => p.Add(c => c.Verdict, new VerdictResult(Verdict.Corroborated, Side.Negative, "")));
        Assert.Equal("Corroborated (negative)", cut.Find("[data-testid=verdict]").TextContent);
        Assert.Contains("verdict--negative", cut.Find("span").ClassList);
    }

    [Fact]
    public async Task TheMatrixPutsTheContestedThemeFirstWithSixCellsAndAVerdict()
    {
        UseDatabase(db.DataSource);
        SignInAs(await Actors.ForAsync(db.DataSource, Actors.QaEmail));

        var cut = Render<Matrix>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("tbody tr")), Patience);
        var first = cut.FindAll("tbody tr")[0];
        Assert.Equal(TriangulationDemo.ContestedTheme, first.QuerySelector("th a")!.TextContent);
        Assert.Equal(6, first.QuerySelectorAll(".lens-cell").Length);
        Assert.Equal("Contested", first.QuerySelector("[data-testid=verdict]")!.TextContent);
        Assert.Equal(8, cut.FindAll("tbody tr").Count);
        Assert.Equal(8, cut.FindAll("thead th").Count);
    }
}
