using AiPlatform.ServiceDefaults.Admin;
using MudBlazor;

namespace AiPlatform.Dashboard.Components.Layout;

/// <summary>A page of the menu, and the scope a credential needs to open it.</summary>
public sealed record DashboardPage(Type Component, string Href, string Title, string Icon, string Scope);

/// <summary>
/// The one map from page to scope: the menu lists a page only for a credential that opens it, and the layout shows the
/// missing scope instead of a page opened without it, so the page never calls the admin API to be refused.
/// </summary>
public static class DashboardPages
{
    public static IReadOnlyList<DashboardPage> All { get; } =
    [
        new(typeof(Pages.Overview), "", "Overview", Icons.Material.Filled.Insights, AdminScopes.AnalyticsRead),
        new(typeof(Pages.Logs), "logs", "Logs", Icons.Material.Filled.ListAlt, AdminScopes.LogsRead),
        new(typeof(Pages.Keys), "keys", "Keys", Icons.Material.Filled.Key, AdminScopes.KeysRead),
        new(typeof(Pages.Models), "models", "Models and prices", Icons.Material.Filled.Sell, AdminScopes.AnalyticsRead),
        new(typeof(Pages.Backends), "backends", "Backends", Icons.Material.Filled.Dns, AdminScopes.AnalyticsRead),
        new(typeof(Pages.Audit), "audit", "Audit log", Icons.Material.Filled.History, AdminScopes.AuditRead),
        new(typeof(Pages.Tokens), "tokens", "Admin tokens", Icons.Material.Filled.AdminPanelSettings, AdminScopes.Admin),
    ];

    /// <summary>The menu's entry for a page component; null for a page outside the menu (not found, errors).</summary>
    public static DashboardPage? Of(Type? component) => All.FirstOrDefault(page => page.Component == component);
}
