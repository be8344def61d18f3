using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>The platform's Redis connection (<c>ConnectionStrings:cache</c>) through Aspire's client integration.</summary>
public static class PlatformRedisClientExtensions
{
    /// <summary>
    /// Aspire's <c>AddRedisClient</c> with <see cref="RedisConnectionDefaults"/>, and Redis command tracing off unless
    /// <c>Aspire:StackExchange:Redis:DisableTracing</c> is set to false. Aspire's default is on; its instrumentation
    /// profiles every command and holds it with its request's activity until a flush every 10 s, whether or not anything
    /// exports: measured on the Gateway's MISS path (bench/RESULTS.md, 2026-11-29) it cost 10–20% of throughput at c16,
    /// 3–5× the p99 and 3× the memory; with it off the Gateway matched the build before Aspire.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="healthCheck">
    /// Whether Redis is one of <c>/health</c>'s checks. False for a service that serves without Redis (the
    /// InferenceWorker only announces itself there), so that an outage does not take it out of rotation.
    /// </param>
    public static IHostApplicationBuilder AddPlatformRedisClient(this IHostApplicationBuilder builder, bool healthCheck = true)
    {
        var traceCommands = TracesRedisCommands(builder.Configuration);
        builder.AddRedisClient(KnownResourceNames.Cache, settings =>
        {
            settings.DisableTracing = !traceCommands;
            settings.DisableHealthChecks = !healthCheck;
        }, RedisConnectionDefaults.Configure);
        return builder;
    }

    public static bool TracesRedisCommands(IConfiguration configuration) =>
        !configuration.GetValue(KnownConfigNames.RedisDisableTracing, defaultValue: true);
}
