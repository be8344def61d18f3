using System.Runtime.InteropServices;
using System.Text.Json;
using AiPlatform.Gateway.Buffers;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>Batches are sent in bodies UsageApi takes, however large the payloads their events carry.</summary>
public sealed class UsageBatchBodiesTests
{
    private static readonly UsageBodyBuffers s_buffers = new(batchSize: 100, kept: 2);

    private static UsageEvent Event(int i, int payloadChars = 0) => new()
    {
        RequestId = $"req-{i}",
        Timestamp = DateTimeOffset.UnixEpoch,
        StatusCode = 200,
        Payload = payloadChars == 0 ? null : new UsagePayload(new string('x', payloadChars), "ok", Truncated: false),
    };

    private static List<string> RequestIds(ReadOnlyMemory<byte> json)
    {
        using var batch = JsonDocument.Parse(json);
        return [.. batch.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()!)];
    }

    [Fact]
    public void Bodies_BatchWithinTheLimit_OneBody()
    {
        var events = Enumerable.Range(0, 50).Select(i => Event(i)).ToList();

        var (json, count) = Assert.Single(UsageShipper.Bodies(events, maxBytes: 64 * 1024, s_buffers));

        Assert.Equal(50, count);
        Assert.Equal(events.Select(e => e.RequestId), RequestIds(json.WrittenMemory));
    }

    [Fact]
    public void Bodies_PayloadsOverTheLimit_SplitInOrderEachWithinIt()
    {
        const int maxBytes = 64 * 1024;
        var events = Enumerable.Range(0, 10).Select(i => Event(i, payloadChars: 20_000)).ToList();

        var bodies = UsageShipper.Bodies(events, maxBytes, s_buffers).ToList();

        Assert.True(bodies.Count > 1);
        Assert.All(bodies, body => Assert.InRange(body.Json.WrittenCount, 1, maxBytes));
        Assert.All(bodies, body => Assert.Equal(body.Count, RequestIds(body.Json.WrittenMemory).Count));
        Assert.Equal(events.Select(e => e.RequestId), bodies.SelectMany(body => RequestIds(body.Json.WrittenMemory)));
    }

    [Fact]
    public void Bodies_OneEventLargerThanTheLimit_SentAlone()
    {
        var events = new List<UsageEvent> { Event(0), Event(1, payloadChars: 100_000), Event(2) };

        var bodies = UsageShipper.Bodies(events, maxBytes: 64 * 1024, s_buffers).ToList();

        Assert.Equal(new[] { "req-0", "req-1", "req-2" }, bodies.SelectMany(body => RequestIds(body.Json.WrittenMemory)));
        Assert.Contains(bodies, body => body.Count == 1 && RequestIds(body.Json.WrittenMemory).Single() == "req-1");
    }

    [Fact]
    public void Serialize_EventWithoutPayload_NoPayloadFieldAndANullTraceId()
    {
        var (json, _) = Assert.Single(UsageShipper.Bodies([Event(0)], maxBytes: 64 * 1024, s_buffers));

        using var batch = JsonDocument.Parse(json.WrittenMemory);
        var usageEvent = batch.RootElement.GetProperty("events")[0];
        Assert.False(usageEvent.TryGetProperty("payload", out _));
        Assert.Equal(JsonValueKind.Null, usageEvent.GetProperty("trace_id").ValueKind);
    }

    [Fact]
    public void Bodies_OneAfterAnother_ReuseTheFirstBodysBuffer()
    {
        var buffers = new UsageBodyBuffers(batchSize: 100, kept: 2);
        var (first, _) = Assert.Single(UsageShipper.Bodies([Event(0)], maxBytes: 64 * 1024, buffers));
        var firstBuffer = BufferOf(first);
        first.Dispose();

        var (second, _) = Assert.Single(UsageShipper.Bodies([Event(1), Event(2)], maxBytes: 64 * 1024, buffers));

        Assert.Same(firstBuffer, BufferOf(second));
        Assert.Equal(["req-1", "req-2"], RequestIds(second.WrittenMemory));
    }

    [Fact]
    public void Bodies_FullBatchOfEventsWithEveryFieldSet_FitsTheBufferItStartsIn()
    {
        // Bodies outgrowing their buffer would each take new memory from the large object heap, the churn the kept
        // buffers are there to avoid: a full batch of events without payloads must fit BytesPerEvent each
        // (metadata and logged payloads may outgrow it: those batches are the exception).
        var buffers = new UsageBodyBuffers(batchSize: 100, kept: 1);
        var events = Enumerable.Range(0, 100).Select(i => new UsageEvent
        {
            RequestId = $"req_{i:D24}",
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(i),
            KeyId = Guid.NewGuid().ToString(),
            KeyName = "a key named by its team for its service",
            RequestedModel = "meta-llama/Llama-3.1-8B-Instruct",
            ServedModel = "meta-llama/Llama-3.1-8B-Instruct",
            Target = "https://inference-worker-3.internal.example.com:8443/v1",
            StatusCode = 429,
            ErrorCode = "rate_limit_exceeded",
            Stream = true,
            PromptTokens = 12_345,
            CompletionTokens = 6_789,
            TotalTokens = 19_134,
            LatencyMs = 123_456,
            TtfbMs = 1_234,
            Retries = 2,
            ClientIp = "2001:db8:85a3::8a2e:370:7334",
            TraceId = "0123456789abcdef0123456789abcdef",
            Path = "/v1/chat/completions",
            RequestBytes = 1_048_576,
            ResponseBytes = 1_048_576,
        }).ToList();
        var starting = buffers.Rent();
        var startingLength = BufferOf(starting).Length;
        starting.Dispose();

        var (json, _) = Assert.Single(UsageShipper.Bodies(events, maxBytes: 1024 * 1024, buffers));

        Assert.Equal(startingLength, BufferOf(json).Length);
    }

    private static byte[] BufferOf(PooledBufferWriter writer) =>
        MemoryMarshal.TryGetArray(writer.WrittenMemory, out var segment) ? segment.Array! : throw new InvalidOperationException("not an array");
}
