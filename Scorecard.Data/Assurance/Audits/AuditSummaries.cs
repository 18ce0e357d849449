using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>An agency's single-agency audit summary for a quarter: topic, cases audited, counts per grade (summing to the
/// cases audited) and per child's-voice answer (at most the cases audited: not every case records it), and up to five key findings.</summary>
public sealed record AuditSummaryInput(
    string Topic, int CasesAudited, int Outstanding, int Good, int RequiresImprovement, int Inadequate,
    int VoiceYes, int VoicePartly, int VoiceNo, IReadOnlyList<string> KeyFindings);

/// <summary>The status of one version of an agency's audit summary for a quarter, stored in <c>audit_summary_return.status</c>
/// as accepted, superseded or rejected (see <see cref="DbEnum"/>; the table's check constraint allows those words only).
/// Only the accepted version is current; a new one supersedes it.</summary>
public enum AuditSummaryStatus { Accepted, Superseded, Rejected }

/// <summary>How a version of an audit summary arrived, stored in <c>audit_summary_return.source</c> as upload, api, screen
/// (the on-screen form) or demo.</summary>
public enum AuditSummarySource { Upload, Api, Screen, Demo }

public static class AuditSummaryStatuses
{
    /// <summary>Statuses of a version that was received (counts for the tracker): a rejected version was not.</summary>
    public static readonly IReadOnlyList<AuditSummaryStatus> Received = [AuditSummaryStatus.Accepted, AuditSummaryStatus.Superseded];

    /// <summary>How the pages name a version's status: "Accepted (current)", "Superseded", "Rejected".</summary>
    public static string Label(this AuditSummaryStatus status) => status switch
    {
        AuditSummaryStatus.Accepted => "Accepted (current)",
        AuditSummaryStatus.Superseded => "Superseded",
        _ => "Rejected",
    };
}

/// <summary>The figures of one stored version of an audit summary, as its table's columns name them. Classes with init
/// properties rather than positional records: Dapper matches no constructor to an array column.</summary>
public abstract class AuditSummaryFigures
{
    public long Id { get; init; }
    public int Version { get; init; }
    public string Topic { get; init; } = "";
    public int CasesAudited { get; init; }
    public int GradedOutstanding { get; init; }
    public int GradedGood { get; init; }
    public int GradedRequiresImprovement { get; init; }
    public int GradedInadequate { get; init; }
    public int VoiceYes { get; init; }
    public int VoicePartly { get; init; }
    public int VoiceNo { get; init; }
    public string[] KeyFindings { get; init; } = [];

    public GradeDistribution Grades => new(GradedOutstanding, GradedGood, GradedRequiresImprovement, GradedInadequate);

    /// <summary>The figures as a form or a file gives them.</summary>
    public AuditSummaryInput ToInput() => new(Topic, CasesAudited, GradedOutstanding, GradedGood, GradedRequiresImprovement, GradedInadequate,
        VoiceYes, VoicePartly, VoiceNo, KeyFindings);
}

/// <summary>The accepted (current) summary of an agency for a quarter.</summary>
public sealed class AuditSummaryRow : AuditSummaryFigures
{
    public int AgencyId { get; init; }
    public string Agency { get; init; } = "";
    public int PeriodId { get; init; }
    public int FiscalYear { get; init; }
    public int Quarter { get; init; }
    public DateTime SubmittedAt { get; init; }
}

/// <summary>
/// Single-agency audit summaries (issue 11 §2). Each is a version in its own chain per agency × quarter (table
/// <c>audit_summary_return</c>), shaped like <c>data_return</c>: the returns pipeline's audit-summary template kind
/// (<see cref="Returns.AuditSummaryReturnService"/>) calls <see cref="WriteVersionAsync"/> inside its own transaction, as it
/// writes a data return; <see cref="RecordAsync"/> records one from a form.
/// </summary>
public sealed class AuditSummaryCommands(NpgsqlDataSource dataSource)
{
    public static IReadOnlyList<FieldError> Validate(AuditSummaryInput input)
    {
        var v = new Validator();
        v.Required(nameof(input.Topic), input.Topic, "Audit topic", 200, 3);
        v.When(input.CasesAudited is < 0 or > 10000, nameof(input.CasesAudited), "Cases audited must be between 0 and 10,000.");
        v.When(new[] { input.Outstanding, input.Good, input.RequiresImprovement, input.Inadequate, input.VoiceYes, input.VoicePartly, input.VoiceNo }.Any(n => n < 0),
            nameof(input.CasesAudited), "Counts cannot be negative.");
        v.When(input.Outstanding + input.Good + input.RequiresImprovement + input.Inadequate != input.CasesAudited, "Grades",
            $"The grades add up to {input.Outstanding + input.Good + input.RequiresImprovement + input.Inadequate}, not the {input.CasesAudited} cases audited.");
        v.When(input.VoiceYes + input.VoicePartly + input.VoiceNo > input.CasesAudited, "Voice",
            $"The child's-voice answers add up to {input.VoiceYes + input.VoicePartly + input.VoiceNo}, more than the {input.CasesAudited} cases audited.");
        v.When(input.KeyFindings.Count(f => !string.IsNullOrWhiteSpace(f)) > 5, nameof(input.KeyFindings), "Give at most five key findings.");
        v.When(input.KeyFindings.Any(f => f.Trim().Length > 1000), nameof(input.KeyFindings), "A key finding must be at most 1,000 characters.");
        return v.Errors;
    }

    /// <summary>Records a new accepted version of the agency's summary for the quarter (superseding the last).</summary>
    public async Task<Result<long>> RecordAsync(Actor actor, int agencyId, int periodId, AuditSummaryInput input, CancellationToken ct)
    {
        AssuranceAccess.RequireActFor(actor, agencyId);
        var errors = Validate(input);
        if (errors.Count > 0)
            return Result<long>.Fail(errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from agency where partnership_id = @PartnershipId and id = @agencyId)
                   and exists (select 1 from reporting_period where partnership_id = @PartnershipId and id = @periodId)
                """, new { actor.PartnershipId, agencyId, periodId }, tx, cancellationToken: ct));
            if (!known)
                return Result<long>.Fail("PeriodId", "That agency or quarter does not exist.");
            return Result<long>.Ok(await WriteVersionAsync(conn, tx, actor, agencyId, periodId, input, AuditSummarySource.Screen, ct));
        }, _ => null, ct);
    }

    /// <summary>Writes a validated summary as the new accepted version in the caller's transaction and logs it. For the
    /// returns pipeline: call after <see cref="Validate"/> and after checking the actor may act for the agency.</summary>
    public static async Task<long> WriteVersionAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int agencyId, int periodId, AuditSummaryInput input, AuditSummarySource source, CancellationToken ct,
        string? fileName = null, byte[]? fileBytes = null)
    {
        // Serialise versions of one agency × quarter (the unique indexes would refuse a race; this makes it wait instead).
        await ReturnUploadSteps.LockChainAsync(conn, tx, VersionChain.AuditSummaryReturn, actor.PartnershipId, agencyId, periodId, ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update audit_summary_return set status = @Superseded where partnership_id = @PartnershipId and agency_id = @agencyId and period_id = @periodId and status = @Accepted",
            new { actor.PartnershipId, agencyId, periodId, Superseded = AuditSummaryStatus.Superseded.ToDb(), Accepted = AuditSummaryStatus.Accepted.ToDb() },
            tx, cancellationToken: ct));
        const string insert = """
            insert into audit_summary_return (partnership_id, agency_id, period_id, version, status, source, topic, cases_audited,
                graded_outstanding, graded_good, graded_requires_improvement, graded_inadequate, voice_yes, voice_partly, voice_no,
                key_findings, submitted_by, file_name, file_bytes, file_sha256)
            values (@PartnershipId, @agencyId, @periodId,
                (select coalesce(max(version), 0) + 1 from audit_summary_return where partnership_id = @PartnershipId and agency_id = @agencyId and period_id = @periodId),
                @Accepted, @Source, @Topic, @CasesAudited, @Outstanding, @Good, @RequiresImprovement, @Inadequate, @VoiceYes, @VoicePartly, @VoiceNo,
                @KeyFindings, @UserId, @fileName, @fileBytes, @Sha)
            returning id
            """;
        var findings = input.KeyFindings.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).ToArray();
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(insert, new
        {
            actor.PartnershipId, agencyId, periodId, Accepted = AuditSummaryStatus.Accepted.ToDb(), Source = source.ToDb(), Topic = input.Topic.Trim(), input.CasesAudited, input.Outstanding, input.Good,
            input.RequiresImprovement, input.Inadequate, input.VoiceYes, input.VoicePartly, input.VoiceNo, KeyFindings = findings,
            UserId = AuditCommands.UserOrNull(actor), fileName, fileBytes, Sha = fileBytes is null ? null : System.Security.Cryptography.SHA256.HashData(fileBytes),
        }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "audit_summary_return", id, source is AuditSummarySource.Upload ? "import" : "create",
            $"Single-agency audit summary for agency {agencyId}, period {periodId}: {input.CasesAudited} cases on \"{input.Topic.Trim()}\"",
            null, new { agencyId, periodId, input.Topic, input.CasesAudited, input.Outstanding, input.Good, input.RequiresImprovement, input.Inadequate, input.VoiceYes, input.VoicePartly, input.VoiceNo, KeyFindings = findings }, ct);
        return id;
    }
}

/// <summary>One version of an agency's audit summary for a quarter (its history, newest first).</summary>
public sealed record AuditSummaryVersionRow(
    long Id, int Version, AuditSummaryStatus Status, AuditSummarySource Source, DateTime SubmittedAt, string? SubmittedByName, string? FileName,
    string Topic, int CasesAudited);

/// <summary>An agency expected to send audit summaries, with its status in each quarter (oldest first) and the accepted summary when there is one.</summary>
public sealed record AuditSummaryStatusRow(int AgencyId, string Agency, IReadOnlyList<AuditSummaryStatusCell> Cells);

public sealed record AuditSummaryStatusCell(int PeriodId, Returns.SubmissionStatus Status, int Versions, AuditSummaryRow? Current);

/// <summary>The single-agency audit summary tracker: quarters (oldest first) and the agencies expected to send them.</summary>
public sealed record AuditSummaryStatusMatrix(IReadOnlyList<TrackerPeriod> Periods, IReadOnlyList<AuditSummaryStatusRow> Agencies);

/// <summary>Reads the accepted single-agency audit summaries. An agency user sees only their own agency's.</summary>
public sealed class AuditSummaryQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public AuditSummaryQueries(NpgsqlDataSource dataSource) : this(dataSource, TimeProvider.System)
    {
    }

    /// <summary>
    /// The status of each expected agency's audit summary in the last <paramref name="lastQuarters"/> quarters that have
    /// started, by the data returns' rule (<see cref="SubmissionStatuses.Classify"/> against the quarter's due date).
    /// Expected: the active statutory partners, and any agency that has sent one. An agency user gets their own row only.
    /// </summary>
    public async Task<AuditSummaryStatusMatrix> StatusAsync(Actor actor, int lastQuarters, CancellationToken ct)
    {
        int? only = AssuranceAccess.SeesAll(actor) ? null : actor.AgencyId ?? -1;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        const string sql = """
            select id as period_id, fiscal_year, quarter::int as quarter, due_date
            from reporting_period
            where partnership_id = @PartnershipId and start_date <= @today
            order by fiscal_year desc, quarter desc
            limit @take;

            select a.id, a.short_name
            from agency a
            where a.partnership_id = @PartnershipId and (@only::int is null or a.id = @only)
              and ((a.active and a.partner_type = 'statutory')
                   or exists (select 1 from audit_summary_return r where r.partnership_id = a.partnership_id and r.agency_id = a.id))
            order by a.short_name;

            select agency_id, period_id, min(submitted_at) as first_submitted_at, count(*)::int as versions
            from audit_summary_return
            where partnership_id = @PartnershipId and status = any(@received) and (@only::int is null or agency_id = @only)
            group by agency_id, period_id;
            """;
        IReadOnlyList<TrackerPeriod> periods;
        List<(int Id, string ShortName)> agencies;
        Dictionary<(int, int), (DateTime First, int Versions)> received;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql,
                         new { actor.PartnershipId, today, take = Math.Clamp(lastQuarters, 1, 40), only, received = AuditSummaryStatuses.Received.ToDb() }, cancellationToken: ct)))
        {
            periods = (await multi.ReadAsync<TrackerPeriod>()).Reverse().ToList();
            agencies = (await multi.ReadAsync<(int, string)>()).ToList();
            received = (await multi.ReadAsync<(int AgencyId, int PeriodId, DateTime First, int Versions)>()).ToDictionary(r => (r.AgencyId, r.PeriodId), r => (r.First, r.Versions));
        }
        var current = (await CurrentAsync(actor, only is { } o && o > 0 ? o : null, ct)).ToDictionary(r => (r.AgencyId, r.PeriodId));
        var rows = agencies.Select(a => new AuditSummaryStatusRow(a.Id, a.ShortName, periods.Select(p =>
        {
            var got = received.TryGetValue((a.Id, p.PeriodId), out var r);
            return new AuditSummaryStatusCell(p.PeriodId,
                SubmissionStatuses.Classify(got ? r.Versions : 0, got ? r.First : null, p.DueDate, today), got ? r.Versions : 0,
                current.GetValueOrDefault((a.Id, p.PeriodId)));
        }).ToList())).ToList();
        return new AuditSummaryStatusMatrix(periods, rows);
    }

    /// <summary>Every version of an agency's summary for a quarter, newest first (its own agency's only, for an agency user).</summary>
    public async Task<IReadOnlyList<AuditSummaryVersionRow>> VersionsAsync(Actor actor, int agencyId, int periodId, CancellationToken ct)
    {
        if (!actor.CanSeeAgency(agencyId))
            throw new AccessDeniedException($"{actor.DisplayName} may only see their own agency's audit summaries.");
        const string sql = """
            select r.id, r.version, r.status, r.source, r.submitted_at, u.display_name as submitted_by_name, r.file_name, r.topic, r.cases_audited
            from audit_summary_return r
            left join app_user u on u.partnership_id = r.partnership_id and u.id = r.submitted_by
            where r.partnership_id = @PartnershipId and r.agency_id = @agencyId and r.period_id = @periodId
            order by r.version desc
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AuditSummaryVersionRow>(new CommandDefinition(sql, new { actor.PartnershipId, agencyId, periodId }, cancellationToken: ct))).ToList();
    }

    /// <summary>The current summaries, newest quarter first; one agency's when <paramref name="agencyId"/> is given.</summary>
    public async Task<IReadOnlyList<AuditSummaryRow>> CurrentAsync(Actor actor, int? agencyId, CancellationToken ct)
    {
        if (agencyId is { } a)
        {
            if (!actor.CanSeeAgency(a))
                throw new AccessDeniedException($"{actor.DisplayName} may only see their own agency's audit summaries.");
        }
        else if (!AssuranceAccess.SeesAll(actor))
        {
            agencyId = actor.AgencyId;
        }
        const string sql = """
            select r.id, r.agency_id, ag.short_name as agency, r.period_id, p.fiscal_year, p.quarter::int as quarter, r.version, r.topic, r.cases_audited,
                   r.graded_outstanding, r.graded_good, r.graded_requires_improvement, r.graded_inadequate, r.voice_yes, r.voice_partly, r.voice_no,
                   r.key_findings, r.submitted_at
            from audit_summary_return r
            join agency ag on ag.partnership_id = r.partnership_id and ag.id = r.agency_id
            join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
            where r.partnership_id = @PartnershipId and r.status = @Accepted and (@agencyId::int is null or r.agency_id = @agencyId)
            order by p.fiscal_year desc, p.quarter desc, ag.short_name
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AuditSummaryRow>(new CommandDefinition(sql, new { actor.PartnershipId, agencyId, Accepted = AuditSummaryStatus.Accepted.ToDb() }, cancellationToken: ct))).ToList();
    }
}
