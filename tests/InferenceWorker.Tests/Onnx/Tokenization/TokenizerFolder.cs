using System.Text.Json;
using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

/// <summary>A temporary model folder holding the tokenizer files a test writes, deleted at the end.</summary>
internal sealed class TokenizerFolder : IDisposable
{
    public TokenizerFolder() => Path = Directory.CreateTempSubdirectory("tokenizer-tests-").FullName;

    /// <summary>A folder with tokenizer.json written from <paramref name="tokenizer"/>.</summary>
    public TokenizerFolder(object tokenizer)
        : this() => WithJson("tokenizer.json", tokenizer);

    public string Path { get; }

    public string FileName(string name) => System.IO.Path.Combine(Path, name);

    public TokenizerFolder WithText(string name, string content)
    {
        File.WriteAllText(FileName(name), content);
        return this;
    }

    public TokenizerFolder WithJson(string name, object content) => WithText(name, JsonSerializer.Serialize(content));

    public ModelTokenizer Load() => ModelTokenizer.Load(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>Loads a tokenizer from JSON; the folder is gone afterwards, as the tokenizer keeps nothing open.</summary>
    public static ModelTokenizer Load(object tokenizer)
    {
        using var folder = new TokenizerFolder(tokenizer);
        return folder.Load();
    }
}
