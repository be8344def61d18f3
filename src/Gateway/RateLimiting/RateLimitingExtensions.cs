namespace AiPlatform.Gateway.RateLimiting;

public static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RedisRateLimiter>();
        builder.Services.AddSingleton<RateLimitLeases>();
        builder.Services.AddSingleton<LocalRateLimiter>();
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddSingleton<RateLimitMetrics>();
        return builder;
    }
}
