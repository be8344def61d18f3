namespace AiPlatform.Gateway.Forwarding;

/// <summary>The Gateway's own request and response headers; all start with <c>aig-</c>.</summary>
public static class GatewayHeaders
{
    public const string RequestId = "aig-request-id";
    public const string Target = "aig-target";
    public const string RequestTimeout = "aig-request-timeout";
    public const string MaxAttempts = "aig-max-attempts";

    /// <summary>How many attempts the answer took (1 when the first target answered).</summary>
    public const string Attempts = "aig-attempts";

    /// <summary>The fallback model that served the answer, when it was not the requested one.</summary>
    public const string FallbackModel = "aig-fallback-model";
}
