using System.Globalization;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Returns;

/// <summary>A checked row ready to be stored.</summary>
internal sealed record ValidatedValue(int MeasureId, decimal? Numerator, decimal? Denominator, decimal Value, string Commentary);

/// <summary>The checked rows and values, and the errors: the first <see cref="ReturnUploadOptions.MaxErrors"/> of <see cref="ErrorCount"/>.</summary>
internal sealed record ValidationOutcome(IReadOnlyList<ReturnIssue> Errors, IReadOnlyList<ReturnPreviewRow> Rows, IReadOnlyList<ValidatedValue> Values, int ErrorCount);

/// <summary>Keeps the first errors up to the limit and counts the rest, so 20,000 junk rows cost a count, not 20,000 messages.</summary>
internal sealed class ErrorList(int limit)
{
    private readonly List<ReturnIssue> kept = [];

    public IReadOnlyList<ReturnIssue> Kept => kept;
    public int Count { get; private set; }

    public void Add(ReturnIssue issue)
    {
        if (++Count <= limit)
            kept.Add(issue);
    }

    public void AddRange(IEnumerable<ReturnIssue> issues)
    {
        foreach (var issue in issues)
            Add(issue);
    }
}

/// <summary>
/// Checks a read workbook against the catalogue, cell by cell. Pure: everything it needs is in the <see cref="ReturnContext"/>.
/// Warnings (outside the SPC process limits, a large move from last quarter) do not block a preview but need commentary
/// before a commit, as DHIS2's "missing values requires comment".
/// </summary>
internal static class ReturnValidator
{
    private const string Sheet = ReturnTemplateLayout.ReturnSheet;

    /// <summary>Checks the template details: which partnership, agency, quarter and template version it was made for.</summary>
    public static List<ReturnIssue> CheckDetails(ReturnWorkbook workbook, ReturnContext context, int partnershipId, int agencyId, int periodId) =>
        ReturnUploadSteps.CheckDetails(workbook.Details, DetailsSpec, partnershipId, agencyId, periodId, context.Agency!.Name, context.Period!.Label);

    /// <summary>The data return template's hidden details: no kind (it was the first), the accepted versions.</summary>
    private static readonly TemplateDetailsSpec DetailsSpec = new(null, ReturnTemplateLayout.DetailKeys, ReturnTemplateLayout.AcceptedVersions,
        "return template", "the template for the quarter");

    public static ValidationOutcome Validate(ReturnWorkbook workbook, ReturnContext context, IReadOnlyDictionary<string, string>? typedCommentary,
        ReturnUploadOptions options, bool requireCommentary)
    {
        var errors = new ErrorList(options.MaxErrors);
        errors.AddRange(workbook.Issues);
        var readIssues = workbook.IssueCount - workbook.Issues.Count;
        var rows = new List<ReturnPreviewRow>();
        var values = new List<ValidatedValue>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        foreach (var row in workbook.Rows)
        {
            var rowErrors = new List<ReturnIssue>();
            var code = row.Code.Kind == CellKind.Text ? row.Code.Text!.Trim() : row.Code.Text ?? "";
            // A code that is not in the catalogue is the sender's text: it is shown only as a short excerpt.
            var shownCode = SenderText.Excerpt(code);
            void Error(CellValue cell, string message) => rowErrors.Add(new ReturnIssue(Sheet, cell.Address, shownCode, message));

            if (row.Code.IsEmpty)
            {
                Error(row.Code, $"Row {row.RowNumber} has figures but no measure code. Put the code back, or clear the row.");
                errors.AddRange(rowErrors);
                continue;
            }
            if (seen.TryGetValue(code, out var firstRow))
            {
                Error(row.Code, $"The measure code {shownCode} appears again (first on row {firstRow}). Each measure has one row: remove the duplicate.");
                errors.AddRange(rowErrors);
                continue;
            }
            seen[code] = row.RowNumber;
            if (row.Code.Truncated || !context.MeasuresByCode.TryGetValue(code, out var measure))
            {
                Error(row.Code, $"There is no measure with the code {shownCode}. Use the codes in the template and do not add rows.");
                errors.AddRange(rowErrors);
                continue;
            }
            if (!measure.Reported || !measure.Active)
            {
                Error(row.Code, $"{context.Agency!.Name} does not report {code}{(measure.Active ? "" : " (it is no longer in use)")}, so it cannot be in this return. Remove the row.");
                errors.AddRange(rowErrors);
                continue;
            }

            decimal? numerator = null, denominator = null, value = null;
            var countMax = options.MaxValueFor(MeasureUnit.Count);
            if (measure.IsRatio)
            {
                numerator = Number(row.Numerator, "numerator", measure.NumeratorLabel!, wholeNumber: true, MeasureUnit.Count, countMax, Error);
                denominator = Number(row.Denominator, "denominator", measure.DenominatorLabel!, wholeNumber: true, MeasureUnit.Count, countMax, Error);
                if (row.Value.Formula is { } formula && !IsTemplateRatioFormula(formula, row.RowNumber))
                    Error(row.Value, $"{row.Value.Address} holds a formula that is not the template's own. The value of a ratio is worked out from the numerator " +
                        "and denominator: download a fresh template, copy your figures in and upload that.");
                if (numerator is { } n && denominator is { } d)
                {
                    var unitMax = options.MaxValueFor(measure.Unit);
                    if (d == 0)
                        Error(row.Denominator, $"The denominator of {code} is 0, so its value cannot be worked out. Check the figures; if there were no cases, say so in the commentary and enter the numbers you have.");
                    else if (n > d && measure.Unit is MeasureUnit.Percent or MeasureUnit.RatePer10k)
                        Error(row.Numerator, $"The numerator ({n:0.##}) is greater than the denominator ({d:0.##}). The numerator counts part of the denominator, so it cannot be larger.");
                    else if (n / d * Units.Scale(measure.Unit) is var worked && worked > unitMax)
                        Error(row.Numerator, FormattableString.Invariant(
                            $"The value worked out ({n:0} ÷ {d:0}) is {worked:#,0.##}, more than Scorecard accepts for {UnitName(measure.Unit)} (at most {unitMax:#,0.##}). Check the figures."));
                    else
                        value = Math.Round(worked, measure.DecimalPlaces, MidpointRounding.AwayFromZero);
                }
            }
            else
            {
                if (row.Value.Formula is not null)
                    Error(row.Value, ReturnWorkbookReader.FormulaMessage(row.Value.Address));
                else
                    // A typed percentage over 100 has its own message below; other units are held to their maximum here.
                    value = Number(row.Value, "value", measure.Title, wholeNumber: measure.IsCount, measure.Unit,
                        measure.Unit == MeasureUnit.Percent ? decimal.MaxValue : options.MaxValueFor(measure.Unit), Error);
                if (value is { } typed && measure.Unit == MeasureUnit.Percent && typed > 100)
                {
                    Error(row.Value, $"{typed:0.##} is not a percentage: enter a number from 0 to 100.");
                    value = null;
                }
            }

            var typedText = typedCommentary?.GetValueOrDefault(measure.Code);
            var commentary = typedText is not null ? typedText.Trim() : CommentaryOf(row.Commentary);
            var commentaryLength = typedText is null && row.Commentary.Truncated ? row.Commentary.TextLength : commentary.Length;
            if (commentaryLength > options.MaxCommentaryLength)
            {
                Error(row.Commentary, $"The commentary is {commentaryLength:N0} characters long; the most is {options.MaxCommentaryLength:N0}. Shorten it.");
                // Refused text is never sent back whole: the preview shows the start of it, clearly cut.
                commentary = SenderText.Excerpt(commentary);
            }

            var warnings = value is { } newValue ? Warnings(measure, newValue, context, options) : [];
            if (requireCommentary && warnings.Count > 0 && commentary.Length == 0)
                Error(row.Commentary, $"{code} has a warning ({warnings[0]}). Add commentary explaining it before you submit.");

            rows.Add(new ReturnPreviewRow(measure.Code, measure.Title, measure.Unit, row.RowNumber, numerator, denominator, value,
                context.CurrentValues.GetValueOrDefault(measure.Id), context.PreviousValues.GetValueOrDefault(measure.Id),
                commentary, warnings, rowErrors));
            errors.AddRange(rowErrors);
            if (rowErrors.Count == 0 && value is { } accepted)
                values.Add(new ValidatedValue(measure.Id, numerator, denominator, accepted, commentary));
        }

        foreach (var missing in context.ReportedMeasures.Where(m => !seen.ContainsKey(m.Code)))
        {
            var issue = new ReturnIssue(Sheet, "", missing.Code, $"The row for {missing.Code} is missing. Every measure {context.Agency!.Name} reports needs a value: download a fresh template if rows were deleted.");
            errors.Add(issue);
            rows.Add(new ReturnPreviewRow(missing.Code, missing.Title, missing.Unit, null, null, null, null,
                context.CurrentValues.GetValueOrDefault(missing.Id), context.PreviousValues.GetValueOrDefault(missing.Id), "", [], [issue]));
        }
        return new ValidationOutcome(errors.Kept, rows, values, errors.Count + readIssues);
    }

    private static string CommentaryOf(CellValue cell) => cell.Kind switch
    {
        CellKind.Text or CellKind.Number or CellKind.Boolean => (cell.Text ?? "").Trim(),
        _ => "",
    };

    /// <summary>Reads a number from a cell, or records why it cannot and returns null.</summary>
    private static decimal? Number(CellValue cell, string what, string label, bool wholeNumber, MeasureUnit unit, decimal max, Action<CellValue, string> error)
    {
        decimal number;
        switch (cell.Kind)
        {
            case CellKind.Empty:
                error(cell, $"Required value missing: enter the {what} ({label}). If there were none, enter 0.");
                return null;
            case CellKind.FormulaWithoutValue:
                error(cell, "The cell has a formula but no saved result. Open the file in Excel so it calculates, save it and upload again, or type the number.");
                return null;
            case CellKind.Error:
                error(cell, $"The cell shows the Excel error {cell.Text}. Enter a number instead.");
                return null;
            case CellKind.Number when cell.IsDate:
                error(cell, $"The {what} is formatted as a date, so Excel saved it as a date's serial number ({SenderText.Excerpt(cell.Text, 20)}), not the figure typed. " +
                    "Set the cell's format to General or Number, type the figure and save again.");
                return null;
            case CellKind.Number when cell.Number is null:
                error(cell, FormattableString.Invariant(
                    $"The {what} {SenderText.Excerpt(cell.Text, 40)} is larger than Scorecard accepts for {UnitName(unit)} (at most {max:#,0.##}). Check the figure."));
                return null;
            case CellKind.Number:
                number = cell.Number!.Value;
                break;
            default:
                if (cell.IsEmpty)
                    goto case CellKind.Empty;
                if (cell.Truncated || !decimal.TryParse(cell.Text!.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
                {
                    error(cell, $"\"{SenderText.Excerpt(cell.Text!, 40)}\" is not a number. Enter the {what} as a number only, without words or symbols.");
                    return null;
                }
                break;
        }
        if (number < 0)
        {
            error(cell, $"The {what} cannot be negative ({number:0.##}). Enter 0 or more.");
            return null;
        }
        if (number > max)
        {
            error(cell, FormattableString.Invariant(
                $"The {what} {number:0.##} is larger than Scorecard accepts for {UnitName(unit)} (at most {max:#,0.##}). Check the figure."));
            return null;
        }
        if (wholeNumber && number != decimal.Truncate(number))
        {
            error(cell, $"The {what} is a count, so it must be a whole number, not {number:0.####}.");
            return null;
        }
        return number;
    }

    private static string UnitName(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Count => "a count",
        MeasureUnit.Percent => "a percentage",
        MeasureUnit.RatePer10k => "a rate per 10,000",
        MeasureUnit.Days => "a number of days",
        MeasureUnit.Score => "a score",
        _ => "this measure",
    };

    /// <summary>
    /// The template's own value formula for a ratio row (see <see cref="ReturnTemplateService"/>), as Excel saves it back:
    /// nothing else (no other function, reference, file or program) may sit in a ratio's value cell.
    /// </summary>
    private static bool IsTemplateRatioFormula(string formula, int row)
    {
        var f = formula.Replace(" ", "", StringComparison.Ordinal).TrimStart('=');
        var r = row.ToString(CultureInfo.InvariantCulture);
        return f.StartsWith($"IF(AND(ISNUMBER(D{r}),ISNUMBER(E{r}),E{r}>0),ROUND(D{r}/E{r}*", StringComparison.OrdinalIgnoreCase)
            && System.Text.RegularExpressions.Regex.IsMatch(f[$"IF(AND(ISNUMBER(D{r}),ISNUMBER(E{r}),E{r}>0),ROUND(D{r}/E{r}*".Length..], "^[0-9.]{1,12},[0-9]{1,2}\\),\"\"\\)$");
    }

    internal static List<string> Warnings(ReturnMeasure measure, decimal value, ReturnContext context, ReturnUploadOptions options)
    {
        var warnings = new List<string>();
        if (context.PastValues.TryGetValue(measure.Id, out var past) && past.Count >= 2)
        {
            var last = Spc.Analyse(past, new SpcOptions(measure.Polarity.ToDirection())).Points[^1];
            var v = (double)value;
            if (last.UpperLimit is { } upper && last.LowerLimit is { } lower && (v > upper || v < lower))
                warnings.Add(FormattableString.Invariant(
                    $"{value:0.##} is outside this measure's usual range (process limits {Math.Max(0, lower):0.#} to {upper:0.#} over {past.Count} quarters)"));
        }
        if (context.PreviousValues.GetValueOrDefault(measure.Id) is { } previous && previous != 0)
        {
            // In double, so no pair of values can overflow (a decimal divided by a tiny previous value can).
            var change = ((double)value - (double)previous) / Math.Abs((double)previous) * 100d;
            if (Math.Abs(change) > (double)options.ChangeWarningPercent)
                warnings.Add(FormattableString.Invariant(
                    $"{value:0.##} is {(change > 0 ? "up" : "down")} {Math.Abs(change):#,0}% on last quarter's {previous:0.##} (more than {options.ChangeWarningPercent:0}%)"));
        }
        return warnings;
    }
}
