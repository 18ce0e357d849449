using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Assurance;
using Scorecard.Data.Common;

namespace Scorecard.Tests.Assurance;

/// <summary>The pure statistics against values worked by hand, the stored spelling of every enum, the case-reference
/// rule and evidence-file identification by bytes.</summary>
public sealed class AssuranceStatisticsTests
{
    private const Grade O = Grade.Outstanding, G = Grade.Good, R = Grade.RequiresImprovement, I = Grade.Inadequate;

    [Fact]
    public void KappaMatchesTheHandComputedValue()
    {
        // Agreement 7/10. Agency marginals O 1, G 4, R 4, I 1; moderated O 0, G 4, R 4, I 2.
        // pe = 0.1×0 + 0.4×0.4 + 0.4×0.4 + 0.1×0.2 = 0.34; κ = (0.7 − 0.34) / (1 − 0.34) = 0.5454…
        (Grade, Grade)[] pairs = [(G, G), (G, G), (G, R), (R, R), (R, R), (R, I), (I, I), (G, G), (R, R), (O, G)];

        var a = AssuranceStatistics.Agreement(pairs);

        Assert.Equal(10, a.Pairs);
        Assert.Equal(0.7, a.PercentAgreement!.Value, 10);
        Assert.Equal(0.36 / 0.66, a.Kappa!.Value, 10);
        Assert.Equal(AgreementBand.Moderate, a.Band);
        Assert.Equal(0.3, a.MeanDifference!.Value, 10);
        Assert.Contains("moderate agreement", a.Meaning);
        Assert.Contains("over-optimistic", a.Meaning);
    }

    [Fact]
    public void PerfectAgreementIsKappaOneAndOneGradeEverywhereHasNoKappa()
    {
        var perfect = AssuranceStatistics.Agreement([(G, G), (R, R), (I, I)]);
        var allGood = AssuranceStatistics.Agreement([(G, G), (G, G)]);
        var chanceOnly = AssuranceStatistics.Agreement([(G, G), (G, R), (R, G), (R, R)]);

        Assert.Equal(1.0, perfect.Kappa!.Value, 10);
        Assert.Equal(AgreementBand.AlmostPerfect, perfect.Band);
        Assert.Null(allGood.Kappa);
        Assert.Equal(1.0, allGood.PercentAgreement);
        Assert.Equal(0.0, chanceOnly.Kappa!.Value, 10);
        Assert.Equal(AgreementBand.Slight, chanceOnly.Band);
        Assert.Null(AssuranceStatistics.Agreement([]).Kappa);
    }

    [Theory]
    [InlineData(-0.1, AgreementBand.Poor)]
    [InlineData(0.2, AgreementBand.Slight)]
    [InlineData(0.21, AgreementBand.Fair)]
    [InlineData(0.6, AgreementBand.Moderate)]
    [InlineData(0.8, AgreementBand.Substantial)]
    [InlineData(0.81, AgreementBand.AlmostPerfect)]
    public void KappaBandsFollowLandisAndKoch(double kappa, AgreementBand band) => Assert.Equal(band, AssuranceStatistics.Band(kappa));

    [Fact]
    public void OptimismGapIsSelfMinusModeratedOverModeratedStandardsOnly()
    {
        RatedStandard[] ratings =
        [
            new(1, "A", Rating.Met, Rating.PartlyMet),      // +1
            new(1, "B", Rating.Met, Rating.Met),            //  0
            new(1, "C", Rating.PartlyMet, Rating.NotMet),   // +1
            new(2, "A", Rating.NotMet, Rating.PartlyMet),   // −1
            new(2, "B", Rating.Met, null),                  // not moderated: left out
        ];

        var gap = AssuranceStatistics.Gap(ratings);
        var byAgency = AssuranceStatistics.GapByAgency(ratings);

        Assert.Equal(new OptimismGap(4, 0.25, 2, 1), gap);
        Assert.Equal(2.0 / 3, byAgency[1].Gap!.Value, 10);
        Assert.Equal(-1.0, byAgency[2].Gap!.Value, 10);
        Assert.Null(AssuranceStatistics.Gap([new RatedStandard(3, "A", Rating.Met, null)]).Gap);
    }

    [Fact]
    public void CycleComparisonUsesTheSettledRatingPerStandard()
    {
        RatedStandard[] before = [new(1, "A", Rating.PartlyMet, null), new(1, "B", Rating.Met, Rating.PartlyMet), new(1, "C", Rating.Met, null), new(1, "D", Rating.Met, null)];
        RatedStandard[] after = [new(1, "A", Rating.Met, null), new(1, "B", Rating.Met, null), new(1, "C", Rating.Met, Rating.NotMet), new(1, "E", Rating.Met, null)];

        var changes = AssuranceStatistics.Compare(before, after);

        Assert.Equal([("A", Change.Improved), ("B", Change.Improved), ("C", Change.Worse)], changes.Select(c => (c.StandardCode, c.Change)));
        Assert.Equal(Rating.NotMet, changes[2].Current);
    }

    [Fact]
    public void WeakestStandardsComeFirstByMeanSettledScore()
    {
        RatedStandard[] ratings =
        [
            new(1, "S1", Rating.Met, null), new(2, "S1", Rating.Met, null),
            new(1, "S2", Rating.Met, Rating.NotMet), new(2, "S2", Rating.PartlyMet, null),
            new(1, "S3", Rating.PartlyMet, null), new(2, "S3", Rating.PartlyMet, null),
        ];

        var weakest = AssuranceStatistics.Weakest(ratings, 2);

        Assert.Equal(["S2", "S3"], weakest.Select(w => w.StandardCode));
        Assert.Equal(0.5, weakest[0].MeanScore, 10);
        Assert.Equal(1, weakest[0].NotMet);
    }

    [Fact]
    public void DistributionCountsEachGradeAndTheShareGoodOrBetter()
    {
        var d = AssuranceStatistics.Distribution([O, G, G, R, I, I]);

        Assert.Equal(new GradeDistribution(1, 2, 1, 2), d);
        Assert.Equal(0.5, d.ShareGoodOrBetter);
        Assert.Null(AssuranceStatistics.Distribution([]).ShareGoodOrBetter);
    }

    [Fact]
    public void EveryEnumHasOneStoredSpellingThatRoundTrips()
    {
        Assert.Equal("multi_agency_case", AuditType.MultiAgencyCase.ToDb());
        Assert.Equal("requires_improvement", Grade.RequiresImprovement.ToDb());
        Assert.Equal("area_for_development", FindingType.AreaForDevelopment.ToDb());
        Assert.Equal("partly_met", Rating.PartlyMet.ToDb());
        Assert.Equal("section_175_157", FrameworkKind.Section175157.ToDb());
        Assert.Equal("section_11", FrameworkKind.Section11.ToDb());
        Assert.Equal(["planned", "fieldwork", "moderation", "reported", "closed"], DbEnum.All<AuditStatus>().ToDb());
        Assert.Equal(4, DbEnum.All<Grade>().Count);
        foreach (var k in DbEnum.All<FrameworkKind>())
            Assert.Equal(k, DbEnum.Parse<FrameworkKind>(k.ToDb()));
        // Dapper reads stored text with Enum.Parse(ignoreCase: true): the aliases make that land on the right member.
        Assert.Equal(Grade.RequiresImprovement, Enum.Parse<Grade>("requires_improvement", ignoreCase: true));
        Assert.Equal(FrameworkKind.Section175157, Enum.Parse<FrameworkKind>("section_175_157", ignoreCase: true));
    }

    [Theory]
    [InlineData("NEG24-07", "NEG24-07")]
    [InlineData(" ce23-11 ", "CE23-11")]
    public void AnAnonymisedCaseReferenceIsAccepted(string raw, string stored) => Assert.Equal((stored, null), CaseReference.Check(raw));

    [Theory]
    [InlineData("Jane Smith", "never a child's name")]
    [InlineData("JANESMITH", "must contain a digit")]
    [InlineData("AB-12/03/2015", "must not contain a date")]
    [InlineData("CASE-20150312", "must not contain a date")]
    [InlineData("12MAR2015", "must not contain a date")]
    [InlineData("", "required")]
    public void ANameOrADateIsRefusedWithAReason(string raw, string because)
    {
        var (reference, problem) = CaseReference.Check(raw);

        Assert.Null(reference);
        Assert.Contains(because, problem);
    }

    [Fact]
    public void TimelinessIsJudgedByTheDateInUkTime()
    {
        var deadline = new DateOnly(2025, 6, 30);
        var today = new DateOnly(2025, 7, 10);

        // 23:30 UTC on the deadline is 00:30 on 1 July in British Summer Time: late.
        Assert.Equal(SubmissionState.SubmittedLate, SelfAssessmentQueries.State(new DateTime(2025, 6, 30, 23, 30, 0, DateTimeKind.Utc), 1, false, deadline, today));
        Assert.Equal(SubmissionState.SubmittedOnTime, SelfAssessmentQueries.State(new DateTime(2025, 6, 30, 22, 30, 0, DateTimeKind.Utc), 1, false, deadline, today));
        Assert.Equal(SubmissionState.Missing, SelfAssessmentQueries.State(null, null, true, deadline, today));
        Assert.Equal(SubmissionState.Draft, SelfAssessmentQueries.State(null, null, true, deadline, deadline));
        Assert.Equal(SubmissionState.NotStarted, SelfAssessmentQueries.State(null, null, false, deadline, deadline));
    }
}
