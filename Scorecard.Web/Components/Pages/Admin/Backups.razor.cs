using Microsoft.AspNetCore.Components;
using MudBlazor;
using Scorecard.Data.Backup;
using Scorecard.Web.Auth;

namespace Scorecard.Web.Components.Pages.Admin;

/// <summary>The administrators' backup page: the last good backup, the next one, failures, "back up now", and the partnership export.</summary>
public partial class Backups : IDisposable
{
    private BackupStatus? status;
    private bool running;

    [Inject] private BackupService Service { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private BackupOptions Options => Service.Options;

    protected override async Task OnInitializedAsync()
    {
        status = Service.GetStatus(await CurrentUser.GetActorAsync());
        Service.Completed += OnBackupCompleted;
    }

    /// <summary>A backup finished elsewhere (the schedule, another admin): show it.</summary>
    private void OnBackupCompleted(BackupEntry? entry, BackupFailure? failure) => _ = InvokeAsync(async () =>
    {
        status = Service.GetStatus(await CurrentUser.GetActorAsync());
        StateHasChanged();
    });

    public void Dispose() => Service.Completed -= OnBackupCompleted;

    private async Task BackUpNowAsync()
    {
        running = true;
        var actor = await CurrentUser.GetActorAsync();
        try
        {
            var entry = await Service.BackUpNowAsync(actor);
            Snackbar.Add($"Backup {entry.File} written ({FileSize(entry.SizeBytes)}).", Severity.Success);
        }
        catch (BackupFailedException e)
        {
            Snackbar.Add($"The backup failed: {e.Message}", Severity.Error);
        }
        finally
        {
            running = false;
            status = Service.GetStatus(actor);
        }
    }

    internal static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("d MMM yyyy HH:mm");

    internal static string TriggerLabel(BackupTrigger trigger) => trigger switch
    {
        BackupTrigger.Scheduled => "daily",
        BackupTrigger.Manual => "on demand",
        BackupTrigger.Startup => "at start-up",
        _ => trigger.ToString(),
    };

    internal static string FileSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GB",
    };
}
