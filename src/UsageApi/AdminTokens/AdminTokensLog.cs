namespace AiPlatform.UsageApi.AdminTokens;

// Plain tokens are never logged; the display prefix (sk-aig-admin-AbCd…) identifies one without revealing it.
internal static partial class AdminTokensLog
{
    [LoggerMessage(EventId = LogEvents.AdminTokenCreated, Level = LogLevel.Information,
        Message = "Created admin token {TokenId} ({TokenPrefix}, {Name}) by {Actor}")]
    public static partial void Created(ILogger logger, Guid tokenId, string tokenPrefix, string name, string actor);

    [LoggerMessage(EventId = LogEvents.AdminTokenRevoked, Level = LogLevel.Information, Message = "Revoked admin token {TokenId} ({TokenPrefix}) by {Actor}")]
    public static partial void Revoked(ILogger logger, Guid tokenId, string tokenPrefix, string actor);
}
