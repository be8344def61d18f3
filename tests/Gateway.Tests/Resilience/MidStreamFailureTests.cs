using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiPlatform.Gateway.Tests.Proxy;
using AiPlatform.Gateway.Tests.Support;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>
/// Once the first byte of an answer has gone to the client nothing is retried: a stream the worker breaks ends with
/// the error event, and the worker saw the request once although attempts were left.
/// </summary>
[Collection(InferencePathCollection.Name)]
public sealed partial class MidStreamFailureTests(InferencePathFixture platform)
{
    [Fact]
    public async Task Chat_StreamBreaksAfterFirstByte_NotRetriedAndEndsWithErrorEvent()
    {
        using var client = platform.CreateGatewayClient();
        using var worker = new HttpClient { BaseAddress = platform.SlowWorkerUrl };
        // One clean stream of the same request tells how many prompt tokens one attempt costs the worker.
        var start = await PromptTokensAsync(worker);
        using (var clean = await TestGateway.PostChatAsync(client, "slow", stream: true))
        {
            Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
            Assert.Equal("1", clean.Header("aig-attempts"));
            await clean.Content.ReadAsStringAsync();
        }

        var perAttempt = await PromptTokensAsync(worker) - start;

        using var broken = await TestGateway.PostChatAsync(client, "slow", stream: true, ("aig-sim-fault", "drop-mid-stream"), ("aig-max-attempts", "3"));
        var received = await Sse.ReadUntilCutAsync(broken);
        var afterBroken = await PromptTokensAsync(worker);

        Assert.True(perAttempt > 0);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Equal(start + 2 * perAttempt, afterBroken);
        var payloads = Sse.DataPayloads(received);
        Assert.DoesNotContain("[DONE]", payloads);
        using var last = JsonDocument.Parse(payloads[^1]);
        Assert.Equal("upstream_stream_error", last.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private static async Task<long> PromptTokensAsync(HttpClient worker)
    {
        var text = await worker.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return long.Parse(PromptTokensLine().Match(text).Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^vllm:prompt_tokens_total(\{[^}]*\})?\s+(?<value>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PromptTokensLine();
}
