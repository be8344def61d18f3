namespace AiPlatform.Gateway;

/// <summary>The Gateway's own meter; ServiceDefaults exports every meter named <c>AiPlatform.*</c>.</summary>
public static class GatewayMeter
{
    public const string Name = "AiPlatform.Gateway";
}
