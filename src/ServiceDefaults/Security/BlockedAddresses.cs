using System.Collections.Concurrent;

namespace AiPlatform.ServiceDefaults.Security;

/// <summary>
/// Client addresses this replica refuses until a time, after too many failed authentications: checking is a memory read,
/// so honest traffic pays nothing for it. Entries go when they are found expired. Thread-safe.
/// </summary>
public sealed class BlockedAddresses(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _blockedUntil = new(StringComparer.Ordinal);

    public void Block(string address, TimeSpan duration) =>
        _blockedUntil[address] = time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency);

    /// <summary>Whether <paramref name="address"/> is refused now, and for how long still.</summary>
    public bool IsBlocked(string address, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (_blockedUntil.IsEmpty || !_blockedUntil.TryGetValue(address, out var until))
        {
            return false;
        }

        var now = time.GetTimestamp();
        if (now >= until)
        {
            _blockedUntil.TryRemove(new KeyValuePair<string, long>(address, until));
            return false;
        }

        remaining = time.GetElapsedTime(now, until);
        return true;
    }
}
