namespace AiPlatform.Gateway.Auth;

/// <summary>The outcome of looking a key up.</summary>
public enum KeyLookupStatus
{
    Found,
    Unknown,

    /// <summary>Neither Redis nor UsageApi could answer: the key can be neither accepted nor refused.</summary>
    Unavailable,
}

public readonly record struct KeyLookup(KeyLookupStatus Status, KeyRecord? Record)
{
    public static KeyLookup Unknown => new(KeyLookupStatus.Unknown, null);

    public static KeyLookup Unavailable => new(KeyLookupStatus.Unavailable, null);

    public static KeyLookup Found(KeyRecord record) => new(KeyLookupStatus.Found, record);
}
