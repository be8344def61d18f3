using AiPlatform.Dashboard.Backends;
using AiPlatform.Dashboard.Display;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.Dashboard.Admin;

public static class AdminExtensions
{
    /// <summary>
    /// The clients of the admin APIs the pages read and write through (UsageApi's and the Gateway's), scoped to a
    /// circuit because each call carries the signed-in person's credential.
    /// </summary>
    public static IHostApplicationBuilder AddAdminApis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(AdminApi.HttpClientName, client => client.BaseAddress = new Uri(ServiceAddresses.UsageApi));
        builder.Services.AddHttpClient(GatewayAdminApi.HttpClientName, client => client.BaseAddress = new Uri(ServiceAddresses.Gateway));
        builder.Services.AddScoped<AdminHttp>();
        builder.Services.AddScoped<AdminApi>();
        builder.Services.AddScoped<GatewayAdminApi>();
        builder.Services.AddScoped<BrowserClock>();
        return builder;
    }
}
