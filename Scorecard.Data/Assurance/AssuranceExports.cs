using ClosedXML.Excel;
using Scorecard.Data.Accounts;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance;

/// <summary>
/// Excel exports of audits and self-assessment cycles (issue 11 §1, §3). Every text cell goes through
/// <see cref="Excel.Text"/> (formula-safe), and each export shows exactly what the viewer may see on the page: an agency
/// user's audit export holds their own gradings and other agencies' only for moderated cases, and a cycle export holds
/// only their own agency. Grade counts are not exported (the per-case grid is), so no small count leaves the page.
/// </summary>
public sealed class AssuranceExports(AuditQueries audits, SelfAssessmentQueries cycles, CatalogQueries catalog)
{
    private static readonly XLColor Header = XLColor.FromHtml("#E3ECF5");

    /// <summary>An audit's grading grid (cases × agencies), each grading in full, the moderation and the findings; null when no such audit.</summary>
    public async Task<FileDownload?> AuditAsync(Actor actor, int auditId, CancellationToken ct)
    {
        var view = await audits.AuditAsync(actor, auditId, ct);
        if (view is null)
            return null;
        var names = await AgencyNamesAsync(actor, ct);
        string Name(int id) => names.GetValueOrDefault(id, $"Agency {id}");
        var gradings = view.Gradings.ToDictionary(g => (g.CaseId, g.AgencyId));
        var moderations = view.Moderations.ToDictionary(m => m.CaseId);
        var agencies = view.Cases.SelectMany(c => c.AgencyIds).Distinct().OrderBy(Name, StringComparer.OrdinalIgnoreCase).ToList();

        using var workbook = new XLWorkbook();
        var grid = workbook.Worksheets.Add("Grading grid");
        Excel.Text(grid.Cell(1, 1), view.Audit.Title).Style.Font.SetBold(true);
        Excel.Text(grid.Cell(2, 1), $"Overall grades by case and agency (submitted gradings; drafts shown as \"draft\"). Status: {view.Audit.Status.ToDb()}.");
        HeaderRow(grid, 4, ["Case", .. agencies.Select(Name), "Moderated grade", "Voice evident (panel)"]);
        var row = 5;
        foreach (var c in view.Cases)
        {
            Excel.Text(grid.Cell(row, 1), c.CaseReference);
            for (var i = 0; i < agencies.Count; i++)
            {
                var text = !c.AgencyIds.Contains(agencies[i]) ? "not involved"
                    : gradings.TryGetValue((c.Id, agencies[i]), out var g)
                        ? g.Status == SubmissionStatus.Submitted && g.OverallGrade is { } grade ? grade.Label() : "draft"
                        : "not graded";
                Excel.Text(grid.Cell(row, i + 2), text);
            }
            if (moderations.TryGetValue(c.Id, out var m))
            {
                Excel.Text(grid.Cell(row, agencies.Count + 2), m.Grade.Label());
                Excel.Text(grid.Cell(row, agencies.Count + 3), VoiceWords(m.VoiceEvident));
            }
            row++;
        }
        Excel.SetWidths(grid, [16, .. agencies.Select(_ => 18.0), 18, 18]);
        grid.SheetView.FreezeRows(4);

        var detail = workbook.Worksheets.Add("Gradings");
        HeaderRow(detail, 1, ["Case", "Agency", "Status", "Overall grade", "Voice evident", .. view.Questions.Select(q => $"Q{q.Position}"), "Strengths", "Areas for development"]);
        row = 2;
        var caseRefs = view.Cases.ToDictionary(c => c.Id, c => c.CaseReference);
        var questionGrades = view.QuestionGrades.ToLookup(q => (q.CaseId, q.AgencyId));
        foreach (var g in view.Gradings.OrderBy(g => caseRefs.GetValueOrDefault(g.CaseId), StringComparer.Ordinal).ThenBy(g => Name(g.AgencyId)))
        {
            Excel.Text(detail.Cell(row, 1), caseRefs.GetValueOrDefault(g.CaseId, ""));
            Excel.Text(detail.Cell(row, 2), Name(g.AgencyId));
            Excel.Text(detail.Cell(row, 3), g.Status.ToDb());
            Excel.Text(detail.Cell(row, 4), g.OverallGrade?.Label() ?? "");
            Excel.Text(detail.Cell(row, 5), g.VoiceEvident is { } v ? VoiceWords(v) : "");
            var byQuestion = questionGrades[(g.CaseId, g.AgencyId)].ToDictionary(q => q.QuestionId, q => q.Grade);
            for (var i = 0; i < view.Questions.Count; i++)
                Excel.Text(detail.Cell(row, 6 + i), byQuestion.TryGetValue(view.Questions[i].Id, out var qg) ? qg.Label() : "");
            Excel.Text(detail.Cell(row, 6 + view.Questions.Count), g.Strengths);
            Excel.Text(detail.Cell(row, 7 + view.Questions.Count), g.AreasForDevelopment);
            row++;
        }
        Excel.SetWidths(detail, [16, 24, 11, 20, 14, .. view.Questions.Select(_ => 18.0), 50, 50]);

        var questions = workbook.Worksheets.Add("Questions");
        HeaderRow(questions, 1, ["#", "Question"]);
        for (var i = 0; i < view.Questions.Count; i++)
        {
            questions.Cell(i + 2, 1).SetValue(view.Questions[i].Position);
            Excel.Text(questions.Cell(i + 2, 2), view.Questions[i].Text);
        }
        Excel.SetWidths(questions, [6, 90]);

        var findings = workbook.Worksheets.Add("Findings");
        HeaderRow(findings, 1, ["Finding id", "Type", "Statement", "Agencies", "Questions"]);
        row = 2;
        foreach (var f in view.Findings)
        {
            findings.Cell(row, 1).SetValue(f.Id);
            Excel.Text(findings.Cell(row, 2), FindingWords(f.FindingType));
            Excel.Text(findings.Cell(row, 3), f.Statement);
            Excel.Text(findings.Cell(row, 4), string.Join("; ", f.AgencyIds.Select(Name)));
            Excel.Text(findings.Cell(row, 5), string.Join(", ", view.Questions.Where(q => f.QuestionIds.Contains(q.Id)).Select(q => $"Q{q.Position}")));
            row++;
        }
        Excel.SetWidths(findings, [11, 22, 90, 40, 16]);
        return new FileDownload($"audit-{auditId}-{Slug(view.Audit.Title)}.xlsx", Excel.ToBytes(workbook));
    }

    /// <summary>A cycle's heat map: agencies × standards, self-ratings and settled (moderated) ratings, with each agency's
    /// state; null when the cycle is not the viewer's to see.</summary>
    public async Task<FileDownload?> HeatMapAsync(Actor actor, int cycleId, CancellationToken ct)
    {
        var view = await cycles.CycleAsync(actor, cycleId, ct);
        if (view is null)
            return null;
        var cells = view.Cells.ToDictionary(c => (c.AgencyId, c.StandardId));
        using var workbook = new XLWorkbook();
        foreach (var (sheetName, moderated) in new[] { ("Self-ratings", false), ("Moderated ratings", true) })
        {
            var ws = workbook.Worksheets.Add(sheetName);
            Excel.Text(ws.Cell(1, 1), $"{view.Cycle.Name}: {(moderated ? "ratings as moderated (blank: not moderated yet)" : "agencies' own ratings")}").Style.Font.SetBold(true);
            HeaderRow(ws, 3, ["Agency", "Sector", "Submission", .. view.Standards.Select(s => $"{s.Code} {s.Title}")]);
            var row = 4;
            foreach (var a in view.Agencies)
            {
                Excel.Text(ws.Cell(row, 1), a.Agency);
                Excel.Text(ws.Cell(row, 2), a.Sector);
                Excel.Text(ws.Cell(row, 3), StateWords(a.State));
                for (var i = 0; i < view.Standards.Count; i++)
                {
                    if (!cells.TryGetValue((a.AgencyId, view.Standards[i].Id), out var cell))
                        continue;
                    var rating = moderated ? cell.Moderated : cell.Self;
                    if (rating is { } r)
                    {
                        var xl = Excel.Text(ws.Cell(row, 4 + i), r.Label());
                        xl.Style.Fill.SetBackgroundColor(XLColor.FromHtml(RatingFill(r)));
                    }
                }
                row++;
            }
            Excel.SetWidths(ws, [36, 14, 18, .. view.Standards.Select(_ => 14.0)]);
            ws.SheetView.FreezeRows(3);
            ws.SheetView.FreezeColumns(1);
        }
        return new FileDownload($"heat-map-{Slug(view.Cycle.Name)}.xlsx", Excel.ToBytes(workbook));
    }

    /// <summary>Every submission of a cycle in full, one row per agency × standard: rating, evidence, actions, moderation,
    /// the agency's response and the sign-off; null when the cycle is not the viewer's to see.</summary>
    public async Task<FileDownload?> SubmissionsAsync(Actor actor, int cycleId, CancellationToken ct)
    {
        var view = await cycles.CycleAsync(actor, cycleId, ct);
        if (view is null)
            return null;
        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add("Submissions");
        HeaderRow(ws, 1, ["Agency", "Version", "Signed off by", "Role", "Signed off on", "Standard", "Title", "Rating", "Evidence", "Improvement actions",
            "Moderation", "Moderated rating", "Reason", "Agency response"]);
        var row = 2;
        foreach (var a in view.Agencies.Where(a => a.SubmissionId is not null))
        {
            var submission = (await cycles.SubmissionAsync(actor, cycleId, a.AgencyId, ct)).Submitted;
            if (submission is null)
                continue;
            foreach (var r in submission.Ratings)
            {
                Excel.Text(ws.Cell(row, 1), a.Agency);
                ws.Cell(row, 2).SetValue(submission.Version);
                Excel.Text(ws.Cell(row, 3), submission.SignOffName);
                Excel.Text(ws.Cell(row, 4), submission.SignOffRole);
                Excel.Text(ws.Cell(row, 5), submission.SignedOffOn?.ToString("yyyy-MM-dd") ?? "");
                Excel.Text(ws.Cell(row, 6), r.StandardCode);
                Excel.Text(ws.Cell(row, 7), r.StandardTitle);
                Excel.Text(ws.Cell(row, 8), r.Rating?.Label() ?? "");
                Excel.Text(ws.Cell(row, 9), r.Evidence);
                Excel.Text(ws.Cell(row, 10), r.Actions);
                Excel.Text(ws.Cell(row, 11), r.Outcome switch { ModerationOutcome.Agree => "agreed", ModerationOutcome.Moderated => "moderated", _ => "" });
                Excel.Text(ws.Cell(row, 12), r.ModeratedRating?.Label() ?? "");
                Excel.Text(ws.Cell(row, 13), r.Reason);
                Excel.Text(ws.Cell(row, 14), r.AgencyResponse);
                row++;
            }
        }
        Excel.SetWidths(ws, [36, 8, 22, 22, 12, 9, 40, 12, 60, 45, 11, 14, 45, 45]);
        ws.SheetView.FreezeRows(1);
        return new FileDownload($"submissions-{Slug(view.Cycle.Name)}.xlsx", Excel.ToBytes(workbook));
    }

    public static string VoiceWords(YesPartlyNo v) => v switch { YesPartlyNo.Yes => "Yes", YesPartlyNo.Partly => "Partly", _ => "No" };

    public static string FindingWords(FindingType t) => t switch
    {
        FindingType.Strength => "Strength",
        FindingType.AreaForDevelopment => "Area for development",
        _ => "Recommendation",
    };

    public static string StateWords(SubmissionState s) => s switch
    {
        SubmissionState.SubmittedOnTime => "On time",
        SubmissionState.SubmittedLate => "Late",
        SubmissionState.Missing => "Missing",
        SubmissionState.Draft => "Draft in progress",
        _ => "Not started",
    };

    /// <summary>Fill colours for a rating: green, amber, red, pale enough for black text (WCAG AA).</summary>
    public static string RatingFill(Rating r) => r switch { Rating.Met => "#C8E6C9", Rating.PartlyMet => "#FFE0B2", _ => "#FFCDD2" };

    private async Task<Dictionary<int, string>> AgencyNamesAsync(Actor actor, CancellationToken ct) =>
        (await catalog.ListAgenciesAsync(actor, ct)).ToDictionary(a => a.Id, a => a.ShortName);

    private static void HeaderRow(IXLWorksheet ws, int row, IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++)
            Excel.Text(ws.Cell(row, i + 1), headers[i]).Style.Font.SetBold(true).Fill.SetBackgroundColor(Header);
    }

    private static string Slug(string text)
    {
        var s = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (s.Contains("--"))
            s = s.Replace("--", "-");
        s = s.Trim('-');
        return s.Length <= 40 ? s : s[..40].Trim('-');
    }
}
