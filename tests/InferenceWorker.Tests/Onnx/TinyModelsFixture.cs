using AiPlatform.InferenceWorker.Tests.Support;
using AiPlatform.Testing.Onnx;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

/// <summary>
/// The small models the tests write (a decoder with a KV cache, one without, an encoder) in a folder of their own, and
/// one in-memory worker serving all three as <c>tiny-kv</c>, <c>tiny</c> and <c>tiny-embed</c>.
/// </summary>
public sealed class TinyModelsFixture : IDisposable
{
    public TinyModelsFixture()
    {
        TinyDecoder.Write(DecoderWithCache, kvCache: true);
        TinyDecoder.Write(DecoderWithoutCache, kvCache: false);
        TinyEncoder.Write(Encoder);
        Host = WorkerHost.Onnx(Models);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"aiplatform-onnx-{Guid.NewGuid():N}");

    public string DecoderWithCache => Path.Combine(Root, "tiny-kv");

    public string DecoderWithoutCache => Path.Combine(Root, "tiny");

    public string Encoder => Path.Combine(Root, "tiny-embed");

    public IReadOnlyDictionary<string, string> Models => new Dictionary<string, string>
    {
        ["tiny-kv"] = DecoderWithCache,
        ["tiny"] = DecoderWithoutCache,
        ["tiny-embed"] = Encoder,
    };

    public WorkerHost Host { get; }

    public void Dispose()
    {
        Host.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
