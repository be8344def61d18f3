namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// The Redis side of the limits: token buckets changed atomically by Lua, so that every Gateway replica sees and
/// updates the same counts. A bucket of capacity C refills continuously at C per minute (GCRA-equivalent: no fixed
/// window that would let 2C through at a boundary). State per bucket is a hash {l: level, t: ms of last update}.
/// The caller passes the time (its <see cref="TimeProvider"/>); a bucket never moves back in time, so replicas with
/// slightly different clocks cannot refill it twice.
/// </summary>
internal static class TokenBucketScripts
{
    /// <summary>
    /// Admission over N buckets at once: either every bucket has room for its cost and all are charged, or none is.
    /// KEYS: the buckets. ARGV: now_ms, then capacity and cost per bucket.
    /// Returns: allowed (1/0), retry_after_ms (-1 when a cost exceeds its capacity and can never pass), then per
    /// bucket: level after the call (floored) and ms until it is full again.
    /// </summary>
    public const string Admit = """
        local now = tonumber(ARGV[1])
        local n = #KEYS
        local levels, times = {}, {}
        local allowed, retry = 1, 0
        for i = 1, n do
          local cap = tonumber(ARGV[2 * i])
          local cost = tonumber(ARGV[2 * i + 1])
          local rate = cap / 60000
          local state = redis.call('HMGET', KEYS[i], 'l', 't')
          local level, t = tonumber(state[1]), tonumber(state[2])
          if level == nil then
            level, t = cap, now
          elseif now > t then
            level, t = math.min(cap, level + (now - t) * rate), now
          end
          levels[i], times[i] = level, t
          if cost > cap then
            allowed, retry = 0, -1
          elseif level < cost and retry ~= -1 then
            allowed = 0
            local wait = math.ceil((cost - level) / rate)
            if wait > retry then retry = wait end
          end
        end
        local result = {allowed, retry}
        for i = 1, n do
          local cap = tonumber(ARGV[2 * i])
          local level = levels[i]
          if allowed == 1 then
            level = level - tonumber(ARGV[2 * i + 1])
            redis.call('HSET', KEYS[i], 'l', tostring(level), 't', tostring(times[i]))
          end
          local toFull = math.ceil((cap - level) / (cap / 60000))
          if allowed == 1 then redis.call('PEXPIRE', KEYS[i], toFull + 1000) end
          result[#result + 1] = math.floor(level)
          result[#result + 1] = toFull
        end
        return result
        """;

    /// <summary>
    /// Corrects a reservation once the real cost is known: a positive delta charges more (the level may go below
    /// zero, a debt later requests wait for), a negative one gives back. KEYS[1]: bucket. ARGV: now_ms, capacity, delta.
    /// Returns the level after (floored).
    /// </summary>
    public const string Adjust = """
        local now, cap, delta = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local rate = cap / 60000
        local state = redis.call('HMGET', KEYS[1], 'l', 't')
        local level, t = tonumber(state[1]), tonumber(state[2])
        if level == nil then
          level, t = cap, now
        elseif now > t then
          level, t = math.min(cap, level + (now - t) * rate), now
        end
        level = math.min(cap, level - delta)
        redis.call('HSET', KEYS[1], 'l', tostring(level), 't', tostring(t))
        redis.call('PEXPIRE', KEYS[1], math.ceil((cap - level) / rate) + 1000)
        return math.floor(level)
        """;
}
