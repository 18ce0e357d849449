using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Meetings;

public sealed class PackTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task ThePackHasItsHeadingsTablesChartsAndTheDecisionsLog()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Pack test");
        var meeting = (await world.Queries.GetAsync(world.Qa, id, default))!;
        var first = meeting.Agenda[0];
        await world.Commands.RecordAsync(world.Qa, id, first.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "Ask the owner for a deep dive."), default);
        await world.Commands.SetDroppedAsync(world.Qa, id, meeting.Agenda[^1].Id, true, default);

        var version = await world.Packs.GenerateAsync(world.Qa, id, default);
        Assert.Equal(1, version.Value);
        var pack = (await world.Queries.GetPackAsync(world.Qa, id, null, default))!;

        using var doc = WordprocessingDocument.Open(new MemoryStream(pack.Docx), false);
        var body = doc.MainDocumentPart!.Document.Body!;
        var headings = body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1")
            .Select(p => p.InnerText).ToList();
        var agenda = meeting.Agenda.Take(meeting.Agenda.Count - 1).ToList();
        Assert.Equal(["Agenda", "Attendance", .. agenda.Select((i, n) => $"{n + 1}. {i.Title}"), "Decisions and actions log"], headings);
        Assert.Equal(meeting.Agenda[0].Title, body.Elements<Paragraph>().First(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1" && p.InnerText.StartsWith("1.")).InnerText[3..]);

        var tables = body.Elements<Table>().ToList();
        var agendaTable = tables[0];
        Assert.Equal(agenda.Count + 1, agendaTable.Elements<TableRow>().Count());
        var log = tables[^1];
        Assert.Contains("Ask the owner for a deep dive.", log.InnerText);

        var exceptions = agenda.Count(i => i.Kind == AgendaItemKind.ScorecardException);
        Assert.True(exceptions > 0);
        var images = doc.MainDocumentPart.ImageParts.ToList();
        Assert.Equal(exceptions, images.Count);
        using var png = images[0].GetStream();
        var header = new byte[8];
        Assert.Equal(8, png.Read(header));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
        Assert.Equal(exceptions, body.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>().Count(d => d.Description?.Value?.StartsWith("XmR chart of", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task APastMeetingsPackIsReproducedByteForByteFromWhatWasStored()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Reproduce test");
        Assert.True((await world.Packs.GenerateAsync(world.Qa, id, default)).Succeeded);
        var stored = (await world.Queries.GetPackAsync(world.Qa, id, 1, default))!;

        // Later the meeting moves on: a decision, a second version of the pack.
        var item = (await world.Queries.GetAsync(world.Qa, id, default))!.Agenda[0];
        await world.Commands.RecordAsync(world.Qa, id, item.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "Noted."), default);
        Assert.Equal(2, (await world.Packs.GenerateAsync(world.Qa, id, default)).Value);

        var again = (await world.Queries.GetPackAsync(world.Qa, id, 1, default))!;
        Assert.Equal(stored.Docx, again.Docx);
        Assert.Equal(stored.Docx, PackDocument.Write(PackModel.FromJson(stored.Model)));
        Assert.Equal(stored.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(again.Docx)));
        var latest = (await world.Queries.GetPackAsync(world.Qa, id, null, default))!;
        Assert.Equal(2, latest.Version);
        Assert.NotEqual(stored.Docx, latest.Docx);
    }

    [Fact]
    public async Task AnotherVersionReusesTheChartsAlreadyDrawnAndIsTheSameDocumentAsOneDrawnAfresh()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Chart cache test");
        var partnership = $"partnership_id = {world.Qa.PartnershipId}";
        Assert.True((await world.Packs.GenerateAsync(world.Qa, id, default)).Succeeded);
        var first = (await world.Queries.GetPackAsync(world.Qa, id, 1, default))!;
        var charts = PackModel.FromJson(first.Model).Items.Count(i => i.Chart is not null || i.HeatMap is not null);
        Assert.True(charts > 0);
        var cached = await Actors.CountAsync(db.DataSource, "pack_chart", partnership);
        Assert.True(cached >= charts);

        var item = (await world.Queries.GetAsync(world.Qa, id, default))!.Agenda[0];
        await world.Commands.RecordAsync(world.Qa, id, item.Id, new NewMeetingRecord(MeetingRecordKind.Decision, "A second version."), default);
        Assert.Equal(2, (await world.Packs.GenerateAsync(world.Qa, id, default)).Value);
        var second = (await world.Queries.GetPackAsync(world.Qa, id, 2, default))!;
        var model = PackModel.FromJson(second.Model);

        // Nothing new was drawn for the second version, and its document is the one the charts drawn afresh would give.
        Assert.Equal(cached, await Actors.CountAsync(db.DataSource, "pack_chart", partnership));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            var cache = await PackChartCache.LoadAsync(conn, null, world.Qa.PartnershipId, model, default);
            Assert.Equal(second.Docx, PackDocument.Write(model, cache.Xmr, cache.HeatMap));
            Assert.Equal(0, cache.Drawn);
            // Another partnership's cache holds none of these charts.
            var other = await Actors.OtherPartnershipAdminAsync(db.DataSource);
            var theirs = await PackChartCache.LoadAsync(conn, null, other.PartnershipId, model, default);
            PackDocument.Write(model, theirs.Xmr, theirs.HeatMap);
            Assert.Equal(charts, theirs.Drawn);
        }
        Assert.Equal(second.Docx, PackDocument.Write(model));
    }

    [Fact]
    public void AChartsCacheKeyChangesWithAnyOfItsInputs()
    {
        var chart = new PackChart("Re-referrals", "%", ["Q1", "Q2"], [20.5, 21], ["#000000", "#000000"], [20, 20], [25, 25], [15, 15], 22, "Summary");
        Assert.Equal(PackChartCache.Key(chart), PackChartCache.Key(chart with { Labels = ["Q1", "Q2"] }));
        Assert.NotEqual(PackChartCache.Key(chart), PackChartCache.Key(chart with { Values = [20.5, 21.5] }));
        Assert.NotEqual(PackChartCache.Key(chart), PackChartCache.Key(chart with { Target = null }));
        Assert.NotEqual(PackChartCache.Key(chart), PackChartCache.Key(chart with { Title = "Re-referrals within 12 months" }));
    }

    [Fact]
    public async Task ThePrintViewCarriesTheSameItemsChartsAndPrintCss()
    {
        var world = await MeetingWorld.CreateAsync(db.DataSource);
        var id = await world.MeetingWithAgendaAsync("Print test");
        var model = (await world.Packs.PreviewAsync(world.Qa, id, default))!;
        var html = PackHtml.Render(model);
        Assert.Contains("@media print", html);
        Assert.Contains("<h2>Decisions and actions log</h2>", html);
        foreach (var item in model.Items)
            Assert.Contains(System.Net.WebUtility.HtmlEncode($"{item.Number}. {item.Title}"), html);
        Assert.Equal(model.Items.Count(i => i.Chart is not null), html.Split("data:image/png;base64,").Length - 1);
    }

    [Fact]
    public void AHeatMapPlacesRisksByTheirLikelihoodAndImpactFacts()
    {
        AgendaItemRow Risk(int id, string l, string i) => new(id, id, AgendaItemKind.EscalatedRisk, $"risk:{id}", $"Risk {id}", "", "", 0,
            [new AgendaFact("Likelihood", l), new AgendaFact("Impact", i)], false);
        var map = MeetingPackService.HeatMapOf([Risk(1, "4 (likely)", "4 (major)"), Risk(2, "4", "4"), Risk(3, "3", "5"), Risk(4, "unknown", "2")]);
        Assert.Equal(2, map.Counts[3][3]);
        Assert.Equal(1, map.Counts[2][4]);
        Assert.Equal(3, map.Counts.Sum(r => r.Sum()));
        var png = PackCharts.HeatMap(map);
        Assert.Equal(png, PackCharts.HeatMap(map));
        Assert.Equal("#C62828", PackHeatMap.Colour(3, 4));
        Assert.Equal("#F9A825", PackHeatMap.Colour(2, 3));
    }
}
