using System.Text.Json;
using AiPlatform.ServiceDefaults.Usage;
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
            false, false, 0, 0, 0, 0, null, 0, null, null, null, null, null, null, null), e);
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
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": 5}""", "events[1].trace_id", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "4BF92F3577B34DA6A3CE929D0E0E4736"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "00000000000000000000000000000000"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "4bf92f3577b34da6a3ce929d0e0e473"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "4bf92f3577b34da6a3ce929d0e0e47366"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "4bf92f3577b34da6-3ce929d0e0e4736"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": "hello"}""", "events[1].payload", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {}}""", "events[1].payload.request", "missing_required_parameter")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {"request": {"model": "m"}}}""", "events[1].payload.request", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {"request": "{}", "response": 5}}""", "events[1].payload.response", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {"request": "{}", "truncated": "no"}}""", "events[1].payload.truncated", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "path": 5}""", "events[1].path", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "path": ""}""", "events[1].path", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "path": "/v1/files\u0000"}""", "events[1].path", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "request_bytes": "1024"}""", "events[1].request_bytes", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "request_bytes": 1.5}""", "events[1].request_bytes", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "request_bytes": 9223372036854775808}""", "events[1].request_bytes", "invalid_type")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "response_bytes": -1}""", "events[1].response_bytes", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "response_bytes": true}""", "events[1].response_bytes", "invalid_type")]
    [InlineData("""[1]""", "events[1]", "invalid_type")]
    // Found by tests/Fuzz.Tests: Postgres cannot store U+0000, and GetString throws on a lone surrogate (both were 500s).
    [InlineData("""{"request_id": "r\u0000", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}""", "events[1].request_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "requested_model": "m\udc00"}""", "events[1].requested_model", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z\ud800", "status_code": 200}""", "events[1].timestamp", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "\ud83d"}""", "events[1].trace_id", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": {"team": "a\u0000b"}}""", "events[1].metadata", "invalid_value")]
    [InlineData("""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": {"\udc00": 1}}""", "events[1].metadata", "invalid_value")]
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
        var longPath = "/" + new string('p', UsageEventLimits.MaxTextLength);

        Assert.False(UsageEventParser.TryParse(Batch($$"""{"request_id": "{{longId}}", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}"""), out _, out var idError));
        Assert.False(UsageEventParser.TryParse(Batch($$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "served_model": "{{longModel}}"}"""), out _, out var modelError));
        Assert.False(UsageEventParser.TryParse(Batch($$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "path": "{{longPath}}"}"""), out _, out var pathError));

        Assert.Equal("events[0].request_id", idError.Param);
        Assert.Equal("events[0].served_model", modelError.Param);
        Assert.Equal("events[0].path", pathError.Param);
    }

    [Fact]
    public void TryParse_PathAndBodyBytes_Read()
    {
        // Beyond 2 GiB, as a file uploaded through the pass-through may be.
        var json = """
            {"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "path": "/v1/files",
             "request_bytes": 3000000000, "response_bytes": 0}
            """;

        Assert.True(UsageEventParser.TryParse(Batch(json), out var events, out var error), error?.Message);

        var e = Assert.Single(events);
        Assert.Equal("/v1/files", e.Path);
        Assert.Equal(3_000_000_000L, e.RequestBytes);
        Assert.Equal(0L, e.ResponseBytes);
    }

    /// <summary>Older Gateways send none of the three; the Gateway sends no byte counts for a request it did not pass through.</summary>
    [Theory]
    [InlineData("", null)]
    [InlineData(""", "path": null, "request_bytes": null, "response_bytes": null""", null)]
    [InlineData(""", "path": "/v1/chat/completions" """, "/v1/chat/completions")]
    public void TryParse_PathOrBodyBytesAbsentOrNull_Null(string fields, string? path)
    {
        Assert.True(UsageEventParser.TryParse(Batch($$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200{{fields}}}"""), out var events, out _));

        var e = Assert.Single(events);
        Assert.Equal(path, e.Path);
        Assert.Null(e.RequestBytes);
        Assert.Null(e.ResponseBytes);
    }

    [Fact]
    public void TryParse_MetadataOver16KiB_Refused()
    {
        var big = new string('x', UsageEventLimits.MaxMetadataBytes);
        var json = $$$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "metadata": {"v": "{{{big}}}"}}""";

        Assert.False(UsageEventParser.TryParse(Batch(json), out _, out var error));
        Assert.Equal("events[0].metadata", error.Param);
    }

    [Fact]
    public void TryParse_TraceIdAndPayload_Read()
    {
        var json = """
            {"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
             "payload": {"request": "{\"messages\": []}", "response": "Hi", "truncated": true}}
            """;

        Assert.True(UsageEventParser.TryParse(Batch(json), out var events, out _));

        var e = Assert.Single(events);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", e.TraceId);
        Assert.Equal(new UsagePayload("{\"messages\": []}", "Hi", Truncated: true), e.Payload);
    }

    [Theory]
    [InlineData("""{"request": "q"}""", "q", null, false)]
    [InlineData("""{"request": "q", "response": null, "truncated": false}""", "q", null, false)]
    [InlineData("""{"request": "", "response": ""}""", "", "", false)]
    public void TryParse_PayloadOptionalFields_Defaulted(string payload, string request, string? response, bool truncated)
    {
        Assert.True(UsageEventParser.TryParse(Batch($$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {{payload}}}"""), out var events, out _));

        Assert.Equal(new UsagePayload(request, response, truncated), Assert.Single(events).Payload);
    }

    [Fact]
    public void TryParse_PayloadLongerThanAnyFieldLimit_Accepted()
    {
        var big = new string('x', (int)(UsageEventLimits.MaxBodyBytes / 16));
        var json = $$$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {"request": "{{{big}}}", "response": "{{{big}}}"}}""";

        Assert.True(UsageEventParser.TryParse(Batch(json), out var events, out _));

        Assert.Equal(big.Length, Assert.Single(events).Payload!.Request.Length);
    }

    [Theory]
    // A NUL, which Postgres text cannot hold.
    [InlineData("""a\u0000b""", "a\uFFFDb")]
    // Lone surrogates, which System.Text.Json will not unescape: a text cut inside an emoji, or only its second half.
    [InlineData("""cut \ud83d""", "cut \uFFFD")]
    [InlineData("""\ude00 then \ud83d\ude00 and \\ud83d \"q\" \n\t\/ é""", "\uFFFD then \ud83d\ude00 and \\ud83d \"q\" \n\t/ é")]
    public void TryParse_PayloadTextPostgresCannotStore_ReplacedNotRefused(string jsonText, string expected)
    {
        var json = $$$"""{"request_id": "r", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200, "payload": {"request": "{{{jsonText}}}", "response": "{{{jsonText}}}"}}""";

        Assert.True(UsageEventParser.TryParse(Batch(json), out var events, out var error), error?.Message);

        var payload = Assert.Single(events).Payload!;
        Assert.Equal(expected, payload.Request);
        Assert.Equal(expected, payload.Response);
        Assert.False(payload.Truncated);
    }

    [Theory]
    [InlineData("abcdef", "abcd", true)]
    [InlineData("abcd", "abcd", false)]
    [InlineData("abc\ud83d\ude00", "abc", true)]
    [InlineData("ab\ud83d\ude00", "ab\ud83d\ude00", false)]
    public void Cap_LongText_CutOnCharBoundaryAndMarkedTruncated(string text, string expected, bool truncated)
    {
        var capped = new UsagePayload(text, text, Truncated: false).Cap(4);

        Assert.Equal(new UsagePayload(expected, expected, truncated), capped);
    }

    [Fact]
    public void Cap_AlreadyTruncatedByGateway_StaysTruncated()
    {
        Assert.True(new UsagePayload("short", null, Truncated: true).Cap(100).Truncated);
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
