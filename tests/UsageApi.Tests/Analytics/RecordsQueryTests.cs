using System.Net;
using System.Text.Json;

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
        Assert.Equal("model_not_found", c.GetProperty("error_code").GetString());
        Assert.Equal("0", c.GetProperty("cost_usd").GetRawText());
        Assert.True(c.GetProperty("price_missing").GetBoolean());

        Assert.True(records["b-1"].GetProperty("cached").GetBoolean());
        Assert.Equal("0", records["b-1"].GetProperty("cost_usd").GetRawText());
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
    public async Task Records_BadParameter_Returns400NamingIt(string query, string param)
    {
        await fixture.AssertBadParameterAsync($"/v1/usage/records?{query}", param);
    }

    [Theory]
    [InlineData("/v1/usage/records")]
    [InlineData("/v1/usage/summary")]
    [InlineData("/v1/usage/timeseries")]
    public async Task Analytics_NoMasterKey_Returns401(string path)
    {
        using var response = await fixture.AnonymousClient.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static List<string> Ids(IEnumerable<JsonElement> records) => records.Select(r => r.GetProperty("request_id").GetString()!).ToList();
}
