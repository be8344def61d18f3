namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>Finds the admin token a request presents. UsageApi reads its table; the Gateway asks UsageApi.</summary>
public interface IAdminTokenResolver
{
    /// <param name="token">The presented Bearer token (not the master key, which is checked before).</param>
    /// <param name="cancellationToken">The request's.</param>
    /// <returns>The token's identity; null when it is unknown, expired or revoked.</returns>
    /// <exception cref="AdminTokensUnavailableException">The tokens cannot be read now.</exception>
    ValueTask<AdminIdentity?> ResolveAsync(string token, CancellationToken cancellationToken);
}

/// <summary>The store of admin tokens cannot answer (the database or UsageApi is down): a 503, not a failed attempt.</summary>
public sealed class AdminTokensUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
