using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.UsageApi.Keys;
using Npgsql;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>
/// UsageApi's <see cref="IAdminTokenResolver"/>: a read of <c>admin_tokens</c> per admin request, never a cache, so that
/// a revocation or an expiry holds from the next request on every replica. Admin requests are few; the lookup is by a
/// unique index.
/// </summary>
public sealed class AdminTokenResolver(AdminTokenStore store, TimeProvider time) : IAdminTokenResolver
{
    public async ValueTask<AdminIdentity?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        AdminTokenEntity? found;
        var now = time.GetUtcNow();
        try
        {
            found = await store.FindByHashAsync(ApiKeyHash.Compute(token), cancellationToken);
            if (found is null || found.RevokedAt is not null || found.ExpiresAt <= now)
            {
                return null;
            }

            if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= AdminTokenStore.LastUsedResolution)
            {
                await store.TouchAsync(found.Id, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException || ex.InnerException is NpgsqlException)
        {
            throw new AdminTokensUnavailableException("the usage database cannot be read: " + ex.GetType().Name, ex);
        }

        return AdminIdentity.Token(found.Id, found.Name, found.Scopes, found.ExpiresAt);
    }
}
