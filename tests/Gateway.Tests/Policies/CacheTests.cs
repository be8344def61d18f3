using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Tests.Proxy;
using Microsoft.Extensions.DependencyInjection;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Policies;

[Collection(PolicyCollection.Name)]
public sealed class CacheTests(PolicyFixture platform)
{
    private static string Unique(string text) => $"{text} {Guid.NewGuid():n}";

    private static async Task<string> ContentAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    /// <summary>What the worker generated for the answer: the simulated answer may stop before <c>max_tokens</c>.</summary>
    private static async Task<long> CompletionTokensAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt64();
    }

    [Fact]
    public async Task Cache_SameRequestReordered_MissThenHit()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("cache me");

        using var miss = await client.PostAsync(Chat.Raw($$"""{"model":"sim","temperature":0.2,"messages":[{"role":"user","content":"{{text}}"}]}"""));
        using var hit = await client.PostAsync(Chat.Raw($$"""  { "messages" : [ { "content":"{{text}}", "role":"user" } ], "temperature": 0.2, "model":"sim" }"""));

        Assert.Equal("MISS", miss.Header("aig-cache-status"));
        Assert.Equal("HIT", hit.Header("aig-cache-status"));
        Assert.Equal(await ContentAsync(miss), await ContentAsync(hit));
    }

    [Fact]
    public async Task Cache_DifferentParameter_IsAMiss()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("parameters matter");

        using var first = await client.PostAsync(Chat.Body(text, temperature: 0.1));
        using var second = await client.PostAsync(Chat.Body(text, temperature: 0.9));

        Assert.Equal("MISS", second.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_NonStreamedAnswer_ServedToAStreamingClientWithUsage()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("replay me");
        using var miss = await client.PostAsync(Chat.Body(text));
        var expected = await ContentAsync(miss);

        using var hit = await client.PostAsync(JsonContent.Create(new
        {
            model = "sim",
            stream = true,
            stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = text } },
        }));
        var payloads = Sse.DataPayloads(await hit.Content.ReadAsStringAsync());

        Assert.Equal("HIT", hit.Header("aig-cache-status"));
        Assert.Equal("text/event-stream", hit.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, Sse.ContentOf(payloads));
        Assert.Contains(payloads, Sse.IsUsageChunk);
        Assert.Equal("[DONE]", payloads[^1]);
    }

    [Fact]
    public async Task Cache_StreamedAnswer_ServedToANonStreamingClient()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("stream first");
        using var miss = await client.PostAsync(Chat.Body(text, stream: true));
        var streamed = Sse.ContentOf(Sse.DataPayloads(await miss.Content.ReadAsStringAsync()));

        using var hit = await Eventually.ResultAsync(() => client.PostAsync(Chat.Body(text)), r => r.Header("aig-cache-status") == "HIT");

        Assert.Equal("MISS", miss.Header("aig-cache-status"));
        Assert.Equal(streamed, await ContentAsync(hit));
        using var json = JsonDocument.Parse(await hit.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", json.RootElement.GetProperty("object").GetString());
        Assert.True(json.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Cache_SkipHeader_Bypasses()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("skip");

        using var first = await client.PostAsync(Chat.Body(text));
        using var skipped = await client.PostAsync(Chat.Body(text), ("aig-skip-cache", "true"));

        Assert.Equal("BYPASS", skipped.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_ScopedPerKey_AnotherKeyMissesUnlessTheyShareANamespace()
    {
        var gateway = platform.StartGateway();
        var (alice, _) = await platform.NewKeyAsync();
        var (bob, _) = await platform.NewKeyAsync();
        var team = "team-" + Guid.NewGuid().ToString("n");
        var (carol, _) = await platform.NewKeyAsync(cacheNamespace: team);
        var (dave, _) = await platform.NewKeyAsync(cacheNamespace: team);
        var text = Unique("tenant secret");

        using var aliceMiss = await platform.Client(gateway, alice).PostAsync(Chat.Body(text));
        using var bobTry = await platform.Client(gateway, bob).PostAsync(Chat.Body(text));
        using var carolMiss = await platform.Client(gateway, carol).PostAsync(Chat.Body(text));
        using var daveHit = await platform.Client(gateway, dave).PostAsync(Chat.Body(text));

        Assert.Equal("MISS", bobTry.Header("aig-cache-status"));
        Assert.Equal("MISS", carolMiss.Header("aig-cache-status"));
        Assert.Equal("HIT", daveHit.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_CallerKey_HitsAcrossDifferentBodies()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var cacheKey = Unique("my-key");

        using var first = await client.PostAsync(Chat.Body(Unique("one")), ("aig-cache-key", cacheKey));
        using var second = await client.PostAsync(Chat.Body(Unique("two")), ("aig-cache-key", cacheKey));

        Assert.Equal("HIT", second.Header("aig-cache-status"));
        Assert.Equal(await ContentAsync(first), await ContentAsync(second));
    }

    [Fact]
    public async Task Cache_AnswerAskedForAgain_ServedFromMemoryWhileRedisIsAway()
    {
        var (client, body, callerKey, answer) = await RememberedAnswerAsync("remembered");
        using var owned = client;

        await platform.Redis.StopAsync();
        try
        {
            using var fromMemory = await client.PostAsync(body, ("aig-cache-key", callerKey));

            Assert.Equal("HIT", fromMemory.Header("aig-cache-status"));
            Assert.Equal(answer, await ContentAsync(fromMemory));
        }
        finally
        {
            await platform.Redis.StartAsync();
        }
    }

    [Fact]
    public async Task Cache_AnswerInMemory_ExpiresWithItsRedisEntry()
    {
        var (client, body, callerKey, _) = await RememberedAnswerAsync("short lived in memory", ("aig-cache-ttl", "2"));
        using var owned = client;

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var again = await client.PostAsync(body, ("aig-cache-key", callerKey));

        Assert.Equal("MISS", again.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_Ttl_ExpiresTheEntry()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("short lived");

        using var miss = await client.PostAsync(Chat.Body(text), ("aig-cache-ttl", "1"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var again = await client.PostAsync(Chat.Body(text));

        Assert.Equal("MISS", again.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_BadTtlHeader_Returns400()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);

        using var response = await client.PostAsync(Chat.Body("x"), ("aig-cache-ttl", "soon"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Cache_UpstreamError_IsNotStored()
    {
        var (key, _) = await platform.NewKeyAsync();
        using var client = platform.Client(platform.StartGateway(), key);
        var text = Unique("fails first");

        using var failed = await client.PostAsync(Chat.Body(text), ("aig-sim-fault", "500"));
        using var retried = await client.PostAsync(Chat.Body(text));

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("MISS", retried.Header("aig-cache-status"));
    }

    [Fact]
    public async Task Cache_IdenticalConcurrentRequests_GoUpstreamOnce()
    {
        var (key, _) = await platform.NewKeyAsync();
        var gateway = platform.StartGateway();
        var text = Unique("everyone at once");
        using var metrics = new HttpClient { BaseAddress = platform.SlowWorkerUrl };
        var before = await WorkerMetrics.ReadAsync(metrics);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            platform.Client(gateway, key).PostAsync(Chat.Body(text, model: "slow", maxTokens: 10))));
        var after = await WorkerMetrics.ReadAsync(metrics);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, responses.Count(r => r.Header("aig-cache-status") == "MISS"));
        var miss = responses.Single(r => r.Header("aig-cache-status") == "MISS");
        Assert.Equal(await CompletionTokensAsync(miss), after.GenerationTokens - before.GenerationTokens);
        var contents = await Task.WhenAll(responses.Select(ContentAsync));
        Assert.Single(contents.Distinct());
    }

    /// <summary>
    /// An answer stored (the first request sending <paramref name="headers"/> too), read back from Redis, and copied into
    /// the replica's memory; with the client, what it sends, and the answer.
    /// </summary>
    private async Task<(HttpClient Client, HttpContent Body, string CallerKey, string Answer)> RememberedAnswerAsync(
        string label, params (string Name, string Value)[] headers)
    {
        var (key, record) = await platform.NewKeyAsync();
        var gateway = platform.StartGateway();
        var client = platform.Client(gateway, key);
        var (callerKey, body) = (Unique(label), Chat.Body(Unique("asked again")));
        using var miss = await client.PostAsync(body, [("aig-cache-key", callerKey), .. headers]);
        using var fromRedis = await HitAsync(client, body, callerKey);
        await RememberedAsync(gateway, record.Id, callerKey);
        return (client, body, callerKey, await ContentAsync(miss));
    }

    /// <summary>The answer served from the cache (it is stored after the first response, so give it a moment).</summary>
    private static async Task<HttpResponseMessage> HitAsync(HttpClient client, HttpContent body, string callerKey)
    {
        HttpResponseMessage? hit = null;
        await Eventually.TrueAsync(async () =>
        {
            hit?.Dispose();
            hit = await client.PostAsync(body, ("aig-cache-key", callerKey));
            return hit.Header("aig-cache-status") == "HIT";
        }, TestTimeouts.Default, "the answer was never served from the cache");
        return hit!;
    }

    /// <summary>Waits until the replica has copied the answer read from Redis into its memory (after that hit's response).</summary>
    private static Task RememberedAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> gateway, string keyId, string callerKey)
    {
        var cacheKey = CacheKey.For("key:" + keyId, InferenceOperation.ChatCompletions, [], callerKey);
        var memory = gateway.Services.GetRequiredService<CacheMemory>();
        return Eventually.TrueAsync(() => Task.FromResult(memory.TryGet(cacheKey, out _)), TestTimeouts.Default,
            "the answer read from Redis was not copied into the replica's memory");
    }
}
