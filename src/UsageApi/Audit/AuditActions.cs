namespace AiPlatform.UsageApi.Audit;

/// <summary>The changes the audit log records, as its <c>action</c> names them.</summary>
public static class AuditActions
{
    public const string KeyCreated = "key.created";
    public const string KeyUpdated = "key.updated";

    /// <summary>A change of a key that switched payload logging on or off (other fields may have changed with it).</summary>
    public const string KeyPayloadLoggingSwitched = "key.payload_logging_switched";
    public const string KeyRevoked = "key.revoked";
    public const string PriceSet = "price.set";
    public const string PriceDeleted = "price.deleted";
    public const string AdminTokenCreated = "admin_token.created";
    public const string AdminTokenRevoked = "admin_token.revoked";

    public static IReadOnlyList<string> All { get; } =
        [KeyCreated, KeyUpdated, KeyPayloadLoggingSwitched, KeyRevoked, PriceSet, PriceDeleted, AdminTokenCreated, AdminTokenRevoked];
}

/// <summary>What a change was made to, as the audit log's <c>target.type</c> names it.</summary>
public static class AuditTargets
{
    public const string Key = "key";
    public const string Price = "price";
    public const string AdminToken = "admin_token";

    public static IReadOnlyList<string> All { get; } = [Key, Price, AdminToken];
}
