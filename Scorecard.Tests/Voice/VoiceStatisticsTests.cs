using Scorecard.Data.Common;
using Scorecard.Data.Voice;

namespace Scorecard.Tests.Voice;

/// <summary>The Wilson interval and the two-proportion test against values worked by hand (z = 1.96).</summary>
public sealed class VoiceStatisticsTests
{
    [Fact]
    public void WilsonIntervalOf81In100MatchesTheHandComputation()
    {
        // p = 0.81, n = 100, z² = 3.8415: centre = (0.81 + 3.8415/200) / (1 + 3.8415/100) = 0.829208 / 1.038415 = 0.798533;
        // half-width = 1.96 × √(0.81 × 0.19 / 100 + 3.8415/40000) / 1.038415 = 1.96 × 0.040436 / 1.038415 = 0.076322.
        var s = VoiceStatistics.Wilson(81, 100)!;
        Assert.Equal(0.81, s.Share, 10);
        Assert.Equal(0.7222, s.Low, 4);
        Assert.Equal(0.8749, s.High, 4);
    }

    [Fact]
    public void WilsonIntervalStaysInsideZeroToOneAtTheExtremes()
    {
        var none = VoiceStatistics.Wilson(0, 10)!;
        Assert.Equal(0, none.Low, 10);
        Assert.Equal(0.2775, none.High, 4); // z² / (n + z²) = 3.8415 / 13.8415
        var all = VoiceStatistics.Wilson(10, 10)!;
        Assert.Equal(0.7225, all.Low, 4);
        Assert.Equal(1, all.High, 10);
    }

    [Fact]
    public void WilsonIsNullWithNoAnswersAndRefusesMorePositivesThanAnswers()
    {
        Assert.Null(VoiceStatistics.Wilson(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VoiceStatistics.Wilson(5, 4));
    }

    [Fact]
    public void AChangeFrom60To72PercentOf200IsMoreThanChance()
    {
        // pooled p̂ = 264/400 = 0.66; se = √(0.66 × 0.34 × (2/200)) = 0.047371; z = 0.12 / 0.047371 = 2.5332.
        var c = VoiceStatistics.Compare(120, 200, 144, 200)!;
        Assert.Equal(12, c.Points);
        Assert.Equal(2.5332, c.Z, 4);
        Assert.Equal(0.0113, c.PValue, 4);
        Assert.True(c.MoreThanChance);
        Assert.Equal("up 12 points, more than chance", c.Words);
    }

    [Fact]
    public void AFallFrom50To38PercentOf100IsWithinChance()
    {
        // pooled p̂ = 0.44; se = √(0.44 × 0.56 × 0.02) = 0.070200; z = −0.12 / 0.0702 = −1.7094.
        var c = VoiceStatistics.Compare(50, 100, 38, 100)!;
        Assert.Equal(-12, c.Points);
        Assert.Equal(-1.7094, c.Z, 4);
        Assert.False(c.MoreThanChance);
        Assert.Equal("down 12 points, within chance", c.Words);
    }

    [Fact]
    public void OnePointAndNoChangeAreWordedAsSuch()
    {
        Assert.Equal("up 1 point, within chance", VoiceStatistics.Compare(60, 100, 61, 100)!.Words);
        Assert.Equal("no change, within chance", VoiceStatistics.Compare(30, 100, 30, 100)!.Words);
        Assert.Null(VoiceStatistics.Compare(3, 0, 1, 10));
    }

    [Fact]
    public void TheBoundaryOfChanceIsZEqualTo196()
    {
        Assert.True(VoiceStatistics.Erfc(VoiceStatistics.Z95 / Math.Sqrt(2)) is > 0.04999 and < 0.05001);
    }

    [Fact]
    public void PositiveAnswersAreAgreeYesAndFourOrFive()
    {
        Assert.Equal([0], AnswerScale.AgreeNeitherDisagree.PositiveAnswers());
        Assert.Equal([3, 4], AnswerScale.OneToFive.PositiveAnswers());
        Assert.Equal(3, AnswerScale.YesSometimesNo.Width());
    }

    [Fact]
    public void StoredNamesRoundTripThroughDbEnum()
    {
        Assert.Equal("children_young_people", RespondentGroup.ChildrenYoungPeople.ToDb());
        Assert.Equal("approved_for_sharing", QuoteReview.ApprovedForSharing.ToDb());
        Assert.Equal("one_to_five", AnswerScale.OneToFive.ToDb());
        Assert.Equal(VoiceMethod.PractitionerVisit, DbEnum.Parse<VoiceMethod>("practitioner_visit"));
        Assert.Equal(7, DbEnum.All<VoiceMethod>().Count);
    }
}

/// <summary>What a viewer may see of a question's counts.</summary>
public sealed class VoiceDisclosureTests
{
    [Fact]
    public void FewerThanFiveRespondentsAreHiddenFromOthers()
    {
        var r = VoiceDisclosure.Disclose(AnswerScale.YesNo, RespondentGroup.Practitioners, 4, [3, 1], viewerMaySee: false);
        Assert.True(r.Suppressed);
        Assert.Null(r.Counts);
        Assert.Null(r.Share);
        Assert.Equal(VoiceDisclosure.FewRespondents, r.Reason);
    }

    [Fact]
    public void AChildsAnswerCountOfOneToFourHidesTheQuestion()
    {
        var r = VoiceDisclosure.Disclose(AnswerScale.AgreeNeitherDisagree, RespondentGroup.ChildrenYoungPeople, 40, [30, 7, 3], false);
        Assert.True(r.Suppressed);
        Assert.Equal(VoiceDisclosure.SmallAnswer, r.Reason);
    }

    [Fact]
    public void PractitionersSmallAnswerCountsAreShownWhenFiveOrMoreAnswered()
    {
        var r = VoiceDisclosure.Disclose(AnswerScale.AgreeNeitherDisagree, RespondentGroup.Practitioners, 40, [30, 7, 3], false);
        Assert.False(r.Suppressed);
        Assert.Equal(0.75, r.Share!.Share, 10);
    }

    [Fact]
    public void ZeroCountsAreNotSmall()
    {
        var r = VoiceDisclosure.Disclose(AnswerScale.YesNo, RespondentGroup.ChildrenYoungPeople, 40, [40, 0], false);
        Assert.False(r.Suppressed);
        Assert.Equal(40, r.Total);
    }

    [Fact]
    public void ThoseWhoMaySeeSmallNumbersSeeThem()
    {
        var r = VoiceDisclosure.Disclose(AnswerScale.YesNo, RespondentGroup.ChildrenYoungPeople, 3, [2, 1], true);
        Assert.False(r.Suppressed);
        Assert.Equal([2, 1], r.Counts);
    }

    [Fact]
    public void QaAndTheRunningAgencyMaySeeSmallNumbersButNotExecutivesOtherAgenciesOrExports()
    {
        var qa = new Scorecard.Data.Accounts.Actor(1, 1, "Q", Scorecard.Data.Accounts.Role.QaMember, null);
        var exec = qa with { Role = Scorecard.Data.Accounts.Role.Executive };
        var own = qa with { Role = Scorecard.Data.Accounts.Role.AgencyUser, AgencyId = 7 };
        var other = own with { AgencyId = 8 };
        Assert.True(VoiceDisclosure.MaySeeSmallNumbers(qa, 7));
        Assert.True(VoiceDisclosure.MaySeeSmallNumbers(own, 7));
        Assert.False(VoiceDisclosure.MaySeeSmallNumbers(own, null));
        Assert.False(VoiceDisclosure.MaySeeSmallNumbers(exec, 7));
        Assert.False(VoiceDisclosure.MaySeeSmallNumbers(other, 7));
        Assert.False(VoiceDisclosure.MaySeeSmallNumbers(qa, 7, forExport: true));
    }
}
