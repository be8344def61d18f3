using System.Security.Cryptography;
using System.Text;

namespace AiPlatform.Gateway.Auth;

/// <summary>The shape of virtual keys (<c>sk-aig-</c> and at least 32 URL-safe characters) and their hash.</summary>
public static class VirtualKeys
{
    public const string Prefix = "sk-aig-";
    public const int MinRandomChars = 32;
    private const int MaxLength = 256;

    /// <summary>Reads <c>Authorization: Bearer sk-aig-…</c>; false when absent or not a well-formed virtual key.</summary>
    public static bool TryReadBearer(string? authorization, out ReadOnlySpan<char> key)
    {
        key = default;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var candidate = authorization.AsSpan(7).Trim();
        if (!IsWellFormed(candidate))
        {
            return false;
        }

        key = candidate;
        return true;
    }

    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length < Prefix.Length + MinRandomChars || key.Length > MaxLength || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key[Prefix.Length..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes: how UsageApi stores and publishes it.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[MaxLength];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }
}
