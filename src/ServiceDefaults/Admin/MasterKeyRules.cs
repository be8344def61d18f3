using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>What a master key must be: long enough that guessing it, even at full speed, never ends.</summary>
public static class MasterKeyRules
{
    public const int MinLength = 32;

    /// <summary>Why <paramref name="masterKey"/> is refused, or null when it is fine. Never quotes the key.</summary>
    public static string? Problem(string? masterKey) => masterKey switch
    {
        null or { Length: 0 } => null,
        _ when string.IsNullOrWhiteSpace(masterKey) => $"{KnownConfigNames.MasterKey} is blank. {HowToGenerate}",
        { Length: < MinLength } => $"{KnownConfigNames.MasterKey} has {masterKey.Length} characters; at least {MinLength} are needed so " +
            $"that it cannot be guessed. {HowToGenerate}",
        _ => null,
    };

    public static readonly string WeakKeyMessage =
        $"{KnownConfigNames.MasterKey} is blank or shorter than {MinLength} characters, short enough to be guessed, so the service " +
        $"does not start with it. {HowToGenerate}";

    public const string HowToGenerate =
        $"Generate one with: openssl rand -hex 32 (or start the platform with the AppHost, which makes one " +
        $"and keeps it in the AppHost's secrets folder).";
}
