namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// Units of one shared bucket that this replica has taken from Redis ahead of need, so that requests are admitted
/// against them without a round trip. The units were charged to the shared bucket when taken: admitting against them
/// can never let more through than the limit; what is not used goes back when the lease ends. The balance goes
/// negative when settled answers used more tokens than they reserved: a debt the next renewal charges. Thread-safe
/// without locks: each field changes by one interlocked operation, and <see cref="_state"/> orders the rest — units
/// are granted only to a lease being renewed, and a lease is retired (its units given back, then forgotten) only when
/// no renewal runs, so no grant can land on a lease nobody holds any more.
/// </summary>
public sealed class BucketLease(string redisKey, long capacity, long createdAt)
{
    private const int Idle = 0;
    private const int Renewing = 1;
    private const int Retired = 2;

    private long _balance;
    private long _expiresAt = createdAt;
    // As if last renewed long ago: the first renewal sees a demand of one request over a long time and wants nothing,
    // so a key or address seen once takes no lease (and costs no second call to give it back).
    private long _renewedAt = createdAt - (long.MaxValue / 4);
    private long _demand;
    private int _state;
    private long _sharedLevel = capacity;
    private long _sharedToFullMs;

    public string RedisKey => redisKey;

    public long Capacity { get; } = capacity;

    public long Balance => Interlocked.Read(ref _balance);

    public bool IsExpired(long now) => now >= Interlocked.Read(ref _expiresAt);

    /// <summary>Takes <paramref name="cost"/> units when the lease is live and holds them.</summary>
    public bool TryTake(long cost, long now)
    {
        if (cost < 0 || IsExpired(now))
        {
            return false;
        }

        var balance = Interlocked.Read(ref _balance);
        while (balance >= cost)
        {
            var seen = Interlocked.CompareExchange(ref _balance, balance - cost, balance);
            if (seen == balance)
            {
                Interlocked.Add(ref _demand, cost);
                return true;
            }

            balance = seen;
        }

        return false;
    }

    /// <summary>Puts units back: those of a request another bucket refused, or a settlement's difference.</summary>
    public void Give(long units) => Interlocked.Add(ref _balance, units);

    /// <summary>Settles into a live lease; false when it has ended, and the caller settles with Redis instead.</summary>
    public bool TryCredit(long units, long now)
    {
        if (IsExpired(now))
        {
            return false;
        }

        Interlocked.Add(ref _balance, units);
        return true;
    }

    /// <summary>The limit's state as the headers report it: the shared level at the last renewal plus what this replica holds.</summary>
    public LimitState State() =>
        new(Capacity, Math.Max(0, Interlocked.Read(ref _sharedLevel) + Balance), TimeSpan.FromMilliseconds(Interlocked.Read(ref _sharedToFullMs)));

    /// <summary>
    /// Starts a renewal (one at a time per lease): takes the balance to give back and sizes the next lease at twice the
    /// recent demand per <paramref name="period"/>, at most <paramref name="maxUnits"/>. A rarely used key wants nothing,
    /// so its requests go to Redis as without leases.
    /// </summary>
    public bool TryBeginRenewal(long cost, long now, long period, long maxUnits, out long want, out long give)
    {
        (want, give) = (0, 0);
        if (Interlocked.CompareExchange(ref _state, Renewing, Idle) != Idle)
        {
            return false;
        }

        var demand = Interlocked.Exchange(ref _demand, 0) + cost;
        var elapsed = Math.Max(now - Interlocked.Exchange(ref _renewedAt, now), period);
        want = Math.Min(maxUnits, (long)(2.0 * demand * period / elapsed));
        give = Interlocked.Exchange(ref _balance, 0);
        return true;
    }

    /// <summary>Ends a renewal with what Redis granted and the shared level it reported.</summary>
    public void EndRenewal(long granted, long sharedLevel, long sharedToFullMs, long expiresAt)
    {
        Interlocked.Add(ref _balance, granted);
        Interlocked.Exchange(ref _sharedLevel, sharedLevel);
        Interlocked.Exchange(ref _sharedToFullMs, sharedToFullMs);
        Interlocked.Exchange(ref _expiresAt, expiresAt);
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>
    /// Ends a renewal whose outcome is unknown (Redis failed or timed out, perhaps after running the call): units meant
    /// to go back are treated as gone, a debt is kept to be charged later. Both err toward limiting, never past it.
    /// </summary>
    public void AbortRenewal(long give)
    {
        if (give < 0)
        {
            Interlocked.Add(ref _balance, give);
        }

        Volatile.Write(ref _state, Idle);
    }

    /// <summary>
    /// Retires the lease when no renewal runs and none can start after: returns its units (to give back to the shared
    /// bucket), and the caller forgets it. False while a renewal runs, or when it was retired already.
    /// </summary>
    public bool TryRetire(out long units)
    {
        units = 0;
        if (Interlocked.CompareExchange(ref _state, Retired, Idle) != Idle)
        {
            return false;
        }

        units = Interlocked.Exchange(ref _balance, 0);
        return true;
    }

    /// <summary>
    /// The units of an ended lease, to give back to the shared bucket (negative: a debt to charge); zero while the
    /// lease is live or being renewed.
    /// </summary>
    public long TakeEnded(long now) =>
        IsExpired(now) && Volatile.Read(ref _state) == Idle ? Interlocked.Exchange(ref _balance, 0) : 0;
}
