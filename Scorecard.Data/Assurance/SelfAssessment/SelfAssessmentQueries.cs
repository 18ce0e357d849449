using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.SelfAssessment;

public sealed record CycleListItem(
    int Id, string Name, int FrameworkId, string FrameworkCode, FrameworkKind Kind, string FrameworkTitle, DateOnly OpensOn, DateOnly Deadline,
    int Agencies, int Submitted);

/// <summary>Where an agency stands in a cycle, like the returns tracker.</summary>
public enum SubmissionState { NotStarted, Draft, SubmittedOnTime, SubmittedLate, Missing }

/// <summary>An agency in a cycle: its state, and when it first submitted.</summary>
public sealed record CycleAgencyRow(int AgencyId, string Agency, string Sector, SubmissionState State, int? Version, DateTime? FirstSubmittedAt, long? SubmissionId, EducationPhase? Phase = null);

/// <summary>A heat-map cell: the agency's self-rating of a standard in its current submitted version and, once a QA
/// member has moderated it, the outcome and the moderated rating (null when they agreed).</summary>
public sealed record HeatCell(int AgencyId, int StandardId, string StandardCode, Rating Self, ModerationOutcome? Outcome, Rating? ModeratedRating)
{
    /// <summary>The rating a moderator settled on: the moderated one if changed, the self-rating if agreed; null if not moderated.</summary>
    public Rating? Moderated => Outcome switch
    {
        ModerationOutcome.Agree => Self,
        ModerationOutcome.Moderated => ModeratedRating,
        _ => null,
    };

    public RatedStandard ToRated() => new(AgencyId, StandardCode, Self, Moderated);
}

public sealed record CycleView(
    CycleListItem Cycle,
    IReadOnlyList<StandardRow> Standards,
    IReadOnlyList<CycleAgencyRow> Agencies,
    IReadOnlyList<HeatCell> Cells,
    OptimismGap Gap,
    IReadOnlyDictionary<int, OptimismGap> GapByAgency,
    IReadOnlyList<StandardStanding> Standings)
{
    /// <summary>The partnership's comparison with the previous cycle, when it was asked for (else empty).</summary>
    public IReadOnlyList<CycleStandardComparison> Comparison { get; init; } = [];
}

public sealed record RatingRow(
    int StandardId, string StandardCode, string StandardTitle, Rating? Rating, string Evidence, string Actions,
    ModerationOutcome? Outcome, Rating? ModeratedRating, string? Reason, string? AgencyResponse);

public sealed record EvidenceFileRow(long Id, int? StandardId, string FileName, string ContentType, int SizeBytes, byte[] Sha256, DateTime UploadedAt);

public sealed record SubmissionVersion(
    long Id, int Version, SubmissionStatus Status, string? SignOffName, string? SignOffRole, DateOnly? SignedOffOn, DateTime? SubmittedAt,
    IReadOnlyList<RatingRow> Ratings, IReadOnlyList<EvidenceFileRow> Evidence);

/// <summary>An agency's part of a cycle: its current submitted version (what counts) and its draft (work in progress).</summary>
public sealed record SubmissionView(int CycleId, int AgencyId, SubmissionVersion? Submitted, SubmissionVersion? Draft);

public sealed record EvidenceDownload(string FileName, string ContentType, byte[] Bytes);

/// <summary>Per standard across the partnership: the mean settled score in each cycle (met 2, partly 1, not 0).</summary>
public sealed record CycleStandardComparison(string StandardCode, string Title, double? PreviousMean, double? CurrentMean, Change? Change);

/// <summary>
/// Reads self-assessment cycles. Admins, QA members and executives see every agency; an agency user sees the cycles their
/// agency is in, and only their own agency's row, submission and evidence.
/// </summary>
public sealed class SelfAssessmentQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string CycleListSql = """
        select c.id, c.name, c.framework_id, f.code as framework_code, f.kind, f.title as framework_title, c.opens_on, c.deadline,
               (select count(*)::int from cycle_agency ca where ca.partnership_id = c.partnership_id and ca.cycle_id = c.id) as agencies,
               (select count(*)::int from self_assessment s where s.partnership_id = c.partnership_id and s.cycle_id = c.id and s.status = 'submitted') as submitted
        from assessment_cycle c
        join framework f on f.partnership_id = c.partnership_id and f.id = c.framework_id
        where c.partnership_id = @PartnershipId
          and (@SeesAll or exists (select 1 from cycle_agency ca where ca.partnership_id = c.partnership_id and ca.cycle_id = c.id and ca.agency_id = @AgencyId))
        """;

    public async Task<IReadOnlyList<CycleListItem>> CyclesAsync(Actor actor, CancellationToken ct)
    {
        const string sql = CycleListSql + "\norder by c.opens_on desc, c.name";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CycleListItem>(new CommandDefinition(sql, Scope(actor), cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<FrameworkRow>> FrameworksAsync(Actor actor, CancellationToken ct)
    {
        const string sql = "select id, code, version, kind, title, description from framework where partnership_id = @PartnershipId order by code, version";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<FrameworkRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    /// <summary>A cycle: its standards, agencies with their state, the heat map of current submitted versions, the optimism
    /// gap (whole cycle and per agency) and the standards weakest first. Null when the cycle is not the viewer's to see.</summary>
    public Task<CycleView?> CycleAsync(Actor actor, int cycleId, CancellationToken ct) => CycleAsync(actor, cycleId, null, ct);

    /// <summary>As <see cref="CycleAsync(Actor, int, CancellationToken)"/>, with the partnership's comparison against
    /// <paramref name="previousCycleId"/> (as <see cref="CompareCyclesAsync"/>) read in the same round trip, for those who
    /// see every agency; one read of each cycle's ratings.</summary>
    public async Task<CycleView?> CycleAsync(Actor actor, int cycleId, int? previousCycleId, CancellationToken ct)
    {
        const string sql = CycleListSql + """

              and c.id = @cycleId;
            select s.id, s.position::int as position, s.code, s.title, s.what_good_looks_like, s.evidence_expected
            from framework_standard s join assessment_cycle c on c.partnership_id = s.partnership_id and c.framework_id = s.framework_id
            where c.partnership_id = @PartnershipId and c.id = @cycleId order by s.position;
            select ca.agency_id, ag.short_name as agency, ag.sector, ag.education_phase,
                   sa.version, sa.submission_id, sa.first_submitted_at, coalesce(sa.has_draft, false) as has_draft
            from cycle_agency ca
            join agency ag on ag.partnership_id = ca.partnership_id and ag.id = ca.agency_id
            left join (select agency_id,
                              max(version) filter (where status = 'submitted') as version,
                              max(id) filter (where status = 'submitted') as submission_id,
                              min(submitted_at) as first_submitted_at,
                              bool_or(status = 'draft') as has_draft
                       from self_assessment
                       where partnership_id = @PartnershipId and cycle_id = @cycleId and (@SeesAll or agency_id = @AgencyId)
                       group by agency_id) sa on sa.agency_id = ca.agency_id
            where ca.partnership_id = @PartnershipId and ca.cycle_id = @cycleId and (@SeesAll or ca.agency_id = @AgencyId)
            order by ag.short_name;
            select s.cycle_id, s.agency_id, r.standard_id, st.code as standard_code, r.rating as self, m.outcome, m.moderated_rating
            from self_assessment s
            join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id
            join framework_standard st on st.partnership_id = r.partnership_id and st.id = r.standard_id
            left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
            where s.partnership_id = @PartnershipId and s.status = 'submitted' and (@SeesAll or s.agency_id = @AgencyId)
              and (s.cycle_id = @cycleId or (@SeesAll and s.cycle_id = @previousCycleId));
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, Scope(actor, new { cycleId, previousCycleId }), cancellationToken: ct));
        var cycle = await multi.ReadSingleOrDefaultAsync<CycleListItem>();
        if (cycle is null)
            return null;
        var standards = (await multi.ReadAsync<StandardRow>()).ToList();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), UkTime).DateTime);
        var agencies = (await multi.ReadAsync<(int AgencyId, string Agency, string Sector, EducationPhase? Phase, int? Version, long? SubmissionId, DateTime? FirstSubmittedAt, bool HasDraft)>())
            .Select(a => new CycleAgencyRow(a.AgencyId, a.Agency, a.Sector, State(a.FirstSubmittedAt, a.Version, a.HasDraft, cycle.Deadline, today), a.Version, a.FirstSubmittedAt, a.SubmissionId, a.Phase))
            .ToList();
        // Read as text and parsed through DbEnum's frozen map: thousands of cells, and Dapper's Enum.Parse per cell costs.
        // Unordered: the cells are a set (every reader looks them up by agency and standard), and sorting thousands of rows
        // in the database cost a third of the query.
        var comparing = previousCycleId is { } previous && previous != cycleId && AssuranceAccess.SeesAll(actor);
        var cells = new List<HeatCell>();
        var rated = new List<RatedStandard>();
        var before = new List<RatedStandard>();
        foreach (var r in await multi.ReadAsync<(int CycleId, int AgencyId, int StandardId, string StandardCode, string Self, string? Outcome, string? ModeratedRating)>())
        {
            var cell = new HeatCell(r.AgencyId, r.StandardId, r.StandardCode, DbEnum.Parse<Rating>(r.Self),
                r.Outcome is null ? null : DbEnum.Parse<ModerationOutcome>(r.Outcome),
                r.ModeratedRating is null ? null : DbEnum.Parse<Rating>(r.ModeratedRating));
            if (r.CycleId == cycleId)
            {
                cells.Add(cell);
                rated.Add(cell.ToRated());
            }
            else if (comparing)
            {
                before.Add(cell.ToRated());
            }
        }
        IReadOnlyList<CycleStandardComparison> comparison = comparing ? Compare(standards.Select(s => (s.Code, s.Title)).ToList(), before, rated) : [];
        return new CycleView(cycle, standards, agencies, cells, AssuranceStatistics.Gap(rated), AssuranceStatistics.GapByAgency(rated), AssuranceStatistics.Standings(rated))
        {
            Comparison = comparison,
        };
    }

    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Submitted on or before the deadline (as a date in UK time) is on time; no submission after the deadline is missing.</summary>
    internal static SubmissionState State(DateTime? firstSubmittedAt, int? version, bool hasDraft, DateOnly deadline, DateOnly today)
    {
        if (version is not null && firstSubmittedAt is { } at)
        {
            var ukDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), UkTime));
            return ukDate <= deadline ? SubmissionState.SubmittedOnTime : SubmissionState.SubmittedLate;
        }
        if (today > deadline)
            return SubmissionState.Missing;
        return hasDraft ? SubmissionState.Draft : SubmissionState.NotStarted;
    }

    /// <summary>An agency's submitted version and draft in a cycle. Agency users may only ask for their own agency.</summary>
    public async Task<SubmissionView> SubmissionAsync(Actor actor, int cycleId, int agencyId, CancellationToken ct)
    {
        if (!actor.CanSeeAgency(agencyId))
            throw new AccessDeniedException($"{actor.DisplayName} may only see their own agency's self-assessments.");
        const string sql = """
            select id, version, status, sign_off_name, sign_off_role, signed_off_on, submitted_at
            from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @agencyId and status in ('submitted', 'draft');
            select r.submission_id, r.standard_id, st.code as standard_code, st.title as standard_title, r.rating, r.evidence, r.actions,
                   m.outcome, m.moderated_rating, m.reason, m.agency_response
            from self_assessment s
            join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id
            join framework_standard st on st.partnership_id = r.partnership_id and st.id = r.standard_id
            left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
            where s.partnership_id = @PartnershipId and s.cycle_id = @cycleId and s.agency_id = @agencyId and s.status in ('submitted', 'draft')
            order by st.position;
            select e.submission_id, e.id, e.standard_id, e.file_name, e.content_type, e.size_bytes, e.sha256, e.uploaded_at
            from evidence_file e join self_assessment s on s.partnership_id = e.partnership_id and s.id = e.submission_id
            where s.partnership_id = @PartnershipId and s.cycle_id = @cycleId and s.agency_id = @agencyId and s.status in ('submitted', 'draft')
            order by e.id;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var multi = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { actor.PartnershipId, cycleId, agencyId }, cancellationToken: ct));
        var versions = (await multi.ReadAsync<(long Id, int Version, SubmissionStatus Status, string? SignOffName, string? SignOffRole, DateOnly? SignedOffOn, DateTime? SubmittedAt)>()).ToList();
        var ratings = (await multi.ReadAsync<(long SubmissionId, int StandardId, string StandardCode, string StandardTitle, Rating? Rating, string Evidence, string Actions,
            ModerationOutcome? Outcome, Rating? ModeratedRating, string? Reason, string? AgencyResponse)>()).ToList();
        var files = (await multi.ReadAsync<(long SubmissionId, long Id, int? StandardId, string FileName, string ContentType, int SizeBytes, byte[] Sha256, DateTime UploadedAt)>()).ToList();
        SubmissionVersion? Build(SubmissionStatus status) => versions.Where(v => v.Status == status).Select(v => new SubmissionVersion(
            v.Id, v.Version, v.Status, v.SignOffName, v.SignOffRole, v.SignedOffOn, v.SubmittedAt,
            ratings.Where(r => r.SubmissionId == v.Id).Select(r => new RatingRow(r.StandardId, r.StandardCode, r.StandardTitle, r.Rating, r.Evidence, r.Actions,
                r.Outcome, r.ModeratedRating, r.Reason, r.AgencyResponse)).ToList(),
            files.Where(f => f.SubmissionId == v.Id).Select(f => new EvidenceFileRow(f.Id, f.StandardId, f.FileName, f.ContentType, f.SizeBytes, f.Sha256, f.UploadedAt)).ToList()))
            .SingleOrDefault();
        return new SubmissionView(cycleId, agencyId, Build(SubmissionStatus.Submitted), Build(SubmissionStatus.Draft));
    }

    /// <summary>An evidence file's bytes for download, or null when it does not exist in the viewer's partnership. Agency
    /// users get only their own agency's. Serve it as an attachment with <c>X-Content-Type-Options: nosniff</c>.</summary>
    public async Task<EvidenceDownload?> EvidenceFileAsync(Actor actor, long fileId, CancellationToken ct)
    {
        const string sql = """
            select s.agency_id, e.file_name, e.content_type, e.bytes
            from evidence_file e join self_assessment s on s.partnership_id = e.partnership_id and s.id = e.submission_id
            where e.partnership_id = @PartnershipId and e.id = @fileId
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(int AgencyId, string FileName, string ContentType, byte[] Bytes)?>(
            new CommandDefinition(sql, new { actor.PartnershipId, fileId }, cancellationToken: ct));
        if (row is not { } r)
            return null;
        if (!actor.CanSeeAgency(r.AgencyId))
            throw new AccessDeniedException($"{actor.DisplayName} may only download their own agency's evidence.");
        return new EvidenceDownload(r.FileName, r.ContentType, r.Bytes);
    }

    /// <summary>One agency's settled rating per standard in a cycle against a previous cycle (standards matched by code).</summary>
    public async Task<IReadOnlyList<StandardChange>> CompareAgencyAsync(Actor actor, int agencyId, int cycleId, int previousCycleId, CancellationToken ct)
    {
        if (!actor.CanSeeAgency(agencyId))
            throw new AccessDeniedException($"{actor.DisplayName} may only see their own agency's self-assessments.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var previous = await RatedAsync(conn, actor.PartnershipId, previousCycleId, agencyId, ct);
        var current = await RatedAsync(conn, actor.PartnershipId, cycleId, agencyId, ct);
        return AssuranceStatistics.Compare(previous, current);
    }

    /// <summary>Per standard across the partnership, this cycle against a previous one: the mean settled score in each and
    /// whether it improved, stayed the same (within 0.1 of a step) or got worse. Not for agency users.</summary>
    public async Task<IReadOnlyList<CycleStandardComparison>> CompareCyclesAsync(Actor actor, int cycleId, int previousCycleId, CancellationToken ct)
    {
        if (!AssuranceAccess.SeesAll(actor))
            throw new AccessDeniedException($"{actor.DisplayName} may not compare other agencies' self-assessments.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var previous = await RatedAsync(conn, actor.PartnershipId, previousCycleId, null, ct);
        var current = await RatedAsync(conn, actor.PartnershipId, cycleId, null, ct);
        var titles = (await conn.QueryAsync<(string Code, string Title)>(new CommandDefinition("""
            select s.code, s.title from framework_standard s join assessment_cycle c on c.partnership_id = s.partnership_id and c.framework_id = s.framework_id
            where c.partnership_id = @PartnershipId and c.id = @cycleId order by s.position
            """, new { actor.PartnershipId, cycleId }, cancellationToken: ct))).ToList();
        return Compare(titles, previous, current);
    }

    /// <summary>Per standard (matched by code): the mean settled score in each cycle and whether it improved, stayed the
    /// same (within 0.1 of a step) or got worse.</summary>
    private static IReadOnlyList<CycleStandardComparison> Compare(
        IReadOnlyList<(string Code, string Title)> standards, IEnumerable<RatedStandard> previousRated, IEnumerable<RatedStandard> currentRated)
    {
        var previous = MeanScores(previousRated);
        var current = MeanScores(currentRated);
        return standards.Select(t =>
        {
            double? was = previous.TryGetValue(t.Code, out var p) ? p : null;
            double? now = current.TryGetValue(t.Code, out var c) ? c : null;
            Change? change = was is null || now is null ? null : (now - was) switch { > 0.1 => Change.Improved, < -0.1 => Change.Worse, _ => Change.Same };
            return new CycleStandardComparison(t.Code, t.Title, was, now, change);
        }).ToList();
    }

    /// <summary>Each standard's mean settled score, in one pass (scores summed in the ratings' order).</summary>
    private static Dictionary<string, double> MeanScores(IEnumerable<RatedStandard> ratings)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var r in ratings)
        {
            sums.TryGetValue(r.StandardCode, out var t);
            sums[r.StandardCode] = (t.Sum + r.Settled.Score(), t.Count + 1);
        }
        return sums.ToDictionary(t => t.Key, t => t.Value.Sum / t.Value.Count, StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<RatedStandard>> RatedAsync(NpgsqlConnection conn, int partnershipId, int cycleId, int? agencyId, CancellationToken ct)
    {
        const string sql = """
            select s.agency_id, r.standard_id, st.code as standard_code, r.rating as self, m.outcome, m.moderated_rating
            from self_assessment s
            join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id
            join framework_standard st on st.partnership_id = r.partnership_id and st.id = r.standard_id
            left join self_assessment_moderation m on m.partnership_id = r.partnership_id and m.submission_id = r.submission_id and m.standard_id = r.standard_id
            where s.partnership_id = @partnershipId and s.cycle_id = @cycleId and s.status = 'submitted' and (@agencyId::int is null or s.agency_id = @agencyId)
            """;
        return (await conn.QueryAsync<HeatCell>(new CommandDefinition(sql, new { partnershipId, cycleId, agencyId }, cancellationToken: ct)))
            .Select(c => c.ToRated()).ToList();
    }

    private static object Scope(Actor actor, object? extra = null)
    {
        var args = new DynamicParameters(extra);
        args.Add("PartnershipId", actor.PartnershipId);
        args.Add("SeesAll", AssuranceAccess.SeesAll(actor));
        args.Add("AgencyId", actor.AgencyId ?? 0);
        return args;
    }
}
