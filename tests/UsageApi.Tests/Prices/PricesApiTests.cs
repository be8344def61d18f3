using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Prices;
using AiPlatform.UsageApi.Tests.Keys;
using AiPlatform.UsageApi.Tests.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.UsageApi.Tests.Prices;

/// <summary>The price table through the admin API, and its copy in Redis (hash aig:prices) for the Gateways.</summary>
public sealed class PricesApiTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;
    private RedisProbe _redis = null!;
    private string _usageDb = null!;

    public async Task InitializeAsync()
    {
        // Each test has its own database, whose price table starts at version 1 again: start from an empty Redis.
        _redis = await RedisProbe.ConnectAsync(redis);
        await _redis.Database.ExecuteAsync("FLUSHALL");
        _usageDb = await postgres.CreateDatabaseAsync();
        _usageApi = UsageApiHost.Create(_usageDb, redis);
        _client = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task List_Seeded_SimulatorFreeAndWellKnownModels()
    {
        using var response = await _client.GetAsync("/v1/prices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("list", body.GetProperty("object").GetString());
        var prices = body.GetProperty("data").EnumerateArray().ToDictionary(p => p.GetProperty("model").GetString()!);
        Assert.Equal(["model", "input_per_million_usd", "output_per_million_usd", "updated_at"], prices["sim"].EnumerateObject().Select(p => p.Name));
        Assert.Equal("0", prices["sim"].GetProperty("input_per_million_usd").GetRawText());
        Assert.Equal("0.15", prices["gpt-4o-mini"].GetProperty("input_per_million_usd").GetRawText());
        Assert.Equal("0.6", prices["gpt-4o-mini"].GetProperty("output_per_million_usd").GetRawText());
        Assert.Equal("2.5", prices["gpt-4o"].GetProperty("input_per_million_usd").GetRawText());
        Assert.Equal("10", prices["gpt-4o"].GetProperty("output_per_million_usd").GetRawText());
        Assert.Equal("1.6", prices["gpt-4.1-mini"].GetProperty("output_per_million_usd").GetRawText());
        Assert.Equal("0", prices["text-embedding-3-small"].GetProperty("output_per_million_usd").GetRawText());
    }

    [Fact]
    public async Task Start_Seeded_RedisHashHoldsEveryPriceAsJson()
    {
        await Eventually.TrueAsync(async () => await _redis.Database.HashLengthAsync(PriceRecordFormat.RedisKey) >= 8, TestTimeouts.Default);

        Assert.Equal("""{"input_per_million_usd":0.15,"output_per_million_usd":0.6}""",
            (await _redis.Database.HashGetAsync(PriceRecordFormat.RedisKey, "gpt-4o-mini")).ToString());
        Assert.Equal("""{"input_per_million_usd":0,"output_per_million_usd":0}""",
            (await _redis.Database.HashGetAsync(PriceRecordFormat.RedisKey, "sim")).ToString());
    }

    [Theory]
    [InlineData("openai/gpt-4o:2024-08-06", "/v1/prices/openai/gpt-4o:2024-08-06")]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "/v1/prices/meta-llama%2FLlama-3.1-8B-Instruct")]
    [InlineData("llama3:8b", "/v1/prices/llama3:8b")]
    public async Task Put_ModelNameWithSlashAndColon_StoredListedAndInRedis(string model, string path)
    {
        using var put = await _client.PutJsonAsync(path, """{"input_per_million_usd": 0.5, "output_per_million_usd": 1.25}""");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await put.ReadJsonAsync();
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal("0.5", body.GetProperty("input_per_million_usd").GetRawText());
        Assert.Equal("1.25", body.GetProperty("output_per_million_usd").GetRawText());

        using var get = await _client.GetAsync(path);
        Assert.Equal(model, (await get.ReadJsonAsync()).GetProperty("model").GetString());
        using var list = await _client.GetAsync("/v1/prices");
        Assert.Contains((await list.ReadJsonAsync()).GetProperty("data").EnumerateArray(), p => p.GetProperty("model").GetString() == model);
        Assert.Equal("""{"input_per_million_usd":0.5,"output_per_million_usd":1.25}""",
            (await _redis.Database.HashGetAsync(PriceRecordFormat.RedisKey, model)).ToString());
    }

    [Fact]
    public async Task Put_ExistingModel_ReplacesPriceInTableAndRedis()
    {
        using var put = await _client.PutJsonAsync("/v1/prices/gpt-4o", """{"input_per_million_usd": 3, "output_per_million_usd": 12.5}""");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var get = await _client.GetAsync("/v1/prices/gpt-4o");
        var price = await get.ReadJsonAsync();
        Assert.Equal("3", price.GetProperty("input_per_million_usd").GetRawText());
        Assert.Equal("12.5", price.GetProperty("output_per_million_usd").GetRawText());
        Assert.Equal("""{"input_per_million_usd":3,"output_per_million_usd":12.5}""",
            (await _redis.Database.HashGetAsync(PriceRecordFormat.RedisKey, "gpt-4o")).ToString());
        // The rest of the hash is still there: it is replaced whole, never emptied.
        Assert.True(await _redis.Database.HashExistsAsync(PriceRecordFormat.RedisKey, "gpt-4o-mini"));
    }

    [Fact]
    public async Task Delete_PricedModel_GoneFromTableAndRedisThen404()
    {
        (await _client.PutJsonAsync("/v1/prices/vendor/temp:1", """{"input_per_million_usd": 1, "output_per_million_usd": 1}""")).Dispose();

        using var delete = await _client.DeleteAsync("/v1/prices/vendor/temp:1");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var body = await delete.ReadJsonAsync();
        Assert.Equal("vendor/temp:1", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("deleted").GetBoolean());
        Assert.False(await _redis.Database.HashExistsAsync(PriceRecordFormat.RedisKey, "vendor/temp:1"));
        using var again = await _client.DeleteAsync("/v1/prices/vendor/temp:1");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("model", (await UsageApiHost.AssertOpenAiErrorAsync(again, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Put_SameNewModelConcurrently_AllSucceedAndEachBumpsTheVersion()
    {
        var store = _usageApi.Services.GetRequiredService<PriceStore>();
        var before = (await store.ReadSnapshotAsync(CancellationToken.None)).Version;

        var statuses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            using var response = await _client.PutJsonAsync("/v1/prices/brand-new", $$"""{"input_per_million_usd": {{i}}, "output_per_million_usd": {{i}}}""");
            return response.StatusCode;
        })));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        var after = await store.ReadSnapshotAsync(CancellationToken.None);
        Assert.Equal(before + 8, after.Version);
        Assert.Single(after.Prices, price => price.Model == "brand-new");
    }

    [Fact]
    public async Task Delete_UnknownModel_Returns404AndLeavesTheVersion()
    {
        var store = _usageApi.Services.GetRequiredService<PriceStore>();
        var before = (await store.ReadSnapshotAsync(CancellationToken.None)).Version;

        using var response = await _client.DeleteAsync("/v1/prices/never/priced");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, (await store.ReadSnapshotAsync(CancellationToken.None)).Version);
    }

    [Theory]
    [InlineData("""{"input_per_million_usd": -1, "output_per_million_usd": 1}""", "input_per_million_usd")]
    [InlineData("""{"input_per_million_usd": 1, "output_per_million_usd": -0.001}""", "output_per_million_usd")]
    [InlineData("""{"input_per_million_usd": 1}""", "output_per_million_usd")]
    [InlineData("""{"input_per_million_usd": "1", "output_per_million_usd": 1}""", "input_per_million_usd")]
    [InlineData("""{"input_per_million_usd": null, "output_per_million_usd": 1}""", "input_per_million_usd")]
    [InlineData("""{"input_per_million_usd": 1, "output_per_million_usd": 1, "currency": "EUR"}""", "currency")]
    [InlineData("""{"input_per_million_usd": 1e300, "output_per_million_usd": 1}""", "input_per_million_usd")]
    public async Task Put_InvalidBody_Returns400NamingTheField(string json, string param)
    {
        using var response = await _client.PutJsonAsync("/v1/prices/some-model", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
        using var get = await _client.GetAsync("/v1/prices/some-model");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownModel_Returns404()
    {
        using var response = await _client.GetAsync("/v1/prices/never/priced");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
    }

    [Theory]
    [InlineData("GET", "/v1/prices")]
    [InlineData("PUT", "/v1/prices/gpt-4o")]
    [InlineData("DELETE", "/v1/prices/gpt-4o")]
    public async Task Prices_NoMasterKey_Returns401(string method, string path)
    {
        using var anonymous = _usageApi.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "PUT" ? UsageApiHost.Json("""{"input_per_million_usd": 0, "output_per_million_usd": 0}""") : null,
        };

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var get = await _client.GetAsync("/v1/prices/gpt-4o");
        Assert.Equal("2.5", (await get.ReadJsonAsync()).GetProperty("input_per_million_usd").GetRawText());
    }

    [Fact]
    public async Task Start_RedisFlushed_HashRewrittenWithCurrentPrices()
    {
        (await _client.PutJsonAsync("/v1/prices/custom", """{"input_per_million_usd": 7, "output_per_million_usd": 8}""")).Dispose();
        await _usageApi.DisposeAsync();
        await _redis.Database.ExecuteAsync("FLUSHALL");

        await using var restarted = UsageApiHost.Create(_usageDb, redis);
        using var client = restarted.CreateClient();

        await Eventually.TrueAsync(async () => await _redis.Database.HashExistsAsync(PriceRecordFormat.RedisKey, "custom"), TestTimeouts.Default);
        Assert.Equal("""{"input_per_million_usd":7,"output_per_million_usd":8}""",
            (await _redis.Database.HashGetAsync(PriceRecordFormat.RedisKey, "custom")).ToString());
    }

    [Fact]
    public async Task Write_OlderSnapshotAfterNewer_KeepsNewerHash()
    {
        var store = _usageApi.Services.GetRequiredService<PriceStore>();
        var writer = _usageApi.Services.GetRequiredService<PriceRedisWriter>();
        var old = await store.ReadSnapshotAsync(CancellationToken.None);
        (await _client.PutJsonAsync("/v1/prices/newer", """{"input_per_million_usd": 1, "output_per_million_usd": 1}""")).Dispose();

        // A late rewrite of the table as it was before the change, as a slow retry on another replica could make.
        var written = await writer.WriteAsync(old);

        Assert.False(written);
        Assert.True(await _redis.Database.HashExistsAsync(PriceRecordFormat.RedisKey, "newer"));
    }

    [Fact]
    public async Task Ingest_ModelPricedThroughApi_UsesItImmediately()
    {
        (await _client.PutJsonAsync("/v1/prices/acme/big:70b", """{"input_per_million_usd": 1, "output_per_million_usd": 3}""")).Dispose();

        await _client.IngestAsync(new TestEvent { RequestId = "acme", ServedModel = "acme/big:70b", PromptTokens = 1_000_000, CompletionTokens = 1_000_000 });

        var record = Assert.Single(await _client.ReadRecordsAsync());
        Assert.Equal(JsonValueKind.Number, record.GetProperty("cost_usd").ValueKind);
        Assert.Equal("4", record.GetProperty("cost_usd").GetRawText());
    }
}
