using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.Gateway.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddVirtualKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One attempt, bounded, so the defaults' standard resilience handler is taken off: a request is waiting on this
        // lookup on the hot path and must fail fast; the next request with the key asks again.
        builder.Services.AddHttpClient<UsageApiKeyClient>(http =>
        {
            http.BaseAddress = new Uri(ServiceAddresses.UsageApi);
            http.Timeout = TimeSpan.FromSeconds(5);
        }).WithoutStandardResilience().AddMasterKeyAuthorization();
        builder.Services.AddSingleton<ClientAddress>();
        builder.Services.AddSingleton<KeyResolver>();
        builder.Services.AddSingleton<Authenticator>();
        // The admin endpoints' credentials (RequireAdmin): the master key, or an admin token UsageApi vouches for.
        builder.AddAdminAuth();
        builder.Services.AddHttpClient(AdminTokenIntrospection.HttpClientName, http =>
        {
            http.BaseAddress = new Uri(ServiceAddresses.UsageApi);
            http.Timeout = TimeSpan.FromSeconds(5);
        }).WithoutStandardResilience().AddMasterKeyAuthorization();
        builder.Services.AddSingleton<IAdminTokenResolver, AdminTokenIntrospection>();
        builder.Services.AddHostedService<KeyInvalidationListener>();
        return builder;
    }
}
