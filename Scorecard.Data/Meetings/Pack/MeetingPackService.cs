using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// Produces a meeting's pack (issue 13 §4): draws the <see cref="PackModel"/> from the meeting's stored agenda, records
/// and attendance, with each scorecard exception's XmR chart from the shared read model's export view (every small number
/// hidden, whoever generates it), writes the .docx, and stores model and bytes as a new version in one transaction.
/// </summary>
public sealed class MeetingPackService(NpgsqlDataSource dataSource, ScorecardReadModel readModel)
{
    /// <summary>Generates and stores a new version of the pack; returns its version number.</summary>
    public async Task<Result<int>> GenerateAsync(Actor actor, int meetingId, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var meeting = await conn.QuerySingleOrDefaultAsync<(MeetingKind Kind, string Title)?>(new CommandDefinition(
            "select kind, title from meeting where partnership_id = @PartnershipId and id = @meetingId for update",
            new { actor.PartnershipId, meetingId }, tx, cancellationToken: ct));
        if (meeting is not { } m)
            return Result<int>.Fail("MeetingId", "That meeting does not exist.");
        MeetingAccess.RequireRunner(actor, m.Kind);
        var detail = (await MeetingQueries.LoadAsync(conn, tx, actor.PartnershipId, meetingId, ct))!;
        var version = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select coalesce(max(version), 0) + 1 from meeting_pack where partnership_id = @PartnershipId and meeting_id = @meetingId",
            new { actor.PartnershipId, meetingId }, tx, cancellationToken: ct));
        var partnership = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "select name from partnership where id = @PartnershipId", new { actor.PartnershipId }, tx, cancellationToken: ct)) ?? "";
        var model = await BuildModelAsync(actor, partnership, detail, version, ct);
        // Charts already drawn for an earlier version (or another meeting's pack) from the same data are reused.
        var charts = await PackChartCache.LoadAsync(conn, tx, actor.PartnershipId, model, ct);
        var bytes = PackDocument.Write(model, charts.Xmr, charts.HeatMap);
        await charts.SaveAsync(conn, tx, actor.PartnershipId, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into meeting_pack (partnership_id, meeting_id, version, model, docx, sha256, created_by)
            values (@PartnershipId, @meetingId, @version, @Model, @bytes, @sha, @CreatedBy)
            """, new { actor.PartnershipId, meetingId, version, Model = model.ToJson(), bytes, sha, CreatedBy = actor.UserId == 0 ? (int?)null : actor.UserId },
            tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "meeting_pack", $"{meetingId}/{version}", "create",
            $"Generated version {version} of the pack for \"{m.Title}\" ({model.Items.Count} items, {bytes.Length:N0} bytes)", null,
            new { MeetingId = meetingId, Version = version, Sha256 = sha, Items = model.Items.Count }, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(version);
    }

    /// <summary>The model a pack would have now (for the print view of a meeting with no stored pack yet).</summary>
    public async Task<PackModel?> PreviewAsync(Actor actor, int meetingId, CancellationToken ct)
    {
        MeetingAccess.RequireReader(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var detail = await MeetingQueries.LoadAsync(conn, null, actor.PartnershipId, meetingId, ct);
        if (detail is null)
            return null;
        var partnership = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "select name from partnership where id = @PartnershipId", new { actor.PartnershipId }, cancellationToken: ct)) ?? "";
        return await BuildModelAsync(actor, partnership, detail, 0, ct);
    }

    private async Task<PackModel> BuildModelAsync(Actor actor, string partnership, MeetingDetail detail, int version, CancellationToken ct)
    {
        Dictionary<string, ScorecardLine>? lines = null;
        if (detail.Agenda.Any(i => ScorecardExceptionsAgendaSource.MeasureCode(i.SourceKey) is not null))
        {
            var snapshot = await readModel.GetAsync(actor.PartnershipId, ct);
            var view = ScorecardViewBuilder.Build(snapshot, actor, ScorecardScope.Partnership, forExport: true);
            lines = view.Lines.ToDictionary(l => l.Measure.Code, StringComparer.OrdinalIgnoreCase);
        }
        return Compose(partnership, detail, version, code => lines is not null && lines.TryGetValue(code, out var l) ? l : null);
    }

    /// <summary>The pack's model from a meeting (pure): <paramref name="lineFor"/> gives a measure's export-view line.</summary>
    public static PackModel Compose(string partnership, MeetingDetail detail, int version, Func<string, ScorecardLine?> lineFor)
    {
        var agenda = detail.Agenda;
        var numbers = agenda.Select((item, i) => (item.Id, Number: i + 1)).ToDictionary(x => x.Id, x => x.Number);
        PackRecord Record(MeetingRecordRow r)
        {
            var item = agenda.FirstOrDefault(i => i.Id == r.AgendaItemId);
            return new PackRecord(numbers.GetValueOrDefault(r.AgendaItemId), item?.Title ?? "(dropped item)", r.KindLabel, r.Text,
                r.OwnerAgencyName ?? "", r.DueDate?.ToString("d MMM yyyy", MeetingWords.Uk) ?? "");
        }

        var riskItems = agenda.Where(i => i.Kind is AgendaItemKind.EscalatedRisk or AgendaItemKind.RiskReviewOverdue).ToList();
        var heatMapOn = riskItems.FirstOrDefault()?.Id;
        var items = agenda.Select(item =>
        {
            PackChart? chart = null;
            PackTable? table = null;
            PackHeatMap? heat = null;
            if (ScorecardExceptionsAgendaSource.MeasureCode(item.SourceKey) is { } code && lineFor(code) is { } line)
                chart = PackChart.FromLine(line);
            if (item.Kind == AgendaItemKind.ReturnLateOrMissing)
            {
                var rows = item.Facts.Where(f => f.Value.StartsWith("Missing", StringComparison.Ordinal) || f.Value.StartsWith("Late", StringComparison.Ordinal))
                    .Select(f => (IReadOnlyList<string>)[f.Label, f.Value]).ToList();
                table = new PackTable("Late and missing returns", ["Agency", "Status"], rows);
            }
            if (item.Id == heatMapOn)
                heat = HeatMapOf(riskItems);
            var facts = item.Kind == AgendaItemKind.ReturnLateOrMissing ? item.Facts.Take(3).ToList() : item.Facts.ToList();
            return new PackItem(numbers[item.Id], MeetingWords.Section(item.Kind), item.Title, item.Reason, facts, chart, table, heat,
                detail.RecordsFor(item.Id).Select(Record).ToList());
        }).ToList();
        return new PackModel(
            partnership, detail.Title, detail.Kind.Label(), detail.MeetingDate, detail.Status.ToDb(), version,
            detail.Attendance.Select(a => new PackAttendee(a.AgencyName, a.Attended, a.Representative)).ToList(),
            items,
            detail.Records.Where(r => numbers.ContainsKey(r.AgendaItemId)).Select(Record).OrderBy(r => r.ItemNumber).ToList());
    }

    /// <summary>
    /// The heat map of the risks on the agenda, placed by their "Likelihood" and "Impact" facts (1–5) as the risk
    /// register's agenda source states them; a risk without both is not placed.
    /// </summary>
    public static PackHeatMap HeatMapOf(IEnumerable<AgendaItemRow> riskItems)
    {
        var counts = new int[5][];
        for (var i = 0; i < 5; i++)
            counts[i] = new int[5];
        var placed = 0;
        foreach (var item in riskItems)
        {
            if (Level(item.Facts, "Likelihood") is { } l && Level(item.Facts, "Impact") is { } im)
            {
                counts[l - 1][im - 1]++;
                placed++;
            }
        }
        return new PackHeatMap($"Risks on this agenda by likelihood and impact ({placed} placed)", counts.Select(r => (IReadOnlyList<int>)r).ToList());
    }

    private static int? Level(IReadOnlyList<AgendaFact> facts, string label)
    {
        var fact = facts.FirstOrDefault(f => string.Equals(f.Label, label, StringComparison.OrdinalIgnoreCase));
        if (fact is null || fact.Value.Length == 0 || !char.IsDigit(fact.Value[0]))
            return null;
        var level = fact.Value[0] - '0';
        return level is >= 1 and <= 5 ? level : null;
    }
}
