using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// This replica's copy of the answers it read from Redis lately, in front of Redis, so that a hit is served without
/// leaving the process. An entry lives no longer than it has left in Redis, and at most <see cref="MaxAge"/>; the least
/// recently used go first when <see cref="CacheOptions.MemoryBytes"/> is full. Entries are never changed in place: a
/// cache key names one answer.
/// </summary>
public sealed class CacheMemory : IDisposable
{
    /// <summary>
    /// How long a copy may serve before Redis is asked again: an entry deleted from Redis (by an operator, or evicted
    /// for memory) leaves every replica's service within this time. A hot answer costs one round trip a minute.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    /// <summary>What an entry costs beyond its answer's bytes (key string, entry object), counted against the limit.</summary>
    private const int EntryOverheadBytes = 256;

    private readonly MemoryCache? _entries;

    public CacheMemory(IOptions<CacheOptions> options)
    {
        if (options.Value.MemoryBytes > 0)
        {
            _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MemoryBytes });
        }
    }

    public bool TryGet(string key, out byte[]? answer)
    {
        answer = null;
        return _entries is not null && _entries.TryGetValue(key, out answer);
    }

    public void Set(string key, byte[] answer, TimeSpan ttl)
    {
        if (_entries is null || ttl <= TimeSpan.Zero)
        {
            return;
        }

        _entries.Set(key, answer, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = ttl < MaxAge ? ttl : MaxAge,
            Size = answer.Length + (key.Length * sizeof(char)) + EntryOverheadBytes,
        });
    }

    public void Dispose() => _entries?.Dispose();
}
