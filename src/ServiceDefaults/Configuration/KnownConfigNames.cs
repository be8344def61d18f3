namespace AiPlatform.ServiceDefaults.Configuration;

/// <summary>
/// Every configuration key the platform's services read or the AppHost writes, in one place.
/// Names follow .NET Aspire's contract so that a real Aspire AppHost could run the services unchanged.
/// Environment variables use <c>__</c> where these use <c>:</c>.
/// </summary>
public static class KnownConfigNames
{
    /// <summary>Prefix of connection strings: <c>ConnectionStrings:{name}</c>.</summary>
    public const string ConnectionStringsSection = "ConnectionStrings";

    /// <summary>Prefix of service addresses: <c>services:{name}:{scheme}:{index}</c>.</summary>
    public const string ServicesSection = "services";

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
    public const string OtelResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string GenAiCaptureMessageContent = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>Aspire's Redis client setting; the platform's default is true (see PlatformRedisClientExtensions).</summary>
    public const string RedisDisableTracing = "Aspire:StackExchange:Redis:DisableTracing";

    /// <summary>The admin Bearer token of UsageApi's admin API.</summary>
    public const string MasterKey = "AIPLATFORM_MASTER_KEY";

    public const string AspNetCoreUrls = "ASPNETCORE_URLS";
    public const string AspNetCoreEnvironment = "ASPNETCORE_ENVIRONMENT";
}

/// <summary>Logical names of the resources, shared by the AppHost and the services that reference them.</summary>
public static class KnownResourceNames
{
    public const string Cache = "cache";
    public const string Postgres = "pg";
    public const string UsageDb = "usagedb";
    public const string Gateway = "gateway";
    public const string UsageApi = "usageapi";
    public const string Inference = "inference";
    public const string Dashboard = "dashboard";
}

/// <summary>Logical addresses for typed clients, resolved by service discovery (<c>services__{name}__http__0</c>).</summary>
public static class ServiceAddresses
{
    public const string UsageApi = "http://" + KnownResourceNames.UsageApi;
}
