using System.Text.Json;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>Batches are sent in bodies UsageApi takes, however large the payloads their events carry.</summary>
public sealed class UsageBatchBodiesTests
{
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

        var (json, count) = Assert.Single(UsageShipper.Bodies(events, maxBytes: 64 * 1024));

        Assert.Equal(50, count);
        Assert.Equal(events.Select(e => e.RequestId), RequestIds(json.WrittenMemory));
    }

    [Fact]
    public void Bodies_PayloadsOverTheLimit_SplitInOrderEachWithinIt()
    {
        const int maxBytes = 64 * 1024;
        var events = Enumerable.Range(0, 10).Select(i => Event(i, payloadChars: 20_000)).ToList();

        var bodies = UsageShipper.Bodies(events, maxBytes).ToList();

        Assert.True(bodies.Count > 1);
        Assert.All(bodies, body => Assert.InRange(body.Json.WrittenCount, 1, maxBytes));
        Assert.All(bodies, body => Assert.Equal(body.Count, RequestIds(body.Json.WrittenMemory).Count));
        Assert.Equal(events.Select(e => e.RequestId), bodies.SelectMany(body => RequestIds(body.Json.WrittenMemory)));
    }

    [Fact]
    public void Bodies_OneEventLargerThanTheLimit_SentAlone()
    {
        var events = new List<UsageEvent> { Event(0), Event(1, payloadChars: 100_000), Event(2) };

        var bodies = UsageShipper.Bodies(events, maxBytes: 64 * 1024).ToList();

        Assert.Equal(new[] { "req-0", "req-1", "req-2" }, bodies.SelectMany(body => RequestIds(body.Json.WrittenMemory)));
        Assert.Contains(bodies, body => body.Count == 1 && RequestIds(body.Json.WrittenMemory).Single() == "req-1");
    }

    [Fact]
    public void Serialize_EventWithoutPayload_NoPayloadFieldAndANullTraceId()
    {
        var (json, _) = Assert.Single(UsageShipper.Bodies([Event(0)], maxBytes: 64 * 1024));

        using var batch = JsonDocument.Parse(json.WrittenMemory);
        var usageEvent = batch.RootElement.GetProperty("events")[0];
        Assert.False(usageEvent.TryGetProperty("payload", out _));
        Assert.Equal(JsonValueKind.Null, usageEvent.GetProperty("trace_id").ValueKind);
    }
}
