using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Dapper;
using Microsoft.Playwright;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Tests.Browser;
using Scorecard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scorecard.Tests.Assurance;

/// <summary>The three journeys of issue 11 in real Chromium against the real app on the demo partnership.</summary>
[Collection("browser")]
public sealed class AssuranceJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, name);

    [Fact]
    public async Task ASchoolFillsAndUploadsItsSection175WorkbookAndSeesItInTheCycle()
    {
        var data = fixture.App.DataSource;
        var school = await Actors.ForAsync(data, Actors.SchoolEmail);
        int cycleId;
        await using (var conn = await data.OpenConnectionAsync())
            cycleId = await conn.ExecuteScalarAsync<int>("select id from assessment_cycle where partnership_id = @PartnershipId and name = 'Section 175/157 2025/26'", new { school.PartnershipId });

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Actors.SchoolEmail);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Self-assessment" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Section 175/157 2025/26" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/assurance/cycles/{cycleId}$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Your self-assessment" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/assurance/cycles/{cycleId}/agencies/{school.AgencyId}$"));
        await BrowserFixture.WaitForCircuitAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download workbook" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"s175-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);

        // Fill it as a school does: every standard rated, the last one not met, evidence, and the sign-off.
        string lastCode;
        using (var workbook = new XLWorkbook(path))
        {
            var ws = workbook.Worksheet(SelfAssessmentWorkbookLayout.Sheet);
            var row = SelfAssessmentWorkbookLayout.FirstDataRow;
            lastCode = "";
            while (ws.Cell(row, 1).GetString() is { Length: > 0 } code && !code.StartsWith("Signed", StringComparison.Ordinal))
            {
                ws.Cell(row, SelfAssessmentWorkbookLayout.RatingColumn).Value = "Met";
                ws.Cell(row, SelfAssessmentWorkbookLayout.EvidenceColumn).Value = $"Evidence for {code}: the 2026 audit of our records.";
                lastCode = code;
                row++;
            }
            ws.Cell(row - 1, SelfAssessmentWorkbookLayout.RatingColumn).Value = "Not met";
            var labelRow = ws.Column(1).CellsUsed().First(c => c.GetString() == SelfAssessmentWorkbookLayout.SignOffNameLabel).Address.RowNumber;
            ws.Cell(labelRow, 2).Value = "Dana Head";
            ws.Cell(labelRow + 1, 2).Value = "Headteacher";
            ws.Cell(labelRow + 2, 2).Value = "27/11/2026";
            workbook.Save();
        }

        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Upload filled-in workbook" }).ClickAsync());
        await chooser.SetFilesAsync(path);
        var result = page.GetByTestId("workbook-result");
        await Expect(result).ToContainTextAsync("Saving will submit it as your self-assessment, signed off");
        await page.ScreenshotAsync(new() { Path = Shot("assurance-workbook-preview.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the workbook" }).ClickAsync();
        await Expect(result).ToContainTextAsync("signed off by Dana Head");
        await Expect(page.GetByTestId("submission-state")).ToContainTextAsync("signed off by Dana Head (Headteacher)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Section 175/157 2025/26" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/assurance/cycles/{cycleId}$"));
        await Expect(page.GetByTestId($"heat-{school.AgencyId}-{lastCode}")).ToHaveTextAsync("Not met");
        await page.ScreenshotAsync(new() { Path = Shot("assurance-cycle-school.png") });

        await using var check = await data.OpenConnectionAsync();
        var source = await check.ExecuteScalarAsync<string>(
            "select source from self_assessment where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id = @AgencyId and status = 'submitted'",
            new { school.PartnershipId, cycleId, school.AgencyId });
        Assert.Equal("upload", source);
    }

    [Fact]
    public async Task AQaMemberModeratesASection11SubmissionAndTheAgencySeesTheChallenge()
    {
        var data = fixture.App.DataSource;
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        int cycleId;
        string code;
        await using (var conn = await data.OpenConnectionAsync())
        {
            cycleId = await conn.ExecuteScalarAsync<int>("select id from assessment_cycle where partnership_id = @PartnershipId and name = 'Section 11 2025'", new { police.PartnershipId });
            code = await conn.ExecuteScalarAsync<string>("""
                select st.code from self_assessment s join self_assessment_rating r on r.partnership_id = s.partnership_id and r.submission_id = s.id
                join framework_standard st on st.partnership_id = r.partnership_id and st.id = r.standard_id
                where s.partnership_id = @PartnershipId and s.cycle_id = @cycleId and s.agency_id = @AgencyId and s.status = 'submitted' and r.rating = 'met'
                order by st.position limit 1
                """, new { police.PartnershipId, cycleId, police.AgencyId }) ?? throw new InvalidOperationException("The demo police submission has no standard rated met.");
        }

        string shortName;
        await using (var conn = await data.OpenConnectionAsync())
            shortName = await conn.ExecuteScalarAsync<string>("select short_name from agency where partnership_id = @PartnershipId and id = @AgencyId", new { police.PartnershipId, police.AgencyId }) ?? "";
        var qa = await fixture.OpenAsync(Actors.QaEmail, $"/assurance/cycles/{cycleId}");
        await qa.GetByLabel("Find an agency").FillAsync(shortName);
        await qa.GetByRole(AriaRole.Region, new() { Name = "Agencies' own ratings, by agency and standard, scrollable" }).GetByRole(AriaRole.Link, new() { Name = shortName, Exact = true }).ClickAsync();
        await Expect(qa).ToHaveURLAsync(new Regex($"/assurance/cycles/{cycleId}/agencies/{police.AgencyId}$"));
        await BrowserFixture.WaitForCircuitAsync(qa);
        var row = qa.GetByTestId($"moderation-{code}");
        await row.GetByLabel($"Moderated rating for {code}").ClickAsync();
        await qa.GetByRole(AriaRole.Option, new() { Name = "Partly met" }).ClickAsync();
        await row.GetByLabel($"Reason for {code}").FillAsync("Staff we spoke to did not know the escalation route.");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Moderate {code}" }).ClickAsync();
        await Expect(qa.GetByTestId($"moderation-{code}")).ToContainTextAsync("Moderated to Partly met: Staff we spoke to did not know the escalation route.");
        await qa.ScreenshotAsync(new() { Path = Shot("assurance-moderation-qa.png"), FullPage = true });

        var agency = await fixture.OpenAsync(Actors.PoliceEmail, $"/assurance/cycles/{cycleId}/agencies/{police.AgencyId}");
        var seen = agency.GetByTestId($"moderation-{code}");
        await Expect(seen).ToContainTextAsync("Moderated to Partly met: Staff we spoke to did not know the escalation route.");
        await seen.GetByLabel($"Your response on {code}").FillAsync("Briefings on escalation go to every team in January.");
        await seen.GetByRole(AriaRole.Button, new() { Name = "Respond" }).ClickAsync();
        await Expect(agency.GetByTestId($"moderation-{code}")).ToContainTextAsync("Briefings on escalation go to every team in January.");
        await agency.ScreenshotAsync(new() { Path = Shot("assurance-moderation-agency.png"), FullPage = true });

        // The police user may not open another agency's submission (an edited id).
        int council;
        await using (var conn = await data.OpenConnectionAsync())
            council = await conn.ExecuteScalarAsync<int>("select agency_id from cycle_agency where partnership_id = @PartnershipId and cycle_id = @cycleId and agency_id <> @AgencyId limit 1",
                new { police.PartnershipId, cycleId, police.AgencyId });
        await agency.GotoAsync($"/assurance/cycles/{cycleId}/agencies/{council}");
        await Expect(agency.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnAgencyUserGradesItsPartOfACaseAudit()
    {
        var data = fixture.App.DataSource;
        var qaActor = await Actors.ForAsync(data, Actors.QaEmail);
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        var council = await Actors.AgencyIdAsync(data, "Cheshire East Council");
        var commands = new AuditCommands(data);
        var auditId = (await commands.CreateAuditAsync(qaActor, new NewAudit("Journey audit: neglect and the child's voice", AuditType.MultiAgencyCase, "Neglect", null,
            council, "Jo Lead", 2026, 3, null, null, null, ["Was the child seen and their wishes recorded?", "Was the plan outcome-focused?"]), CancellationToken.None)).Value;
        var caseId = (await commands.AddCaseAsync(qaActor, auditId, "JRN26-01", [police.AgencyId!.Value, council], CancellationToken.None)).Value;
        await commands.SetStatusAsync(qaActor, auditId, AuditStatus.Fieldwork, CancellationToken.None);

        var page = await fixture.OpenAsync(Actors.PoliceEmail, "/assurance/audits");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Financial year" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "2026/27" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Journey audit: neglect and the child's voice" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/assurance/audits/{auditId}$"));
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId($"cell-JRN26-01-{police.AgencyId}")).ToHaveTextAsync("to grade");
        // The editing forms are the QA subgroup's: an agency user is not offered them.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit details" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "JRN26-01" }).ClickAsync();
        async Task Choose(string label, string option)
        {
            await page.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        }
        await Choose("Q1. Was the child seen and their wishes recorded?", "Good");
        await Expect(page.GetByTestId("grading-status")).ToContainTextAsync("Draft saved");
        await Choose("Q2. Was the plan outcome-focused?", "Requires improvement");
        await Choose("Overall grade", "Good");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Partly" }).CheckAsync();
        await page.GetByLabel("Strengths").FillAsync("Seen alone at every visit.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit grading" }).ClickAsync();
        await Expect(page.GetByTestId("grading-status")).ToHaveTextAsync("Submitted.");
        await Expect(page.GetByTestId($"cell-JRN26-01-{police.AgencyId}")).ToHaveTextAsync("Good");
        // The council has not graded and the case is not moderated: nothing of other agencies shows.
        await Expect(page.GetByTestId($"cell-JRN26-01-{council}")).ToHaveTextAsync("shown after moderation");
        await page.ScreenshotAsync(new() { Path = Shot("assurance-grading-agency.png"), FullPage = true });

        var view = await new AuditQueries(data).AuditAsync(qaActor, auditId, CancellationToken.None);
        var grading = Assert.Single(view!.Gradings);
        Assert.Equal((caseId, police.AgencyId.Value, Grade.Good, YesPartlyNo.Partly, SubmissionStatus.Submitted),
            (grading.CaseId, grading.AgencyId, grading.OverallGrade!.Value, grading.VoiceEvident!.Value, grading.Status));
    }

    [Theory]
    [InlineData(Actors.QaEmail, 1366, 768)]
    [InlineData(Actors.QaEmail, 1440, 900)]
    [InlineData(Actors.SchoolEmail, 1366, 768)]
    [InlineData(Actors.SchoolEmail, 1440, 900)]
    public async Task TheSection175HeatMapIsReadableAtLaptopSizesForTheQaMemberAndASchool(string email, int width, int height)
    {
        var data = fixture.App.DataSource;
        var viewer = await Actors.ForAsync(data, email);
        int cycleId;
        await using (var conn = await data.OpenConnectionAsync())
            cycleId = await conn.ExecuteScalarAsync<int>("select id from assessment_cycle where partnership_id = @PartnershipId and name = 'Section 175/157 2025/26'", new { viewer.PartnershipId });
        var page = await fixture.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await BrowserFixture.SignInAsync(page, email);
        await page.GotoAsync($"/assurance/cycles/{cycleId}");
        await BrowserFixture.WaitForCircuitAsync(page);
        var rows = page.GetByRole(AriaRole.Table, new() { Name = "Agencies' own ratings, by agency and standard" }).Locator("tbody tr");
        if (viewer.Role == Data.Accounts.Role.AgencyUser)
        {
            await Expect(rows).ToHaveCountAsync(1);
        }
        else
        {
            await Expect(rows).ToHaveCountAsync(170);
            // The header stays in view when the 170 rows scroll (sticky), and the phase filter narrows the rows.
            await page.GetByRole(AriaRole.Region, new() { Name = "Agencies' own ratings, by agency and standard, scrollable" }).EvaluateAsync("e => e.scrollTop = 3000");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Agencies' own ratings, by agency and standard" }).GetByRole(AriaRole.Columnheader, new() { Name = "Agency" })).ToBeInViewportAsync();
        }
        var name = viewer.Role == Data.Accounts.Role.AgencyUser ? "school" : "qa";
        await page.ScreenshotAsync(new() { Path = Shot($"assurance-heatmap-{name}-{width}x{height}.png") });
        if (viewer.Role != Data.Accounts.Role.AgencyUser)
        {
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Phase" }).ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "Secondary" }).ClickAsync();
            int secondary;
            await using (var conn = await data.OpenConnectionAsync())
                secondary = await conn.ExecuteScalarAsync<int>("""
                    select count(*)::int from cycle_agency ca join agency a on a.partnership_id = ca.partnership_id and a.id = ca.agency_id
                    where ca.partnership_id = @PartnershipId and ca.cycle_id = @cycleId and a.education_phase = 'secondary'
                    """, new { viewer.PartnershipId, cycleId });
            Assert.InRange(secondary, 10, 60); // the demo's Appendix 1 phases were recorded
            await Expect(rows).ToHaveCountAsync(secondary);
            await page.GetByRole(AriaRole.Switch).First.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Ratings as moderated, by agency and standard" })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task TheSubmissionTrackerShowsSingleAgencyAuditSummariesBesideTheDataReturns()
    {
        var data = fixture.App.DataSource;
        var qa = await Actors.ForAsync(data, Actors.QaEmail);
        var latest = (await new AuditSummaryQueries(data).CurrentAsync(qa, null, default))[0];
        var page = await fixture.OpenAsync(Actors.QaEmail, "/returns/tracker");
        var label = $"{latest.FiscalYear}/{(latest.FiscalYear + 1) % 100:00} Q{latest.Quarter}";
        var cell = page.GetByTestId($"summary-{latest.Agency}-{label}");
        await Expect(cell).ToContainTextAsync($"{latest.CasesAudited} cases");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Single-agency audit summaries by agency and quarter" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnAgencySendsItsSingleAgencyAuditSummaryThroughTheTemplateAndTheTrackerShowsIt()
    {
        var data = fixture.App.DataSource;
        var police = await Actors.ForAsync(data, Actors.PoliceEmail);
        (int Id, int FiscalYear, int Quarter) period;
        string agency;
        await using (var conn = await data.OpenConnectionAsync())
        {
            period = await conn.QuerySingleAsync<(int, int, int)>("""
                select id, fiscal_year, quarter::int from reporting_period
                where partnership_id = @PartnershipId and is_open and start_date <= current_date order by start_date desc limit 1
                """, new { police.PartnershipId });
            agency = await conn.ExecuteScalarAsync<string>("select short_name from agency where id = @AgencyId", new { police.AgencyId }) ?? "";
        }
        var label = Scorecard.Data.Catalog.PeriodLabels.Format(period.FiscalYear, period.Quarter);

        // "Our returns" offers the summary beside the data return.
        var page = await fixture.OpenAsync(Actors.PoliceEmail, "/my-returns");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Single-agency audit summaries by agency and quarter" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Send an audit summary" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/assurance/audit-summaries/upload$"));
        await page.GotoAsync($"/assurance/audit-summaries/upload?period={period.Id}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.SetViewportSizeAsync(1366, 768);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download audit summary template" }).ClickAsync());
        Assert.StartsWith("audit-summary-", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"audit-summary-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        using (var workbook = new XLWorkbook(path))
        {
            var ws = workbook.Worksheet(Scorecard.Data.Returns.AuditSummaryTemplateLayout.Sheet);
            ws.Cell(Scorecard.Data.Returns.AuditSummaryTemplateLayout.TopicRow, 2).Value = "Missing-from-home return interviews";
            int[] counts = [23, 2, 12, 7, 2, 9, 8, 6];
            for (var i = 0; i < counts.Length; i++)
                ws.Cell(Scorecard.Data.Returns.AuditSummaryTemplateLayout.CountRows[i].Row, 2).Value = counts[i];
            for (var i = 0; i < 5; i++)
                ws.Cell(Scorecard.Data.Returns.AuditSummaryTemplateLayout.FirstFindingRow + i, 2).Value = i == 0 ? "Return interviews offered within 72 hours in most cases." : "";
            workbook.Save();
        }

        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Upload filled-in summary" }).ClickAsync());
        await chooser.SetFilesAsync(path);
        var result = page.GetByTestId("summary-result");
        await Expect(result).ToContainTextAsync("has no errors");
        var preview = page.GetByRole(AriaRole.Table, new() { Name = "Preview of the audit summary" });
        await Expect(preview).ToContainTextAsync("Missing-from-home return interviews");
        await Expect(preview.GetByRole(AriaRole.Row, new() { Name = "Cases audited" })).ToContainTextAsync("23");
        await page.ScreenshotAsync(new() { Path = Shot("audit-summary-preview-police.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the audit summary" }).ClickAsync();
        await Expect(result).ToContainTextAsync($"audit summary for {label} was saved (23 cases");
        var versions = page.GetByTestId("summary-versions");
        await Expect(versions).ToContainTextAsync("Missing-from-home return interviews");
        await Expect(versions).ToContainTextAsync("Superseded");

        // The agency's own tracker row, and the partnership's tracker beside the data returns.
        await page.GotoAsync("/my-returns");
        await BrowserFixture.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId($"summary-{agency}-{label}")).ToContainTextAsync("23 cases");
        await page.ScreenshotAsync(new() { Path = Shot("audit-summary-my-returns-police.png"), FullPage = true });
        var qa = await fixture.OpenAsync(Actors.QaEmail, "/returns/tracker");
        await qa.SetViewportSizeAsync(1366, 768);
        var cell = qa.GetByTestId($"summary-{agency}-{label}");
        await Expect(cell).ToContainTextAsync("23 cases · 61% good+");
        await cell.ScrollIntoViewIfNeededAsync();
        await qa.ScreenshotAsync(new() { Path = Shot("audit-summary-tracker-qa.png") });

        await using var check = await data.OpenConnectionAsync();
        var stored = await check.QuerySingleAsync<(string Source, int CasesAudited)>(
            "select source, cases_audited from audit_summary_return where agency_id = @AgencyId and period_id = @Id and status = 'accepted'", new { police.AgencyId, period.Id });
        Assert.Equal(("upload", 23), stored);
    }

    [Fact]
    public async Task AQaMemberAddsAQuestionToAnAuditAndIsToldWhyAGradedQuestionCannotBeReworded()
    {
        var data = fixture.App.DataSource;
        var qa = await Actors.ForAsync(data, Actors.QaEmail);
        int auditId;
        await using (var conn = await data.OpenConnectionAsync())
            auditId = await conn.ExecuteScalarAsync<int>("""
                select a.id from audit a where a.partnership_id = @PartnershipId
                  and exists (select 1 from audit_question_grade g where g.partnership_id = a.partnership_id and g.audit_id = a.id)
                order by a.id limit 1
                """, new { qa.PartnershipId });
        var page = await fixture.OpenAsync(Actors.QaEmail, $"/assurance/audits/{auditId}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Questions") }).ClickAsync();
        await page.GetByLabel("Question 1", new() { Exact = true }).FillAsync("Was the child seen alone, every time?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save wording of question 1" }).ClickAsync();
        await Expect(page.GetByTestId("question-message")).ToContainTextAsync("already graded against this question");
        await page.GetByLabel("New question").FillAsync("Did the plan change after the audit's findings?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add question" }).ClickAsync();
        await Expect(page.GetByTestId("question-message")).ToContainTextAsync("The question was added.");
        await Expect(page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Questions") })).ToBeVisibleAsync();
        await using var check = await data.OpenConnectionAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<int>(
            "select count(*)::int from audit_question where audit_id = @auditId and text = 'Did the plan change after the audit''s findings?'", new { auditId }));
    }
    [Fact]
    public async Task AQaMemberEditsAnAuditsTitleAndAFindingsStatementAndTheChangeLogListsBoth()
    {
        var data = fixture.App.DataSource;
        var qaActor = await Actors.ForAsync(data, Actors.QaEmail);
        var council = await Actors.AgencyIdAsync(data, "Cheshire East Council");
        var commands = new AuditCommands(data);
        var auditId = (await commands.CreateAuditAsync(qaActor, new NewAudit("Journey audit: editing details", AuditType.MultiAgencyCase, "Neglect", null,
            council, "Jo Lead", 2026, 2, null, null, null, ["Was the child seen alone?"]), CancellationToken.None)).Value;
        var findingId = (await commands.AddFindingAsync(qaActor, auditId, FindingType.AreaForDevelopment, "Plans were not reviewed on time.", [council], [],
            CancellationToken.None)).Value;

        var page = await fixture.OpenAsync(Actors.QaEmail, $"/assurance/audits/{auditId}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit details" }).ClickAsync();
        var form = page.GetByTestId("audit-details-form");
        var title = form.GetByRole(AriaRole.Textbox, new() { NameRegex = new Regex("^Title") });
        await title.FillAsync("ab");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save details" }).ClickAsync();
        await Expect(form.GetByText("Title must be at least 3 characters.")).ToBeVisibleAsync();
        await title.FillAsync("Journey audit: neglect, edited");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save details" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Journey audit: neglect, edited", Level = 1 })).ToBeVisibleAsync();
        await Expect(form).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Findings") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit finding F-{findingId}" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Statement of finding F-{findingId}" }).FillAsync("Plans were reviewed late in three of five cases.");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Save finding F-{findingId}" }).ClickAsync();
        await Expect(page.GetByText("Plans were reviewed late in three of five cases.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"finding-edit-{findingId}")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("assurance-audit-edited.png"), FullPage = true });

        var view = await new AuditQueries(data).AuditAsync(qaActor, auditId, CancellationToken.None);
        Assert.Equal("Journey audit: neglect, edited", view!.Audit.Title);
        var finding = Assert.Single(view.Findings);
        Assert.Equal((findingId, "Plans were reviewed late in three of five cases."), (finding.Id, finding.Statement));

        // An executive reads the edited audit and finding but is offered neither form.
        var exec = await fixture.OpenAsync(Actors.ExecutiveEmail, $"/assurance/audits/{auditId}");
        await BrowserFixture.WaitForCircuitAsync(exec);
        await Expect(exec.GetByRole(AriaRole.Heading, new() { Name = "Journey audit: neglect, edited", Level = 1 })).ToBeVisibleAsync();
        await exec.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Findings") }).ClickAsync();
        await Expect(exec.GetByText("Plans were reviewed late in three of five cases.")).ToBeVisibleAsync();
        await Expect(exec.GetByRole(AriaRole.Button, new() { Name = "Edit details" })).ToHaveCountAsync(0);
        await Expect(exec.GetByRole(AriaRole.Button, new() { Name = $"Edit finding F-{findingId}" })).ToHaveCountAsync(0);

        var admin = await fixture.OpenAsync(Actors.AdminEmail, "/admin/change-log");
        await BrowserFixture.WaitForCircuitAsync(admin);
        var search = admin.GetByRole(AriaRole.Textbox, new() { Name = "Search the change log" });
        await search.FillAsync("Journey audit: neglect, edited");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "Edited the details of audit \"Journey audit: neglect, edited\"" })).ToBeVisibleAsync();
        await search.FillAsync($"Edited finding {findingId} of audit {auditId}");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = $"Edited finding {findingId} of audit {auditId}" })).ToBeVisibleAsync();
    }
}
