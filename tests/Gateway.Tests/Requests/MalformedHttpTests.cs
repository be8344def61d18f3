using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.Requests;

/// <summary>
/// HTTP that Kestrel refuses while the Gateway reads the body: the client's mistake, answered with its status in
/// OpenAI's shape and logged once at debug level, never as an unhandled error.
/// </summary>
public sealed class MalformedHttpTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Chat_BadChunkSize_400InOpenAiShapeLoggedAtDebugWithoutError()
    {
        var logs = new LogCapture();
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:AiPlatform.ClientErrors"] = "Debug",
        }, logs);

        var answer = await SendRawAsync(gateway.Url,
            "POST /v1/chat/completions HTTP/1.1\r\n" +
            $"Host: {gateway.Url.Authority}\r\n" +
            $"Authorization: Bearer {gateway.ApiKey}\r\n" +
            "Content-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Connection: close\r\n\r\n" +
            "zz\r\n{}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        // The body may come chunked: the JSON object is what lies between its braces.
        var body = answer[answer.IndexOf('{', StringComparison.Ordinal)..(answer.LastIndexOf('}') + 1)];
        using var json = JsonDocument.Parse(body);
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Single(logs.Messages(9900));
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Theory]
    [InlineData(65, 10)]
    [InlineData(1, 33 * 1024)]
    public async Task Chat_MoreHeadersThanTheGatewaysLimits_431FromKestrelBeforeAnyWork(int headers, int valueLength)
    {
        var logs = new LogCapture();
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>(), logs);
        var extra = string.Concat(Enumerable.Range(0, headers).Select(i => $"x-extra-{i}: {new string('v', valueLength)}\r\n"));

        var answer = await SendRawAsync(gateway.Url,
            "POST /v1/chat/completions HTTP/1.1\r\n" +
            $"Host: {gateway.Url.Authority}\r\n" +
            $"Authorization: Bearer {gateway.ApiKey}\r\n" +
            extra +
            "Content-Length: 2\r\n" +
            "Connection: close\r\n\r\n{}");

        // appsettings.json's Kestrel:Limits: 64 headers (Kestrel's default, 100, would let these through to the Gateway,
        // whose refusal of the empty body would be JSON), 32 KiB of them.
        Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_request_error", answer, StringComparison.Ordinal);
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    private static async Task<string> SendRawAsync(Uri url, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
