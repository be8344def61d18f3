using System.Net;
using System.Net.Sockets;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>One bounded readiness check each; any failure to answer counts as "not yet".</summary>
internal static class Probes
{
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(3);

    // No proxy: an http_proxy meant for the internet must not stand between the AppHost and 127.0.0.1.
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = s_attemptTimeout })
    {
        Timeout = s_attemptTimeout,
    };

    /// <summary>Speaks RESP directly: an inline PING answered by +PONG (a loading Redis answers -LOADING).</summary>
    public static async Task<bool> RedisAnswersPingAsync(int port, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(s_attemptTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), attempt.Token);
            var reply = new byte[64];
            var read = await stream.ReadAsync(reply, attempt.Token);
            return reply.AsSpan(0, read).StartsWith("+PONG"u8);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>GET <c>{baseUrl}/health</c> answers 200: the service runs and its dependencies answer.</summary>
    public static async Task<bool> HttpHealthyAsync(string baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s_http.GetAsync($"{baseUrl}/health", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
