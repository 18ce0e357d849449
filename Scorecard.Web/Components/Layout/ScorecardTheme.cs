using MudBlazor;

namespace Scorecard.Web.Components.Layout;

/// <summary>Colours chosen for projection in a meeting room: dark text, strong contrast, calm blue chrome.</summary>
public static class ScorecardTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4e89",
            Secondary = "#00857c",
            Tertiary = "#6d3a9c",
            AppbarBackground = "#1d4e89",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1b1f24",
            TextSecondary = "#4a5563",
            Success = "#2e7d32",
            // #b26a00 was 4.2:1 on white, short of 4.5:1 for a warning written in it (WCAG 1.4.3); this is 6.3:1.
            Warning = "#8a5300",
            Error = "#c62828",
            // MudBlazor's default info blue (#2196f3) is 3.1:1 on white; this one is 5.7:1 (WCAG 1.4.3).
            Info = "#1565c0",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Segoe UI", "Liberation Sans", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "248px" },
    };
}
