namespace AiPlatform.Testing;

/// <summary>
/// Upper bounds for waits in tests, so a hang fails one test with a message instead of stalling the
/// whole run. Use with <see cref="Task.WaitAsync(TimeSpan)"/>.
/// </summary>
public static class TestTimeouts
{
    /// <summary>Generous enough for a loaded 2-core CI machine, short enough to notice a hang.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);
}
