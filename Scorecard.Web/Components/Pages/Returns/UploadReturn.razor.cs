using Microsoft.AspNetCore.Components;
using Scorecard.Data.Returns;

namespace Scorecard.Web.Components.Pages.Returns;

/// <summary>
/// The upload page: choose the agency (admins) and quarter, pick the file, see the check and preview, add commentary,
/// confirm. The flow is <see cref="UploadPage{TResult}"/>'s; this page adds the commentary a warned value needs before
/// the return can be confirmed, and sends it with the file through <see cref="ReturnImportService"/>.
/// </summary>
public partial class UploadReturn
{
    [Inject] private ReturnImportService Imports { get; set; } = default!;

    private bool confirmAttempted;
    private Dictionary<string, string> commentary = [];

    private string? HistoryHref => AgencyId is { } a && PeriodId is { } p ? $"/returns/history/{a}/{p}" : null;

    protected override ITemplateUploads<ReturnImportResult> Uploads => Imports;

    protected override string SavingText => "Saving the return…";

    protected override void OnPreviewed(ReturnImportResult result) =>
        commentary = result.Rows.ToDictionary(r => r.MeasureCode, r => r.Commentary, StringComparer.OrdinalIgnoreCase);

    /// <summary>A warned value needs commentary before the return can be confirmed: the view shows which once confirm is tried.</summary>
    protected override bool ReadyToCommit()
    {
        confirmAttempted = true;
        return Result is not { } r || !r.Rows.Any(row => row.NeedsCommentary && string.IsNullOrWhiteSpace(commentary.GetValueOrDefault(row.MeasureCode)));
    }

    protected override ReturnUpload CommitUpload(int agencyId, int periodId, string fileName, byte[] bytes) => new(agencyId, periodId, fileName, bytes, commentary);

    protected override void Reset()
    {
        base.Reset();
        confirmAttempted = false;
        commentary = [];
    }
}
