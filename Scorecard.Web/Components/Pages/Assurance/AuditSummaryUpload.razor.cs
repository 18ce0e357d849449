using Microsoft.AspNetCore.Components;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Returns;
using Scorecard.Web.Components.Pages.Returns;

namespace Scorecard.Web.Components.Pages.Assurance;

/// <summary>
/// The single-agency audit summary upload (issue 11 §2), the returns pipeline's second template kind: choose the agency
/// (admins) and quarter, download the template, pick the filled file, see the check and the preview beside the current
/// version, confirm. The flow is <see cref="UploadPage{TResult}"/>'s, shared with the data return's upload; this page
/// sends the file through <see cref="AuditSummaryReturnService"/> and lists the versions sent for the quarter.
/// </summary>
public partial class AuditSummaryUpload
{
    [Inject] private AuditSummaryReturnService Imports { get; set; } = default!;
    [Inject] private AuditSummaryQueries Summaries { get; set; } = default!;

    private IReadOnlyList<AuditSummaryVersionRow>? history;

    protected override ITemplateUploads<AuditSummaryImportResult> Uploads => Imports;

    protected override string SavingText => "Saving the audit summary…";

    /// <summary>The versions sent for the chosen agency and quarter.</summary>
    protected override async Task OnSelectionAsync()
    {
        history = AgencyId is { } a && PeriodId is { } p && Viewer is { } actor
            ? await Summaries.VersionsAsync(actor, a, p, PageToken)
            : null;
    }

    private static string Dash(string text) => string.IsNullOrEmpty(text) ? "–" : text;

    /// <summary>The preview's rows: each item now and in the file.</summary>
    private static IEnumerable<(string Label, string Now, string Next)> Rows(AuditSummaryInput next, AuditSummaryInput? now)
    {
        string N(int? n) => n?.ToString("N0") ?? "–";
        yield return ("Audit topic", now?.Topic ?? "–", next.Topic);
        yield return ("Cases audited", N(now?.CasesAudited), N(next.CasesAudited));
        yield return ("Outstanding", N(now?.Outstanding), N(next.Outstanding));
        yield return ("Good", N(now?.Good), N(next.Good));
        yield return ("Requires improvement", N(now?.RequiresImprovement), N(next.RequiresImprovement));
        yield return ("Inadequate", N(now?.Inadequate), N(next.Inadequate));
        yield return ("Child's voice evident: yes", N(now?.VoiceYes), N(next.VoiceYes));
        yield return ("Child's voice evident: partly", N(now?.VoicePartly), N(next.VoicePartly));
        yield return ("Child's voice evident: no", N(now?.VoiceNo), N(next.VoiceNo));
        for (var i = 0; i < 5; i++)
        {
            var a = now is not null && i < now.KeyFindings.Count ? now.KeyFindings[i] : "–";
            var b = i < next.KeyFindings.Count ? next.KeyFindings[i] : "–";
            if (a != "–" || b != "–")
                yield return ($"Key finding {i + 1}", a, b);
        }
    }
}
