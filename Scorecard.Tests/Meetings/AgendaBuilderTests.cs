using Scorecard.Data.Meetings;

namespace Scorecard.Tests.Meetings;

public sealed class AgendaBuilderTests
{
    private static AgendaCandidate C(AgendaItemKind kind, string key, int urgency = 0, string? title = null) =>
        new(kind, key, title ?? $"Item {key}", "because", urgency, "/x", [new AgendaFact("Fact", key)]);

    private static AgendaEntry Stored(int id, AgendaCandidate c, bool dropped = false, bool records = false) =>
        AgendaEntry.From(c) with { Id = id, Dropped = dropped, HasRecords = records };

    [Fact]
    public void TheFirstBuildOrdersBySectionThenUrgencyThenTitle()
    {
        var agenda = AgendaBuilder.Build(MeetingKind.QaSubgroup, [],
        [
            C(AgendaItemKind.ReturnLateOrMissing, "returns:2025-Q2", 9),
            C(AgendaItemKind.ScorecardException, "measure:B", 30, "B measure"),
            C(AgendaItemKind.ScorecardException, "measure:A", 30, "A measure"),
            C(AgendaItemKind.ScorecardException, "measure:C", 70),
        ]);
        Assert.Equal(["measure:C", "measure:A", "measure:B", "returns:2025-Q2"], agenda.Select(e => e.SourceKey));
    }

    [Fact]
    public void AnExecutiveMeetingTakesEscalatedRisksFirst()
    {
        var agenda = AgendaBuilder.Build(MeetingKind.Executive, [],
            [C(AgendaItemKind.ScorecardException, "measure:A", 90), C(AgendaItemKind.EscalatedRisk, "risk:1", 1)]);
        Assert.Equal("risk:1", agenda[0].SourceKey);
    }

    [Fact]
    public void TheChairsOrderAndDropsSurviveARebuildBySourceKey()
    {
        var a = C(AgendaItemKind.ScorecardException, "measure:A", 10);
        var b = C(AgendaItemKind.ScorecardException, "measure:B", 50);
        // The chair put A before B (against urgency) and dropped B.
        IReadOnlyList<AgendaEntry> stored = [Stored(1, a), Stored(2, b, dropped: true)];
        var rebuilt = AgendaBuilder.Build(MeetingKind.QaSubgroup, stored,
            [b with { Title = "B renamed", Facts = [new AgendaFact("Latest figure", "12")] }, a]);
        Assert.Equal([1, 2], rebuilt.Select(e => e.Id!.Value));
        Assert.True(rebuilt[1].Dropped);
        Assert.Equal("B renamed", rebuilt[1].Title);
        Assert.Equal("12", rebuilt[1].Facts.Single().Value);
    }

    [Fact]
    public void ANewlyProposedItemJoinsAfterTheLastItemOfItsSection()
    {
        var a = C(AgendaItemKind.ScorecardException, "measure:A");
        var r = C(AgendaItemKind.ReturnLateOrMissing, "returns:2025-Q2");
        IReadOnlyList<AgendaEntry> stored = [Stored(1, a), Stored(2, r)];
        var rebuilt = AgendaBuilder.Build(MeetingKind.QaSubgroup, stored, [a, r, C(AgendaItemKind.ScorecardException, "measure:Z", 99), C(AgendaItemKind.EscalatedRisk, "risk:4")]);
        Assert.Equal(["measure:A", "measure:Z", "returns:2025-Q2", "risk:4"], rebuilt.Select(e => e.SourceKey));
        Assert.Null(rebuilt[1].Id);
    }

    [Fact]
    public void AnItemNoLongerProposedLeavesUnlessSomethingWasRecordedAgainstIt()
    {
        IReadOnlyList<AgendaEntry> stored =
        [
            Stored(1, C(AgendaItemKind.ScorecardException, "measure:A")),
            Stored(2, C(AgendaItemKind.ScorecardException, "measure:B"), records: true),
        ];
        var rebuilt = AgendaBuilder.Build(MeetingKind.QaSubgroup, stored, []);
        Assert.Equal([2], rebuilt.Select(e => e.Id!.Value));
    }

    [Fact]
    public void TheChairsOwnItemsStayWhereTheyAre()
    {
        var own = new AgendaEntry(7, null, null, "Annual report sign-off", "", 0, "", []);
        var a = C(AgendaItemKind.ScorecardException, "measure:A");
        var rebuilt = AgendaBuilder.Build(MeetingKind.QaSubgroup, [own, Stored(1, a)], [a]);
        Assert.Equal([7, 1], rebuilt.Select(e => e.Id!.Value));
        Assert.True(rebuilt[0].AddedByChair);
    }

    [Fact]
    public void ADuplicateProposalKeepsTheMostUrgent()
    {
        var agenda = AgendaBuilder.Build(MeetingKind.QaSubgroup, [],
            [C(AgendaItemKind.ScorecardException, "measure:A", 10, "low"), C(AgendaItemKind.ScorecardException, "measure:A", 40, "high")]);
        Assert.Equal("high", Assert.Single(agenda).Title);
    }

    [Theory]
    [InlineData(2, -1, new[] { "a", "c", "b" })]
    [InlineData(0, -1, new[] { "a", "b", "c" })]
    [InlineData(0, 1, new[] { "b", "a", "c" })]
    [InlineData(1, 5, new[] { "a", "c", "b" })]
    public void MovingAnItemShiftsItAndClampsAtTheEnds(int index, int delta, string[] expected)
    {
        Assert.Equal(expected, AgendaBuilder.Move(["a", "b", "c"], index, delta));
    }
}
