namespace AiPlatform.UsageApi.Keys;

public static class KeysExtensions
{
    /// <summary>
    /// Virtual keys: the store (Postgres), the Redis records Gateways read, and the background sync that repairs them.
    /// Needs the usage database (<c>AddUsageDb</c>) and an <c>IConnectionMultiplexer</c> registered.
    /// </summary>
    public static IHostApplicationBuilder AddKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeysOptions>()
            .BindConfiguration(KeysOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyStore>();
        builder.Services.AddSingleton<KeyRecordWriter>();
        builder.Services.AddSingleton<KeyRecordPublisher>();
        builder.Services.AddSingleton<KeyRecordSync>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyRecordSync>());
        return builder;
    }
}
