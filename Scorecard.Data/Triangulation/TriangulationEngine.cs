using System.Text.Json;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Assurance;
using Scorecard.Data.Performance;
using Scorecard.Data.Voice;

namespace Scorecard.Data.Triangulation;

/// <summary>
/// Judges a theme through the six lenses from loaded evidence, for one viewer and one as-at date. Pure given its inputs
/// (the evidence rows, and the scorecard lines the viewer may see at that date), so the matrix, the theme page's history
/// and the bench share it. Disclosure: the data lens reads the viewer's own scorecard view (hidden figures carry no RAG);
/// voice questions hidden from the viewer are not counted; audit counts of 1–4 are words for anyone outside QA.
/// </summary>
public static class TriangulationEngine
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The theme's rules: its stored settings over the defaults (unknown or bad settings fall back to the defaults).</summary>
    public static LensRules Rules(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Trim() == "{}")
            return LensRules.Default;
        try
        {
            var rules = JsonSerializer.Deserialize<LensRules>(json, Json) ?? LensRules.Default;
            return rules.Problems().Count == 0 ? rules : LensRules.Default;
        }
        catch (JsonException)
        {
            return LensRules.Default;
        }
    }

    public static string Serialize(LensRules rules) => JsonSerializer.Serialize(rules, Json);

    /// <summary>The first day of the window that ends on <paramref name="asAt"/>.</summary>
    public static DateOnly WindowStart(DateOnly asAt, LensRules rules) => asAt.AddMonths(-rules.WindowMonths).AddDays(1);

    public static ThemeAssessment Assess(
        ThemeRow theme, TriangulationEvidence evidence, IReadOnlyDictionary<int, ScorecardLine> dataLines, Actor viewer, DateOnly asAt, JudgementRecord? latest,
        bool forExport = false)
    {
        var rules = Rules(theme.Rules);
        var from = WindowStart(asAt, rules);
        var links = evidence.Links.Where(l => l.ThemeId == theme.Id).ToList();
        // An export hides every small number whoever downloads it (as the scorecard's exports do).
        var manager = !forExport && VoiceAccess.IsManager(viewer);
        var lenses = new List<LensResult>
        {
            DataLens(links, dataLines),
            AuditLens(theme.Id, evidence, from, asAt, rules, manager),
            SummaryLens(theme.Id, evidence, viewer, from, asAt, rules, manager, forExport),
            SelfAssessmentLens(theme.Id, evidence, asAt, rules),
            VoiceLens(Lens.ChildrenAndFamilies, theme.Id, evidence, viewer, from, asAt, rules, forExport),
            VoiceLens(Lens.Practitioners, theme.Id, evidence, viewer, from, asAt, rules, forExport),
        };
        var verdict = TriangulationRules.Decide(lenses.ToDictionary(l => l.Lens, l => l.Judgement), rules);
        return new ThemeAssessment(theme, rules, asAt, from, lenses, verdict, latest);
    }

    private static LensResult DataLens(IReadOnlyList<LinkRow> links, IReadOnlyDictionary<int, ScorecardLine> lines)
    {
        var items = new List<EvidenceItem>();
        foreach (var link in links.Where(l => l.Kind == LinkKind.Measure))
        {
            if (!lines.TryGetValue(link.MeasureId!.Value, out var line))
            {
                items.Add(new EvidenceItem(link.Label, "Scorecard", "Not on the scorecard (inactive)", Judgement.NoEvidence, null, null));
                continue;
            }
            var current = line.Current;
            var judgement = line.Measure.Polarity == Polarity.Neutral ? Judgement.NoEvidence : TriangulationRules.JudgeMeasure(current.ShownRag, line.Variation);
            var figures = current.Suppressed ? $"{current.Period.Label}: {SpcWords.FewerThanFive}"
                : current.Value is null ? $"{current.Period.Label}: no figure"
                : $"{current.Period.Label}: {FigureFormat.Value(current.Value, line.Measure.Unit, line.Measure.DecimalPlaces)} · {Rag.Label(current.ShownRag)}{(line.Variation is { } v ? " · " + VariationWords(v) : "")}";
            if (line.Measure.Polarity == Polarity.Neutral)
                figures += " · context only";
            items.Add(new EvidenceItem($"{line.Measure.Code} {line.Measure.Title}", "Scorecard", figures, judgement, $"/scorecard/measures/{Uri.EscapeDataString(line.Measure.Code)}", current.Period.EndDate));
        }
        var overall = TriangulationRules.Combine(items.Select(i => i.Judgement), anyNegativeWins: true);
        var judged = items.Count(i => i.Judgement != Judgement.NoEvidence);
        var summary = judged == 0 ? "No linked measure has a figure to judge."
            : $"{Plural.Of(items.Count(i => i.Judgement == Judgement.Positive), "measure", "measures")} green or improving, {items.Count(i => i.Judgement == Judgement.Negative)} red or concern, of {judged} judged.";
        return new LensResult(Lens.Data, overall, summary, items);
    }

    private static LensResult AuditLens(int themeId, TriangulationEvidence evidence, DateOnly from, DateOnly to, LensRules rules, bool manager)
    {
        var rows = evidence.AuditGrades.Where(g => g.ThemeId == themeId && g.Dated >= from && g.Dated <= to).ToList();
        var items = rows.GroupBy(r => (r.AuditId, r.AuditTitle, r.QuestionId, r.QuestionText, r.Dated)).Select(g =>
        {
            var good = g.Where(r => r.Grade.IsGoodOrBetter()).Sum(r => r.Count);
            var total = g.Sum(r => r.Count);
            var distribution = string.Join(", ", DbOrder.Grades.Select(grade => $"{grade.Label().ToLowerInvariant()} {Count(g.Where(r => r.Grade == grade).Sum(r => r.Count), manager)}"));
            return new EvidenceItem(g.Key.QuestionText, g.Key.AuditTitle, $"{Share(good, total, manager)} good or better of {total} grades ({distribution})",
                TriangulationRules.JudgeShare(good, total, rules), $"/assurance/audits/{g.Key.AuditId}", g.Key.Dated);
        }).OrderByDescending(i => i.Dated).ToList();
        var goodAll = rows.Where(r => r.Grade.IsGoodOrBetter()).Sum(r => r.Count);
        var totalAll = rows.Sum(r => r.Count);
        return new LensResult(Lens.MultiAgencyAudit, TriangulationRules.JudgeShare(goodAll, totalAll, rules),
            totalAll == 0 ? "No linked audit question was graded in the window." : $"{Share(goodAll, totalAll, manager)} of {totalAll} question grades good or better.", items);
    }

    private static LensResult SummaryLens(int themeId, TriangulationEvidence evidence, Actor viewer, DateOnly from, DateOnly to, LensRules rules, bool manager, bool forExport)
    {
        var rows = evidence.Summaries.Where(s => s.ThemeId == themeId && s.PeriodEnd >= from && s.PeriodEnd <= to).ToList();
        var seesAll = AssuranceAccess.SeesAll(viewer);
        var items = rows.Where(r => seesAll || r.AgencyId == viewer.AgencyId).OrderByDescending(r => r.PeriodEnd).ThenBy(r => r.AgencyName)
            .Select(r => new EvidenceItem($"{r.AgencyName}: {r.Topic}", Catalog.PeriodLabels.Format(r.FiscalYear, r.Quarter),
                $"{Share(r.Good, r.Cases, manager || (!forExport && r.AgencyId == viewer.AgencyId))} good or better of {r.Cases} cases",
                TriangulationRules.JudgeShare(r.Good, r.Cases, rules), null, r.PeriodEnd)).ToList();
        if (!seesAll && rows.Count > items.Count)
            items.Add(new EvidenceItem("Other agencies' summaries", "", $"{rows.Count - items.Count} summaries, counted in the lens's share", Judgement.NoEvidence, null, null));
        var good = rows.Sum(r => r.Good);
        var cases = rows.Sum(r => r.Cases);
        return new LensResult(Lens.SingleAgencyAudits, TriangulationRules.JudgeShare(good, cases, rules),
            cases == 0 ? "No accepted audit summary on the linked topics in the window." : $"{Share(good, cases, manager)} of {cases} cases good or better in {Plural.Of(rows.Count, "summary", "summaries")}.", items);
    }

    private static LensResult SelfAssessmentLens(int themeId, TriangulationEvidence evidence, DateOnly asAt, LensRules rules)
    {
        var earliest = asAt.AddMonths(-rules.SelfAssessmentValidMonths);
        // For each linked standard, the latest cycle whose deadline has passed by the as-at date and is still current.
        var rows = evidence.Standards.Where(s => s.ThemeId == themeId && s.Deadline <= asAt && s.Deadline > earliest)
            .GroupBy(s => s.StandardId)
            .SelectMany(g => g.Where(s => s.CycleId == g.MaxBy(x => x.Deadline)!.CycleId))
            .ToList();
        var items = rows.GroupBy(r => (r.StandardId, r.Code, r.Title, r.CycleId, r.CycleName, r.Deadline)).Select(g =>
        {
            var met = g.Where(r => r.Rating == Rating.Met).Sum(r => r.Count);
            var total = g.Sum(r => r.Count);
            return new EvidenceItem($"{g.Key.Code} {g.Key.Title}", g.Key.CycleName,
                $"{VoiceStatistics.Percent((double)met / total)} met ({met} met, {g.Where(r => r.Rating == Rating.PartlyMet).Sum(r => r.Count)} partly met, {g.Where(r => r.Rating == Rating.NotMet).Sum(r => r.Count)} not met; moderated ratings where moderated)",
                TriangulationRules.JudgeShare(met, total, rules), $"/assurance/cycles/{g.Key.CycleId}", g.Key.Deadline);
        }).ToList();
        var metAll = rows.Where(r => r.Rating == Rating.Met).Sum(r => r.Count);
        var totalAll = rows.Sum(r => r.Count);
        return new LensResult(Lens.SelfAssessment, TriangulationRules.JudgeShare(metAll, totalAll, rules),
            totalAll == 0 ? $"No cycle of a linked standard closed in the {rules.SelfAssessmentValidMonths} months to the as-at date." : $"{VoiceStatistics.Percent((double)metAll / totalAll)} of {totalAll} agency ratings met.", items);
    }

    private static LensResult VoiceLens(Lens lens, int themeId, TriangulationEvidence evidence, Actor viewer, DateOnly from, DateOnly to, LensRules rules, bool forExport)
    {
        var practitioners = lens == Lens.Practitioners;
        var items = new List<EvidenceItem>();
        foreach (var linked in evidence.Voice.Where(v => v.ThemeId == themeId && (v.RespondentGroup == RespondentGroup.Practitioners) == practitioners).GroupBy(v => v.LinkedQuestionId))
        {
            var latest = linked.Where(v => v.PeriodEnd >= from && v.PeriodEnd <= to).OrderByDescending(v => v.PeriodEnd).FirstOrDefault();
            if (latest is null)
                continue;
            var result = VoiceDisclosure.Disclose(latest.Scale, latest.RespondentGroup, latest.Respondents, latest.Counts, VoiceDisclosure.MaySeeSmallNumbers(viewer, latest.AgencyId, forExport));
            var source = latest.Wave is { } w ? $"{latest.ActivityTitle} (wave {w})" : latest.ActivityTitle;
            if (result.Suppressed)
            {
                items.Add(new EvidenceItem(latest.Wording, source, result.Reason, Judgement.NoEvidence, $"/voice/activities/{latest.ActivityId}", latest.PeriodEnd));
                continue;
            }
            var share = result.Share;
            var figures = share is null ? "No answers" : $"{VoiceStatistics.Describe(share)} positive of {share.Total} answers";
            items.Add(new EvidenceItem(latest.Wording, source, figures, TriangulationRules.JudgeInterval(share, rules), $"/voice/activities/{latest.ActivityId}", latest.PeriodEnd));
        }
        var overall = TriangulationRules.Combine(items.Select(i => i.Judgement));
        var judged = items.Count(i => i.Judgement != Judgement.NoEvidence);
        var summary = judged == 0 ? "No linked question was asked (or may be shown) in the window."
            : $"{items.Count(i => i.Judgement == Judgement.Positive)} positive, {items.Count(i => i.Judgement == Judgement.Mixed)} mixed, {items.Count(i => i.Judgement == Judgement.Negative)} negative of {Plural.Of(judged, "question", "questions")}.";
        return new LensResult(lens, overall, summary, items);
    }

    /// <summary>One agency's rating of a linked standard in one cycle (for the heat-map column).</summary>
    public sealed record AgencyRatingRow(int StandardId, int CycleId, int AgencyId, string AgencyName, Rating? Rating);

    /// <summary>
    /// The theme's current evidence as charts, for the viewer: the linked measures' scorecard lines (the viewer's own view,
    /// hidden figures already hidden), each linked audit question's grade distribution in the window (counts of 1–4 in
    /// words unless the viewer sees every agency's work), each linked standard's ratings by agency in the cycle the lens
    /// counts (agency users: their own row), and each linked voice question's latest wave in the window, disclosed as the
    /// activity page discloses it.
    /// </summary>
    public static ThemeCharts Charts(int themeId, TriangulationEvidence evidence, IReadOnlyDictionary<int, ScorecardLine> dataLines, IReadOnlyList<AgencyRatingRow> ratings,
        Actor viewer, DateOnly asAt, LensRules rules)
    {
        var from = WindowStart(asAt, rules);
        var links = evidence.Links.Where(l => l.ThemeId == themeId).ToList();
        var measures = links.Where(l => l.Kind == LinkKind.Measure && dataLines.ContainsKey(l.MeasureId!.Value)).Select(l => dataLines[l.MeasureId!.Value]).ToList();

        var seesAll = AssuranceAccess.SeesAll(viewer);
        var audits = evidence.AuditGrades.Where(g => g.ThemeId == themeId && g.Dated >= from && g.Dated <= asAt)
            .GroupBy(r => (r.AuditId, r.AuditTitle, r.QuestionId, r.QuestionText, r.Dated))
            .Select(g =>
            {
                int N(Grade grade) => g.Where(r => r.Grade == grade).Sum(r => r.Count);
                var distribution = new GradeDistribution(N(Grade.Outstanding), N(Grade.Good), N(Grade.RequiresImprovement), N(Grade.Inadequate));
                return new AuditQuestionChart(g.Key.AuditId, g.Key.AuditTitle, g.Key.QuestionText, g.Key.Dated, AuditDisclosure.Distribution(distribution, seesAll));
            })
            .OrderByDescending(a => a.Dated).ThenBy(a => a.QuestionText).ToList();

        var earliest = asAt.AddMonths(-rules.SelfAssessmentValidMonths);
        var standards = evidence.Standards.Where(s => s.ThemeId == themeId && s.Deadline <= asAt && s.Deadline > earliest)
            .GroupBy(s => s.StandardId)
            .Select(g => g.MaxBy(x => x.Deadline)!)
            .Select(latest =>
            {
                var rows = ratings.Where(r => r.StandardId == latest.StandardId && r.CycleId == latest.CycleId).OrderBy(r => r.AgencyName).ToList();
                var shown = rows.Where(r => seesAll || r.AgencyId == viewer.AgencyId).Select(r => new AgencyRating(r.AgencyName, r.Rating)).ToList();
                return new StandardColumn(latest.StandardId, latest.Code, latest.Title, latest.CycleName, shown, rows.Count - shown.Count);
            })
            .OrderBy(c => c.Code).ToList();

        List<VoiceQuestionChart> Voice(bool practitioners) => evidence.Voice
            .Where(v => v.ThemeId == themeId && (v.RespondentGroup == RespondentGroup.Practitioners) == practitioners)
            .GroupBy(v => v.LinkedQuestionId)
            .Select(g => g.Where(v => v.PeriodEnd >= from && v.PeriodEnd <= asAt).OrderByDescending(v => v.PeriodEnd).FirstOrDefault())
            .OfType<VoiceEvidence>()
            .Select(v => new VoiceQuestionChart(v.ActivityId, v.ActivityTitle, v.Wave, v.PeriodEnd, v.Wording, v.Scale,
                VoiceDisclosure.Disclose(v.Scale, v.RespondentGroup, v.Respondents, v.Counts, VoiceDisclosure.MaySeeSmallNumbers(viewer, v.AgencyId))))
            .ToList();

        return new ThemeCharts(measures, audits, standards, Voice(false), Voice(true));
    }

    private static string VariationWords(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow => SpcWords.Improvement,
        VariationIcon.ConcernHigh or VariationIcon.ConcernLow => SpcWords.Concern,
        VariationIcon.NeutralHigh or VariationIcon.NeutralLow => SpcWords.NeutralChange,
        _ => SpcWords.CommonCause,
    };

    /// <summary>A count, or "fewer than 5" for a count of 1–4 about children that the viewer may not see.</summary>
    private static string Count(int count, bool maySee) => Disclosure.MustHide(count, maySee) ? SpcWords.FewerThanFive : count.ToString("N0");

    /// <summary>A share, withheld (in words) when its numerator is a hidden small count.</summary>
    private static string Share(int part, int total, bool maySee) =>
        total == 0 ? "none" : Disclosure.MustHide(part, maySee) || Disclosure.MustHide(total - part, maySee) ? "a share not shown (fewer than 5 in a group)" : VoiceStatistics.Percent((double)part / total);

    private static class DbOrder
    {
        public static readonly Grade[] Grades = [Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate];
    }
}
