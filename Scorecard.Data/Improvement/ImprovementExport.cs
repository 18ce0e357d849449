using ClosedXML.Excel;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Improvement;

/// <summary>Excel exports of the actions list, the risk register and the challenge log, in the viewer's scope.</summary>
public sealed class ImprovementExport(ActionQueries actions, RiskQueries risks, ChallengeQueries challenges)
{
    public async Task<FileDownload> ActionsAsync(Actor actor, ActionFilter filter, CancellationToken ct)
    {
        var rows = await actions.ListAsync(actor, filter, ct);
        return Build("Actions", $"actions-{actions.Today:yyyy-MM-dd}.xlsx",
            ["Id", "What will be done", "Source", "Source key", "Source title", "Owner agency", "Owner", "Start", "Due", "Status", "Overdue", "Completed on", "Last update", "Returned at moderation", "Success measure"],
            [8, 60, 26, 14, 50, 34, 24, 12, 12, 28, 10, 14, 14, 12, 16],
            rows.Select(r => new object?[]
            {
                r.Id, r.Title, r.SourceKind.Label(), r.SourceKey, r.SourceTitle, r.OwnerAgencyName, r.OwnerPerson, r.StartDate, r.DueDate,
                r.Status.Label(), r.Overdue ? "Yes" : "No", r.CompletedOn, r.LastUpdateOn, r.Returns, r.SuccessMeasureCode,
            }));
    }

    public async Task<FileDownload> RisksAsync(Actor actor, CancellationToken ct)
    {
        var rows = await risks.RegisterAsync(actor, includeClosed: true, ct);
        return Build("Risk register", $"risk-register-{risks.Today:yyyy-MM-dd}.xlsx",
            ["Id", "Title", "Cause", "Effect", "Subgroup", "Owner", "Likelihood", "Impact", "Score", "Band", "Target score", "Controls", "Review date", "Review overdue", "Escalated", "Escalated on", "Status", "Close reason", "Actions", "Open actions"],
            [8, 40, 40, 40, 24, 24, 20, 20, 8, 12, 10, 40, 14, 10, 10, 14, 10, 30, 10, 10],
            rows.Select(r => new object?[]
            {
                r.Id, r.Title, r.Cause, r.Effect, r.Subgroup.Label(), r.Owner, $"{r.Likelihood} {RiskRules.LikelihoodWord(r.Likelihood)}", $"{r.Impact} {RiskRules.ImpactWord(r.Impact)}",
                r.Score, r.Band.Label(), r.TargetScore, r.Controls, r.ReviewDate, r.ReviewOverdue ? "Yes" : "No", r.Escalated ? "Yes" : "No", r.EscalatedOn,
                r.Status == RiskStatus.Open ? "Open" : "Closed", r.CloseReason, r.Actions, r.OpenActions,
            }));
    }

    public async Task<FileDownload> ChallengesAsync(Actor actor, ChallengeFilter filter, CancellationToken ct)
    {
        var rows = await challenges.ListAsync(actor, filter, ct);
        return Build("Challenges", $"challenge-log-{challenges.Today:yyyy-MM-dd}.xlsx",
            ["Id", "Question", "About", "Subject", "To agency", "Raised by", "Raised on", "Meeting", "Due", "Status", "Overdue", "Subgroup's view", "Escalation stage", "Close reason"],
            [8, 60, 24, 50, 34, 24, 12, 12, 12, 30, 10, 22, 40, 30],
            rows.Select(r => new object?[]
            {
                r.Id, r.Question, r.SubjectKind.Label(), r.SubjectTitle, r.ToAgencyName, r.RaisedByName, r.RaisedOn, r.MeetingDate, r.DueDate,
                r.Status.Label(), r.Overdue ? "Yes" : "No", r.View?.Label(), r.Stage?.Label(), r.CloseReason,
            }));
    }

    private static FileDownload Build(string sheet, string fileName, string[] headers, double[] widths, IEnumerable<object?[]> rows)
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.AddWorksheet(sheet);
        for (var c = 0; c < headers.Length; c++)
            Excel.Text(ws.Cell(1, c + 1), headers[c]).Style.Font.Bold = true;
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                var cell = ws.Cell(r, c + 1);
                switch (row[c])
                {
                    case null:
                        break;
                    case int i:
                        cell.SetValue(i);
                        break;
                    case DateOnly d:
                        cell.SetValue(d.ToDateTime(TimeOnly.MinValue));
                        cell.Style.DateFormat.Format = "yyyy-mm-dd";
                        break;
                    default:
                        Excel.Text(cell, row[c]!.ToString());
                        break;
                }
            }
            r++;
        }
        ws.SheetView.FreezeRows(1);
        Excel.SetWidths(ws, widths);
        return new FileDownload(fileName, Excel.ToBytes(workbook));
    }
}
