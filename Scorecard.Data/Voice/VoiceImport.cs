using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;

namespace Scorecard.Data.Voice;

/// <summary>Which of the two shapes a survey tool's spreadsheet had.</summary>
public enum VoiceWorkbookShape { Results, PerRespondent }

/// <summary>An import's outcome: the questions as they would be (or were) saved, or the errors; nothing is half-saved.</summary>
public sealed record VoiceImportResult(
    bool Succeeded, string Message, IReadOnlyList<string> Errors, VoiceWorkbookShape? Shape, IReadOnlyList<VoiceQuestionInput> Questions, int Respondents, int? ActivityId);

/// <summary>
/// Imports voice results from a survey tool's spreadsheet (issue 12 §1) through the returns pipeline's safe upload checks
/// (<see cref="XlsxPackage"/>: identified by its bytes, size and entry limits, no macros, no formulas, no XXE), with a preview
/// and an all-or-nothing commit (one transaction through <see cref="VoiceCommands"/>). Two shapes, told apart by cell A1:
/// <list type="bullet">
/// <item><b>Results workbook</b> — A1 "Question key": one row per question: key, wording, scale
/// (agree_neither_disagree, yes_sometimes_no, yes_no or one_to_five), then the count for each answer in the scale's order.</item>
/// <item><b>Per-respondent sheet</b> — A1 "Respondent": row 1 the question keys, row 2 ("Question") their wordings, row 3
/// ("Scale") their scales, then one row per respondent with their answer in words ("Agree", "Sometimes", "4"); blank = not
/// answered. The rows are counted into totals in memory and never kept.</item>
/// </list>
/// </summary>
public sealed class VoiceImport(VoiceCommands commands, ReturnUploadOptions options)
{
    public const string ResultsHeader = "Question key";
    public const string RespondentHeader = "Respondent";

    public Task<VoiceImportResult> PreviewAsync(Actor actor, VoiceActivityInput details, byte[] bytes, CancellationToken ct) => RunAsync(actor, details, bytes, commit: false, ct);

    public Task<VoiceImportResult> CommitAsync(Actor actor, VoiceActivityInput details, byte[] bytes, CancellationToken ct) => RunAsync(actor, details, bytes, commit: true, ct);

    private async Task<VoiceImportResult> RunAsync(Actor actor, VoiceActivityInput details, byte[] bytes, bool commit, CancellationToken ct)
    {
        VoiceAccess.RequireEnterFor(actor, details.AgencyId);
        IReadOnlyList<(int Row, int Column, CellValue Cell)> cells;
        try
        {
            using var package = XlsxPackage.Open(bytes, options);
            cells = ReturnWorkbookReader.ReadFirstSheet(package, options);
        }
        catch (UploadRefusedException e)
        {
            return Fail(e.Message);
        }
        catch (WorkbookCellException e)
        {
            return Fail(e.Message);
        }
        catch (InvalidDataException)
        {
            return Fail("The file is damaged: part of it cannot be unpacked. Export the results from the survey tool again and upload that.");
        }

        var grid = cells.ToDictionary(c => (c.Row, c.Column), c => c.Cell);
        var a1 = Text(grid, 1, 1);
        var errors = new List<string>();
        VoiceWorkbookShape shape;
        List<VoiceQuestionInput> questions;
        int respondents;
        if (string.Equals(a1, ResultsHeader, StringComparison.OrdinalIgnoreCase))
        {
            shape = VoiceWorkbookShape.Results;
            questions = ReadResults(grid, errors);
            respondents = details.Respondents > 0 ? details.Respondents : questions.Select(q => q.Counts.Sum()).DefaultIfEmpty(0).Max();
        }
        else if (string.Equals(a1, RespondentHeader, StringComparison.OrdinalIgnoreCase))
        {
            shape = VoiceWorkbookShape.PerRespondent;
            (questions, respondents) = ReadPerRespondent(grid, errors);
        }
        else
        {
            return Fail($"Cell A1 should say \"{ResultsHeader}\" (a results workbook: one row per question) or \"{RespondentHeader}\" (one row per respondent).");
        }
        if (errors.Count == 0 && questions.Count == 0)
            errors.Add("The sheet has no questions.");
        var input = details with { Questions = questions, Respondents = respondents };
        errors.AddRange(VoiceCommands.Validate(input).Select(e => e.Message));
        if (errors.Count > 0)
            return new VoiceImportResult(false, $"Nothing was saved: {Analytics.Plural.Of(errors.Count, "problem", "problems")} to put right.", errors.Take(50).ToList(), shape, questions, respondents, null);
        if (!commit)
            return new VoiceImportResult(true, $"{Analytics.Plural.Of(questions.Count, "question", "questions")} from {respondents:N0} respondents read. Nothing has been saved yet.", [], shape, questions, respondents, null);
        var saved = await commands.CreateActivityAsync(actor, input, VoiceSource.Upload, ct);
        return saved.Succeeded
            ? new VoiceImportResult(true, $"Saved: {Analytics.Plural.Of(questions.Count, "question", "questions")} from {respondents:N0} respondents.", [], shape, questions, respondents, saved.Value)
            : new VoiceImportResult(false, "Nothing was saved.", saved.Errors.Select(e => e.Message).ToList(), shape, questions, respondents, null);
    }

    private static VoiceImportResult Fail(string message) => new(false, message, [message], null, [], 0, null);

    private static string Text(Dictionary<(int, int), CellValue> grid, int row, int column) =>
        grid.TryGetValue((row, column), out var c) ? (c.Kind == CellKind.Number ? c.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) : c.Text)?.Trim() ?? "" : "";

    private static bool TryScale(string text, out AnswerScale scale)
    {
        if (DbEnum.TryParse(text.Trim().ToLowerInvariant(), out scale))
            return true;
        var match = DbEnum.All<AnswerScale>().Where(s => string.Equals(s.Label(), text.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        scale = match.FirstOrDefault();
        return match.Count == 1;
    }

    private static List<VoiceQuestionInput> ReadResults(Dictionary<(int, int), CellValue> grid, List<string> errors)
    {
        var questions = new List<VoiceQuestionInput>();
        var lastRow = grid.Keys.Select(k => k.Item1).DefaultIfEmpty(1).Max();
        for (var row = 2; row <= lastRow; row++)
        {
            var key = Text(grid, row, 1);
            if (key.Length == 0 && Text(grid, row, 2).Length == 0)
                continue;
            var scaleText = Text(grid, row, 3);
            if (!TryScale(scaleText, out var scale))
            {
                errors.Add($"Row {row}: the scale \"{Returns.SenderText.Excerpt(scaleText, 40)}\" is not one of {string.Join(", ", DbEnum.All<AnswerScale>().Select(s => s.ToDb()))}.");
                continue;
            }
            var counts = new List<int>();
            for (var i = 0; i < scale.Width(); i++)
            {
                var column = 4 + i;
                if (!grid.TryGetValue((row, column), out var cell) || cell.Kind == CellKind.Empty)
                    counts.Add(0);
                else if (cell.Kind == CellKind.Number && cell.Number is { } n && n >= 0 && n == decimal.Truncate(n) && n <= 1_000_000)
                    counts.Add((int)n);
                else
                    errors.Add($"Row {row}: the count for \"{scale.Answers()[i]}\" (cell {cell.Address}) must be a whole number of 0 or more.");
            }
            if (grid.Keys.Any(k => k.Item1 == row && k.Item2 > 3 + scale.Width()))
                errors.Add($"Row {row}: there are more counts than the {scale.Width()} answers of the scale \"{scale.Label()}\".");
            questions.Add(new VoiceQuestionInput(key, Text(grid, row, 2), scale, counts));
        }
        return questions;
    }

    private static (List<VoiceQuestionInput> Questions, int Respondents) ReadPerRespondent(Dictionary<(int, int), CellValue> grid, List<string> errors)
    {
        if (!string.Equals(Text(grid, 2, 1), "Question", StringComparison.OrdinalIgnoreCase) || !string.Equals(Text(grid, 3, 1), "Scale", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("A per-respondent sheet has the question keys in row 1, \"Question\" and the wordings in row 2, and \"Scale\" and the scales in row 3.");
            return ([], 0);
        }
        var lastColumn = grid.Keys.Where(k => k.Item1 == 1).Select(k => k.Item2).DefaultIfEmpty(1).Max();
        var columns = new List<(int Column, string Key, string Wording, AnswerScale Scale, int[] Counts)>();
        for (var c = 2; c <= lastColumn; c++)
        {
            var key = Text(grid, 1, c);
            if (key.Length == 0)
                continue;
            if (!TryScale(Text(grid, 3, c), out var scale))
            {
                errors.Add($"Column {Returns.ReturnWorkbookReader.Address(c, 3)}: \"{Returns.SenderText.Excerpt(Text(grid, 3, c), 40)}\" is not an answer scale.");
                continue;
            }
            columns.Add((c, key, Text(grid, 2, c), scale, new int[scale.Width()]));
        }
        var lastRow = grid.Keys.Select(k => k.Item1).DefaultIfEmpty(3).Max();
        var respondents = 0;
        for (var row = 4; row <= lastRow; row++)
        {
            if (!grid.Keys.Any(k => k.Item1 == row))
                continue;
            respondents++;
            foreach (var q in columns)
            {
                var answer = Text(grid, row, q.Column);
                if (answer.Length == 0)
                    continue;
                var index = q.Scale.Answers().ToList().FindIndex(a => string.Equals(a, answer, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                    errors.Add($"Cell {Returns.ReturnWorkbookReader.Address(q.Column, row)}: \"{Returns.SenderText.Excerpt(answer, 40)}\" is not an answer of \"{q.Scale.Label()}\".");
                else
                    q.Counts[index]++;
            }
        }
        return (columns.Select(q => new VoiceQuestionInput(q.Key, q.Wording, q.Scale, q.Counts)).ToList(), respondents);
    }
}
