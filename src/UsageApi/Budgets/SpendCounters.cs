using System.Globalization;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>The spend counters in Redis (<see cref="SpendFormat"/>), as UsageApi reads and raises them. Thread-safe.</summary>
public sealed class SpendCounters(IConnectionMultiplexer redis)
{
    // KEYS: counter. ARGV: ledger sum (decimal text), time to live in ms (0 = none).
    // Sets the counter to max(counter, ledger sum) and gives a period counter without expiry its expiry. Atomic: a
    // Gateway's INCRBYFLOAT lands either before (and is kept, if above the sum) or after (and adds to the result).
    // Returns {1 when raised else 0, the value before}.
    private const string RaiseScript = """
        local before = redis.call('GET', KEYS[1])
        local raised = 0
        if tonumber(ARGV[1]) > (tonumber(before or '0') or 0) then
            redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
            raised = 1
        end
        local ttl = tonumber(ARGV[2])
        if ttl > 0 and redis.call('PTTL', KEYS[1]) == -1 then
            redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return {raised, before or ''}
        """;

    /// <summary>
    /// Raises the counter <paramref name="redisKey"/> to <paramref name="ledgerSum"/> unless it is already at or above
    /// it, and gives it <paramref name="timeToLive"/> if it has no expiry; returns whether it was raised and the value
    /// it had (null when absent). The expiry is relative, so that it follows UsageApi's clock, not Redis's.
    /// </summary>
    public async Task<(bool Raised, decimal? Before)> RaiseAsync(string redisKey, decimal ledgerSum, TimeSpan? timeToLive)
    {
        var ttl = timeToLive is { } value ? Math.Max(1, (long)value.TotalMilliseconds) : 0;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RaiseScript, [redisKey], [Format(ledgerSum), ttl]))!;
        return ((int)result[0] == 1, Parse(result[1].ToString()));
    }

    /// <summary>The counter's value; 0 when it does not exist.</summary>
    public async Task<decimal> ReadAsync(string redisKey) =>
        Parse((await redis.GetDatabase().StringGetAsync(redisKey)).ToString()) ?? 0m;

    /// <summary>USD as Redis keeps it: plain decimal notation, which both Lua's tonumber and INCRBYFLOAT read.</summary>
    public static string Format(decimal usd) => usd.ToString("0.#########", CultureInfo.InvariantCulture);

    private static decimal? Parse(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var usd) ? usd : null;
}
