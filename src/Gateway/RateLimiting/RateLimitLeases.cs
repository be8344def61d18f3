using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// This replica's leases on the shared buckets (<see cref="BucketLease"/>). A bucket is leased when a lease of
/// <see cref="RateLimitOptions.MaxLeaseFraction"/> of its capacity is at least one unit, so small limits stay exact
/// per request; a larger one is exact to within one lease per replica (a request may be refused while another replica
/// holds unused units, never admitted beyond the limit). A lease lives <see cref="RateLimitOptions.LeasePeriod"/>;
/// what it did not use goes back to Redis at its next renewal or, once it has ended, within a period.
/// </summary>
public sealed class RateLimitLeases : IDisposable
{
    private readonly ConcurrentDictionary<(LimitKind, string), BucketLease> _leases = new();
    private readonly RedisRateLimiter _shared;
    private readonly TimeProvider _time;
    private readonly double _maxFraction;
    private readonly long _period;
    private readonly ITimer? _sweeper;

    public RateLimitLeases(RedisRateLimiter shared, IOptions<RateLimitOptions> options, TimeProvider time)
    {
        (_shared, _time) = (shared, time);
        var settings = options.Value;
        _maxFraction = settings.MaxLeaseFraction;
        _period = (long)(settings.LeasePeriod.TotalSeconds * time.TimestampFrequency);
        if (Enabled)
        {
            _sweeper = time.CreateTimer(_ => Sweep(time.GetTimestamp()), null, settings.LeasePeriod, settings.LeasePeriod);
        }
    }

    private bool Enabled => _maxFraction > 0 && _period > 0;

    /// <summary>The request admitted against this replica's leases alone; null when one of its buckets needs Redis.</summary>
    public RateLimitDecision? TryAdmit(RateLimitRequest request)
    {
        if (!Enabled)
        {
            return null;
        }

        var now = _time.GetTimestamp();
        var taken = new TakenLeases();
        foreach (var kind in LimitKinds.All)
        {
            if (!request.TryGetBucket(kind, out var scope, out var capacity, out var cost))
            {
                continue;
            }

            if (!TryTake(kind, scope, capacity, cost, now, out var lease))
            {
                GiveBack(taken, request);
                return null;
            }

            taken[(int)kind] = lease;
        }

        var (requests, tokens) = (taken[(int)LimitKind.Requests], taken[(int)LimitKind.Tokens]);
        return new RateLimitDecision(true, TimeSpan.Zero, null, requests?.State(), tokens?.State(), tokens is null ? 0 : request.TokenEstimate);
    }

    /// <summary>A request refused by one of its leases gives back what the others gave it.</summary>
    private static void GiveBack(TakenLeases taken, RateLimitRequest request)
    {
        foreach (var kind in LimitKinds.All)
        {
            if (taken[(int)kind] is { } lease && request.TryGetBucket(kind, out _, out _, out var cost))
            {
                lease.Give(cost);
            }
        }
    }

    /// <summary>The renewals to ride on an admission through Redis: for each leased bucket not already being renewed.</summary>
    public LeaseRenewal BeginRenewal(RateLimitRequest request)
    {
        if (!Enabled)
        {
            return LeaseRenewal.None;
        }

        var now = _time.GetTimestamp();
        LeaseRenewal? renewal = null;
        foreach (var kind in LimitKinds.All)
        {
            if (request.TryGetBucket(kind, out var scope, out var capacity, out var cost))
            {
                Renew(ref renewal, kind, scope, capacity, cost, now);
            }
        }

        return renewal ?? LeaseRenewal.None;
    }

    /// <summary>
    /// Settles a difference (positive: units given back) into the live lease of a bucket; false when there is none, and
    /// the caller settles with Redis.
    /// </summary>
    public bool TryCredit(LimitKind kind, string scope, long capacity, long units) =>
        Enabled && _leases.TryGetValue((kind, scope), out var lease) && lease.Capacity == capacity && lease.TryCredit(units, _time.GetTimestamp());

    /// <summary>At shutdown, gives every lease's units back.</summary>
    public void Dispose()
    {
        _sweeper?.Dispose();
        Sweep(long.MaxValue);
    }

    private bool TryTake(LimitKind kind, string scope, long capacity, long cost, long now, out BucketLease? lease) =>
        _leases.TryGetValue((kind, scope), out lease) && lease.Capacity == capacity && lease.TryTake(cost, now);

    /// <summary>The lease each kind of bucket admitted a request against, by <see cref="LimitKind"/>, on the stack.</summary>
    [InlineArray(LimitKinds.Count)]
    private struct TakenLeases
    {
        private BucketLease? _first;
    }

    private void Renew(ref LeaseRenewal? renewal, LimitKind kind, string scope, long capacity, long cost, long now)
    {
        var maxUnits = (long)(capacity * _maxFraction);
        if (maxUnits < 1)
        {
            return;
        }

        var lease = _leases.GetOrAdd((kind, scope), static (id, state) =>
            new BucketLease(RedisRateLimiter.BucketKey(id.Item1, id.Item2), state.capacity, state.now), (capacity, now));
        if (lease.Capacity != capacity)
        {
            // The limit changed (the key was edited): the old lease's units go back and a new one starts, from the next
            // request on; while the old one is being renewed, it stays until that ends.
            if (lease.TryRetire(out var units))
            {
                GiveBack(lease, units);
                _leases.TryUpdate((kind, scope), new BucketLease(lease.RedisKey, capacity, now), lease);
            }

            return;
        }

        if (lease.TryBeginRenewal(cost, now, _period, maxUnits, out var want, out var give))
        {
            renewal ??= new LeaseRenewal(now + _period);
            renewal.Add(kind, lease, want, give);
        }
    }

    private void Sweep(long now)
    {
        foreach (var (id, lease) in _leases)
        {
            GiveBack(lease, lease.TakeEnded(now));
            // Forgotten a period after it ended, so that a key no longer used costs no memory.
            if (lease.IsExpired(now - _period) && lease.TryRetire(out var units))
            {
                GiveBack(lease, units);
                _leases.TryRemove(KeyValuePair.Create(id, lease));
            }
        }
    }

    private void GiveBack(BucketLease lease, long units)
    {
        if (units == 0)
        {
            return;
        }

        try
        {
            _shared.Adjust(lease.RedisKey, lease.Capacity, -units);
        }
        catch (Exception)
        {
            // Redis is away (or anything else failed: this runs on the sweeper's timer, where an exception would end the
            // process): the units stay with the lease and the next sweep tries again.
            lease.Give(units);
        }
    }
}
