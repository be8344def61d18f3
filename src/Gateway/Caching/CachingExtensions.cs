namespace AiPlatform.Gateway.Caching;

public static class CachingExtensions
{
    public static IHostApplicationBuilder AddResponseCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultTtl <= o.MaxTtl, $"{CacheOptions.SectionName}:DefaultTtl must not exceed {CacheOptions.SectionName}:MaxTtl.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CacheMemory>();
        builder.Services.AddSingleton<ResponseCache>();
        builder.Services.AddSingleton<SingleFlight>();
        return builder;
    }
}
