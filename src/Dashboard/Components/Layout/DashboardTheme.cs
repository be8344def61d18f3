using MudBlazor;

namespace AiPlatform.Dashboard.Components.Layout;

/// <summary>MudBlazor's default theme with the Dashboard's colours: quiet, with status colours that read as status.</summary>
public static class DashboardTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5bd3",
            AppbarBackground = "#1f2a44",
            Success = "#1b8a3a",
            Error = "#c62828",
            Warning = "#b26a00",
        },
    };
}
