namespace Scorecard.Data.Assurance.Demo;

/// <summary>A demo audit. Agencies are demo agency keys; quarters are financial years and quarters.</summary>
public sealed record DemoAudit(
    string Title, AuditType Type, string Theme, string PriorityCode, string LeadAgencyKey, string LeadPerson,
    int PlannedFiscalYear, int PlannedQuarter, DateOnly? FieldworkStart, DateOnly? FieldworkEnd, DateOnly? ReportDate, AuditStatus Status,
    IReadOnlyList<string> Questions, IReadOnlyList<DemoAuditCase> Cases, IReadOnlyList<DemoFinding> Findings);

/// <summary>A case with its agencies' gradings and (when the panel has met) its moderation.</summary>
public sealed record DemoAuditCase(string Reference, IReadOnlyList<DemoGrading> Gradings, Grade? ModeratedGrade, YesPartlyNo? ModeratedVoice, string ModerationNote);

/// <summary>An agency's submitted grading: overall, voice, and one grade per question in question order.</summary>
public sealed record DemoGrading(string AgencyKey, Grade Overall, YesPartlyNo Voice, IReadOnlyList<Grade> QuestionGrades, string Strengths, string AreasForDevelopment);

/// <summary>A finding, the agencies it concerns and the (1-based) questions it rests on.</summary>
public sealed record DemoFinding(FindingType Type, string Statement, IReadOnlyList<string> AgencyKeys, IReadOnlyList<int> QuestionPositions);

public sealed record DemoAuditSummary(
    string AgencyKey, int FiscalYear, int Quarter, string Topic, int Outstanding, int Good, int RequiresImprovement, int Inadequate,
    int VoiceYes, int VoicePartly, int VoiceNo, IReadOnlyList<string> KeyFindings, DateTimeOffset SubmittedAt);

/// <summary>A cycle of a shipped framework and each agency's submission (null submission = the agency never submitted).</summary>
public sealed record DemoCycle(string FrameworkCode, string Name, DateOnly OpensOn, DateOnly Deadline, IReadOnlyList<DemoSubmission> Submissions);

/// <summary>An agency's part in a cycle. A draft-only submission has no SubmittedAt and no sign-off.</summary>
public sealed record DemoSubmission(
    string AgencyKey, DateTimeOffset? SubmittedAt, string SignOffName, string SignOffRole, IReadOnlyList<DemoRating> Ratings);

/// <summary>A rating of one standard (by code), and the QA member's moderated rating if the standard was moderated
/// (equal to <see cref="Self"/> when they agreed).</summary>
public sealed record DemoRating(string StandardCode, Rating Self, string Evidence, string Actions, Rating? Moderated, string ModerationReason);

/// <summary>The plants of issue 11 for tests and the next issue's triangulation.</summary>
/// <param name="ListeningStandardCode">Section 11 standard 3: agencies rate it mostly met…</param>
/// <param name="OptimisticAgencyKey">…this agency grades its cases one grade above the panel…</param>
/// <param name="WorseningStandardCode">…and this Section 11 standard is worse in 2025 than in 2023.</param>
public sealed record AssurancePlants(string ListeningStandardCode, string OptimisticAgencyKey, string WorseningStandardCode,
    string Section11Earlier, string Section11Later, string Section175Earlier, string Section175Later, string TrueForUs);

public sealed record AssuranceDemo(
    IReadOnlyList<DemoAudit> Audits, IReadOnlyList<DemoAuditSummary> Summaries, IReadOnlyList<DemoCycle> Cycles, AssurancePlants Plants);
