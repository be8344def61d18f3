using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiPlatform.UsageApi.Tests.Ledger;

/// <summary>A usage event as a Gateway sends it (snake_case JSON), with defaults for what a test does not care about.</summary>
internal sealed record TestEvent
{
    public static readonly DateTimeOffset DefaultTime = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public required string RequestId { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DefaultTime;
    public string? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? RequestedModel { get; init; } = "sim";
    public string? ServedModel { get; init; } = "sim";
    public string? Target { get; init; } = "http://worker:8082";
    public int StatusCode { get; init; } = 200;
    public string? ErrorCode { get; init; }
    public bool Stream { get; init; }
    public bool Cached { get; init; }
    public int PromptTokens { get; init; } = 10;
    public int CompletionTokens { get; init; } = 20;
    public int TotalTokens { get; init; } = 30;
    public int LatencyMs { get; init; } = 100;
    public int? TtfbMs { get; init; }
    public int Retries { get; init; }
    public string? ClientIp { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? TraceId { get; init; }
    public TestPayload? Payload { get; init; }
    public string? Path { get; init; }
    public long? RequestBytes { get; init; }
    public long? ResponseBytes { get; init; }
}

/// <summary>An event's <c>payload</c> as a Gateway sends it.</summary>
internal sealed record TestPayload(string Request, string? Response, bool Truncated = false);

internal static class TestEvents
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Batch(IEnumerable<TestEvent> events) => JsonSerializer.Serialize(new { events }, s_json);

    public static IEnumerable<TestEvent> Many(string prefix, int count, Func<int, TestEvent, TestEvent>? shape = null) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var e = new TestEvent { RequestId = $"{prefix}-{i:D6}", Timestamp = TestEvent.DefaultTime.AddMilliseconds(i) };
            return shape is null ? e : shape(i, e);
        });

    /// <summary>Posts a batch; asserts 200 and returns (accepted, duplicates).</summary>
    public static async Task<(int Accepted, int Duplicates)> IngestAsync(this HttpClient client, IEnumerable<TestEvent> events)
    {
        using var response = await client.PostJsonAsync("/v1/usage/events", Batch(events));
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"Ingestion answered {(int)response.StatusCode}: {body}");
        return (body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32());
    }

    public static Task<(int Accepted, int Duplicates)> IngestAsync(this HttpClient client, params TestEvent[] events) =>
        client.IngestAsync((IEnumerable<TestEvent>)events);

    /// <summary>All records in a wide range, newest first, through the records API.</summary>
    public static async Task<List<JsonElement>> ReadRecordsAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync($"/v1/usage/records?from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z&limit=1000{query}");
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"Records answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("data").EnumerateArray().ToList();
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string uri, string json) =>
        client.PutAsync(new Uri(uri, UriKind.Relative), UsageApiHost.Json(json));
}
