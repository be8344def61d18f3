using AiPlatform.InferenceWorker.Engines.Onnx;
using AiPlatform.InferenceWorker.Tests.Engines;
using AiPlatform.Testing.Onnx;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

/// <summary>A model folder the engine cannot serve stops the worker's start, naming the file and what is wrong.</summary>
public sealed class OnnxStartupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"aiplatform-onnx-start-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("tokenizer.json", "tokenizer.json")]
    [InlineData("config.json", "has no config.json")]
    [InlineData("model.onnx", "has no model.onnx")]
    public async Task Start_FolderMissingAFile_FailsNamingIt(string removed, string named)
    {
        var folder = Path.Combine(_root, "model");
        TinyDecoder.Write(folder, kvCache: true);
        File.Delete(Path.Combine(folder, removed));

        var exception = await StartFailsAsync(folder);

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_GraphWithAnUnknownInput_FailsNamingTheInput()
    {
        var folder = Path.Combine(_root, "odd");
        TinyDecoder.Write(folder, kvCache: false);
        new OnnxGraphBuilder("odd")
            .Input("input_ids", AiPlatform.Testing.Onnx.Schema.TensorProto.Types.DataType.Int64, "batch", "sequence")
            .Input("pixel_values", AiPlatform.Testing.Onnx.Schema.TensorProto.Types.DataType.Float, "batch", 3)
            .Floats("table", [1, TinyDecoder.Vocabulary], new float[TinyDecoder.Vocabulary])
            .Node("Gather", ["table", "input_ids"], ["logits"], ("axis", 0))
            .Output("logits", AiPlatform.Testing.Onnx.Schema.TensorProto.Types.DataType.Float, "batch", "sequence", TinyDecoder.Vocabulary)
            .Save(Path.Combine(folder, "model.onnx"));

        var exception = await StartFailsAsync(folder);

        Assert.Contains("'pixel_values'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FolderThatDoesNotExist_FailsNamingIt()
    {
        var exception = await StartFailsAsync(Path.Combine(_root, "nowhere"));

        Assert.Contains("nowhere", exception.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnnxWithoutModels_FailsNamingTheSetting()
    {
        using var host = StartupValidationTests.Build(new Dictionary<string, string?> { ["Inference:Engine"] = "onnx" });

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Inference:Onnx:Models", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task<OnnxModelException> StartFailsAsync(string folder)
    {
        using var host = StartupValidationTests.Build(new Dictionary<string, string?>
        {
            ["Inference:Engine"] = "onnx",
            ["Inference:Onnx:Models:0:Name"] = "model",
            ["Inference:Onnx:Models:0:Path"] = folder,
        });
        return await Assert.ThrowsAsync<OnnxModelException>(() => host.StartAsync());
    }
}
