namespace AiPlatform.Gateway.Resilience;

public static class ResilienceExtensions
{
    public static IHostApplicationBuilder AddResilience(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResilienceOptions>()
            .BindConfiguration(ResilienceOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultAttempts <= o.MaxAttempts, $"{ResilienceOptions.SectionName}:DefaultAttempts must not exceed MaxAttempts.")
            .Validate(o => o.Outliers.BaseEjection <= o.Outliers.MaxEjection, $"{ResilienceOptions.SectionName}:Outliers:BaseEjection must not exceed MaxEjection.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ResilienceMetrics>();
        builder.Services.AddSingleton<ResilientForwarder>();
        return builder;
    }
}
