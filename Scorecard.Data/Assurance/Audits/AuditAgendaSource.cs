using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Meetings;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>
/// Proposes for the QA meeting's agenda every audit that has reported since the last meeting (issue 13 §4, kind
/// <see cref="AgendaItemKind.AuditReporting"/>): an audit whose report date falls after <c>since</c> and on or before the
/// meeting, at the reported or closed stage. Facts: cases, findings by type, the panel's share good or better and the
/// agencies' agreement with the panel in words. Case counts of 1–4 are words for viewers who may not see them.
/// </summary>
public sealed class AuditAgendaSource(NpgsqlDataSource dataSource, AuditQueries audits) : IAgendaSource
{
    /// <summary>Audits reported since the last meeting (PartnershipId, since, meetingDate).</summary>
    internal const string ReportedSql = """
            select id from audit
            where partnership_id = @PartnershipId and status in ('reported', 'closed')
              and report_date > @since and report_date <= @meetingDate
            order by report_date, id
            """;

    public async Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        List<int> ids;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
            ids = (await conn.QueryAsync<int>(new CommandDefinition(ReportedSql, new { actor.PartnershipId, since, meetingDate }, cancellationToken: ct))).ToList();
        var seesAll = AssuranceAccess.SeesAll(actor);
        var items = new List<AgendaCandidate>(ids.Count);
        foreach (var id in ids)
        {
            if (await audits.AuditAsync(actor, id, ct) is not { } view)
                continue;
            var a = view.Audit;
            var development = view.Findings.Count(f => f.FindingType == FindingType.AreaForDevelopment);
            var recommendations = view.Findings.Count(f => f.FindingType == FindingType.Recommendation);
            var strengths = view.Findings.Count(f => f.FindingType == FindingType.Strength);
            var panel = AuditDisclosure.Distribution(view.Statistics.Moderated, seesAll);
            var cases = Disclosure.MustHide(view.Cases.Count, seesAll) ? SpcWords.FewerThanFive : view.Cases.Count.ToString("N0");
            var agreement = view.Statistics.Agreement.Band is { } band ? $"{band.Words()} (kappa {view.Statistics.Agreement.Kappa:0.00})" : "not yet measured";
            items.Add(new AgendaCandidate(
                AgendaItemKind.AuditReporting,
                $"audit:{a.Id}",
                $"Audit reported: {a.Title}",
                $"Reported on {a.ReportDate:d MMMM yyyy}: {Plural.Of(recommendations, "recommendation", "recommendations")} and {Plural.Of(development, "area", "areas")} for development for the subgroup to agree actions on.",
                50 + 5 * recommendations + 3 * development,
                $"/assurance/audits/{a.Id}",
                [
                    new AgendaFact("Cases", cases),
                    new AgendaFact("Findings", $"{Count(strengths, "strength", "strengths")}, {Count(development, "area for development", "areas for development")}, {Count(recommendations, "recommendation", "recommendations")}"),
                    new AgendaFact("Good or better (panel)", panel.ShareText),
                    new AgendaFact("Agreement with the panel", agreement),
                ]));
        }
        return items;
    }

    private static string Count(int n, string one, string many) => n == 0 ? $"no {many}" : Plural.Of(n, one, many);
}
