using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.UsageApi.Admin;

public static class AdminApiExtensions
{
    /// <summary>
    /// The admin API's shared conventions: the master key (required: start-up fails with a message naming
    /// <see cref="KnownConfigNames.MasterKey"/> when it is missing or shorter than <see cref="MasterKeyRules.MinLength"/>), the
    /// admin filter's services, and JSON in snake_case, as OpenAI's API writes it.
    /// </summary>
    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .Configure<IConfiguration>((options, configuration) => options.MasterKey = configuration[KnownConfigNames.MasterKey] ?? "")
            .Validate(options => !string.IsNullOrWhiteSpace(options.MasterKey), AdminOptions.MissingMasterKeyMessage)
            .ValidateOnStart();
        // Its length is checked with the rest of admin authentication (AddAdminAuth).
        builder.AddAdminAuth();

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
