using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Primitives;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Checks a credential against the platform's master key (<see cref="KnownConfigNames.MasterKey"/>), the break-glass
/// credential of the admin endpoints of UsageApi and the Gateway, in constant time (<see cref="SecretHash"/>). Without a
/// master key it accepts none: admin endpoints are closed to it rather than open. Thread-safe.
/// </summary>
public sealed class MasterKeyVerifier
{
    private const string BearerPrefix = "Bearer ";

    private readonly SecretHash? _masterKey;

    /// <param name="masterKey">The key admin requests must carry; null, empty or white space for none.</param>
    public MasterKeyVerifier(string? masterKey)
    {
        _masterKey = SecretHash.OfConfigured(masterKey);
    }

    /// <summary>
    /// True when <paramref name="authorization"/> is exactly one <c>Bearer</c> credential (scheme in any case) equal to the
    /// master key.
    /// </summary>
    public bool IsAuthorized(StringValues authorization) => TryReadBearer(authorization, out var credential) && IsMasterKey(credential);

    /// <summary>Whether <paramref name="credential"/> is the master key, in time that does not depend on how much of it is right.</summary>
    public bool IsMasterKey(string credential) => _masterKey?.Matches(credential) ?? false;

    /// <summary>
    /// The credential of exactly one <c>Bearer</c> header (scheme in any case, credential trimmed, not empty). Two headers
    /// are ambiguous and refused rather than one picked.
    /// </summary>
    public static bool TryReadBearer(StringValues authorization, out string credential)
    {
        credential = "";
        if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        credential = value.AsSpan(BearerPrefix.Length).Trim().ToString();
        return credential.Length > 0;
    }
}
