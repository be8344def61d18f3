using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace AiPlatform.Gateway.Tests.Proxy;

[Collection(InferencePathCollection.Name)]
public sealed class OtherOperationsProxyTests(InferencePathFixture platform)
{
    private OpenAIClient Sdk => new(new ApiKeyCredential(platform.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(platform.GatewayUrl, "v1") });

    [Fact]
    public async Task Embeddings_ThroughSdk_ReturnUnitVectors()
    {
        OpenAIEmbedding embedding = await Sdk.GetEmbeddingClient("sim").GenerateEmbeddingAsync("the gateway");
        var vector = embedding.ToFloats().ToArray();

        Assert.NotEmpty(vector);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), precision: 3);
    }

    [Fact]
    public async Task Models_ThroughSdk_ListsTheConfiguredModels()
    {
        OpenAIModelCollection models = await Sdk.GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["sim", "slow", "renamed", "unknown-upstream", "down", "fallback", "replicated"], models.Select(m => m.Id));
    }

    [Fact]
    public async Task Model_RetrieveUnknown_Returns404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.GetOpenAIModelClient().GetModelAsync("nope"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Completions_NonStreamedAndStreamed_CarryTheSameText()
    {
        using var client = platform.CreateGatewayClient();
        var request = new { model = "sim", prompt = "Once upon a time", max_tokens = 12, seed = 1 };

        using var whole = await client.PostAsync(new Uri("v1/completions", UriKind.Relative), JsonContent.Create(request));
        using var json = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        using var streamed = await client.PostAsync(new Uri("v1/completions", UriKind.Relative),
            JsonContent.Create(new { request.model, request.prompt, request.max_tokens, request.seed, stream = true }));
        var payloads = Sse.DataPayloads(await streamed.Content.ReadAsStringAsync());
        var text = string.Concat(payloads.Where(p => p != "[DONE]")
            .Select(p => JsonDocument.Parse(p).RootElement.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("text").GetString()));

        Assert.Equal("text_completion", json.RootElement.GetProperty("object").GetString());
        Assert.Equal(json.RootElement.GetProperty("choices")[0].GetProperty("text").GetString(), text);
        Assert.Equal("length", json.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(12, json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
