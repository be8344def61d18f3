using StackExchange.Redis;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// Replaces the hash <c>aig:prices</c> with a snapshot of the price table (see <see cref="PriceRecordFormat"/>) in one
/// Lua script: delete and refill happen together, and a snapshot older than the one Redis holds is dropped, since
/// rewrites come from requests, the retry loop and start-ups of any replica in no guaranteed order. Thread-safe.
/// </summary>
public sealed class PriceRedisWriter(IConnectionMultiplexer redis)
{
    // KEYS: hash, version. ARGV: version, then model/json pairs. Returns 1 when written, 0 when Redis holds a newer one.
    private const string WriteScript = """
        local current = redis.call('GET', KEYS[2])
        if current and tonumber(current) > tonumber(ARGV[1]) then
            return 0
        end
        redis.call('DEL', KEYS[1])
        for i = 2, #ARGV, 2 do
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        redis.call('SET', KEYS[2], ARGV[1])
        return 1
        """;

    public bool IsConnected => redis.IsConnected;

    /// <summary>Writes <paramref name="snapshot"/>; false when Redis already holds a newer version, which is kept.</summary>
    public async Task<bool> WriteAsync(PriceSnapshot snapshot)
    {
        var arguments = new RedisValue[1 + snapshot.Prices.Count * 2];
        arguments[0] = PriceRecordFormat.VersionValue(snapshot.Version);
        for (var i = 0; i < snapshot.Prices.Count; i++)
        {
            arguments[1 + i * 2] = snapshot.Prices[i].Model;
            arguments[2 + i * 2] = PriceRecordFormat.ToJson(snapshot.Prices[i]);
        }

        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            WriteScript, [PriceRecordFormat.RedisKey, PriceRecordFormat.VersionKey], arguments);
        return (int)result == 1;
    }
}
