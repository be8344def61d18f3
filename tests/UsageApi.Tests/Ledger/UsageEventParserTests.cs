using System.Text.Json;
using AiPlatform.UsageApi.Ledger;

namespace AiPlatform.UsageApi.Tests.Ledger;

public sealed class UsageEventParserTests
{
    private const string Valid = """{"request_id": "r1", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}""";

    [Fact]
    public void TryParse_MinimalEvent_OptionalFieldsEmpty()
    {
        Assert.True(UsageEventParser.TryParse(JsonElement.Parse($$"""{"events": [{{Valid}}]}"""), out var events, out _));

        var e = Assert.Single(events);
        Assert.Equal(new UsageEvent("r1", new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), null, null, null, null, null, 200, null,
            false, false, 0, 0, 0, 0, null, 0, null, null), e);
    }

    [Fact]
    public void TryParse_TimestampWithOffsetOrNone_ReadAsUtc()
    {
        var json = """
            {"events": [
              {"request_id": "a", "timestamp": "2026-01-15T14:00:00+02:00", "status_code": 200},
              {"request_id": "b", "timestamp": "2026-01-15T12:00:00", "status_code": 200}
            ]}
            """;

        Assert.True(UsageEventParser.TryParse(JsonElement.Parse(json), out var events, out _));

        Assert.All(events, e => Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), e.Timestamp));
        Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset));
    }

    [Fact]
    public void TryParse_UnknownFields_Ignored()
    {
        var json = """{"events": [{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "cost_usd": 1.5, "future": {}}]}""";

        Assert.True(UsageEventParser.TryParse(JsonElement.Parse(json), out var events, out _));
        Assert.Single(events);
    }

    [Theory]
    [InlineData("""{"timestamp": "2026-01-15T12:00:00Z", "status_code": 200}""", "events[1].request_id", "missing_required_parameter")]
    [InlineData("""{"request_id": "", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}""", "events[1].request_id", "invalid_value")]
    [InlineData("""{"request_id": 7, "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}""", "events[1].request_id", "invalid_type")]
    [InlineData("""{"request_id": "r", "status_code": 200}""", "events[1].timestamp", "missing_required_parameter")]
    [InlineData("""{"request_id": "r", "timestamp": "yesterday", "status_code": 200}""", "events[1].timestamp", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "1999-12-31T23:59:59Z", "status_code": 200}""", "events[1].timestamp", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": 1768478400, "status_code": 200}""", "events[1].timestamp", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z"}""", "events[1].status_code", "missing_required_parameter")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 600}""", "events[1].status_code", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": "200"}""", "events[1].status_code", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "prompt_tokens": -1}""", "events[1].prompt_tokens", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "completion_tokens": 1.5}""", "events[1].completion_tokens", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "total_tokens": null}""", "events[1].total_tokens", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "latency_ms": -5}""", "events[1].latency_ms", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "ttfb_ms": "5"}""", "events[1].ttfb_ms", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "retries": -1}""", "events[1].retries", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "stream": "yes"}""", "events[1].stream", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "cached": 1}""", "events[1].cached", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "key_id": 5}""", "events[1].key_id", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": [1]}""", "events[1].metadata", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": "{}"}""", "events[1].metadata", "invalid_type")]
    [InlineData("""[1]""", "events[1]", "invalid_type")]
    public void TryParse_BadField_ErrorNamesFieldAndIndex(string badEvent, string param, string code)
    {
        var json = $$"""{"events": [{{Valid}}, {{badEvent}}, {{Valid}}]}""";

        Assert.False(UsageEventParser.TryParse(JsonElement.Parse(json), out _, out var error));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void TryParse_LongStrings_RefusedBeyondLimits()
    {
        var longId = new string('r', UsageEventLimits.MaxRequestIdLength + 1);
        var longModel = new string('m', UsageEventLimits.MaxTextLength + 1);

        Assert.False(UsageEventParser.TryParse(Batch($$"""{"request_id": "{{longId}}", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}"""), out _, out var idError));
        Assert.False(UsageEventParser.TryParse(Batch($$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "served_model": "{{longModel}}"}"""), out _, out var modelError));

        Assert.Equal("events[0].request_id", idError.Param);
        Assert.Equal("events[0].served_model", modelError.Param);
    }

    [Fact]
    public void TryParse_MetadataOver16KiB_Refused()
    {
        var big = new string('x', UsageEventLimits.MaxMetadataBytes);
        var json = $$$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": {"v": "{{{big}}}"}}""";

        Assert.False(UsageEventParser.TryParse(Batch(json), out _, out var error));
        Assert.Equal("events[0].metadata", error.Param);
    }

    [Theory]
    [InlineData("""[]""", null)]
    [InlineData("""{}""", "events")]
    [InlineData("""{"events": {}}""", "events")]
    [InlineData("""{"events": null}""", "events")]
    public void TryParse_BadEnvelope_Returns400(string json, string? param)
    {
        Assert.False(UsageEventParser.TryParse(JsonElement.Parse(json), out _, out var error));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
    }

    private static JsonElement Batch(string eventJson) => JsonElement.Parse($$"""{"events": [{{eventJson}}]}""");
}
