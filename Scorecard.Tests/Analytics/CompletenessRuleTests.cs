using System.ComponentModel.DataAnnotations;
using Scorecard.Data.Analytics;

namespace Scorecard.Tests.Analytics;

/// <summary>
/// The lead's rule for figures from many agencies (issue 8 §1): complete when every due agency returned, or, where 10
/// or more are due, when at least 90% (the setting) did; the count of those missing stays visible either way.
/// </summary>
public sealed class CompletenessRuleTests
{
    [Theory]
    [InlineData(10, 9, true)]     // exactly 90% of ten
    [InlineData(10, 8, false)]
    [InlineData(9, 8, false)]     // fewer than ten due: every one of them
    [InlineData(9, 9, true)]
    [InlineData(2, 1, false)]
    [InlineData(170, 153, true)]  // 90% of 170 schools is 153
    [InlineData(170, 152, false)]
    [InlineData(170, 170, true)]
    [InlineData(0, 0, true)]      // nobody due: complete by definition
    public void AFigureIsCompleteWhenEveryDueAgencyOrNinetyPercentOfTenOrMoreReturned(int due, int returned, bool complete)
    {
        var c = new FigureCompleteness(due, returned);

        Assert.Equal(complete, c.IsComplete);
        Assert.Equal(!complete && returned > 0, c.IsIncomplete);
    }

    [Fact]
    public void TheCountOfMissingAgenciesStaysVisibleWhenTheFigureCountsAsComplete()
    {
        var c = new FigureCompleteness(170, 162);

        Assert.True(c.IsComplete);
        Assert.True(c.HasMissing);
        Assert.Equal("162 of 170 agencies", c.Label);
        Assert.Equal("Complete enough: 162 of 170 agencies have returned (at least 90% of 10 or more)", c.Description);
    }

    [Fact]
    public void AStricterSettingNeedsMore()
    {
        var rule = new CompletenessRule { MinShareWhenTenOrMore = 0.95 };

        Assert.False(new FigureCompleteness(170, 161, rule).IsComplete);
        Assert.True(new FigureCompleteness(170, 162, rule).IsComplete);   // 0.95 × 170 = 161.5, so 162
        Assert.False(new FigureCompleteness(170, 169, CompletenessRule.EveryAgency).IsComplete);
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(1.2, false)]
    [InlineData(0.5, true)]
    [InlineData(1.0, true)]
    public void TheSettingIsAShareBetweenAHalfAndOne(double share, bool valid)
    {
        var rule = new CompletenessRule { MinShareWhenTenOrMore = share };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(rule, new ValidationContext(rule), results, validateAllProperties: true));
        if (!valid)
            Assert.Contains("MinShareWhenTenOrMore", results.Single().ErrorMessage);
    }
}
