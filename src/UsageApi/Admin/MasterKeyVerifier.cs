using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AiPlatform.UsageApi.Admin;

/// <summary>
/// Checks an <c>Authorization</c> header against the master key. Both sides are hashed with SHA-256 first and the
/// hashes compared with <see cref="CryptographicOperations.FixedTimeEquals"/>: equal lengths always, and the time taken
/// says nothing about how much of a guess was right. Thread-safe.
/// </summary>
public sealed class MasterKeyVerifier
{
    private const string BearerScheme = "Bearer";

    private readonly byte[] _expectedHash;

    public MasterKeyVerifier(IOptions<AdminOptions> options)
    {
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.MasterKey));
    }

    /// <summary>True when <paramref name="authorization"/> is exactly one <c>Bearer</c> credential equal to the master key.</summary>
    public bool IsAuthorized(string? authorization)
    {
        if (!TryGetBearerToken(authorization, out var token))
        {
            return false;
        }

        Span<byte> actualHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), actualHash);
        return CryptographicOperations.FixedTimeEquals(actualHash, _expectedHash);
    }

    private static bool TryGetBearerToken(string? authorization, out string token)
    {
        token = "";
        if (authorization is null
            || authorization.Length <= BearerScheme.Length + 1
            || !authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
            || authorization[BearerScheme.Length] != ' ')
        {
            return false;
        }

        token = authorization[(BearerScheme.Length + 1)..].Trim();
        return token.Length > 0;
    }
}
