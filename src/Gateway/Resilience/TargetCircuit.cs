namespace AiPlatform.Gateway.Resilience;

/// <summary>
/// Outlier ejection for one target, as a circuit breaker: closed while it answers; open (ejected) after
/// <see cref="OutlierOptions.ConsecutiveFailures"/> failures in a row or a failure ratio over the window, for a time
/// that doubles on each repeat; then half-open, where one request probes it: success closes the circuit, failure opens
/// it again for longer. Times are <see cref="TimeProvider.GetTimestamp"/> values. Thread-safe.
/// </summary>
public sealed class TargetCircuit(OutlierOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _ejectedUntil;
    private bool _probing;
    private int _consecutiveFailures;
    private int _ejections;
    private long _windowStart;
    private int _windowRequests;
    private int _windowFailures;

    /// <summary>Whether the circuit is open, the ejection not yet over.</summary>
    public bool IsEjected(long now) => Volatile.Read(ref _ejectedUntil) > now;

    /// <summary>Closed, or open with its ejection over and no probe under way. A plain read when closed.</summary>
    public bool AllowsRequest(long now)
    {
        var until = Volatile.Read(ref _ejectedUntil);
        return until == 0 || (until <= now && !Volatile.Read(ref _probing));
    }

    /// <summary>Takes the target for a request; false when another request took the half-open probe first.</summary>
    public bool TryEnter(long now, out bool probe)
    {
        probe = false;
        if (Volatile.Read(ref _ejectedUntil) == 0)
        {
            return true;
        }

        lock (_gate)
        {
            if (_ejectedUntil == 0)
            {
                return true;
            }

            if (_ejectedUntil > now || _probing)
            {
                return false;
            }

            _probing = probe = true;
            return true;
        }
    }

    public void OnSuccess(long now)
    {
        if (Volatile.Read(ref _ejectedUntil) == 0 && Volatile.Read(ref _consecutiveFailures) == 0 && !WindowDue(now))
        {
            // The common case, a healthy target, without the lock; the window's success count is only a ratio's denominator.
            Interlocked.Increment(ref _windowRequests);
            return;
        }

        lock (_gate)
        {
            Count(now, failed: false);
            _consecutiveFailures = 0;
            if (_probing)
            {
                _probing = false;
                Volatile.Write(ref _ejectedUntil, 0);
            }
        }
    }

    /// <summary>Counts a failure; true when it ejected the target.</summary>
    public bool OnFailure(long now, out TimeSpan ejection)
    {
        ejection = default;
        lock (_gate)
        {
            Count(now, failed: true);
            _consecutiveFailures++;
            var trips = _probing
                || _consecutiveFailures >= options.ConsecutiveFailures
                || (_windowRequests >= options.MinimumRequests && _windowFailures >= options.FailureRatio * _windowRequests);
            _probing = false;
            if (!trips || (_ejectedUntil > now))
            {
                return false;
            }

            ejection = EjectionTime(++_ejections);
            Volatile.Write(ref _ejectedUntil, now + (long)(ejection.TotalSeconds * time.TimestampFrequency));
            _consecutiveFailures = 0;
            _windowRequests = _windowFailures = 0;
            return true;
        }
    }

    /// <summary>The request told nothing of the target's health (it was busy, or the client left): a probe is given back.</summary>
    public void OnNeutral()
    {
        if (Volatile.Read(ref _probing))
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }

    private TimeSpan EjectionTime(int ejections)
    {
        var factor = Math.Pow(2, Math.Min(ejections - 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(options.BaseEjection.Ticks * factor, options.MaxEjection.Ticks));
    }

    private bool WindowDue(long now) => now - Volatile.Read(ref _windowStart) >= options.Window.TotalSeconds * time.TimestampFrequency;

    /// <summary>Under the lock. A new window starts when the last one is over; a target closed for a whole ejection span is forgiven its past ejections.</summary>
    private void Count(long now, bool failed)
    {
        if (WindowDue(now))
        {
            if (_ejectedUntil == 0 && _windowFailures == 0)
            {
                _ejections = 0;
            }

            _windowStart = now;
            _windowRequests = 0;
            _windowFailures = 0;
        }

        _windowRequests++;
        if (failed)
        {
            _windowFailures++;
        }
    }
}
