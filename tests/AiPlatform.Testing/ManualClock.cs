namespace AiPlatform.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose wall-clock time (<see cref="GetUtcNow"/>) moves only when a test says so,
/// while timers and timestamps stay real: rate-limit windows become deterministic, but timeouts, delays and
/// background loops of the code under test keep working.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
