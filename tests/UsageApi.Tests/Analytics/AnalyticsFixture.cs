using System.Text.Json;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Tests.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.UsageApi.Tests.Analytics;

/// <summary>
/// One UsageApi over a known data set, shared (read-only) by the analytics tests. UsageApi's clock stands at
/// <see cref="Now"/>, so the default range (the last 24 h) is 2026-03-09 12:00 to 2026-03-10 12:00 UTC.
/// </summary>
/// <remarks>
/// The data set (117 records):
/// <list type="bullet">
/// <item>a-001…a-100: key-a, requested mini-alias, served gpt-4o-mini, 200, at T0 + i minutes, latency i ms (1…100),
/// ttfb i ms for even i and null for odd i, 1000 + 500 tokens each (0.00045 USD each), streamed for even i, metadata
/// <c>{"i": i}</c>, target http://worker:8082, no trace id, path /v1/chat/completions;</item>
/// <item>b-0…b-9: key-b, sim, all at T0 + 5 h (same timestamp: the request id breaks the tie), status 200 ×5, 429 ×3,
/// 502 ×2, b-0 and b-1 cached, latency 1000, target provider-b, trace id <see cref="TraceIdOf"/>(j), metadata
/// <c>{"team": "search", "tier": "gold"}</c> for j &lt; 5 and <c>"tier": "free"</c> for the others, path
/// /v1/chat/completions;</item>
/// <item>c-0…c-4: no key, requested unknown-x (no price), nothing served, 404, at 2026-03-09 23:00 + k minutes, latency 7,
/// passed through: path /v1/images/generations, request bytes 100 + k, response bytes 2 GiB + k (null for c-0);</item>
/// <item>d-old at 2026-03-08 06:00 and e-feb at 2026-02-28 23:59:59 (another partition), key-a, gpt-4o-mini, outside
/// the default range, no path (as from a Gateway older than the field).</item>
/// </list>
/// T0 is 2026-03-10 00:00 UTC.
/// </remarks>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = T0.AddHours(12);

    public static string TraceIdOf(int j) => $"4bf92f3577b34da6a3ce929d0e0e47{j:x2}";

    private readonly PostgresServer _postgres = new();
    private readonly RedisServer _redis = new();
    private WebApplicationFactory<Program>? _usageApi;

    public HttpClient Client { get; private set; } = null!;

    public HttpClient AnonymousClient { get; private set; } = null!;

    internal static IEnumerable<TestEvent> DataSet()
    {
        for (var i = 1; i <= 100; i++)
        {
            yield return new TestEvent
            {
                RequestId = $"a-{i:D3}",
                Timestamp = T0.AddMinutes(i),
                KeyId = "key-a",
                KeyName = "A",
                RequestedModel = "mini-alias",
                ServedModel = "gpt-4o-mini",
                Stream = i % 2 == 0,
                PromptTokens = 1000,
                CompletionTokens = 500,
                TotalTokens = 1500,
                LatencyMs = i,
                TtfbMs = i % 2 == 0 ? i : null,
                Metadata = JsonElement.Parse($$"""{"i": {{i}}}"""),
                Path = "/v1/chat/completions",
            };
        }

        for (var j = 0; j < 10; j++)
        {
            yield return new TestEvent
            {
                RequestId = $"b-{j}",
                Timestamp = T0.AddHours(5),
                KeyId = "key-b",
                RequestedModel = "sim",
                ServedModel = "sim",
                StatusCode = j < 5 ? 200 : j < 8 ? 429 : 502,
                ErrorCode = j < 5 ? null : j < 8 ? "rate_limit_exceeded" : "upstream_error",
                Cached = j < 2,
                PromptTokens = 10,
                CompletionTokens = 20,
                TotalTokens = 30,
                LatencyMs = 1000,
                Target = "provider-b",
                TraceId = TraceIdOf(j),
                Metadata = JsonElement.Parse($$"""{"team": "search", "tier": "{{(j < 5 ? "gold" : "free")}}"}"""),
                Path = "/v1/chat/completions",
            };
        }

        for (var k = 0; k < 5; k++)
        {
            yield return new TestEvent
            {
                RequestId = $"c-{k}",
                Timestamp = new DateTimeOffset(2026, 3, 9, 23, k, 0, TimeSpan.Zero),
                RequestedModel = "unknown-x",
                ServedModel = null,
                Target = null,
                StatusCode = 404,
                ErrorCode = "model_not_found",
                PromptTokens = 0,
                CompletionTokens = 0,
                TotalTokens = 0,
                LatencyMs = 7,
                Path = "/v1/images/generations",
                RequestBytes = 100 + k,
                ResponseBytes = k == 0 ? null : (2L << 30) + k,
            };
        }

        foreach (var (requestId, timestamp) in new[]
        {
            ("d-old", new DateTimeOffset(2026, 3, 8, 6, 0, 0, TimeSpan.Zero)),
            ("e-feb", new DateTimeOffset(2026, 2, 28, 23, 59, 59, TimeSpan.Zero)),
        })
        {
            yield return new TestEvent
            {
                RequestId = requestId,
                Timestamp = timestamp,
                KeyId = "key-a",
                RequestedModel = "gpt-4o-mini",
                ServedModel = "gpt-4o-mini",
                LatencyMs = 500,
            };
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _redis.StartAsync());
        _usageApi = UsageApiHost.Create(await _postgres.CreateDatabaseAsync(), _redis, new ManualClock(Now));
        Client = _usageApi.CreateAdminClient();
        AnonymousClient = _usageApi.CreateClient();
        // Shuffled, in two batches: order of arrival must not matter.
        var events = DataSet().OrderBy(e => e.RequestId.GetHashCode(StringComparison.Ordinal)).ToList();
        await Client.IngestAsync(events.Take(60));
        await Client.IngestAsync(events.Skip(60));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        AnonymousClient?.Dispose();
        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>GETs <paramref name="uri"/>; asserts 200 and returns the body's <c>data</c>.</summary>
    public async Task<List<JsonElement>> GetDataAsync(string uri)
    {
        using var response = await Client.GetAsync(uri);
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{uri} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("list", body.GetProperty("object").GetString());
        return body.GetProperty("data").EnumerateArray().ToList();
    }

    /// <summary>GETs <paramref name="uri"/>; asserts a 400 naming <paramref name="param"/>.</summary>
    public async Task AssertBadParameterAsync(string uri, string param)
    {
        using var response = await Client.GetAsync(uri);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ServiceDefaults.Errors.ApiErrorTypes.InvalidRequest);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsCollection : ICollectionFixture<AnalyticsFixture>
{
    public const string Name = "Analytics";
}
