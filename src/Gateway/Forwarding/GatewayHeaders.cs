namespace AiPlatform.Gateway.Forwarding;

/// <summary>The Gateway's own request and response headers; all start with <c>aig-</c>.</summary>
public static class GatewayHeaders
{
    public const string RequestId = "aig-request-id";
    public const string Target = "aig-target";
    public const string RequestTimeout = "aig-request-timeout";
}
