using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;

namespace Scorecard.Tests.Performance;

public sealed class ScorecardFilterTests
{
    private static readonly ScorecardData Data = new(1, new DateOnly(2026, 1, 1),
        [new ScorecardMeasure(1, "M1", "One", "", MeasureUnit.Percent, "a", "b", Polarity.HigherIsBetter, 1, "P1", "First", 1, 5, "Council", 90m, 5m, 1, null, null, "", 1)],
        [new ScorecardPeriod(3, 2025, 2, new(2025, 7, 1), new(2025, 9, 30), new(2025, 10, 28))],
        [new ScorecardAgency(5, "Council", "CEC", Sector.Council, true)],
        [new ScorecardReporter(1, 5)], []);

    [Fact]
    public void AValidQueryParsesAndWritesBackTheSame()
    {
        var (filter, errors) = ScorecardFilter.Parse("p1", "5", null, "red,Amber", "true", "2025-q2", Data);

        Assert.Empty(errors);
        Assert.Equal(new ScorecardFilter("P1", 5, null, [RagStatus.Red, RagStatus.Amber], true, "2025-Q2").ToQueryString(), filter.ToQueryString());
        Assert.Equal("?priority=P1&agency=5&rag=red,amber&exceptions=true&quarter=2025-Q2", filter.ToQueryString());
    }

    [Fact]
    public void EveryBadValueIsReportedInWordsAndDropped()
    {
        var (filter, errors) = ScorecardFilter.Parse("P9", "abc", "navy", "red,pink", "maybe", "2025-Q5", Data);

        Assert.Equal(6, errors.Count);
        Assert.Equal(new ScorecardFilter(null, null, null, [RagStatus.Red], false, null).ToQueryString(), filter.ToQueryString());
        Assert.Contains(errors, e => e.Contains("no agency \"abc\""));
    }

    [Fact]
    public void AnAgencyTakesPrecedenceOverASectorInTheScope()
    {
        var (filter, _) = ScorecardFilter.Parse(null, "5", "health", null, null, null, Data);

        Assert.Equal(new ScorecardScope(5, null), filter.Scope);
    }

    [Theory]
    [InlineData("health", Sector.Health)]
    [InlineData("Council", Sector.Council)]
    [InlineData(" EDUCATION ", Sector.Education)]
    [InlineData("voluntary", Sector.Voluntary)]
    public void ASectorInTheAddressIsTodaysWordInAnyCaseAndATypedValueInside(string word, Sector sector)
    {
        var (filter, errors) = ScorecardFilter.Parse(null, null, word, null, null, null, Data);

        Assert.Empty(errors);
        Assert.Equal(new ScorecardScope(null, sector), filter.Scope);
        Assert.Equal($"?sector={sector.ToString().ToLowerInvariant()}", filter.ToQueryString());
    }

    [Fact]
    public void EverySectorHasItsStoredWordAndALabel()
    {
        Assert.Equal(["council", "police", "health", "education", "justice", "voluntary", "other"], Sectors.All);
        Assert.Equal("Local authority", Sectors.Label(Sector.Council));
        Assert.Equal("Criminal justice", Sectors.Label(Sector.Justice));
        Assert.Null(Sectors.Parse("navy"));
        Assert.Null(Sectors.Parse(null));
    }

    [Fact]
    public void NoFiltersMakeAnEmptyQuery() => Assert.Equal("", ScorecardFilter.None.ToQueryString());
}
