using System.Net.Http.Json;
using System.Text.Json;
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
}
