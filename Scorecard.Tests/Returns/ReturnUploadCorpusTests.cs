using ClosedXML.Excel;
using Dapper;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Tests.Infrastructure;
using static Scorecard.Tests.Returns.ReturnFiles;

namespace Scorecard.Tests.Returns;

/// <summary>Every bad file and every validation rule: each is refused with its exact message and nothing is written.</summary>
public sealed partial class ReturnUploadCorpusTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ReturnImportService Imports => new(db.DataSource, new ReturnUploadOptions());

    private async Task<(Setup Setup, byte[] Template)> TemplateAsync()
    {
        var setup = await SetupAsync(db.DataSource);
        return (setup, await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PeriodId));
    }

    /// <summary>Commits the file as the police user and asserts it was refused with nothing written; returns the result.</summary>
    private async Task<ReturnImportResult> RefusedAsync(byte[] bytes, ReturnImportStatus expected, int? agencyId = null, int? periodId = null, string fileName = "return.xlsx")
    {
        var setup = await SetupAsync(db.DataSource);
        var returnsBefore = await Actors.CountAsync(db.DataSource, "data_return");
        var valuesBefore = await Actors.CountAsync(db.DataSource, "measure_value");
        var logBefore = await Actors.CountAsync(db.DataSource, "change_log");

        var result = await Imports.CommitAsync(setup.Police, new ReturnUpload(agencyId ?? setup.PoliceId, periodId ?? setup.PeriodId, fileName, bytes));

        Assert.Equal(expected, result.Status);
        Assert.NotEmpty(result.Errors);
        Assert.Null(result.Version);
        Assert.Equal(returnsBefore, await Actors.CountAsync(db.DataSource, "data_return"));
        Assert.Equal(valuesBefore, await Actors.CountAsync(db.DataSource, "measure_value"));
        Assert.Equal(logBefore, await Actors.CountAsync(db.DataSource, "change_log"));
        return result;
    }

    private static void AssertOnlyError(ReturnImportResult result, string messageStart)
    {
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(messageStart, error.Message);
    }

    private static ReturnIssue AssertCellError(ReturnImportResult result, string cell, string code, string messageStart)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(ReturnTemplateLayout.ReturnSheet, error.Sheet);
        Assert.Equal(cell, error.Cell);
        Assert.Equal(code, error.MeasureCode);
        Assert.StartsWith(messageStart, error.Message);
        return error;
    }

    [Fact]
    public async Task AnEmptyFileIsRefused() =>
        AssertOnlyError(await RefusedAsync([], ReturnImportStatus.Refused), "The file is empty.");

    [Fact]
    public async Task AFileOverTheSizeLimitIsRefusedAsTooLarge()
    {
        var result = await RefusedAsync(new byte[5 * 1024 * 1024 + 1], ReturnImportStatus.TooLarge);
        // 5 MB and one byte reads "5 MB": the message says "larger than" rather than a size equal to the limit.
        AssertOnlyError(result, "The file is larger than 5 MB, the most Scorecard accepts.");
    }

    [Fact]
    public async Task AZipBombIsRefusedFromItsCentralDirectoryBeforeInflating()
    {
        var bomb = ZipBomb(200);
        Assert.True(bomb.Length < 1024 * 1024, "the bomb itself is small");
        AssertOnlyError(await RefusedAsync(bomb, ReturnImportStatus.Refused), "The file unpacks to more than 64 MB, far more than any return (it may be a \"zip bomb\").");
    }

    [Fact]
    public async Task AZipWhoseHeadersUnderstateAnEntrysSizeIsRefusedWhileInflating()
    {
        var (_, template) = await TemplateAsync();
        var lying = LyingSizes(Fill(template), "xl/sharedStrings.xml");
        // Inflation stops at the declared size (System.IO.Compression and the reader's own bounded stream both hold to it),
        // so the understated part arrives cut short and is refused as damaged instead of inflating without bound.
        AssertOnlyError(await RefusedAsync(lying, ReturnImportStatus.Refused), "The part xl/sharedStrings.xml of the file is not well-formed XML, so the file is damaged.");
    }

    [Fact]
    public async Task ARenamedProgramIsRefused() =>
        AssertOnlyError(await RefusedAsync(RenamedExe(), ReturnImportStatus.Refused, fileName: "return.xlsx"), "This file is a program, not a spreadsheet.");

    [Fact]
    public async Task AMacroEnabledWorkbookIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var xlsm = ReplacePart(Fill(template), "[Content_Types].xml",
            xml => xml.Replace(XlsxPackage.WorkbookContentType, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"));
        AssertOnlyError(await RefusedAsync(xlsm, ReturnImportStatus.Refused), "This is a macro-enabled workbook (.xlsm).");
    }

    [Fact]
    public async Task ALegacyXlsFileIsRefused() =>
        AssertOnlyError(await RefusedAsync(CompoundFile("Workbook", "\u0005SummaryInformation"), ReturnImportStatus.Refused, fileName: "return.xls"),
            "This is an old Excel 97–2003 (.xls) file.");

    [Fact]
    public async Task AnEncryptedWorkbookIsRefusedAsPasswordProtected() =>
        AssertOnlyError(await RefusedAsync(CompoundFile("EncryptionInfo", "EncryptedPackage", "\u0006DataSpaces"), ReturnImportStatus.Refused),
            "The file is password-protected (encrypted), so Scorecard cannot read it.");

    [Fact]
    public async Task ACsvFileRenamedXlsxIsRefused() =>
        AssertOnlyError(await RefusedAsync(Csv(), ReturnImportStatus.Refused), "This is a text or CSV file, not an Excel workbook.");

    [Fact]
    public async Task AnExternalEntityInSharedStringsIsRefusedWithoutBeingResolved()
    {
        var (_, template) = await TemplateAsync();
        var xxe = ReplacePart(Fill(template), "xl/sharedStrings.xml", xml =>
        {
            var body = xml[System.Text.RegularExpressions.Regex.Match(xml, "<(x:)?sst").Index..];
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" +
                body.Replace("Checked by the test", "&xxe;", StringComparison.Ordinal);
        });
        var result = await RefusedAsync(xxe, ReturnImportStatus.Refused);
        AssertOnlyError(result, "The part xl/sharedStrings.xml of the file contains a document type declaration (DTD), which Scorecard refuses for safety");
        Assert.DoesNotContain("root:", result.Errors[0].Message);
    }

    [Fact]
    public async Task ASheetClaimingAMillionRowsIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var filled = Fill(template);
        var part = SheetPart(filled, ReturnTemplateLayout.ReturnSheet);
        var huge = ReplacePart(filled, part, xml => System.Text.RegularExpressions.Regex.Replace(xml, "<(x:)?dimension ref=\"[^\"]+\"", "<$1dimension ref=\"A1:XFD1048576\""));
        AssertOnlyError(await RefusedAsync(huge, ReturnImportStatus.Refused), "The sheet says it uses 1,048,576 rows; a return has at most 20,000.");
    }

    [Fact]
    public async Task AWorkbookWithoutTheReturnSheetIsRefused()
    {
        using var workbook = new XLWorkbook();
        workbook.Worksheets.Add("Sheet1").Cell(1, 1).Value = "Our figures";
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        AssertOnlyError(await RefusedAsync(stream.ToArray(), ReturnImportStatus.Refused), "The workbook has no sheet called \"Return\"");
    }

    [Fact]
    public async Task AFormulaInAnInputCellIsACellErrorWithOrWithoutACachedValue()
    {
        var (_, template) = await TemplateAsync();
        var row = 0;
        var bytes = Fill(template, ws =>
        {
            row = FirstCountRow(ws);
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).FormulaA1 = "SUM(1,2)";
        });
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", CodeAt(bytes, _ => row), $"F{row} holds a formula. Type the figure or text itself");
    }

    [Fact]
    public async Task A32kCharacterCellIsRefusedAsTooLongCommentary()
    {
        var (_, template) = await TemplateAsync();
        var bytes = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CommentaryColumn).Value = new string('x', 32_767));
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"G{FirstRow}", CodeAt(bytes, _ => FirstRow), "The commentary is 32,767 characters long; the most is 2,000.");
    }

    [Theory]
    [InlineData("abc", "\"abc\" is not a number.")]
    [InlineData("-3", "The value cannot be negative (-3).")]
    [InlineData("2.5", "The value is a count, so it must be a whole number, not 2.5.")]
    [InlineData("", "Required value missing: enter the value")]
    public async Task ABadTypedValueIsACellErrorWithItsCodeAndAddress(string typed, string message)
    {
        var (_, template) = await TemplateAsync();
        var row = 0;
        var bytes = Fill(template, ws =>
        {
            row = FirstCountRow(ws);
            var cell = ws.Cell(row, ReturnTemplateLayout.ValueColumn);
            if (typed.Length == 0)
                cell.Clear(XLClearOptions.Contents);
            else if (decimal.TryParse(typed, System.Globalization.CultureInfo.InvariantCulture, out var number))
                cell.Value = number;
            else
                cell.Value = typed;
        });
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"F{row}", CodeAt(bytes, _ => row), message);
    }

    [Fact]
    public async Task ANumeratorGreaterThanItsDenominatorIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var row = 0;
        var bytes = Fill(template, ws =>
        {
            row = FirstRatioRow(ws);
            ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 120;
            ws.Cell(row, ReturnTemplateLayout.DenominatorColumn).Value = 100;
        });
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"D{row}", CodeAt(bytes, _ => row), "The numerator (120) is greater than the denominator (100).");
    }

    [Fact]
    public async Task ADecimalNumeratorIsACellError()
    {
        var (_, template) = await TemplateAsync();
        var row = 0;
        var bytes = Fill(template, ws =>
        {
            row = FirstRatioRow(ws);
            ws.Cell(row, ReturnTemplateLayout.NumeratorColumn).Value = 10.5;
        });
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        AssertCellError(result, $"D{row}", CodeAt(bytes, _ => row), "The numerator is a count, so it must be a whole number, not 10.5.");
    }

    [Fact]
    public async Task AnUnknownCodeIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var original = CodeAt(template, _ => FirstRow);
        var bytes = Fill(template, ws => ws.Cell(FirstRow, ReturnTemplateLayout.CodeColumn).Value = "NO-SUCH-CODE");
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Cell == $"A{FirstRow}" && e.MeasureCode == "NO-SUCH-CODE" && e.Message.StartsWith("There is no measure with the code NO-SUCH-CODE."));
        Assert.Contains(result.Errors, e => e.MeasureCode == original && e.Message.StartsWith($"The row for {original} is missing."));
    }

    [Fact]
    public async Task ADuplicatedCodeIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var first = CodeAt(template, _ => FirstRow);
        var second = CodeAt(template, _ => FirstRow + 1);
        var bytes = Fill(template, ws => ws.Cell(FirstRow + 1, ReturnTemplateLayout.CodeColumn).Value = first);
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        Assert.Contains(result.Errors, e => e.Cell == $"A{FirstRow + 1}" && e.MeasureCode == first
            && e.Message == $"The measure code {first} appears again (first on row {FirstRow}). Each measure has one row: remove the duplicate.");
        Assert.Contains(result.Errors, e => e.MeasureCode == second && e.Message.StartsWith($"The row for {second} is missing."));
    }

    [Fact]
    public async Task AMeasureTheAgencyDoesNotReportIsRefused()
    {
        var (setup, template) = await TemplateAsync();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var otherCode = await conn.QueryFirstAsync<string>("""
            select m.code from measure m where m.active and not exists (
                select 1 from measure_reporter r where r.partnership_id = m.partnership_id and r.measure_id = m.id and r.agency_id = @PoliceId)
            order by m.code
            """, new { setup.PoliceId });
        var bytes = Fill(template, ws =>
        {
            var row = DataRows(ws).Last() + 1;
            ws.Cell(row, ReturnTemplateLayout.CodeColumn).Value = otherCode;
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 5;
        });
        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(otherCode, error.MeasureCode);
        Assert.Equal($"Cheshire Constabulary does not report {otherCode}, so it cannot be in this return. Remove the row.", error.Message);
    }

    [Fact]
    public async Task ATypedPercentageOver100IsRefused()
    {
        var setup = await SetupAsync(db.DataSource);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                with m as (
                    insert into measure (partnership_id, code, title, definition, unit, polarity, priority_id, owner_agency_id, sort_order)
                    select partnership_id, 'POL-TYPED-PCT', 'A typed percentage', 'Typed directly, not a ratio.', 'percent', 'neutral',
                           (select id from priority order by id limit 1), @PoliceId, 999
                    from agency where id = @PoliceId
                    returning partnership_id, id)
                insert into measure_reporter (partnership_id, measure_id, agency_id) select partnership_id, id, @PoliceId from m
                """, new { setup.PoliceId });
        }
        try
        {
            var template = await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PeriodId);
            var row = 0;
            var bytes = Fill(template, ws =>
            {
                row = DataRows(ws).Single(r => ws.Cell(r, 1).GetString() == "POL-TYPED-PCT");
                ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 104.5;
            });
            var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
            AssertCellError(result, $"F{row}", "POL-TYPED-PCT", "104.5 is not a percentage: enter a number from 0 to 100.");
        }
        finally
        {
            await using var conn = await db.DataSource.OpenConnectionAsync();
            await conn.ExecuteAsync("delete from measure where code = 'POL-TYPED-PCT'");
        }
    }

    [Fact]
    public async Task AnotherAgencysTemplateIsRefusedAsTheWrongAgency()
    {
        var setup = await SetupAsync(db.DataSource);
        var schoolTemplate = await ReturnFiles.TemplateAsync(db.DataSource, setup.School, setup.SchoolId, setup.PeriodId);
        var result = await RefusedAsync(Fill(schoolTemplate), ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.DetailsSheet, "B3"), (error.Sheet, error.Cell));
        Assert.StartsWith("This template was made for another agency, not Cheshire Constabulary.", error.Message);
    }

    [Fact]
    public async Task AnotherQuartersTemplateIsRefusedAsTheWrongQuarter()
    {
        var setup = await SetupAsync(db.DataSource);
        var previous = await ReturnFiles.TemplateAsync(db.DataSource, setup.Police, setup.PoliceId, setup.PreviousPeriodId);
        var result = await RefusedAsync(Fill(previous), ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.DetailsSheet, "B4"), (error.Sheet, error.Cell));
        Assert.Equal("This template is for a different quarter, not 2025/26 Q2. Download the template for 2025/26 Q2, or choose the template's quarter when you upload.", error.Message);
    }

    [Fact]
    public async Task AClosedQuarterRefusesReturns()
    {
        var (setup, template) = await TemplateAsync();
        var periods = new PeriodCommands(db.DataSource);
        var period = (await new CatalogQueries(db.DataSource).ListPeriodsAsync(setup.Admin)).Single(p => p.Id == setup.PeriodId);
        Assert.True((await periods.UpdateAsync(setup.Admin, period.Id, period.DueDate, isOpen: false)).Succeeded);
        try
        {
            AssertOnlyError(await RefusedAsync(Fill(template), ReturnImportStatus.Invalid), "2025/26 Q2 is closed for returns.");
        }
        finally
        {
            await periods.UpdateAsync(setup.Admin, period.Id, period.DueDate, isOpen: true);
        }
    }

    [Fact]
    public async Task AStaleTemplateVersionIsRefused()
    {
        var (_, template) = await TemplateAsync();
        var stale = EditDetails(Fill(template), "template_version", 0);
        var result = await RefusedAsync(stale, ReturnImportStatus.Invalid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReturnTemplateLayout.DetailsSheet, "B1"), (error.Sheet, error.Cell));
        Assert.Equal("This template is version 0, which is no longer accepted. Download a fresh template for 2025/26 Q2, copy your figures into it and upload that.", error.Message);
    }

    [Fact]
    public async Task AWorkbookWithoutTemplateDetailsIsRefused()
    {
        var (_, template) = await TemplateAsync();
        using var workbook = new XLWorkbook(new MemoryStream(Fill(template)));
        workbook.Worksheet(ReturnTemplateLayout.DetailsSheet).Delete();
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        AssertOnlyError(await RefusedAsync(stream.ToArray(), ReturnImportStatus.Invalid), "This workbook is not a Scorecard return template");
    }

    [Fact]
    public async Task AWarnedValueWithoutCommentaryBlocksTheCommitButNotThePreview()
    {
        var (setup, template) = await TemplateAsync();
        var row = 0;
        var bytes = Fill(template, ws =>
        {
            row = FirstCountRow(ws);
            ws.Cell(row, ReturnTemplateLayout.ValueColumn).Value = 50_000;
            ws.Cell(row, ReturnTemplateLayout.CommentaryColumn).Clear(XLClearOptions.Contents);
        });
        var code = CodeAt(bytes, _ => row);

        var preview = await Imports.PreviewAsync(setup.Police, new ReturnUpload(setup.PoliceId, setup.PeriodId, "r.xlsx", bytes));
        Assert.Equal(ReturnImportStatus.Previewed, preview.Status);
        var warned = preview.Rows.Single(r => r.MeasureCode == code);
        Assert.Contains(warned.Warnings, w => w.Contains("outside this measure's usual range"));
        Assert.Contains(warned.Warnings, w => w.Contains("on last quarter's"));

        var result = await RefusedAsync(bytes, ReturnImportStatus.Invalid);
        var error = AssertCellError(result, $"G{row}", code, $"{code} has a warning (50000 is outside this measure's usual range");
        Assert.EndsWith("Add commentary explaining it before you submit.", error.Message);
    }
}
