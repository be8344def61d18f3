using System.Text.Json;

namespace AiPlatform.UsageApi.Tests.Ledger;

/// <summary>
/// Each record's cost, computed by UsageApi from the price table when the record is ingested. One UsageApi for the
/// class: every test uses its own request ids, and tests that change prices change their own models.
/// </summary>
public sealed class CostTests(SharedUsageApi usageApi) : IClassFixture<SharedUsageApi>
{
    private readonly HttpClient _client = usageApi.Client;

    [Theory]
    // gpt-4o: 2.50 / 10.00 per million: 1000 × 2.5 / 1e6 + 1000 × 10 / 1e6
    [InlineData("gpt-4o", "gpt-4o", false, 1000, 1000, "0.0125", false)]
    // The served model prices the record, not the requested alias.
    [InlineData("fast", "gpt-4o-mini", false, 2000, 100, "0.00036", false)]
    // No served model (failed before any answer): the requested model's price.
    [InlineData("gpt-4o-mini", null, false, 2000, 0, "0.0003", false)]
    // The simulator is priced at zero.
    [InlineData("gpt-4o", "sim", false, 5000, 5000, "0", false)]
    // A cached answer costs nothing.
    [InlineData("gpt-4o", "gpt-4o", true, 1000, 1000, "0", false)]
    // A model without a price costs 0 and is flagged.
    [InlineData("mystery", "mystery-v2", false, 1000, 1000, "0", true)]
    [InlineData(null, null, false, 0, 0, "0", true)]
    // Embeddings: input only.
    [InlineData("text-embedding-3-small", "text-embedding-3-small", false, 1_000_000, 0, "0.02", false)]
    public async Task Ingest_Model_CostFromPriceTable(string? requested, string? served, bool cached, int prompt, int completion, string cost, bool priceMissing)
    {
        var requestId = $"priced-{requested}-{served}-{cached}-{prompt}-{completion}";
        await _client.IngestAsync(new TestEvent
        {
            RequestId = requestId,
            RequestedModel = requested,
            ServedModel = served,
            Cached = cached,
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = prompt + completion,
        });

        var record = await ReadRecordAsync(requestId);
        Assert.Equal(cost, record.GetProperty("cost_usd").GetRawText());
        Assert.Equal(priceMissing, record.GetProperty("price_missing").GetBoolean());
    }

    [Fact]
    public async Task Ingest_AfterPriceChange_LaterEventsUseNewPriceEarlierKeepTheirs()
    {
        (await _client.PutJsonAsync("/v1/prices/changing", """{"input_per_million_usd": 0.15, "output_per_million_usd": 0.6}""")).Dispose();
        await _client.IngestAsync(new TestEvent { RequestId = "before-change", ServedModel = "changing", PromptTokens = 1_000_000, CompletionTokens = 0 });

        using (var put = await _client.PutJsonAsync("/v1/prices/changing", """{"input_per_million_usd": 1, "output_per_million_usd": 2}"""))
        {
            put.EnsureSuccessStatusCode();
        }

        await _client.IngestAsync(new TestEvent { RequestId = "after-change", ServedModel = "changing", PromptTokens = 1_000_000, CompletionTokens = 500_000 });

        Assert.Equal("0.15", (await ReadRecordAsync("before-change")).GetProperty("cost_usd").GetRawText());
        Assert.Equal("2", (await ReadRecordAsync("after-change")).GetProperty("cost_usd").GetRawText());
    }

    [Fact]
    public async Task Ingest_ModelPricedAfterFirstEvents_FlagOnlyOnEarlierRecords()
    {
        await _client.IngestAsync(new TestEvent { RequestId = "not-yet-priced", ServedModel = "org/model:8b" });
        (await _client.PutJsonAsync("/v1/prices/org/model:8b", """{"input_per_million_usd": 100, "output_per_million_usd": 100}""")).Dispose();

        await _client.IngestAsync(new TestEvent { RequestId = "now-priced", ServedModel = "org/model:8b", PromptTokens = 10, CompletionTokens = 20 });

        var unpriced = await ReadRecordAsync("not-yet-priced");
        var priced = await ReadRecordAsync("now-priced");
        Assert.True(unpriced.GetProperty("price_missing").GetBoolean());
        Assert.Equal(JsonValueKind.Number, unpriced.GetProperty("cost_usd").ValueKind);
        Assert.False(priced.GetProperty("price_missing").GetBoolean());
        Assert.Equal("0.003", priced.GetProperty("cost_usd").GetRawText());
    }

    private async Task<JsonElement> ReadRecordAsync(string requestId) =>
        Assert.Single(await _client.ReadRecordsAsync(), r => r.GetProperty("request_id").GetString() == requestId);
}
