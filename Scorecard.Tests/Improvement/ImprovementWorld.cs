using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Improvement;
using Scorecard.Tests.Infrastructure;

namespace Scorecard.Tests.Loop;

/// <summary>A small hand-built partnership for the loop's tests: three agencies, a priority and a measure, an audit
/// finding, and one user of each role (two agency users), each a real <c>app_user</c> row; and the commands and queries
/// over it on a fixed clock (15 December 2025).</summary>
public sealed record ImprovementWorld(
    NpgsqlDataSource DataSource, int PartnershipId, int CouncilId, int PoliceId, int HealthId, string MeasureCode, int FindingId,
    Actor Admin, Actor Qa, Actor Executive, Actor PoliceUser, Actor HealthUser)
{
    public static readonly FixedClock Clock = FixedClock.DemoToday;
    public static DateOnly Today => DateOnly.FromDateTime(Clock.GetLocalNow().Date);

    public ActionCommands Actions => new(DataSource, Clock, new AssuranceOptions { MaxEvidenceBytes = 1024 * 1024 });
    public ActionQueries ActionQueries => new(DataSource, Clock);
    public RiskCommands Risks => new(DataSource, Clock);
    public RiskQueries RiskQueries => new(DataSource, Clock);
    public ChallengeCommands Challenges => new(DataSource, Clock);
    public ChallengeQueries ChallengeQueries => new(DataSource, Clock);
    public LearningReviewCommands Reviews => new(DataSource);
    public LearningReviewQueries ReviewQueries => new(DataSource);
    public ImprovementAgendaSource Agenda => new(DataSource);

    public static async Task<ImprovementWorld> CreateAsync(NpgsqlDataSource dataSource, string prefix)
    {
        var code = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await using var conn = await dataSource.OpenConnectionAsync();
        var p = await conn.ExecuteScalarAsync<int>(
            "insert into partnership (code, name, short_name) values (@code, @name, @code) returning id", new { code, name = $"{code} partnership" });
        async Task<int> Agency(string name, string sector) => await conn.ExecuteScalarAsync<int>(
            "insert into agency (partnership_id, name, short_name, sector, partner_type) values (@p, @name, @name, @sector, 'statutory') returning id",
            new { p, name, sector });
        var council = await Agency("Council", "council");
        var police = await Agency("Police", "police");
        var health = await Agency("Health", "health");
        var priority = await conn.ExecuteScalarAsync<int>("insert into priority (partnership_id, code, title) values (@p, 'P1', 'Neglect') returning id", new { p });
        await conn.ExecuteAsync("""
            insert into measure (partnership_id, code, title, definition, unit, polarity, priority_id, owner_agency_id)
            values (@p, 'CSC-REREF', 'Re-referrals within 12 months', 'Percentage of referrals that are re-referrals', 'percent', 'lower_is_better', @priority, @council)
            """, new { p, priority, council });
        var audit = await conn.ExecuteScalarAsync<int>("""
            insert into audit (partnership_id, title, audit_type, lead_agency_id, lead_person, planned_fiscal_year, planned_quarter)
            values (@p, 'Neglect audit', 'multi_agency_case', @council, 'Head of QA', 2025, 2) returning id
            """, new { p, council });
        var finding = await conn.ExecuteScalarAsync<int>("""
            insert into audit_finding (partnership_id, audit_id, finding_type, statement, position) values (@p, @audit, 'recommendation', 'Record the voice of the child', 1) returning id
            """, new { p, audit });
        async Task<Actor> User(string name, Role role, int? agencyId) => new(p, await conn.ExecuteScalarAsync<int>("""
            insert into app_user (partnership_id, email, display_name, role, agency_id) values (@p, @email, @name, @role, @agencyId) returning id
            """, new { p, email = $"{name.Replace(' ', '.')}@{code}.example".ToLowerInvariant(), name, role = role.ToDb(), agencyId }), name, role, agencyId);
        return new ImprovementWorld(dataSource, p, council, police, health, "CSC-REREF", finding,
            await User("Ada Admin", Role.Admin, null), await User("Quentin QA", Role.QaMember, null), await User("Eve Exec", Role.Executive, null),
            await User("Percy Police", Role.AgencyUser, police), await User("Hana Health", Role.AgencyUser, health));
    }

    public NewAction ActionFor(int agencyId, string title = "Refresh neglect training for frontline staff", SourceKind kind = SourceKind.AuditFinding, string? key = null,
        int dueInDays = 60, int startedDaysAgo = 30) =>
        new(title, kind, key ?? FindingId.ToString(), agencyId, "Designated lead", Today.AddDays(-startedDaysAgo), Today.AddDays(dueInDays), null);

    public NewRisk RiskOf(int likelihood, int impact, string title = "Multi-agency audit capacity") =>
        new(title, "Too few auditors released by agencies", "Audits slip and assurance is lost", Subgroup.QualityAssurance, "QA chair",
            likelihood, impact, "Audit pool of named staff", 6, Today.AddDays(90));

    public NewChallenge ChallengeTo(int agencyId, string question = "Why have re-referrals risen for three quarters running?") =>
        new(question, SourceKind.Measure, MeasureCode, agencyId, Today, Today.AddDays(28));

    public async Task<long> LogCountAsync(string entity)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("select count(*) from change_log where partnership_id = @PartnershipId and entity = @entity", new { PartnershipId, entity });
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }
}
