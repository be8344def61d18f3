namespace AiPlatform.Testing;

/// <summary>Polls a condition that becomes true asynchronously (a reconnect, a propagation), bounded by a timeout.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string? because = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // A transient failure while the condition's subject recovers counts as "not yet".
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0} s{(because is null ? "" : ": " + because)}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Repeats <paramref name="action"/> until its result satisfies <paramref name="accept"/> (default: 10 s).</summary>
    public static async Task<T> ResultAsync<T>(Func<Task<T>> action, Func<T, bool> accept, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await action();
            if (accept(result) || DateTime.UtcNow >= deadline)
            {
                return result;
            }

            (result as IDisposable)?.Dispose();
            await Task.Delay(50);
        }
    }
}
