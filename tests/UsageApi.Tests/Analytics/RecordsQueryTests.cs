using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.UsageApi.Tests.Analytics;

/// <summary>GET /v1/usage/records over the known data set of <see cref="AnalyticsFixture"/>.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class RecordsQueryTests(AnalyticsFixture fixture)
{
    private const string AllTime = "from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z";

    [Fact]
    public async Task Records_DefaultRange_Last24HoursNewestFirstTiesByRequestIdDescending()
    {
        var ids = Ids(await fixture.GetDataAsync("/v1/usage/records?limit=1000"));

        var expected = Enumerable.Range(0, 10).Reverse().Select(j => $"b-{j}")
            .Concat(Enumerable.Range(1, 100).Reverse().Select(i => $"a-{i:D3}"))
            .Concat(Enumerable.Range(0, 5).Reverse().Select(k => $"c-{k}"));
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Records_DefaultLimit_HundredWithCursor()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records");
        var body = await response.ReadJsonAsync();

        Assert.Equal(["object", "data", "next_cursor"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(100, body.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.String, body.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("", 7)]
    [InlineData("", 1)]
    [InlineData("&key=key-a", 30)]
    [InlineData("&" + AllTime + "&status=4xx", 3)]
    public async Task Records_PagedWithCursor_SameRecordsAsOnePageNoGapsNoRepeats(string query, int limit)
    {
        var all = Ids(await fixture.GetDataAsync($"/v1/usage/records?limit=1000{query}"));

        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var uri = $"/v1/usage/records?limit={limit}{query}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await fixture.Client.GetAsync(uri);
            var body = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = Ids(body.GetProperty("data").EnumerateArray());
            Assert.InRange(page.Count, 1, limit);
            paged.AddRange(page);
            cursor = body.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(all, paged);
        Assert.Equal((all.Count + limit - 1) / limit, pages);
    }

    [Theory]
    [InlineData("key=key-b", 10)]
    [InlineData("key=key-nobody", 0)]
    [InlineData("model=gpt-4o-mini", 100)]
    [InlineData("model=mini-alias", 100)]
    [InlineData("model=unknown-x", 5)]
    [InlineData("model=sim&key=key-b", 10)]
    [InlineData("status=200", 105)]
    [InlineData("status=429", 3)]
    [InlineData("status=5xx", 2)]
    [InlineData("status=4XX", 8)]
    [InlineData("status=2xx&cached=false", 103)]
    [InlineData("cached=true", 2)]
    [InlineData("cached=false", 113)]
    [InlineData(AllTime, 117)]
    [InlineData(AllTime + "&key=key-a", 102)]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z", 1)]
    [InlineData("from=2026-03-10T00:30:00Z&to=2026-03-10T01:00:00Z", 30)]
    [InlineData("from=2026-03-10T02:30:00%2B02:00&to=2026-03-10T03:00:00+02:00", 30)]
    [InlineData("from=2026-03-10T00:30:00&to=2026-03-10T01:00:00", 30)]
    [InlineData("from=2026-03-10T04:00:00Z", 10)]
    [InlineData("to=2026-03-10T00:00:00Z", 5)]
    [InlineData("stream=true", 50)]
    [InlineData("stream=false", 65)]
    [InlineData("stream=true&key=key-b", 0)]
    [InlineData("target=provider-b", 10)]
    [InlineData("target=http://worker:8082", 100)]
    [InlineData("target=http%3A%2F%2Fworker%3A8082&stream=false", 50)]
    [InlineData("target=provider", 0)]
    [InlineData("path=/v1/chat/completions", 110)]
    [InlineData("path=%2Fv1%2Fimages%2Fgenerations", 5)]
    [InlineData("path=/v1/images/generations&status=2xx", 0)]
    [InlineData("path=/v1/chat/completions&key=key-b&status=4xx", 3)]
    [InlineData(AllTime + "&path=/v1/chat/completions", 110)]
    [InlineData("path=/v1/images", 0)]
    [InlineData("path=/V1/CHAT/COMPLETIONS", 0)]
    [InlineData("trace_id=4bf92f3577b34da6a3ce929d0e0e4703", 1)]
    [InlineData("trace_id=4bf92f3577b34da6a3ce929d0e0e47ff", 0)]
    [InlineData("metadata.team=search", 10)]
    [InlineData("metadata.tier=gold", 5)]
    [InlineData("metadata.team=search&metadata.tier=free&status=4xx", 3)]
    [InlineData("metadata.team=search&metadata.tier=free&metadata.i=1", 0)]
    [InlineData("metadata.i=42", 1)]
    [InlineData("metadata.team=Search", 0)]
    [InlineData("Metadata.team=search", 10)]
    [InlineData("metadata.a.b-c_d=x", 0)]
    [InlineData("metadata.team=search&metadata.tier=gold&metadata.x=1&metadata.y=2", 0)]
    public async Task Records_Filter_OnlyMatchingRecords(string query, int count)
    {
        var records = await fixture.GetDataAsync($"/v1/usage/records?limit=1000&{query}");

        Assert.Equal(count, records.Count);
    }

    [Fact]
    public async Task Records_ModelFilter_MatchesServedOrRequested()
    {
        var served = await fixture.GetDataAsync("/v1/usage/records?limit=1000&model=gpt-4o-mini");
        var requested = await fixture.GetDataAsync("/v1/usage/records?limit=1000&model=unknown-x");

        Assert.All(served, r => Assert.Equal("gpt-4o-mini", r.GetProperty("served_model").GetString()));
        Assert.All(requested, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("served_model").ValueKind));
        Assert.All(requested, r => Assert.Equal("unknown-x", r.GetProperty("requested_model").GetString()));
    }

    [Fact]
    public async Task Records_Record_AllFieldsWithCostAndPriceFlag()
    {
        var records = (await fixture.GetDataAsync("/v1/usage/records?limit=1000")).ToDictionary(r => r.GetProperty("request_id").GetString()!);

        var a = records["a-042"];
        Assert.Equal(AnalyticsFixture.T0.AddMinutes(42), a.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("key-a", a.GetProperty("key_id").GetString());
        Assert.Equal("A", a.GetProperty("key_name").GetString());
        Assert.Equal(42, a.GetProperty("latency_ms").GetInt32());
        Assert.Equal(42, a.GetProperty("ttfb_ms").GetInt32());
        Assert.True(a.GetProperty("stream").GetBoolean());
        Assert.Equal("0.00045", a.GetProperty("cost_usd").GetRawText());
        Assert.False(a.GetProperty("price_missing").GetBoolean());
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"i": 42}"""), a.GetProperty("metadata")));
        Assert.Equal(AnalyticsFixture.Now, a.GetProperty("ingested_at").GetDateTimeOffset());

        var c = records["c-0"];
        Assert.Equal(JsonValueKind.Null, c.GetProperty("key_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("ttfb_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("trace_id").ValueKind);
        Assert.Equal("model_not_found", c.GetProperty("error_code").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("response_bytes").ValueKind);
        Assert.Equal("0", c.GetProperty("cost_usd").GetRawText());
        Assert.True(c.GetProperty("price_missing").GetBoolean());

        Assert.True(records["b-1"].GetProperty("cached").GetBoolean());
        Assert.Equal("0", records["b-1"].GetProperty("cost_usd").GetRawText());
    }

    [Fact]
    public async Task Records_PathFilter_OnlyThatPathWithItsBodyBytes()
    {
        var records = await fixture.GetDataAsync("/v1/usage/records?path=/v1/images/generations");

        Assert.Equal(["c-4", "c-3", "c-2", "c-1", "c-0"], Ids(records));
        Assert.All(records, r => Assert.Equal("/v1/images/generations", r.GetProperty("path").GetString()));
        Assert.Equal([104L, 103L, 102L, 101L, 100L], records.Select(r => r.GetProperty("request_bytes").GetInt64()));
        // Beyond 2 GiB: bigint, not integer.
        Assert.Equal(2_147_483_652L, records[0].GetProperty("response_bytes").GetInt64());
    }

    [Fact]
    public async Task Record_FromAGatewayOlderThanPath_PathAndBodyBytesNull()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records/d-old");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, record.GetProperty("path").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("request_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("response_bytes").ValueKind);
    }

    [Fact]
    public async Task Records_TraceIdAndMetadataFilters_ReturnTheMatchingRecords()
    {
        var byTrace = await fixture.GetDataAsync($"/v1/usage/records?trace_id={AnalyticsFixture.TraceIdOf(7)}");
        var byMetadata = await fixture.GetDataAsync("/v1/usage/records?metadata.tier=gold&limit=1000");

        Assert.Equal(["b-7"], Ids(byTrace));
        Assert.Equal(AnalyticsFixture.TraceIdOf(7), byTrace[0].GetProperty("trace_id").GetString());
        Assert.Equal(["b-4", "b-3", "b-2", "b-1", "b-0"], Ids(byMetadata));
    }

    [Fact]
    public async Task Records_MetadataFilterPaged_CursorContinuesWithinTheFilter()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records?metadata.team=search&limit=3");
        var first = await response.ReadJsonAsync();
        var cursor = Uri.EscapeDataString(first.GetProperty("next_cursor").GetString()!);

        var rest = await fixture.GetDataAsync($"/v1/usage/records?metadata.team=search&limit=1000&cursor={cursor}");

        Assert.Equal(["b-9", "b-8", "b-7"], Ids(first.GetProperty("data").EnumerateArray()));
        Assert.Equal(["b-6", "b-5", "b-4", "b-3", "b-2", "b-1", "b-0"], Ids(rest));
    }

    [Fact]
    public async Task Record_KnownRequestId_SameFieldsAsListThenNullPayload()
    {
        var listed = (await fixture.GetDataAsync("/v1/usage/records?limit=1000")).Single(r => r.GetProperty("request_id").GetString() == "b-3");

        using var response = await fixture.Client.GetAsync("/v1/usage/records/b-3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.ReadJsonAsync();
        Assert.Equal([.. listed.EnumerateObject().Select(p => p.Name), "payload"], record.EnumerateObject().Select(p => p.Name));
        foreach (var field in listed.EnumerateObject())
        {
            Assert.True(JsonElement.DeepEquals(field.Value, record.GetProperty(field.Name)), field.Name);
        }

        Assert.Equal(JsonValueKind.Null, record.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task Record_OutsideDefaultRange_FoundAllTheSame()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records/e-feb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 23, 59, 59, TimeSpan.Zero), (await response.ReadJsonAsync()).GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Record_UnknownRequestId_Returns404InOpenAiShape()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records/never-seen");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
        Assert.Equal("request_id", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Records_LastPage_NextCursorNull()
    {
        using var response = await fixture.Client.GetAsync("/v1/usage/records?key=key-b&limit=10");

        var body = await response.ReadJsonAsync();
        Assert.Equal(10, body.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=djE6MTIz", "cursor")]
    [InlineData("status=6xx", "status")]
    [InlineData("status=99", "status")]
    [InlineData("status=oops", "status")]
    [InlineData("cached=yes", "cached")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=1999-01-01T00:00:00Z", "to")]
    [InlineData("from=2026-03-10T00:00:00Z&to=2026-03-09T00:00:00Z", "from")]
    [InlineData("from=2026-03-10T00:00:00Z&to=2026-03-10T00:00:00Z", "from")]
    [InlineData("key=a&key=b", "key")]
    [InlineData("key=", "key")]
    [InlineData("stream=1", "stream")]
    [InlineData("stream=true&stream=false", "stream")]
    [InlineData("target=", "target")]
    [InlineData("path=", "path")]
    [InlineData("path=/v1/files&path=/v1/batches", "path")]
    [InlineData("path=/v1/files%00", "path")]
    [InlineData("trace_id=4BF92F3577B34DA6A3CE929D0E0E4703", "trace_id")]
    [InlineData("trace_id=00000000000000000000000000000000", "trace_id")]
    [InlineData("trace_id=4bf92f3577b34da6a3ce929d0e0e470", "trace_id")]
    [InlineData("trace_id=4bf92f3577b34da6a3ce929d0e0e4703&trace_id=4bf92f3577b34da6a3ce929d0e0e4704", "trace_id")]
    [InlineData("trace_id=", "trace_id")]
    [InlineData("metadata.team=", "metadata.team")]
    [InlineData("metadata.team=a&metadata.team=b", "metadata.team")]
    [InlineData("metadata.=x", "metadata.")]
    [InlineData("metadata.a%20b=x", "metadata.a b")]
    [InlineData("metadata.%27%29%3B--=x", "metadata.');--")]
    [InlineData("metadata.a=1&metadata.b=2&metadata.c=3&metadata.d=4&metadata.e=5", "metadata.e")]
    [InlineData("metadata.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x", "metadata.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Records_BadParameter_Returns400NamingIt(string query, string param)
    {
        await fixture.AssertBadParameterAsync($"/v1/usage/records?{query}", param);
    }

    [Fact]
    public async Task Records_PathLongerThan512Characters_Returns400NamingIt()
    {
        await fixture.AssertBadParameterAsync($"/v1/usage/records?path=/{new string('p', 512)}", "path");
    }

    [Theory]
    [InlineData("/v1/usage/records")]
    [InlineData("/v1/usage/records/a-001")]
    [InlineData("/v1/usage/summary")]
    [InlineData("/v1/usage/timeseries")]
    public async Task Analytics_NoMasterKey_Returns401(string path)
    {
        using var response = await fixture.AnonymousClient.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static List<string> Ids(IEnumerable<JsonElement> records) => records.Select(r => r.GetProperty("request_id").GetString()!).ToList();
}
