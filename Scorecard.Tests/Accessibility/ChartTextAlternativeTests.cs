using Plotly.Blazor.Traces;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;
using Scorecard.Tests.Infrastructure;
using Scorecard.Web.Components.Shared;
using SymbolEnum = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum;

namespace Scorecard.Tests.Accessibility;

/// <summary>
/// The XmR chart's text alternative and shapes (issue 14): its data table says what the chart draws, hides what the
/// chart hides, and a point's type is told by its shape as well as its colour.
/// </summary>
public sealed class ChartTextAlternativeTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<ScorecardData> LoadAsync(string email) =>
        await new ScorecardQueries(db.DataSource, FixedClock.DemoToday).LoadAsync(await Actors.ForAsync(db.DataSource, email), CancellationToken.None);

    private async Task<ScorecardLine> LineAsync(string email, string code)
    {
        var data = await LoadAsync(email);
        var viewer = await Actors.ForAsync(db.DataSource, email);
        return ScorecardBuilder.Build(data, viewer, ScorecardScope.Partnership).Lines.Single(l => l.Measure.Code == code);
    }

    [Fact]
    public async Task EachPointTypeHasItsOwnShapeOnTheChartAndInItsLegend()
    {
        var line = await LineAsync(Actors.QaEmail, "CSC-REREF");
        var traces = XmrChartData.Traces(line).Cast<Scatter>().ToList();

        var symbols = traces[0].Marker.SymbolArray;
        for (var i = 0; i < line.History.Count; i++)
        {
            var f = line.History[i];
            var expected = f.Ghosted || f.Provisional ? SymbolEnum.CircleOpen : XmrChartData.Shape(f.PointType ?? PointType.CommonCause);
            Assert.Equal(expected, symbols[i]);
        }
        Assert.Equal(SymbolEnum.Diamond, symbols[^1]);
        Assert.Equal(PointType.SpecialCauseConcern, line.History[^1].PointType);
        var legend = traces.Where(t => t.Name is not (XmrChartData.ValuesName or XmrChartData.MeanName or XmrChartData.UpperName or XmrChartData.LowerName or XmrChartData.TargetName)).ToList();
        Assert.Equal(legend.Count, legend.Select(t => (t.Marker.Symbol, t.Marker.Color)).Distinct().Count());
        Assert.Equal(SymbolEnum.Diamond, legend.Single(t => t.Name == SpcWords.Legend(PointType.SpecialCauseConcern)).Marker.Symbol);
        Assert.Equal(SymbolEnum.Square, legend.Single(t => t.Name == SpcWords.Legend(PointType.SpecialCauseImprovement)).Marker.Symbol);
        Assert.Equal(4, new[] { PointType.CommonCause, PointType.SpecialCauseImprovement, PointType.SpecialCauseConcern, PointType.SpecialCauseNeutralHigh }.Select(XmrChartData.Shape).Distinct().Count());
    }

    [Fact]
    public async Task TheDataTableHasEveryPointItsTypeInWordsAndTheLimits()
    {
        var line = await LineAsync(Actors.QaEmail, "CSC-REREF");
        var rows = XmrChartData.Table(line);

        Assert.Equal(line.History.Select(f => f.Period.Label), rows.Select(r => r.Quarter));
        Assert.Equal(FigureFormat.Figure(line.Current, line.Measure), rows[^1].Value);
        Assert.Equal(SpcWords.Legend(PointType.SpecialCauseConcern), rows[^1].PointType);
        var segment = line.Spc!.Points[^1];
        Assert.Equal(FigureFormat.Value((decimal)segment.Mean, line.Measure.Unit, line.Measure.DecimalPlaces), rows[^1].Mean);
        Assert.Equal(FigureFormat.Value((decimal)segment.UpperLimit!.Value, line.Measure.Unit, line.Measure.DecimalPlaces), rows[^1].UpperLimit);
        Assert.All(rows.Where((r, i) => line.History[i].Ghosted), r => Assert.Equal(SpcWords.GhostedLegend, r.PointType));
    }

    [Fact]
    public async Task TheSummarySaysWhatTheChartShowsAndItsLatestSignal()
    {
        var line = await LineAsync(Actors.QaEmail, "CSC-REREF");
        var summary = XmrChartData.Summary(line);

        Assert.StartsWith($"XmR chart of {line.Measure.Title} over {line.History.Count} quarters.", summary);
        Assert.Contains($"Latest, {line.Current.Period.Label}: {FigureFormat.Figure(line.Current, line.Measure)}.", summary);
        Assert.Contains(line.Statements[0].Text, summary);
    }

    [Fact]
    public async Task AHiddenFigureStaysHiddenInTheTableAndWithheldLimitsAreLeftOut()
    {
        var data = await LoadAsync(Actors.PoliceEmail);
        var police = await Actors.ForAsync(db.DataSource, Actors.PoliceEmail);
        var measure = data.Measures.Single(m => m.Code == "CSC-CP-2YRS");
        var latest = ScorecardBuilder.SelectPeriod(data, null)!;
        // As in JudgementWiringTests: the latest quarter rests on 3 children, so its value and any mean or limit are withheld.
        var handBuilt = data with
        {
            Values = data.Values.Select(v => v.MeasureId == measure.Id && v.PeriodId == latest.Id ? v with { Numerator = 3, Denominator = 100 } : v).ToList(),
        };
        var line = ScorecardBuilder.Build(handBuilt, police, ScorecardScope.Partnership).Lines.Single(l => l.Measure.Code == measure.Code);
        Assert.True(line.Current.Suppressed);

        var rows = XmrChartData.Table(line);
        Assert.Equal(SpcWords.FewerThanFive, rows[^1].Value);
        Assert.Equal(SpcWords.FewerThanFive, rows[^1].PointType);
        Assert.DoesNotContain("3.0", rows[^1].Value);
        Assert.All(rows, r => Assert.True(r.Mean is null && r.LowerLimit is null && r.UpperLimit is null));
    }
}
