using Bunit;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Web.Components.Pages.Returns;

namespace Scorecard.Tests.Components;

public sealed class ReturnResultViewTests : ComponentTestBase
{
    [Fact]
    public void AnInvalidReturnListsEachErrorWithSheetCellCodeAndMessage()
    {
        var result = new ReturnImportResult(ReturnImportStatus.Invalid, "The return has 2 errors to put right.",
            [
                new ReturnIssue("Return", "F7", "POL-ARRESTS", "\"abc\" is not a number."),
                new ReturnIssue("Scorecard", "B1", "", "This template is version 0, which is no longer accepted."),
            ], []);

        var cut = Render<ReturnResultView>(p => p.Add(x => x.Result, result).Add(x => x.FileName, "q2.xlsx"));

        Assert.Contains("q2.xlsx was not saved.", cut.Find("[role=alert]").TextContent);
        var rows = cut.FindAll("[aria-label='Errors in the return'] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Return", "F7", "POL-ARRESTS", "\"abc\" is not a number."], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["Scorecard", "B1", "—", "This template is version 0, which is no longer accepted."], rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void APreviewShowsOldAndNewValuesWarningsInPlaceAndRequiresCommentaryForWarnedRows()
    {
        var result = new ReturnImportResult(ReturnImportStatus.Previewed, "1 of 2 values differ.", [],
            [
                new ReturnPreviewRow("POL-ARRESTS", "Arrests of children", MeasureUnit.Count, 6, null, null, 50_000m, 40m, 38m, "",
                    ["50000 is outside this measure's usual range (process limits 20 to 60 over 21 quarters)"], []),
                new ReturnPreviewRow("POL-STRAT", "Strategy meetings with police", MeasureUnit.Percent, 7, 93, 100, 93m, 93m, 92m, "Steady", [], []),
            ]);
        var commentary = new Dictionary<string, string> { ["POL-ARRESTS"] = "", ["POL-STRAT"] = "Steady" };
        var confirmed = 0;

        var cut = Render<ReturnResultView>(p => p.Add(x => x.Result, result).Add(x => x.Commentary, commentary)
            .Add(x => x.ShowCommentaryErrors, true).Add(x => x.OnConfirm, () => confirmed++));

        var rows = cut.FindAll("[aria-label='Preview of the return'] tbody tr");
        Assert.Equal(2, rows.Count);
        var cells = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["POL-ARRESTS", "Arrests of children", "38", "40", "50,000"], cells.Take(5));
        Assert.Contains("Warning: 50000 is outside this measure's usual range", cells[5]);
        Assert.Contains("Explain the warning before you submit.", rows[0].TextContent);
        Assert.Contains("93 / 100", rows[1].TextContent);
        Assert.DoesNotContain("Explain the warning", rows[1].TextContent);
        Assert.Contains("1 value has a warning", cut.Find("[role=status]").TextContent);

        cut.FindAll("button").Single(b => b.TextContent.Contains("Confirm and submit")).Click();
        Assert.Equal(1, confirmed);
    }
}
