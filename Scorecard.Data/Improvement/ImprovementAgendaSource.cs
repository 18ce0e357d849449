using System.Globalization;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Meetings;

namespace Scorecard.Data.Improvement;

/// <summary>
/// What the loop puts on the QA meeting's agenda (issue 13 §4): risks at 12 or above and risks overdue for review, actions
/// overdue or awaiting moderation, complete action plans awaiting the Executive's sign-off, challenges awaiting a
/// response (or the subgroup's view of one) and overdue challenges. Judged as at the meeting's date. An agency user gets
/// only their own agency's actions and challenges (no risks or plans: those are the partnership's).
/// </summary>
public sealed class ImprovementAgendaSource(NpgsqlDataSource dataSource) : IAgendaSource
{
    private static string D(DateOnly d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<AgendaCandidate>> FindAsync(Actor actor, DateOnly since, DateOnly meetingDate, CancellationToken ct)
    {
        var items = new List<AgendaCandidate>();
        var seesAll = ImprovementAccess.SeesAll(actor);
        int? agencyId = seesAll ? null : actor.AgencyId;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (seesAll)
        {
            await RisksAsync(conn, actor, since, meetingDate, items, ct);
            await PlansAsync(conn, actor, items, ct);
        }
        await ActionsAsync(conn, actor, agencyId, meetingDate, items, ct);
        await ChallengesAsync(conn, actor, agencyId, meetingDate, items, ct);
        return items;
    }

    private sealed record RiskItem(int Id, string Title, string Subgroup, string Owner, int Likelihood, int Impact, int Score, int TargetScore,
        DateOnly ReviewDate, bool Escalated, DateOnly? EscalatedOn);

    /// <summary>Open risks escalated or overdue for review at the meeting's date (parameters PartnershipId, meetingDate).</summary>
    internal const string RisksSql = """
            select r.id, r.title, r.subgroup, r.owner, r.likelihood::int as likelihood, r.impact::int as impact, r.score::int as score, r.target_score::int as target_score,
                   r.review_date, r.escalated,
                   (select e.occurred_on from risk_escalation e where e.partnership_id = r.partnership_id and e.risk_id = r.id order by e.id desc limit 1) as escalated_on
            from risk r
            where r.partnership_id = @PartnershipId and r.status = 'open' and (r.escalated or r.review_date < @meetingDate)
            order by r.score desc, r.id
            """;

    private static async Task RisksAsync(NpgsqlConnection conn, Actor actor, DateOnly since, DateOnly meetingDate, List<AgendaCandidate> items, CancellationToken ct)
    {
        var risks = await conn.QueryAsync<RiskItem>(new CommandDefinition(RisksSql, new { actor.PartnershipId, meetingDate }, cancellationToken: ct));
        foreach (var r in risks)
        {
            var subgroup = DbEnum.Parse<Subgroup>(r.Subgroup).Label();
            var facts = new List<AgendaFact>
            {
                new("Score", RiskRules.Describe(r.Likelihood, r.Impact)),
                new("Target score", r.TargetScore.ToString(CultureInfo.InvariantCulture)),
                new("Owner", $"{r.Owner} ({subgroup})"),
                new("Review date", D(r.ReviewDate)),
                // The meeting pack places each risk on its 5×5 heat map by these two (the level's digit first).
                new("Likelihood", $"{r.Likelihood} ({RiskRules.LikelihoodWord(r.Likelihood)})"),
                new("Impact", $"{r.Impact} ({RiskRules.ImpactWord(r.Impact)})"),
            };
            var link = $"/improvement/risks/{r.Id}";
            if (r.Escalated)
            {
                var isNew = r.EscalatedOn is { } on && on >= since;
                items.Add(new AgendaCandidate(AgendaItemKind.EscalatedRisk, $"risk:{r.Id}", r.Title,
                    isNew ? $"Escalated to the Executive on {D(r.EscalatedOn!.Value)} at score {r.Score}: new since the last meeting."
                          : $"Stands escalated to the Executive at score {r.Score} (since {(r.EscalatedOn is { } e ? D(e) : "an earlier meeting")}).",
                    100 + r.Score + (isNew ? 10 : 0), link,
                    [.. facts, new AgendaFact("Escalated on", r.EscalatedOn is { } x ? D(x) : "")]));
            }
            if (r.ReviewDate < meetingDate)
            {
                var days = meetingDate.DayNumber - r.ReviewDate.DayNumber;
                items.Add(new AgendaCandidate(AgendaItemKind.RiskReviewOverdue, $"risk-review:{r.Id}", r.Title,
                    $"Review was due on {D(r.ReviewDate)}, {days} days before the meeting.", 60 + Math.Min(days / 7, 30), link,
                    [.. facts, new AgendaFact("Days overdue", days.ToString(CultureInfo.InvariantCulture))]));
            }
        }
    }

    private static async Task PlansAsync(NpgsqlConnection conn, Actor actor, List<AgendaCandidate> items, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<(string Kind, string Key, int Actions, DateTime LastClosedAt)>(new CommandDefinition(
            ActionQueries.AwaitingSignOffSql, new { actor.PartnershipId }, cancellationToken: ct));
        foreach (var r in rows)
        {
            var source = new SourceLink(DbEnum.Parse<SourceKind>(r.Kind), r.Key);
            var title = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
                $"select {SourceLinks.TitleSql("src", "src_kind", "src_key")} from (select @PartnershipId as partnership_id, @Kind::text as src_kind, @Key::text as src_key) src",
                new { actor.PartnershipId, r.Kind, r.Key }, cancellationToken: ct)) ?? r.Key;
            items.Add(new AgendaCandidate(AgendaItemKind.ActionPlanAwaitingSignOff, $"plan:{source}", $"Action plan complete: {title}",
                $"All {r.Actions} actions are closed: the plan can be reported to the Executive as complete.", 70,
                SourceLinks.PlanHref(source.Kind, source.Key),
                [new("Source", source.Kind.Label()), new("Actions", r.Actions.ToString(CultureInfo.InvariantCulture)), new("Last closed", D(DateOnly.FromDateTime(r.LastClosedAt)))]));
        }
    }

    private sealed record ActionItem(int Id, string Title, string SourceKind, string AgencyName, string OwnerPerson, DateOnly DueDate, string Status, DateOnly? CompletedOn);

    /// <summary>Actions completed (awaiting moderation) or overdue at the meeting's date (PartnershipId, AgencyId or null, meetingDate).</summary>
    internal const string ActionsSql = """
            select a.id, a.title, a.source_kind, ag.name as agency_name, a.owner_person, a.due_date, a.status, a.completed_on
            from improvement_action a join agency ag on ag.partnership_id = a.partnership_id and ag.id = a.owner_agency_id
            where a.partnership_id = @PartnershipId and (@AgencyId::int is null or a.owner_agency_id = @AgencyId)
              and (a.status = 'completed' or (a.status <> 'closed' and a.due_date < @meetingDate))
            order by a.due_date, a.id
            """;

    private static async Task ActionsAsync(NpgsqlConnection conn, Actor actor, int? agencyId, DateOnly meetingDate, List<AgendaCandidate> items, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<ActionItem>(new CommandDefinition(ActionsSql, new { actor.PartnershipId, AgencyId = agencyId, meetingDate }, cancellationToken: ct));
        foreach (var a in rows)
        {
            var status = DbEnum.Parse<ActionStatus>(a.Status);
            var facts = new List<AgendaFact>
            {
                new("Owner", $"{a.OwnerPerson}, {a.AgencyName}"),
                new("Due", D(a.DueDate)),
                new("Status", status.Label()),
                new("Source", DbEnum.Parse<SourceKind>(a.SourceKind).Label()),
            };
            var link = $"/improvement/actions/{a.Id}";
            if (status == ActionStatus.Completed)
                items.Add(new AgendaCandidate(AgendaItemKind.ActionAwaitingModeration, $"action:{a.Id}", a.Title,
                    $"Completed{(a.CompletedOn is { } c ? $" on {D(c)}" : "")}; the QA subgroup moderates it: accept or return with a reason.", 55, link, facts));
            else
            {
                var days = meetingDate.DayNumber - a.DueDate.DayNumber;
                items.Add(new AgendaCandidate(AgendaItemKind.ActionOverdue, $"action:{a.Id}", a.Title,
                    $"{status.Label()} and {days} days past its due date of {D(a.DueDate)}.", 50 + Math.Min(days / 7, 40), link,
                    [.. facts, new AgendaFact("Days overdue", days.ToString(CultureInfo.InvariantCulture))]));
            }
        }
    }

    private sealed record ChallengeItem(int Id, string Question, string AgencyName, string RaisedByName, DateOnly RaisedOn, DateOnly DueDate, string Status);

    /// <summary>Challenges awaiting a response or the subgroup's view of one (PartnershipId, AgencyId or null).</summary>
    internal const string ChallengesSql = """
            select c.id, c.question, ag.name as agency_name, c.raised_by_name, c.raised_on, c.due_date, c.status
            from challenge c join agency ag on ag.partnership_id = c.partnership_id and ag.id = c.to_agency_id
            where c.partnership_id = @PartnershipId and (@AgencyId::int is null or c.to_agency_id = @AgencyId)
              and c.status in ('awaiting_response', 'further_information', 'responded')
            order by c.due_date, c.id
            """;

    private static async Task ChallengesAsync(NpgsqlConnection conn, Actor actor, int? agencyId, DateOnly meetingDate, List<AgendaCandidate> items, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<ChallengeItem>(new CommandDefinition(ChallengesSql, new { actor.PartnershipId, AgencyId = agencyId, meetingDate }, cancellationToken: ct));
        foreach (var c in rows)
        {
            var status = DbEnum.Parse<ChallengeStatus>(c.Status);
            var facts = new List<AgendaFact>
            {
                new("To", c.AgencyName),
                new("Raised", $"{D(c.RaisedOn)} by {c.RaisedByName}"),
                new("Due", D(c.DueDate)),
                new("Status", status.Label()),
            };
            var title = c.Question.Length > 140 ? c.Question[..140] + "…" : c.Question;
            var link = $"/improvement/challenges/{c.Id}";
            if (ChallengeQueries.IsOverdue(status, c.DueDate, meetingDate))
            {
                var days = meetingDate.DayNumber - c.DueDate.DayNumber;
                items.Add(new AgendaCandidate(AgendaItemKind.ChallengeOverdue, $"challenge:{c.Id}", title,
                    $"{c.AgencyName} has not responded; the response was due {D(c.DueDate)} ({days} days before the meeting).", 65 + Math.Min(days / 7, 30), link,
                    [.. facts, new AgendaFact("Days overdue", days.ToString(CultureInfo.InvariantCulture))]));
            }
            else
            {
                items.Add(new AgendaCandidate(AgendaItemKind.ChallengeAwaitingResponse, $"challenge:{c.Id}", title,
                    status == ChallengeStatus.Responded
                        ? $"{c.AgencyName} has responded; the subgroup's view of the response is needed."
                        : $"Awaiting {c.AgencyName}'s response, due {D(c.DueDate)}.",
                    status == ChallengeStatus.Responded ? 45 : 35, link, facts));
            }
        }
    }
}
