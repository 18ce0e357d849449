using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Scorecard.Data.Analytics;
using Scorecard.Web.Components.Shared;

namespace Scorecard.Tests.Components;

/// <summary>The scorecard's building blocks as a user (or a screen reader) meets them.</summary>
public sealed class SpcIconComponentTests : ComponentTestBase
{
    [Theory]
    [InlineData(VariationIcon.CommonCause, "Common cause: no significant change")]
    [InlineData(VariationIcon.ConcernHigh, "Special cause concern: significantly higher")]
    [InlineData(VariationIcon.ImprovementLow, "Special cause improvement: significantly lower")]
    [InlineData(VariationIcon.NeutralHigh, "Significantly higher (neither better nor worse)")]
    public void EachVariationIconHasItsMeaningInWordsForScreenReaders(VariationIcon icon, string label)
    {
        var cut = Render<VariationIconView>(p => p.Add(c => c.Icon, icon));

        var img = cut.Find("[role=img]");
        Assert.StartsWith(label + ": " + SpcIcons.Description(icon), img.GetAttribute("aria-label"));
        Assert.Equal("0", img.GetAttribute("tabindex"));
        Assert.Contains($"stroke=\"{SpcIcons.Colour(icon)}\"", cut.Markup);
    }

    [Fact]
    public void ProvisionalLimitsAreMarkedAndSaidInWords()
    {
        var cut = Render<VariationIconView>(p => p.Add(c => c.Icon, VariationIcon.CommonCause).Add(c => c.Trial, true));

        Assert.Contains("Limits are provisional", cut.Find("[role=img]").GetAttribute("aria-label"));
        Assert.Equal("*", cut.Find(".spc-trial").TextContent);
    }

    [Theory]
    [InlineData(AssuranceIcon.ConsistentPass, "P")]
    [InlineData(AssuranceIcon.ConsistentFail, "F")]
    [InlineData(AssuranceIcon.Inconsistent, "?")]
    public void EachAssuranceIconShowsItsLetterAndSaysWhatItMeans(AssuranceIcon icon, string letter)
    {
        var cut = Render<AssuranceIconView>(p => p.Add(c => c.Icon, icon));

        Assert.Equal(letter, cut.Find("text").TextContent);
        Assert.StartsWith(SpcIcons.Label(icon), cut.Find("[role=img]").GetAttribute("aria-label"));
    }

    [Fact]
    public void NoAssuranceIconSaysWhy()
    {
        var cut = Render<AssuranceIconView>(p => p.Add(c => c.Icon, (AssuranceIcon?)null));

        Assert.Contains("no target", cut.Find("[role=img]").GetAttribute("aria-label"));
    }
}
