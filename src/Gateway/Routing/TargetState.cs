using AiPlatform.Gateway.Resilience;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// What this Gateway replica knows of one upstream address. Thread-safe; read by every request that considers the
/// target, so the reads are plain field reads.
/// </summary>
public sealed class TargetState(string address, TargetCircuit circuit, RecentAttempts recent)
{
    private int _outstanding;
    private long _coolDownUntil;

    /// <summary>The address the state belongs to (the target's base URL).</summary>
    public string Address { get; } = address;

    /// <summary>Requests this replica has in flight to the target.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>The load the worker behind the target last announced; null for a target that does not announce itself.</summary>
    public WorkerLoad? Load { get; set; }

    /// <summary>Outlier ejection: whether the target is taken out after failures.</summary>
    public TargetCircuit Circuit { get; } = circuit;

    /// <summary>Its attempts of the last minute, for the admin API (<c>GET /v1/admin/backends</c>).</summary>
    public RecentAttempts Recent { get; } = recent;

    public void Enter() => Interlocked.Increment(ref _outstanding);

    public void Exit() => Interlocked.Decrement(ref _outstanding);

    /// <summary>A provider's 429 asked us to wait until this timestamp (<see cref="TimeProvider.GetTimestamp"/>); 0 when not.</summary>
    public long CoolDownUntil => Volatile.Read(ref _coolDownUntil);

    public void CoolDown(long until) => Volatile.Write(ref _coolDownUntil, until);

    /// <summary>Whether a request may be sent now: not ejected (or due a half-open probe), not cooling down after a 429.</summary>
    public bool IsAvailable(long now) => CoolDownUntil <= now && Circuit.AllowsRequest(now);
}
