namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// What one admission through Redis also does for this replica's leases: per bucket, the units to take ahead of need
/// and those to give back. Redis grants the new units only when it admits the request, and only what the bucket holds
/// after the request's own cost.
/// </summary>
public sealed class LeaseRenewal
{
    /// <summary>An admission that renews nothing (leases off, or every bucket too small to lease).</summary>
    public static readonly LeaseRenewal None = new();

    private readonly BucketLease?[] _leases = new BucketLease?[LimitKinds.Count];
    private readonly long[] _want = new long[LimitKinds.Count];
    private readonly long[] _give = new long[LimitKinds.Count];
    private readonly long _expiresAt;

    private LeaseRenewal()
    {
    }

    internal LeaseRenewal(long expiresAt) => _expiresAt = expiresAt;

    public long WantOf(LimitKind kind) => _want[(int)kind];

    public long GiveOf(LimitKind kind) => _give[(int)kind];

    internal void Add(LimitKind kind, BucketLease lease, long want, long give) =>
        (_leases[(int)kind], _want[(int)kind], _give[(int)kind]) = (lease, want, give);

    /// <summary>Redis's answer for one bucket: the units it granted and its level after the call.</summary>
    public void Granted(LimitKind kind, long granted, long sharedLevel, long sharedToFullMs)
    {
        _leases[(int)kind]?.EndRenewal(granted, sharedLevel, sharedToFullMs, _expiresAt);
        _leases[(int)kind] = null;
    }

    /// <summary>The admission failed: every lease not yet answered ends its renewal (see <see cref="BucketLease.AbortRenewal"/>).</summary>
    public void Abort()
    {
        for (var i = 0; i < _leases.Length; i++)
        {
            _leases[i]?.AbortRenewal(_give[i]);
            _leases[i] = null;
        }
    }
}
