using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Responses;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>Responses requests in the ledger: one record each, with the tokens their answers reported, streamed or not.</summary>
public sealed class ResponsesLedgerTests(LedgerFixture platform) : IClassFixture<LedgerFixture>
{
    [Fact]
    public async Task Ledger_ResponsesStreamedAndNot_OneRecordEachWithTheReportedTokens()
    {
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger responses" });
        using var client = platform.GatewayClient(key);

        using var plain = await client.PostAsJsonAsync("/v1/responses", new { model = "sim", input = "Plain " + Guid.NewGuid().ToString("n"), max_output_tokens = 5 });
        var plainUsage = JsonElement.Parse(await plain.Content.ReadAsStringAsync()).GetProperty("usage");
        using var streamed = await client.PostAsJsonAsync("/v1/responses", new { model = "sim", input = "Streamed " + Guid.NewGuid().ToString("n"), max_output_tokens = 7, stream = true });
        var events = await streamed.Content.ReadAsStringAsync();
        var last = events.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        var streamedUsage = JsonElement.Parse(last[(last.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).GetProperty("response").GetProperty("usage");

        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, records.Count);
        foreach (var (requestId, usage, stream) in new[] { (plain.Header("aig-request-id"), plainUsage, false), (streamed.Header("aig-request-id"), streamedUsage, true) })
        {
            var record = Assert.Single(records, r => r.GetProperty("request_id").GetString() == requestId);
            Assert.Equal(200, record.GetProperty("status_code").GetInt32());
            Assert.Equal(stream, record.GetProperty("stream").GetBoolean());
            Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), record.GetProperty("prompt_tokens").GetInt32());
            Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), record.GetProperty("completion_tokens").GetInt32());
            Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0);
        }
    }

    [Fact]
    public async Task Ledger_NativeResponsesTarget_TokensFromItsUsageStreamedAndNot()
    {
        await using var provider = await ScriptedProvider.StartAsync(async (_, context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (body.RootElement.TryGetProperty("stream", out var stream) && stream.GetBoolean())
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(NativeResponsesTests.NativeEvents);
            }
            else
            {
                await ScriptedProvider.Json(context, NativeResponsesTests.NativeAnswer);
            }
        }, "responses");
        await using var gateway = await TestGateway.StartAsync(platform.Redis, new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = LedgerFixture.MasterKey,
            ["services:usageapi:http:0"] = platform.UsageApiUrl.ToString(),
            ["Gateway:Usage:Enabled"] = "true",
            ["Gateway:Models:0:Name"] = "native",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = provider.ApiUrl,
            ["Gateway:Models:0:Targets:0:NativeResponses"] = "true",
        });
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "ledger native responses" });
        using var client = gateway.CreateClient(key);

        using var plain = await client.PostAsJsonAsync("/v1/responses", new { model = "native", input = "Plain" });
        using var streamed = await client.PostAsJsonAsync("/v1/responses", new { model = "native", input = "Streamed", stream = true });
        await streamed.Content.ReadAsStringAsync();

        var records = await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 2, TimeSpan.FromSeconds(60));
        var plainRecord = Assert.Single(records, r => r.GetProperty("request_id").GetString() == plain.Header("aig-request-id"));
        Assert.Equal((11, 3), (plainRecord.GetProperty("prompt_tokens").GetInt32(), plainRecord.GetProperty("completion_tokens").GetInt32()));
        var streamedRecord = Assert.Single(records, r => r.GetProperty("request_id").GetString() == streamed.Header("aig-request-id"));
        Assert.Equal((9, 2), (streamedRecord.GetProperty("prompt_tokens").GetInt32(), streamedRecord.GetProperty("completion_tokens").GetInt32()));
        // The stream ended with its completed event, which is what [DONE] is to chat: no error recorded.
        Assert.Equal(JsonValueKind.Null, streamedRecord.GetProperty("error_code").ValueKind);
    }
}
