using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Tests.Keys;

namespace AiPlatform.UsageApi.Tests.Budgets;

/// <summary>A key's budget_period through the admin API and in the Redis record the Gateways read. Each test has its own keys.</summary>
public sealed class BudgetPeriodTests(SharedUsageApi usageApi) : IClassFixture<SharedUsageApi>, IAsyncLifetime
{
    private readonly HttpClient _client = usageApi.Client;
    private RedisProbe _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisProbe.ConnectAsync(usageApi.Redis);

    public Task DisposeAsync() => _redis.DisposeAsync().AsTask();

    [Theory]
    [InlineData("monthly")]
    [InlineData("daily")]
    public async Task Create_BudgetPeriod_EchoedStoredAndInRedisRecord(string period)
    {
        var (id, key, created) = await _client.CreateKeyAsync($$"""{"name": "budgeted", "budget_usd": 5, "budget_period": "{{period}}"}""");

        using var get = await _client.GetAsync($"/v1/keys/{id}");
        Assert.Equal(period, created.GetProperty("budget_period").GetString());
        Assert.Equal(period, (await get.ReadJsonAsync()).GetProperty("budget_period").GetString());
        await _redis.WaitForInvalidationAsync(key);
        var record = (await _redis.ReadRecordAsync(key))!.Value;
        Assert.Equal(period, record.GetProperty("budget_period").GetString());
        Assert.Equal("5", record.GetProperty("budget_usd").GetRawText());
    }

    [Fact]
    public async Task Create_NoBudgetPeriod_NullMeaningLifetime()
    {
        var (_, key, created) = await _client.CreateKeyAsync("""{"name": "lifetime", "budget_usd": 5}""");

        Assert.Equal(JsonValueKind.Null, created.GetProperty("budget_period").ValueKind);
        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal(JsonValueKind.Null, (await _redis.ReadRecordAsync(key))!.Value.GetProperty("budget_period").ValueKind);
    }

    [Fact]
    public async Task Patch_BudgetPeriod_ChangedThenClearedInRecord()
    {
        var (id, key, _) = await _client.CreateKeyAsync("""{"name": "patched", "budget_usd": 5, "budget_period": "monthly"}""");
        await _redis.WaitForInvalidationAsync(key);

        (await _client.PatchJsonAsync($"/v1/keys/{id}", """{"budget_period": "daily"}""")).Dispose();
        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal("daily", (await _redis.ReadRecordAsync(key))!.Value.GetProperty("budget_period").GetString());

        (await _client.PatchJsonAsync($"/v1/keys/{id}", """{"rpm": 3}""")).Dispose();
        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal("daily", (await _redis.ReadRecordAsync(key))!.Value.GetProperty("budget_period").GetString());

        using var cleared = await _client.PatchJsonAsync($"/v1/keys/{id}", """{"budget_period": null}""");
        Assert.Equal(JsonValueKind.Null, (await cleared.ReadJsonAsync()).GetProperty("budget_period").ValueKind);
        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal(JsonValueKind.Null, (await _redis.ReadRecordAsync(key))!.Value.GetProperty("budget_period").ValueKind);
    }

    [Theory]
    [InlineData("""{"name": "x", "budget_period": "weekly"}""")]
    [InlineData("""{"name": "x", "budget_period": "Monthly"}""")]
    [InlineData("""{"name": "x", "budget_period": 1}""")]
    public async Task Create_InvalidBudgetPeriod_Returns400(string json)
    {
        using var response = await _client.PostJsonAsync("/v1/keys", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("budget_period", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }
}
