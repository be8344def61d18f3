using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Components;
using AiPlatform.Dashboard.Health;
using AiPlatform.Dashboard.Metrics;
using AiPlatform.Dashboard.SignIn;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformHealth();
builder.AddAdminSignIn();
builder.AddAdminApis();
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents().KeepCircuitMessagesOutOfLogs();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDefaultEndpoints();
app.MapDashboardMetrics();
app.MapStaticAssets().AllowAnonymous();
app.MapSignOut();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
