using System.Globalization;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Requests;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Caching;

/// <summary>How the cache treats one request: its key and TTL, or why it is bypassed.</summary>
public sealed record CacheDirective(string? Key, TimeSpan Ttl)
{
    public static readonly CacheDirective Bypass = new(null, TimeSpan.Zero);

    public bool IsBypass => Key is null;

    /// <summary>Reads the cache headers; null with an error when one of them is malformed.</summary>
    public static CacheDirective? From(HttpRequest http, InferenceRequest request, ReadOnlySpan<byte> body, KeyRecord key,
        CacheOptions options, out ApiError? error)
    {
        error = null;
        var ttl = options.DefaultTtl;
        var ttlHeader = http.Headers[CacheHeaders.Ttl];
        if (ttlHeader.Count > 0)
        {
            if (!long.TryParse(ttlHeader.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            {
                error = ApiError.BadRequest($"Header '{CacheHeaders.Ttl}' must be a whole number of seconds of at least 1.", CacheHeaders.Ttl);
                return null;
            }

            ttl = TimeSpan.FromSeconds(Math.Min(seconds, (long)options.MaxTtl.TotalSeconds));
        }

        var callerKey = http.Headers[CacheHeaders.Key].ToString();
        if (callerKey.Length > 256)
        {
            error = ApiError.BadRequest($"Header '{CacheHeaders.Key}' must be at most 256 characters.", CacheHeaders.Key);
            return null;
        }

        if (!options.Enabled ||
            string.Equals(http.Headers[CacheHeaders.Skip], "true", StringComparison.OrdinalIgnoreCase) ||
            options.DisabledModels.Contains(request.Model, StringComparer.Ordinal))
        {
            return Bypass;
        }

        // Scoped per key unless the key was put in a shared namespace: one tenant never gets another's answer.
        var scope = key.CacheNamespace is { Length: > 0 } shared ? "ns:" + shared : "key:" + key.Id;
        return new CacheDirective(CacheKey.For(scope, request.Operation, body, callerKey.Length > 0 ? callerKey : null,
            request.ModelOmitted ? request.Model : null), ttl);
    }
}
