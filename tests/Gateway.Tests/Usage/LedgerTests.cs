using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Budgets;
using AiPlatform.Gateway.Tests.Policies;
using AiPlatform.Gateway.Tests.Proxy;
using AiPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.Gateway.Tests.Usage;

public sealed class LedgerTests(LedgerFixture platform) : IClassFixture<LedgerFixture>
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(60);

    private ChatClient Sdk(string key, params (string Name, string Value)[] headers)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(platform.GatewayUrl, "v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        foreach (var (name, value) in headers)
        {
            options.AddPolicy(new AddHeaderPolicy(name, value), PipelinePosition.PerCall);
        }

        return new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient("sim");
    }

    [Fact]
    public async Task Ledger_MixedRequestsThroughSdk_OneRecordEachWithItsFlags()
    {
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger mixed" });
        var question = $"ledger question {Guid.NewGuid():n}";

        ChatCompletion plain = await Sdk(key).CompleteChatAsync([new UserChatMessage(question)]);
        await foreach (var _ in Sdk(key).CompleteChatStreamingAsync([new UserChatMessage(question + " streamed")]))
        {
        }

        ChatCompletion repeated = await Sdk(key).CompleteChatAsync([new UserChatMessage(question)]);
        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            Sdk(key, ("aig-sim-fault", "500")).CompleteChatAsync([new UserChatMessage(question + " fails")]));

        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 4, s_drainTimeout);

        Assert.Equal(502, failure.Status);
        Assert.Equal(4, records.Count);
        Assert.Equal(4, records.Select(r => r.GetProperty("request_id").GetString()).Distinct().Count());
        var byKind = records.OrderBy(r => r.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.True(byKind[0] is var first && !first.GetProperty("cached").GetBoolean() && !first.GetProperty("stream").GetBoolean());
        Assert.Equal(plain.Usage.TotalTokenCount, byKind[0].GetProperty("total_tokens").GetInt32());
        Assert.True(byKind[1].GetProperty("stream").GetBoolean());
        Assert.True(byKind[1].GetProperty("completion_tokens").GetInt32() > 0);
        Assert.True(byKind[2].GetProperty("cached").GetBoolean());
        Assert.Equal(repeated.Usage.TotalTokenCount, byKind[2].GetProperty("total_tokens").GetInt32());
        Assert.Equal(502, byKind[3].GetProperty("status_code").GetInt32());
        Assert.False(string.IsNullOrEmpty(byKind[3].GetProperty("error_code").GetString()));
        Assert.All(records, r => Assert.Equal("sim", r.GetProperty("requested_model").GetString()));
    }

    [Fact]
    public async Task Ledger_Metadata_StoredWithTheRecord()
    {
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger metadata" });
        using var client = platform.GatewayClient(key);

        using var response = await client.PostAsync(Chat.Body($"with metadata {Guid.NewGuid():n}", maxTokens: 2), ("aig-metadata", """{"team":"search","ticket":42}"""));
        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 1, s_drainTimeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("search", Assert.Single(records).GetProperty("metadata").GetProperty("team").GetString());
    }

    [Fact]
    public async Task Ledger_UsageApiDownFor20Seconds_EveryRequestRecordedExactlyOnce()
    {
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger outage" });
        using var client = platform.GatewayClient(key);
        var sent = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outage = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await platform.StopUsageApiAsync();
            await Task.Delay(TimeSpan.FromSeconds(20));
            platform.StartUsageApi();
        });

        // Steady load: about twenty requests a second, before, during and after the outage.
        while (clock.Elapsed < TimeSpan.FromSeconds(32))
        {
            using var response = await client.PostAsync(Chat.Body($"steady {sent.Count}", maxTokens: 3), ("aig-skip-cache", "true"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent.Add(response.Headers.GetValues("aig-request-id").Single());
            await Task.Delay(50);
        }

        await outage;
        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= sent.Count, s_drainTimeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        records = await platform.RecordsAsync(keyId);

        Assert.True(sent.Count > 100, $"only {sent.Count} requests were sent");
        Assert.Equal(sent.Count, records.Count);
        var recorded = records.Select(r => r.GetProperty("request_id").GetString()!).ToHashSet();
        Assert.True(sent.ToHashSet().SetEquals(recorded),
            $"sent {sent.Count}, recorded {records.Count}; missing: {string.Join(", ", sent.Except(recorded).Take(5))}; unexpected: {string.Join(", ", recorded.Except(sent).Take(5))}");
    }

    [Fact]
    public async Task Ledger_StreamCutByTheWorker_RecordsTheChunksDelivered()
    {
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger cut stream" });
        using var client = platform.GatewayClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Chat.Body($"cut short {Guid.NewGuid():n}", stream: true),
        };
        request.Headers.Add("aig-sim-fault", "drop-mid-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var received = await Sse.ReadUntilCutAsync(response);

        var chunks = Sse.DataPayloads(received).Count(payload => !payload.Contains("\"error\"", StringComparison.Ordinal));
        var record = Assert.Single(await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 1, s_drainTimeout));

        Assert.True(chunks > 0, "the worker sent nothing before it dropped the stream");
        Assert.Equal("upstream_stream_error", record.GetProperty("error_code").GetString());
        Assert.Equal(chunks, record.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Budget_Spent_Returns429InsufficientQuota()
    {
        using var admin = platform.Admin();
        var model = "sim";
        (await admin.PutAsJsonAsync($"/v1/prices/{model}", new { input_per_million_usd = 1_000_000, output_per_million_usd = 1_000_000 })).EnsureSuccessStatusCode();
        try
        {
            await platform.Gateway.Services.GetRequiredService<PriceBook>().RefreshAsync();
            var (_, key) = await platform.CreateKeyAsync(new { name = "ledger budget", budget_usd = 5 });
            using var client = platform.GatewayClient(key);

            using var first = await client.PostAsync(Chat.Body($"spend {Guid.NewGuid():n}", maxTokens: 3));
            var refused = await Eventually.ResultAsync(() => client.PostAsync(Chat.Body($"more {Guid.NewGuid():n}", maxTokens: 3)),
                r => r.StatusCode == HttpStatusCode.TooManyRequests);

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("insufficient_quota", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        finally
        {
            (await admin.PutAsJsonAsync($"/v1/prices/{model}", new { input_per_million_usd = 0, output_per_million_usd = 0 })).EnsureSuccessStatusCode();
            await platform.Gateway.Services.GetRequiredService<PriceBook>().RefreshAsync();
        }
    }
}
