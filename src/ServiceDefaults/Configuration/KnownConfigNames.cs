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

    /// <summary><c>services__{name}__http__{index}</c>: the environment variable of one address of a service.</summary>
    public static string ServiceAddressVariable(string service, int index) => $"{ServicesSection}__{service}__http__{index}";

    /// <summary>
    /// <c>Inference:Announce:Address</c> as a variable: the root URL an InferenceWorker announces in Redis, which the
    /// AppHost sets to the replica's own endpoint (the address the Gateway gets as <c>services__inference__http__{i}</c>).
    /// </summary>
    public const string InferenceAnnounceAddressVariable = "Inference__Announce__Address";

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// <c>true</c> puts prompts and answers on the Gateway's GenAI spans (<c>gen_ai.input.messages</c>,
    /// <c>gen_ai.output.messages</c>), the variable OpenTelemetry's GenAI instrumentations share; off by default.
    /// </summary>
    public const string CaptureGenAiMessageContent = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>Aspire's Redis client setting; the platform's default is true (see PlatformRedisClientExtensions).</summary>
    public const string RedisDisableTracing = "Aspire:StackExchange:Redis:DisableTracing";

    /// <summary>The admin Bearer token of UsageApi's admin API.</summary>
    public const string MasterKey = "AIPLATFORM_MASTER_KEY";

    /// <summary>
    /// The secret the Dashboard sends beside the browser's address, so that admin APIs count failed sign-ins and audit
    /// changes by the person's address rather than the Dashboard's (see AdminClientAddress).
    /// </summary>
    public const string ForwarderKey = "AIPLATFORM_FORWARDER_KEY";

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
    public const string Gateway = "http://" + KnownResourceNames.Gateway;
}
