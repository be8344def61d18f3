using System.Security.Cryptography;
using System.Text;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// A configured secret kept as its SHA-256, compared with <see cref="CryptographicOperations.FixedTimeEquals"/>: both
/// sides are hashes of equal length, so the time taken says nothing about how much of a guess was right.
/// </summary>
public sealed class SecretHash
{
    private readonly byte[] _hash;

    private SecretHash(string secret) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The secret's hash; null when none is configured (null, empty or white space), which matches nothing.</summary>
    public static SecretHash? OfConfigured(string? secret) => string.IsNullOrWhiteSpace(secret) ? null : new SecretHash(secret);

    public bool Matches(string candidate)
    {
        Span<byte> candidateHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), candidateHash);
        return CryptographicOperations.FixedTimeEquals(candidateHash, _hash);
    }
}
