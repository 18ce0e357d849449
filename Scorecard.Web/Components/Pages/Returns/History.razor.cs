using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Accounts;
using Scorecard.Data.Catalog;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Returns;

public partial class History
{
    [Parameter] public int AgencyId { get; set; }
    [Parameter] public int PeriodId { get; set; }

    /// <summary>Where the reader came from, so the breadcrumbs follow the route taken: measure, agency, tracker, my-returns, upload or home.</summary>
    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }

    /// <summary>The measure's code when <see cref="From"/> is <c>measure</c>.</summary>
    [SupplyParameterFromQuery(Name = "code")] public string? FromCode { get; set; }

    [Inject] private ReturnFiguresQueries Figures { get; set; } = default!;

    [Inject] private ReturnHistoryQueries Histories { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private ReturnHistory? history;
    private ReturnFigures? figures;
    private bool loaded, denied, isAdmin, isAgencyUser;

    private List<BreadcrumbItem> Breadcrumbs => HistoryBreadcrumbs.For(
        From, FromCode, isAgencyUser, history!.AgencyId, history.AgencyName, history.PeriodLabel);

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await CurrentUser.GetActorAsync();
        (isAdmin, isAgencyUser) = (actor.IsAdmin, actor.Role == Role.AgencyUser);
        try
        {
            history = await Histories.GetHistoryAsync(actor, AgencyId, PeriodId);
            figures = history is null ? null : await Figures.GetCurrentAsync(actor, AgencyId, PeriodId);
            denied = false;
        }
        catch (AccessDeniedException)
        {
            (history, figures, denied) = (null, null, true);
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

    /// <summary>A value at its measure's decimal places (91.0%, not 91%); one dash when there is none.</summary>
    private static string FormatValue(decimal? value, MeasureUnit unit, int decimalPlaces) =>
        value is null ? "–" : FigureFormat.Value(value, unit, decimalPlaces);
}

/// <summary>The history page's breadcrumbs, following the route the reader took (a <c>from</c> query parameter).</summary>
public static class HistoryBreadcrumbs
{
    public static List<BreadcrumbItem> For(string? from, string? code, bool isAgencyUser, int agencyId, string agencyName, string periodLabel)
    {
        var here = new BreadcrumbItem($"{agencyName} {periodLabel}", null, disabled: true);
        var validCode = code is { Length: > 0 and <= 40 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        return (from?.Trim().ToLowerInvariant()) switch
        {
            "measure" when validCode =>
            [
                new BreadcrumbItem("Scorecard", "/scorecard"),
                new BreadcrumbItem(code!.ToUpperInvariant(), $"/scorecard/measures/{Uri.EscapeDataString(code!.ToUpperInvariant())}"),
                here,
            ],
            "agency" =>
            [
                new BreadcrumbItem("Scorecard", "/scorecard"),
                new BreadcrumbItem(agencyName, $"/scorecard/agencies/{agencyId}"),
                new BreadcrumbItem(periodLabel, null, disabled: true),
            ],
            "home" => [new BreadcrumbItem("Home", "/"), here],
            "upload" => [new BreadcrumbItem("Send a return", "/returns/upload"), here],
            "my-returns" => [new BreadcrumbItem("Our returns", "/my-returns"), here],
            "tracker" when !isAgencyUser => [new BreadcrumbItem("Submission tracker", "/returns/tracker"), here],
            _ => isAgencyUser
                ? [new BreadcrumbItem("Our returns", "/my-returns"), here]
                : [new BreadcrumbItem("Submission tracker", "/returns/tracker"), here],
        };
    }
}
