using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.AppHost.Hosting;

public static class DashboardAnnouncement
{
    /// <summary>
    /// Wires the product's Dashboard to the Aspire dashboard (a request's trace id links to its trace there) and, once
    /// the Dashboard is ready, says on the console where it is and what to sign in with.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSignInAnnouncement(
        this IResourceBuilder<ProjectResource> dashboard, IDistributedApplicationBuilder builder, string masterKeyPath)
    {
        // The Aspire dashboard listens on the AppHost's own URL (launch profile); none in tests and publish mode.
        if (builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } aspireDashboard)
        {
            dashboard.WithEnvironment("Dashboard__TracesUrl", aspireDashboard);
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(dashboard.Resource, (@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AppHostLog.Category);
            AppHostLog.DashboardReady(logger, dashboard.GetEndpoint("http").Url, masterKeyPath);
            return Task.CompletedTask;
        });
        return dashboard;
    }
}
