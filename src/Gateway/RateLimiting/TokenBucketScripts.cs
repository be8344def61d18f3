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
    /// With the admission, a replica's lease on each bucket is renewed: its unused units (give; negative for a debt) go
    /// back first, whatever the outcome, and when the request is admitted up to want units more are taken, as many as
    /// the bucket holds after the request's cost.
    /// KEYS: the buckets. ARGV: now_ms, then capacity, cost, want and give per bucket.
    /// Returns: allowed (1/0), retry_after_ms (-1 when a cost exceeds its capacity and can never pass), then per
    /// bucket: level after the call (floored), ms until it is full again, and the units granted to the lease.
    /// </summary>
    public const string Admit = """
        local now = tonumber(ARGV[1])
        local n = #KEYS
        local levels, times = {}, {}
        local allowed, retry = 1, 0
        for i = 1, n do
          local at = 4 * (i - 1) + 1
          local cap, cost, give = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2]), tonumber(ARGV[at + 4])
          local rate = cap / 60000
          local state = redis.call('HMGET', KEYS[i], 'l', 't')
          local level, t = tonumber(state[1]), tonumber(state[2])
          if level == nil then
            level, t = cap, now
          elseif now > t then
            level, t = math.min(cap, level + (now - t) * rate), now
          end
          level = math.min(cap, level + give)
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
          local at = 4 * (i - 1) + 1
          local cap = tonumber(ARGV[at + 1])
          local level, granted = levels[i], 0
          if allowed == 1 then
            level = level - tonumber(ARGV[at + 2])
            granted = math.max(0, math.min(tonumber(ARGV[at + 3]), math.floor(level)))
            level = level - granted
          end
          local toFull = math.ceil((cap - level) / (cap / 60000))
          if allowed == 1 or tonumber(ARGV[at + 4]) ~= 0 then
            redis.call('HSET', KEYS[i], 'l', tostring(level), 't', tostring(times[i]))
            redis.call('PEXPIRE', KEYS[i], toFull + 1000)
          end
          result[#result + 1] = math.floor(level)
          result[#result + 1] = toFull
          result[#result + 1] = granted
        end
        return result
        """;

    /// <summary>
    /// Corrects a reservation once the real cost is known, or gives back what an ended lease did not use: a positive
    /// delta charges more (the level may go below zero, a debt later requests wait for), a negative one gives back. KEYS[1]: bucket. ARGV: now_ms, capacity, delta.
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
