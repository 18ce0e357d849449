using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Returns;

public partial class History
{
    [Parameter] public int AgencyId { get; set; }
    [Parameter] public int PeriodId { get; set; }

    [Inject] private ReturnHistoryQueries Histories { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private ReturnHistory? history;
    private bool loaded, denied, isAdmin, isAgencyUser;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        isAgencyUser ? new BreadcrumbItem("Our returns", "/my-returns") : new BreadcrumbItem("Submission tracker", "/returns/tracker"),
        new BreadcrumbItem($"{history!.AgencyName} {history.PeriodLabel}", null, disabled: true),
    ];

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        (isAdmin, isAgencyUser) = (actor.IsAdmin, actor.Role == Role.AgencyUser);
        try
        {
            history = await Histories.GetHistoryAsync(actor, AgencyId, PeriodId);
            denied = false;
        }
        catch (AccessDeniedException)
        {
            (history, denied) = (null, true);
        }
        loaded = true;
    }

    private async Task RejectAsync(HistoryVersion version)
    {
        var dialog = await Dialogs.ShowAsync<HistoryRejectDialog>($"Reject version {version.Version}",
            new DialogParameters<HistoryRejectDialog>
            {
                { d => d.Version, version },
                { d => d.Subject, $"{history!.AgencyName} {history.PeriodLabel}" },
                { d => d.HasEarlierVersion, history.Versions.Any(v => v.Version < version.Version && v.Status == ReturnStatus.Superseded) },
            },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: RejectOutcome outcome })
        {
            Snackbar.Add(outcome.ReinstatedVersion is { } back
                ? $"Version {outcome.Version} rejected. Version {back} is the current return again."
                : $"Version {outcome.Version} rejected.", Severity.Success);
            await LoadAsync();
        }
    }

    private static string FormatValue(decimal? value, MeasureUnit unit) => value is not { } v
        ? "—"
        : unit == MeasureUnit.Percent ? $"{v:0.##}%" : v.ToString("#,##0.##");
}
