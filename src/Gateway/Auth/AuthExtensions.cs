using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Resilience;

namespace AiPlatform.Gateway.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddVirtualKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One attempt, bounded: a request is waiting on this lookup, and the next request with the key asks again.
        builder.Services.AddHttpClient<UsageApiKeyClient>(http =>
        {
            http.BaseAddress = new Uri(ServiceAddresses.UsageApi);
            http.Timeout = TimeSpan.FromSeconds(5);
        }).RemoveResilienceHandlers().AddMasterKeyAuthorization();
        builder.Services.AddSingleton<ClientAddress>();
        builder.Services.AddSingleton<KeyResolver>();
        builder.Services.AddSingleton<Authenticator>();
        builder.Services.AddHostedService<KeyInvalidationListener>();
        return builder;
    }
}
