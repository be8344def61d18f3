using System.Text.Json;
using AiPlatform.ServiceDefaults.Configuration;

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
        builder.Services.AddSingleton<MasterKeyVerifier>();

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }

    /// <summary>Requires the master key on every endpoint of <paramref name="builder"/> (see <see cref="MasterKeyFilter"/>).</summary>
    public static TBuilder RequireMasterKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, MasterKeyFilter>();
}
