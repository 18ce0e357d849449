using Plotly.Blazor.Traces;
using Scorecard.Data.Voice;
using Scorecard.Web.Components.Pages.Voice;

namespace Scorecard.Tests.Voice;

/// <summary>The trend across waves as a chart: a point per wave with its interval, a gap for a wave not shown, and the changes in words.</summary>
public sealed class VoiceTrendTests
{
    private static DisclosedResult Shown(int positive, int total) =>
        new(false, "", [positive, total - positive], VoiceStatistics.Wilson(positive, total));

    private static VoiceQuestionView Question(params WavePoint[] waves) =>
        new(1, 1, "listened", "My social worker listens to me", AnswerScale.YesNo, waves[^1].Result, waves, VoiceQueries.Steps(waves));

    [Fact]
    public void EachWaveIsAPointWithItsIntervalAndEachChangeIsSaidInWords()
    {
        // 50 of 100, then 62 of 100: up 12 points; z = 0.12 / sqrt(0.56 × 0.44 × 0.02) = 1.71, within chance.
        // Then 62 of 100 to 150 of 200 (75%): up 13 points; z = 2.34, more than chance.
        var q = Question(
            new WavePoint(1, 1, new DateOnly(2023, 3, 31), Shown(50, 100)),
            new WavePoint(2, 2, new DateOnly(2024, 3, 31), Shown(62, 100)),
            new WavePoint(3, 3, new DateOnly(2025, 3, 31), Shown(150, 200)));

        var trace = Assert.IsType<Scatter>(Assert.Single(VoiceTrendData.Traces([q])));
        Assert.Equal(["Wave 1 (Mar 2023)", "Wave 2 (Mar 2024)", "Wave 3 (Mar 2025)"], trace.X.Cast<string>().ToList());
        Assert.Equal([50.0, 62.0, 75.0], trace.Y.Cast<double>().ToList());
        var interval = VoiceStatistics.Wilson(50, 100)!;
        Assert.Equal((interval.High - interval.Share) * 100, (double)trace.ErrorY.Array[0], 6);
        Assert.Equal((interval.Share - interval.Low) * 100, (double)trace.ErrorY.ArrayMinus[0], 6);

        var words = VoiceTrendData.Words(q);
        Assert.Contains("wave 1 to 2: up 12 points, within chance", words);
        Assert.Contains("wave 2 to 3: up 13 points, more than chance", words);
        Assert.StartsWith("My social worker listens to me: wave 1 50% (40% to 60%)", words);
    }

    [Fact]
    public void AWaveNotShownIsAGapAndItsChangesAreWithheld()
    {
        var q = Question(
            new WavePoint(1, 1, new DateOnly(2023, 3, 31), Shown(50, 100)),
            new WavePoint(2, 2, new DateOnly(2024, 3, 31), new DisclosedResult(true, VoiceDisclosure.FewRespondents, null, null)),
            new WavePoint(3, 3, new DateOnly(2025, 3, 31), Shown(60, 100)));

        var trace = Assert.IsType<Scatter>(Assert.Single(VoiceTrendData.Traces([q])));
        Assert.Null(trace.Y[1]);
        Assert.Equal(0, trace.ErrorY.Array[1]);
        var words = VoiceTrendData.Words(q);
        Assert.Contains("wave 2 not shown", words);
        Assert.Contains("wave 1 to 2: No change shown: one of the two waves is not shown", words);
        Assert.DoesNotContain("points", words);
    }

    [Fact]
    public void AQuestionAskedOnceHasNoTrend() =>
        Assert.Empty(VoiceTrendData.Traces([Question(new WavePoint(1, 1, new DateOnly(2023, 3, 31), Shown(5, 10)))]));
}
