using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// Finds the record of a key by its hash: in this replica's memory first, then in Redis, then by asking UsageApi.
/// Concurrent requests with the same unseen key share one lookup. Memory entries live briefly and are dropped
/// as soon as UsageApi announces a change (<see cref="KeyInvalidationListener"/>), which is what makes a
/// revocation reach every replica within a second. Thread-safe.
/// </summary>
public sealed class KeyResolver(
    IConnectionMultiplexer redis,
    UsageApiKeyClient usageApi,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<KeyResolver> logger)
{
    private const int MaxCachedKeys = 100_000;

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<KeyLookup>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Counts invalidations, so that a load that overlapped one does not keep what it read before it.</summary>
    private long _invalidations;

    public ValueTask<KeyLookup> ResolveAsync(string hash)
    {
        if (_cache.TryGetValue(hash, out var cached) && time.GetTimestamp() < cached.ExpiresAt)
        {
            return ValueTask.FromResult(cached.Record is null ? KeyLookup.Unknown : KeyLookup.Found(cached.Record));
        }

        return new ValueTask<KeyLookup>(_inFlight.GetOrAdd(hash, LoadAndForgetAsync));
    }

    /// <summary>Drops one key (or all, for a null hash) from this replica's memory.</summary>
    public void Invalidate(string? hash)
    {
        Interlocked.Increment(ref _invalidations);
        if (hash is null)
        {
            _cache.Clear();
            _inFlight.Clear();
        }
        else
        {
            _cache.TryRemove(hash, out _);
            // A request after the change must not join a load that may have read the record before it.
            _inFlight.TryRemove(hash, out _);
        }
    }

    private async Task<KeyLookup> LoadAndForgetAsync(string hash)
    {
        var invalidations = Volatile.Read(ref _invalidations);
        try
        {
            var lookup = await LoadAsync(hash);
            // A revocation announced while this load ran may have come after the read: the record is answered to the
            // requests that waited for it, but not kept, or the revoked key would work for the whole cache duration.
            if (lookup.Status != KeyLookupStatus.Unavailable && Volatile.Read(ref _invalidations) == invalidations)
            {
                Remember(hash, lookup.Record);
            }

            return lookup;
        }
        finally
        {
            _inFlight.TryRemove(hash, out _);
        }
    }

    private async Task<KeyLookup> LoadAsync(string hash)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(KeyRecordFormat.RedisKeyPrefix + hash);
            if (value.HasValue)
            {
                return KeyLookup.Found(JsonSerializer.Deserialize((byte[])value!, KeyRecordJsonContext.Default.KeyRecord)!);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            AuthLog.RedisLookupFailed(logger, ex.Message);
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            var record = await usageApi.LookupAsync(hash, cts.Token);
            return record is null ? KeyLookup.Unknown : KeyLookup.Found(record);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            AuthLog.UsageApiLookupFailed(logger, ex.Message);
            return KeyLookup.Unavailable;
        }
    }

    private void Remember(string hash, KeyRecord? record)
    {
        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear();
        }

        var duration = record is null ? options.Value.UnknownKeyCacheDuration : options.Value.KeyCacheDuration;
        _cache[hash] = new CachedKey(record, time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency));
    }

    private readonly record struct CachedKey(KeyRecord? Record, long ExpiresAt);
}
