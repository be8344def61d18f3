using System.Buffers.Text;
using System.Security.Cryptography;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Makes virtual keys: <c>sk-aig-</c> followed by 32 bytes from the OS's cryptographic generator in URL-safe base64
/// without padding (43 characters of <c>A–Z a–z 0–9 - _</c>), 256 bits that no one guesses, so a plain SHA-256 of the
/// key is a safe thing to store (no salt or slow hash needed, unlike for passwords).
/// </summary>
public static class ApiKeyGenerator
{
    public const string Prefix = "sk-aig-";
    public const int RandomByteCount = 32;

    /// <summary>Length of a key: the prefix plus 43 base64url characters.</summary>
    public const int KeyLength = 50;

    /// <summary>How many leading characters of a key are kept to recognise it (<c>sk-aig-AbCd</c>).</summary>
    public const int DisplayPrefixLength = 11;

    /// <summary>A new key, or with <paramref name="prefix"/> another secret of the same strength (an admin token).</summary>
    public static string Generate(string prefix = Prefix)
    {
        Span<byte> random = stackalloc byte[RandomByteCount];
        RandomNumberGenerator.Fill(random);
        var key = prefix + Base64Url.EncodeToString(random);
        CryptographicOperations.ZeroMemory(random);
        return key;
    }

    /// <summary>The part of a key that may be shown after creation: <c>sk-aig-AbCd…</c>, four characters past the prefix.</summary>
    public static string DisplayPrefix(string key, string prefix = Prefix) =>
        string.Concat(key.AsSpan(0, prefix.Length + DisplayPrefixLength - Prefix.Length), "…");
}
