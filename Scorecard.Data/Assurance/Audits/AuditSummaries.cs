using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.Audits;

/// <summary>An agency's single-agency audit summary for a quarter: topic, cases audited, counts per grade and per voice
/// answer (each set summing to the cases audited), and up to five key findings.</summary>
public sealed record AuditSummaryInput(
    string Topic, int CasesAudited, int Outstanding, int Good, int RequiresImprovement, int Inadequate,
    int VoiceYes, int VoicePartly, int VoiceNo, IReadOnlyList<string> KeyFindings);

/// <summary>The accepted (current) summary of an agency for a quarter. A class with init properties rather than a
/// positional record: Dapper matches no constructor to an array column.</summary>
public sealed class AuditSummaryRow
{
    public long Id { get; init; }
    public int AgencyId { get; init; }
    public string Agency { get; init; } = "";
    public int PeriodId { get; init; }
    public int FiscalYear { get; init; }
    public int Quarter { get; init; }
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
    public DateTime SubmittedAt { get; init; }

    public GradeDistribution Grades => new(GradedOutstanding, GradedGood, GradedRequiresImprovement, GradedInadequate);
}

/// <summary>
/// Single-agency audit summaries (issue 11 §2). Each is a version in its own chain per agency × quarter (table
/// <c>audit_summary_return</c>), shaped like <c>data_return</c>: the returns pipeline will call
/// <see cref="WriteVersionAsync"/> inside its own transaction, as it writes a data return, when the template gains the
/// second sheet. Until then <see cref="RecordAsync"/> records one from a form.
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
        v.When(input.VoiceYes + input.VoicePartly + input.VoiceNo != input.CasesAudited, "Voice",
            $"The child's-voice answers add up to {input.VoiceYes + input.VoicePartly + input.VoiceNo}, not the {input.CasesAudited} cases audited.");
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
            return Result<long>.Ok(await WriteVersionAsync(conn, tx, actor, agencyId, periodId, input, "screen", ct));
        }, _ => null, ct);
    }

    /// <summary>Writes a validated summary as the new accepted version in the caller's transaction and logs it. For the
    /// returns pipeline: call after <see cref="Validate"/> and after checking the actor may act for the agency.</summary>
    public static async Task<long> WriteVersionAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int agencyId, int periodId, AuditSummaryInput input, string source, CancellationToken ct,
        string? fileName = null, byte[]? fileBytes = null)
    {
        // Serialise versions of one agency × quarter (the unique indexes would refuse a race; this makes it wait instead).
        await conn.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtext(concat_ws(':', 'audit_summary_return', @PartnershipId, @agencyId, @periodId)))",
            new { actor.PartnershipId, agencyId, periodId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "update audit_summary_return set status = 'superseded' where partnership_id = @PartnershipId and agency_id = @agencyId and period_id = @periodId and status = 'accepted'",
            new { actor.PartnershipId, agencyId, periodId }, tx, cancellationToken: ct));
        const string insert = """
            insert into audit_summary_return (partnership_id, agency_id, period_id, version, status, source, topic, cases_audited,
                graded_outstanding, graded_good, graded_requires_improvement, graded_inadequate, voice_yes, voice_partly, voice_no,
                key_findings, submitted_by, file_name, file_bytes, file_sha256)
            values (@PartnershipId, @agencyId, @periodId,
                (select coalesce(max(version), 0) + 1 from audit_summary_return where partnership_id = @PartnershipId and agency_id = @agencyId and period_id = @periodId),
                'accepted', @source, @Topic, @CasesAudited, @Outstanding, @Good, @RequiresImprovement, @Inadequate, @VoiceYes, @VoicePartly, @VoiceNo,
                @KeyFindings, @UserId, @fileName, @fileBytes, @Sha)
            returning id
            """;
        var findings = input.KeyFindings.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).ToArray();
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(insert, new
        {
            actor.PartnershipId, agencyId, periodId, source, Topic = input.Topic.Trim(), input.CasesAudited, input.Outstanding, input.Good,
            input.RequiresImprovement, input.Inadequate, input.VoiceYes, input.VoicePartly, input.VoiceNo, KeyFindings = findings,
            UserId = AuditCommands.UserOrNull(actor), fileName, fileBytes, Sha = fileBytes is null ? null : System.Security.Cryptography.SHA256.HashData(fileBytes),
        }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "audit_summary_return", id, source == "upload" ? "import" : "create",
            $"Single-agency audit summary for agency {agencyId}, period {periodId}: {input.CasesAudited} cases on \"{input.Topic.Trim()}\"",
            null, new { agencyId, periodId, input.Topic, input.CasesAudited, input.Outstanding, input.Good, input.RequiresImprovement, input.Inadequate, input.VoiceYes, input.VoicePartly, input.VoiceNo, KeyFindings = findings }, ct);
        return id;
    }
}

/// <summary>Reads the accepted single-agency audit summaries. An agency user sees only their own agency's.</summary>
public sealed class AuditSummaryQueries(NpgsqlDataSource dataSource)
{
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
            where r.partnership_id = @PartnershipId and r.status = 'accepted' and (@agencyId::int is null or r.agency_id = @agencyId)
            order by p.fiscal_year desc, p.quarter desc, ag.short_name
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AuditSummaryRow>(new CommandDefinition(sql, new { actor.PartnershipId, agencyId }, cancellationToken: ct))).ToList();
    }
}
