using System.Collections.Concurrent;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// Coalesces identical cache misses on this replica: the first request goes upstream, the ones that arrive while it
/// is answered wait for its answer and are served from it. Thread-safe.
/// </summary>
public sealed class SingleFlight
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]?>> _leaders = new(StringComparer.Ordinal);

    /// <summary>
    /// True when the caller leads (it must call <see cref="Complete"/> whatever happens); otherwise
    /// <paramref name="answer"/> completes with the leader's answer, or null when the leader had none to share.
    /// </summary>
    public bool TryLead(string key, out TaskCompletionSource<byte[]?> leader, out Task<byte[]?> answer)
    {
        var mine = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        leader = _leaders.GetOrAdd(key, mine);
        answer = leader.Task;
        return ReferenceEquals(leader, mine);
    }

    public void Complete(string key, TaskCompletionSource<byte[]?> leader, byte[]? answer)
    {
        _leaders.TryRemove(new KeyValuePair<string, TaskCompletionSource<byte[]?>>(key, leader));
        leader.TrySetResult(answer);
    }
}
