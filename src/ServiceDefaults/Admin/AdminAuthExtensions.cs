using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.ServiceDefaults.Admin;

public static class AdminAuthExtensions
{
    /// <summary>
    /// What <see cref="AdminAuthFilter"/> needs besides the service's <see cref="IAdminTokenResolver"/>: the master key's
    /// verifier, the failed-attempt limiter (on the platform's Redis) and its options. A master key shorter than
    /// <see cref="MasterKeyRules.MinLength"/> stops the start, with how to make a good one.
    /// </summary>
    public static IHostApplicationBuilder AddAdminAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminAuthOptions>()
            .BindConfiguration(AdminAuthOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>((_, configuration) => MasterKeyRules.Problem(configuration[KnownConfigNames.MasterKey]) is null,
                MasterKeyRules.WeakKeyMessage)
            .ValidateOnStart();
        // None configured closes the admin endpoints to the master key; admin tokens still open them.
        builder.Services.TryAddSingleton(services => new MasterKeyVerifier(services.GetRequiredService<IConfiguration>()[KnownConfigNames.MasterKey]));
        builder.Services.TryAddSingleton<FailedAdminAuthLimiter>();
        builder.Services.TryAddSingleton<AdminClientAddress>();
        return builder;
    }
}
