namespace AiPlatform.Gateway.Requests;

public static class RequestsExtensions
{
    /// <summary>The settings request reading needs beyond forwarding's body limit: the default moderation model.</summary>
    public static IHostApplicationBuilder AddInferenceRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModerationOptions>()
            .BindConfiguration(ModerationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
