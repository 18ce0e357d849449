using Scorecard.Data.Assurance;
using Scorecard.Data.Voice;

namespace Scorecard.Data.Triangulation;

/// <summary>A line of enquiry, tied to a priority, with its own lens rules.</summary>
public sealed record ThemeRow(
    int Id, string Title, string Description, int PriorityId, string PriorityCode, string PriorityTitle, int PrioritySortOrder,
    string Rules, int SortOrder, bool Active);

public enum LinkKind
{
    Measure,
    AuditQuestion,
    SummaryTopic,
    Standard,
    VoiceQuestion,
    [Obsolete("Stored spelling, for Dapper's reading only")] audit_question = AuditQuestion,
    [Obsolete("Stored spelling, for Dapper's reading only")] summary_topic = SummaryTopic,
    [Obsolete("Stored spelling, for Dapper's reading only")] voice_question = VoiceQuestion,
}

/// <summary>A theme's link to one piece of evidence, with a label for the page.</summary>
public sealed record LinkRow(int Id, int ThemeId, LinkKind Kind, int? MeasureId, int? AuditQuestionId, string? SummaryTopic, int? StandardId, int? VoiceQuestionId, string Label);

/// <summary>Submitted question grades of a linked audit question, counted per grade.</summary>
public sealed record AuditGradeEvidence(int ThemeId, int AuditId, string AuditTitle, int QuestionId, string QuestionText, DateOnly Dated, Grade Grade, int Count);

/// <summary>An accepted single-agency audit summary on a linked topic.</summary>
public sealed record SummaryEvidence(int ThemeId, int AgencyId, string AgencyName, DateOnly PeriodEnd, int FiscalYear, int Quarter, string Topic, int Good, int Cases);

/// <summary>Submitted ratings of a linked standard in one cycle, counted per final rating (moderated where moderated).</summary>
public sealed record StandardEvidence(int ThemeId, int StandardId, string Code, string Title, int CycleId, string CycleName, DateOnly Deadline, Rating Rating, int Count);

/// <summary>One wave of a linked voice question (the linked question and every wave of its series).</summary>
public sealed class VoiceEvidence
{
    public int ThemeId { get; init; }
    public int LinkedQuestionId { get; init; }
    public int ActivityId { get; init; }
    public string ActivityTitle { get; init; } = "";
    public RespondentGroup RespondentGroup { get; init; }
    public int? AgencyId { get; init; }
    public int Respondents { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public int? Wave { get; init; }
    public int QuestionId { get; init; }
    public string Wording { get; init; } = "";
    public AnswerScale Scale { get; init; }
    public int[] Counts { get; init; } = [];
}

/// <summary>Every row of evidence linked to the themes asked for, undated by window (each as-at date chooses its own).</summary>
public sealed record TriangulationEvidence(
    IReadOnlyList<ThemeRow> Themes, IReadOnlyList<LinkRow> Links, IReadOnlyList<AuditGradeEvidence> AuditGrades,
    IReadOnlyList<SummaryEvidence> Summaries, IReadOnlyList<StandardEvidence> Standards, IReadOnlyList<VoiceEvidence> Voice);

/// <summary>One line of a lens's evidence: what it is, the numbers in words, its own judgement and where to see more.</summary>
public sealed record EvidenceItem(string Label, string Source, string Figures, Judgement Judgement, string? Href, DateOnly? Dated);

/// <summary>A lens's judgement for a theme, with the numbers it came from and its evidence.</summary>
public sealed record LensResult(Lens Lens, Judgement Judgement, string Summary, IReadOnlyList<EvidenceItem> Items);

/// <summary>An assurance judgement recorded at a meeting: the verdict computed then, and the QA member's override if any.</summary>
public sealed record JudgementRecord(
    int Id, int ThemeId, DateOnly MeetingDate, Verdict ComputedVerdict, Side ComputedSide, Verdict? OverrideVerdict, Side? OverrideSide,
    string Rationale, string RecordedByName, DateTime RecordedAt)
{
    public string ComputedLabel => TriangulationWords.Label(ComputedVerdict, ComputedSide);
    public string? OverrideLabel => OverrideVerdict is { } v ? TriangulationWords.Label(v, OverrideSide ?? Side.None) : null;
}

/// <summary>A theme judged through every lens as at a date.</summary>
public sealed record ThemeAssessment(
    ThemeRow Theme, LensRules Rules, DateOnly AsAt, DateOnly WindowStart, IReadOnlyList<LensResult> Lenses, VerdictResult Verdict,
    JudgementRecord? LatestJudgement)
{
    public LensResult Lens(Lens lens) => Lenses.First(l => l.Lens == lens);
}

/// <summary>The matrix: themes (contested first) × lenses, as at a date.</summary>
public sealed record TriangulationMatrix(DateOnly AsAt, IReadOnlyList<ThemeAssessment> Rows, IReadOnlyList<(string Code, string Title)> Priorities);

/// <summary>A theme's page: its assessment now, its lenses at earlier quarter ends, its links and its judgement history.</summary>
public sealed record ThemeDetail(
    ThemeAssessment Current, IReadOnlyList<ThemeAssessment> OverTime, IReadOnlyList<LinkRow> Links, IReadOnlyList<JudgementRecord> History)
{
    /// <summary>The current window's evidence as charts (not built for exports).</summary>
    public ThemeCharts? Charts { get; init; }
}

/// <summary>One linked audit question's grades in the window, as the viewer may see them (small counts in words).</summary>
public sealed record AuditQuestionChart(int AuditId, string AuditTitle, string QuestionText, DateOnly Dated, DisclosedDistribution Distribution);

/// <summary>One agency's final rating of a standard (moderated where moderated) in the cycle the lens counts.</summary>
public sealed record AgencyRating(string AgencyName, Rating? Rating);

/// <summary>A linked standard's heat-map column: each agency's rating in the latest current cycle. Agency users see their own
/// agency's row and the others only as counts.</summary>
public sealed record StandardColumn(int StandardId, string Code, string Title, string CycleName, IReadOnlyList<AgencyRating> Agencies, int OtherAgencies);

/// <summary>A linked voice question's latest wave in the window, as the viewer may see it.</summary>
public sealed record VoiceQuestionChart(int ActivityId, string ActivityTitle, int? Wave, DateOnly PeriodEnd, string Wording, AnswerScale Scale, DisclosedResult Result);

/// <summary>What each lens's evidence looks like as a chart on the theme page (issue 12 §2: "each cell opens its evidence:
/// the measure's SPC chart, the audit's grade distribution, the standard's heat-map column, the survey question's bars").</summary>
public sealed record ThemeCharts(
    IReadOnlyList<Performance.ScorecardLine> Measures, IReadOnlyList<AuditQuestionChart> Audits, IReadOnlyList<StandardColumn> Standards,
    IReadOnlyList<VoiceQuestionChart> ChildrenAndFamilies, IReadOnlyList<VoiceQuestionChart> Practitioners);
