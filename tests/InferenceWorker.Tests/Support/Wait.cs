namespace AiPlatform.InferenceWorker.Tests.Support;

public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds, failing the test after <see cref="DefaultTimeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + DefaultTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>An HTTP client to a real port that closes its connection at once when a response is dropped unread.</summary>
    public static HttpClient RealClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = baseAddress, Timeout = DefaultTimeout };

    /// <summary>Reads a streamed answer until <paramref name="count"/> <c>data:</c> events have arrived.</summary>
    public static async Task<List<string>> ReadEventsAsync(Stream stream, int count)
    {
        var reader = new StreamReader(stream);
        var events = new List<string>();
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync().WaitAsync(DefaultTimeout) ?? throw new InvalidOperationException("The stream ended early.");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line);
            }
        }

        return events;
    }
}
