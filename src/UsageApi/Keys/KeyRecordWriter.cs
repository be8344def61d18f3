using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Writes key records to Redis in the format of <see cref="KeyRecordFormat"/> and publishes the invalidation, in one
/// Lua script so that the write and its announcement cannot be separated. The script compares the key's version with
/// the one Redis holds and drops an older state: writes come from requests, the retry loop, the start-up re-sync and
/// lookups, on any replica, in no guaranteed order, and a late write of a pre-revocation state must never bring a
/// revoked key back. Thread-safe.
/// </summary>
public sealed class KeyRecordWriter(IConnectionMultiplexer redis, IOptions<KeysOptions> options, TimeProvider time)
{
    // KEYS: record, version. ARGV: json, version, ttl in ms (0 = none), channel, hex hash.
    // Returns 1 when written and published, 0 when Redis already holds a newer version.
    private const string WriteScript = """
        local current = redis.call('GET', KEYS[2])
        if current and tonumber(current) > tonumber(ARGV[2]) then
            return 0
        end
        local ttl = tonumber(ARGV[3])
        if ttl > 0 then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
        else
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[2])
        end
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;

    /// <summary>The shortest life of a tombstone, for a key revoked long ago and looked up again.</summary>
    private static readonly TimeSpan s_minimumTombstoneTtl = TimeSpan.FromMinutes(1);

    /// <summary>False while the connection is down: writing then would only wait for a timeout.</summary>
    public bool IsConnected => redis.IsConnected;

    /// <summary>Writes the record of <paramref name="key"/>; false when Redis holds a newer version, which is kept.</summary>
    public Task<bool> WriteAsync(ApiKey key) => WriteAsync(key, KeyRecord.From(key).ToJson());

    /// <summary>Writes <paramref name="json"/>, the record of <paramref name="key"/> already serialized.</summary>
    public async Task<bool> WriteAsync(ApiKey key, string json)
    {
        var hex = key.KeyHashHex;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            WriteScript,
            [KeyRecordFormat.RedisKey(hex), KeyRecordFormat.VersionKey(hex)],
            [json, key.Version, (long)TimeToLive(key).TotalMilliseconds, KeyRecordFormat.InvalidationChannel, hex]);
        return (int)result == 1;
    }

    /// <summary>Zero (no expiry) for a live key; for a revoked one, what is left of the tombstone's life.</summary>
    private TimeSpan TimeToLive(ApiKey key)
    {
        if (key.RevokedAt is not { } revokedAt)
        {
            return TimeSpan.Zero;
        }

        var left = revokedAt + options.Value.RevokedRecordTtl - time.GetUtcNow();
        return left > s_minimumTombstoneTtl ? left : s_minimumTombstoneTtl;
    }
}
