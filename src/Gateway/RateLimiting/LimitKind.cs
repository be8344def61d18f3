namespace AiPlatform.Gateway.RateLimiting;

/// <summary>The buckets a request can be admitted against, in the order every limiter checks them.</summary>
public enum LimitKind
{
    /// <summary>The key's requests per minute; scope: the key id.</summary>
    Requests,

    /// <summary>The key's tokens per minute; scope: the key id.</summary>
    Tokens,

    /// <summary>The requests per minute of one client address, whatever the key; scope: the address.</summary>
    ClientIp,
}

internal static class LimitKinds
{
    /// <summary>How many kinds there are: the size of what is kept per kind.</summary>
    public const int Count = 3;

    /// <summary>Every kind, in order; one array for every request that walks them.</summary>
    public static readonly LimitKind[] All = Enum.GetValues<LimitKind>();
}
