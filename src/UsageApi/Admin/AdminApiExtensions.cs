using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace AiPlatform.UsageApi.Admin;

public static class AdminApiExtensions
{
    /// <summary>
    /// The admin API's shared conventions: the master key (required: start-up fails with a message naming
    /// <see cref="KnownConfigNames.MasterKey"/> when it is missing) and JSON in snake_case, as OpenAI's API writes it.
    /// </summary>
    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .Configure<IConfiguration>((options, configuration) => options.MasterKey = configuration[KnownConfigNames.MasterKey] ?? "")
            .Validate(options => !string.IsNullOrWhiteSpace(options.MasterKey), AdminOptions.MissingMasterKeyMessage)
            .ValidateOnStart();
        // From the validated options, so the admin API never runs with an empty key.
        builder.Services.AddSingleton(services => new MasterKeyVerifier(services.GetRequiredService<IOptions<AdminOptions>>().Value.MasterKey));

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
