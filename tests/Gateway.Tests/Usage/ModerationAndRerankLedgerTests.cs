using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>
/// Moderations and rerank in the ledger, on its whole path (Gateway → UsageApi → Postgres): one record per request with
/// its status, rerank's <c>total_tokens</c> as prompt tokens priced at the model's input price, and no tokens for a
/// moderation, which reports none. The models are a fake provider's, on a Gateway of this test's own that ships to the
/// fixture's UsageApi.
/// </summary>
public sealed class ModerationAndRerankLedgerTests(LedgerFixture platform) : IClassFixture<LedgerFixture>
{
    private const string Refused = "refuse this one";

    [Fact]
    public async Task Ledger_ModerationsAndRerank_OneRecordEachWithItsStatusTokensAndCost()
    {
        await using var provider = await ScriptedProvider.StartAsync(async (_, context) =>
        {
            if (context.Request.Path.Value!.EndsWith("/rerank", StringComparison.Ordinal))
            {
                await ScriptedProvider.Json(context, ScriptedProvider.RerankAnswer);
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            await (body.RootElement.GetProperty("input").GetString() == Refused
                ? ScriptedProvider.Error(context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", "refused")
                : ScriptedProvider.Json(context, ScriptedProvider.ModerationAnswer));
        }, "moderations", "rerank");
        using (var admin = platform.Admin())
        {
            // One dollar per token, so that the cost is the prompt tokens themselves.
            (await admin.PutAsJsonAsync("/v1/prices/ledger-reranker", new { input_per_million_usd = 1_000_000, output_per_million_usd = 0 })).EnsureSuccessStatusCode();
        }

        await using var gateway = await TestGateway.StartAsync(platform.Redis, new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = LedgerFixture.MasterKey,
            ["services:usageapi:http:0"] = platform.UsageApiUrl.ToString(),
            ["Gateway:Usage:Enabled"] = "true",
            ["Gateway:Usage:FlushInterval"] = "00:00:00.200",
            ["Gateway:Models:0:Name"] = "omni-moderation-latest",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = provider.ApiUrl,
            ["Gateway:Models:1:Name"] = "ledger-reranker",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = provider.ApiUrl,
        });
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger moderation and rerank" });
        using var client = gateway.CreateClient(key);

        using var moderation = await PostAsync(client, "moderations", """{"input":"I will hurt them."}""");
        using var refused = await PostAsync(client, "moderations", $$"""{"input":"{{Refused}}"}""");
        using var rerank = await PostAsync(client, "rerank", """{"model":"ledger-reranker","query":"capital of France","documents":["Paris, Texas","Paris, France"]}""");
        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 3, TimeSpan.FromSeconds(60));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK], [moderation.StatusCode, refused.StatusCode, rerank.StatusCode]);
        Assert.Equal(3, records.Count);
        var byId = records.ToDictionary(r => r.GetProperty("request_id").GetString()!);
        var moderated = byId[moderation.Header("aig-request-id")];
        Assert.Equal(200, moderated.GetProperty("status_code").GetInt32());
        Assert.Equal("omni-moderation-latest", moderated.GetProperty("requested_model").GetString());
        Assert.Equal(0, moderated.GetProperty("total_tokens").GetInt32());
        var refusal = byId[refused.Header("aig-request-id")];
        Assert.Equal(400, refusal.GetProperty("status_code").GetInt32());
        var reranked = byId[rerank.Header("aig-request-id")];
        Assert.Equal(200, reranked.GetProperty("status_code").GetInt32());
        Assert.Equal("ledger-reranker", reranked.GetProperty("requested_model").GetString());
        Assert.Equal(provider.Authority, reranked.GetProperty("target").GetString());
        Assert.Equal(ScriptedProvider.RerankTokens, reranked.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(0, reranked.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(ScriptedProvider.RerankTokens, reranked.GetProperty("total_tokens").GetInt32());
        Assert.Equal(ScriptedProvider.RerankTokens, reranked.GetProperty("cost_usd").GetDecimal());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(new Uri("v1/" + path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
