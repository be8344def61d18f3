using System.Security.Cryptography;
using System.Text;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// The one hash of a key both sides compute: SHA-256 of the key's UTF-8 bytes. Postgres stores the 32 bytes; Redis
/// names the record after their lowercase hex (see <see cref="KeyRecordFormat"/>).
/// </summary>
public static class ApiKeyHash
{
    public const int HexLength = SHA256.HashSizeInBytes * 2;

    public static byte[] Compute(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>Parses 64 hex digits (either case) into the 32-byte hash; false for anything else.</summary>
    public static bool TryParseHex(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is not { Length: HexLength } || !hex.All(Uri.IsHexDigit))
        {
            return false;
        }

        hash = Convert.FromHexString(hex);
        return true;
    }
}
