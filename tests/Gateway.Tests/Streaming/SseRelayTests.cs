using System.Text;
using AiPlatform.Gateway.Streaming;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Streaming;

public sealed class SseRelayTests
{
    private const string FirstEvent = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    private const string Rest = "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n";

    [Fact]
    public async Task Relay_WholeAnswerInOneRead_FlushesTheFirstEventAloneThenTheRest()
    {
        var http = new DefaultHttpContext();
        var client = new WritesRecorded();
        http.Response.Body = client;
        var firstFlushes = 0;

        var result = await SseRelay.RelayAsync(new MemoryStream(Encoding.UTF8.GetBytes(FirstEvent + Rest)), http.Response,
            hideUsageChunk: false, capture: null, beforeRead: () => { }, onFirstFlush: () => firstFlushes++, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.True(result.SawDone);
        Assert.Equal([FirstEvent, Rest], client.Writes);
        Assert.Equal(1, firstFlushes);
    }

    /// <summary>The client's side of the response: what each flush of the relay sent.</summary>
    private sealed class WritesRecorded : MemoryStream
    {
        public List<string> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(Encoding.UTF8.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes.Add(Encoding.UTF8.GetString(buffer, offset, count));
            return Task.CompletedTask;
        }
    }
}
