using Scorecard.Data.Demo;

namespace Scorecard.Tests.Demo;

public sealed class DemoCatalogueTests
{
    [Fact]
    public void TheEmbeddedCatalogueReadsIntoTypedRecordsWithEveryMeasureReportedBySomeone()
    {
        var catalogue = DemoCatalogue.Load();

        Assert.Equal("cescp", catalogue.Partnership.Code);
        Assert.NotEmpty(catalogue.Agencies);
        Assert.Equal(4, catalogue.Priorities.Count);
        Assert.All(catalogue.Measures, m => Assert.True(m.Reporters is { Count: > 0 } || m.SchoolReporters is not null, m.Code));
        Assert.Single(catalogue.Measures, m => m.Signal == DemoSignal.Shift);
        Assert.Single(catalogue.Measures, m => m.Signal == DemoSignal.NeverMet);
    }
}
