using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.InferenceWorker.Tests.Support;
using AiPlatform.Testing.Onnx;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

/// <summary>Embeddings on the onnx engine: the model's tokens pooled as its folder says, at the model's dimensions.</summary>
public sealed class OnnxEmbeddingTests(TinyModelsFixture models) : IClassFixture<TinyModelsFixture>
{
    [Fact]
    public async Task Embeddings_Text_MeanOfTheTokensAtUnitLength()
    {
        var embedding = (await models.Host.EmbeddingClient("tiny-embed").GenerateEmbeddingAsync("Hello, cats!")).Value;

        // [CLS] hello , cat ##s ! [SEP]
        var expected = TinyEncoder.MeanNormalized([TinyEncoder.Cls, 5, 11, 7, 8, 12, TinyEncoder.Sep]);
        var vector = embedding.ToFloats().ToArray();
        Assert.Equal(TinyEncoder.Hidden, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * (double)v)), 5);
        for (var k = 0; k < vector.Length; k++)
        {
            Assert.Equal(expected[k], vector[k], 5);
        }
    }

    [Fact]
    public async Task Embeddings_Batch_EachInputPooledOverItsOwnTokensOnly()
    {
        var client = models.Host.EmbeddingClient("tiny-embed");

        var batch = (await client.GenerateEmbeddingsAsync(["the cat", "hello world, the dog sat on the mat!"])).Value;
        var alone = (await client.GenerateEmbeddingAsync("the cat")).Value;

        Assert.Equal(alone.ToFloats().ToArray(), batch[0].ToFloats().ToArray());
        Assert.Equal(TinyEncoder.MeanNormalized([TinyEncoder.Cls, 9, 7, TinyEncoder.Sep]).Select(v => Math.Round(v, 5)),
            batch[0].ToFloats().ToArray().Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public async Task Embeddings_ClsPoolingFolder_TakesTheClsVectorUnnormalised()
    {
        var folder = Path.Combine(models.Root, "tiny-embed-cls");
        TinyEncoder.Write(folder, clsPooling: true);
        using var host = WorkerHost.Onnx(new Dictionary<string, string> { ["cls"] = folder });

        var embedding = (await host.EmbeddingClient("cls").GenerateEmbeddingAsync("the mat")).Value;

        Assert.Equal(TinyEncoder.TokenVector(TinyEncoder.Cls), embedding.ToFloats().ToArray());
    }

    [Fact]
    public async Task Embeddings_OtherDimensions_Is400()
    {
        using var client = models.Host.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/embeddings", new { model = "tiny-embed", input = "hello", dimensions = 4 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dimensions", JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Models_ListsEveryModelOnTheCpu()
    {
        var listed = (await models.Host.ModelClient().GetModelsAsync()).Value;

        Assert.Equal(["tiny-kv", "tiny", "tiny-embed"], listed.Select(m => m.Id));
        Assert.All(listed, m => Assert.Equal("aiplatform-onnx-cpu", m.OwnedBy));
    }

    [Fact]
    public async Task Models_CudaAskedOnACpuBuild_RunsOnTheCpuAndSaysSo()
    {
        using var host = WorkerHost.Onnx(new Dictionary<string, string> { ["tiny"] = models.DecoderWithoutCache },
            new Dictionary<string, string?> { ["Inference:Onnx:Device"] = "cuda" });

        var listed = (await host.ModelClient().GetModelsAsync()).Value;

        Assert.Equal("aiplatform-onnx-cpu", Assert.Single(listed).OwnedBy);
    }
}
