using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// Cached answers in Redis: the complete non-streamed JSON of a successful answer, behind a format marker so that
/// an entry written by another version (or by anything else) is never served; with this replica's recent ones in
/// <see cref="CacheMemory"/> in front. Redis trouble never fails a request: the cache reports itself unavailable and
/// the request bypasses it.
/// </summary>
public sealed class ResponseCache(IConnectionMultiplexer redis, CacheMemory memory, IOptions<CacheOptions> options, ILogger<ResponseCache> logger)
{
    private static readonly byte[] s_format = "aig-cache-v1\n"u8.ToArray();

    public CacheOptions Options => options.Value;

    /// <summary>The cached JSON; null on a miss. Throws <see cref="CacheUnavailableException"/> when Redis cannot answer.</summary>
    public ValueTask<byte[]?> GetAsync(string key) =>
        memory.TryGet(key, out var answer) ? ValueTask.FromResult(answer) : new ValueTask<byte[]?>(GetFromRedisAsync(key));

    private async Task<byte[]?> GetFromRedisAsync(string key)
    {
        RedisValue value;
        try
        {
            value = await redis.GetDatabase().StringGetAsync(key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            CacheLog.Unavailable(logger, ex.Message);
            throw new CacheUnavailableException(ex);
        }

        if (!value.HasValue)
        {
            return null;
        }

        var stored = (byte[])value!;
        if (!stored.AsSpan().StartsWith(s_format))
        {
            CacheLog.ForeignEntry(logger, key);
            return null;
        }

        var answer = stored[s_format.Length..];
        _ = RememberAsync(key, answer);
        return answer;
    }

    /// <summary>
    /// Copies an answer read from Redis into this replica's memory for the time it has left there. Not awaited by the
    /// request: the time is asked for while the answer goes out. Only answers asked for again come here: most are stored
    /// once and never asked for again, and a miss is left with its one round trip.
    /// </summary>
    private async Task RememberAsync(string key, byte[] answer)
    {
        try
        {
            if (await redis.GetDatabase().KeyTimeToLiveAsync(key) is { } left)
            {
                memory.Set(key, answer, left);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            CacheLog.Unavailable(logger, ex.Message);
        }
    }

    /// <summary>
    /// Stores an answer without waiting for Redis's reply (the client already has its answer; nothing waits on this
    /// write), so a miss costs the Gateway no extra round trip. A failure to send is logged and otherwise ignored.
    /// </summary>
    public void Set(string key, ReadOnlySpan<byte> json, TimeSpan ttl)
    {
        var value = new byte[s_format.Length + json.Length];
        s_format.CopyTo(value, 0);
        json.CopyTo(value.AsSpan(s_format.Length));
        try
        {
            redis.GetDatabase().StringSet(key, value, ttl, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            CacheLog.Unavailable(logger, ex.Message);
        }
    }
}

public sealed class CacheUnavailableException(Exception inner) : Exception("The response cache is unavailable.", inner);
