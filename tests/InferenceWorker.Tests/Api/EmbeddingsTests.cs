using System.Text.Json;
using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Embeddings;

namespace AiPlatform.InferenceWorker.Tests.Api;

public sealed class EmbeddingsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task GenerateEmbedding_OfficialSdk_DeterministicUnitVectorOfConfiguredDimensions()
    {
        var client = fixture.Host.EmbeddingClient();

        OpenAIEmbedding first = await client.GenerateEmbeddingAsync("The gateway routes requests.");
        OpenAIEmbedding second = await client.GenerateEmbeddingAsync("The gateway routes requests.");
        OpenAIEmbedding other = await client.GenerateEmbeddingAsync("Something else.");

        var vector = first.ToFloats().ToArray();
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.Equal(vector, second.ToFloats().ToArray());
        Assert.NotEqual(vector, other.ToFloats().ToArray());
    }

    [Fact]
    public async Task GenerateEmbeddings_Dimensions_ShorterUnitVectors()
    {
        var client = fixture.Host.EmbeddingClient();

        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["a", "b"], new EmbeddingGenerationOptions { Dimensions = 16 });

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(16, e.ToFloats().Length));
        Assert.Equal(1, embeddings[1].Index);
        Assert.Equal(2, embeddings.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Embeddings_FloatAndBase64_SameVector()
    {
        using var client = fixture.Host.CreateClient();

        using var asFloats = await Sse.PostAsync(client, "/v1/embeddings", new { model = "sim", input = "hello", encoding_format = "float" });
        using var asBase64 = await Sse.PostAsync(client, "/v1/embeddings", new { model = "sim", input = "hello", encoding_format = "base64" });
        var floats = (await Sse.JsonAsync(asFloats)).GetProperty("data")[0];
        var base64 = (await Sse.JsonAsync(asBase64)).GetProperty("data")[0].GetProperty("embedding").GetString()!;

        Assert.Equal("embedding", floats.GetProperty("object").GetString());
        var expected = floats.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(base64);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public async Task Embeddings_TokenIds_EachIdIsOnePromptToken()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/embeddings", new { model = "sim", input = new[] { new[] { 1, 2, 3 }, new[] { 4, 5 } } });
        var body = await Sse.JsonAsync(response);

        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("data")[0].GetProperty("embedding").ValueKind);
    }
}
