using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace AiPlatform.Faults.Tests.Load;

/// <summary>
/// A steady stream of requests from a few clients, each with its own connections and one request at a time, paced so that
/// together they send <c>requestsPerSecond</c>. Every answer is kept with its <c>aig-request-id</c>, status and time; a
/// request that got no answer (the connection broke) is counted apart. Stopping lets the requests in flight finish, so
/// that every request the Gateway answered is also an answer here.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<string> _unanswered = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient[] _clients;
    private readonly Task[] _running;

    private SteadyLoad(Uri gateway, int clients, double requestsPerSecond, Func<int, HttpRequestMessage> request)
    {
        var interval = TimeSpan.FromSeconds(clients / requestsPerSecond);
        var sent = 0;
        _clients = [.. Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) })];
        _running = [.. _clients.Select(client => Task.Run(() => RunClientAsync(client, interval, () => request(Interlocked.Increment(ref sent)))))];
    }

    /// <summary>Time since the load started, on the clock of <see cref="Answer.At"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<Answer> Answers => [.. _answers];

    /// <summary>Why each request that got no answer failed (the exception's type and message).</summary>
    public IReadOnlyList<string> Unanswered => [.. _unanswered];

    /// <summary>Starts sending at once; <paramref name="request"/> makes the n-th request (1, 2, …), for any client.</summary>
    public static SteadyLoad Start(Uri gateway, int clients, double requestsPerSecond, Func<int, HttpRequestMessage> request) =>
        new(gateway, clients, requestsPerSecond, request);

    /// <summary>Sends no new request, and returns once the ones in flight have their answer or their failure.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private async Task RunClientAsync(HttpClient client, TimeSpan interval, Func<HttpRequestMessage> next)
    {
        // A request that takes longer than the interval delays the next tick; the ones it missed are not made up.
        using var timer = new PeriodicTimer(interval);
        do
        {
            using var request = next();
            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                var id = response.Headers.TryGetValues("aig-request-id", out var values) ? values.Single() : null;
                _answers.Enqueue(new Answer(id, response.StatusCode, _clock.Elapsed));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _unanswered.Enqueue($"{ex.GetType().Name}: {ex.Message}");
            }
        }
        while (await WaitForNextTickAsync(timer));
    }

    private async Task<bool> WaitForNextTickAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>One answer a client got: the request id the Gateway gave it, its status, and when (since the load started).</summary>
public sealed record Answer(string? RequestId, HttpStatusCode Status, TimeSpan At);
