using Microsoft.AspNetCore.Components;
using Scorecard.Data.Assurance;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Catalog;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>One audit: the grading grid, the selected case (grading for an agency user, every grading and the moderation
/// for the panel), the summary charts under the disclosure rules, questions and findings.</summary>
public partial class AuditPage : AssurancePage
{
    [Parameter] public int AuditId { get; set; }

    [Inject] private AuditQueries Audits { get; set; } = default!;
    [Inject] private AuditCommands Commands { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;

    private AuditView? view;
    private bool notFound;
    private int tab;
    private int? selectedCaseId;
    private string? message;
    private IReadOnlyList<(int Id, string Name)> agencies = [];
    private IReadOnlyList<(int Id, string Name)> allAgencies = [];
    private DisclosedDistribution overall = AuditDisclosure.Distribution(new GradeDistribution(0, 0, 0, 0), true);
    private DisclosedDistribution moderated = AuditDisclosure.Distribution(new GradeDistribution(0, 0, 0, 0), true);
    private IReadOnlyList<GradeBar> byQuestion = [];
    private IReadOnlyList<GradeBar> byAgency = [];

    // Moderation form of the selected case.
    private Grade? moderationGrade;
    private YesPartlyNo? moderationVoice;
    private string moderationNote = "";

    // Add-a-case form.
    private string newCaseReference = "";
    private IReadOnlyCollection<int> newCaseAgencies = [];
    private Dictionary<string, string> caseErrors = [];

    private bool SeesAll => Viewer is { } v && AssuranceAccess.SeesAll(v);

    private AuditCaseRow? SelectedCase => view?.Cases.FirstOrDefault(c => c.Id == selectedCaseId);

    private string Name(int agencyId) => allAgencies.FirstOrDefault(a => a.Id == agencyId).Name ?? $"Agency {agencyId}";

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private Task ReloadAsync() => GuardAsync(async () =>
    {
        var actor = await ViewerAsync();
        view = await Audits.AuditAsync(actor, AuditId, PageToken);
        notFound = view is null;
        if (view is null)
            return;
        allAgencies = (await Catalog.ListAgenciesAsync(actor, PageToken)).Where(a => a.Active)
            .Select(a => (a.Id, a.ShortName)).OrderBy(a => a.ShortName, StringComparer.OrdinalIgnoreCase).ToList();
        var involved = view.Cases.SelectMany(c => c.AgencyIds).ToHashSet();
        agencies = allAgencies.Where(a => involved.Contains(a.Id)).ToList();
        var seesAll = AssuranceAccess.SeesAll(actor);
        overall = AuditDisclosure.Distribution(view.Statistics.Overall, seesAll);
        moderated = AuditDisclosure.Distribution(view.Statistics.Moderated, seesAll);
        byQuestion = view.Questions.Select(q => new GradeBar($"Q{q.Position}",
            AuditDisclosure.Distribution(view.Statistics.ByQuestion.GetValueOrDefault(q.Id) ?? new GradeDistribution(0, 0, 0, 0), seesAll))).ToList();
        byAgency = agencies.Where(a => view.Statistics.ByAgency.ContainsKey(a.Id)).Select(a => new GradeBar(a.Name,
            AuditDisclosure.Distribution(view.Statistics.ByAgency[a.Id], AuditDisclosure.MaySee(actor, a.Id)))).ToList();
        LoadModerationForm();
    });

    private void SelectCase(int caseId)
    {
        selectedCaseId = caseId;
        LoadModerationForm();
    }

    private void LoadModerationForm()
    {
        var m = view?.Moderations.FirstOrDefault(x => x.CaseId == selectedCaseId);
        moderationGrade = m?.Grade;
        moderationVoice = m?.VoiceEvident;
        moderationNote = m?.Note ?? "";
    }

    private Task StatusChangedAsync(AuditStatus status) => GuardAsync(async () =>
    {
        var result = await Commands.SetStatusAsync(await ViewerAsync(), AuditId, status, PageToken);
        message = result.Succeeded ? null : result.Errors[0].Message;
        await ReloadAsync();
    });

    private Task ModerateAsync() => GuardAsync(async () =>
    {
        if (selectedCaseId is not { } caseId)
            return;
        if (moderationGrade is not { } grade || moderationVoice is not { } voice)
        {
            message = "Choose the moderated grade and whether the child's voice was evident.";
            return;
        }
        var result = await Commands.ModerateCaseAsync(await ViewerAsync(), caseId, grade, voice, moderationNote, PageToken);
        message = result.Succeeded ? null : result.Errors[0].Message;
        await ReloadAsync();
    });

    private Task AddCaseAsync() => GuardAsync(async () =>
    {
        var result = await Commands.AddCaseAsync(await ViewerAsync(), AuditId, newCaseReference, newCaseAgencies.ToList(), PageToken);
        caseErrors = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message);
        if (result.Succeeded)
        {
            newCaseReference = "";
            newCaseAgencies = [];
            await ReloadAsync();
        }
    });
}
