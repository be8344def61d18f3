using System.Text.Json.Nodes;
using AiPlatform.InferenceWorker.Engines.Onnx;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

public sealed class LoadErrorTests
{
    [Fact]
    public void Load_NoTokenizerJson_ThrowsNamingTheFile()
    {
        using var folder = new TokenizerFolder();

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains(folder.FileName("tokenizer.json"), error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Load_InvalidJson_ThrowsNamingTheFile()
    {
        using var folder = new TokenizerFolder().WithText("tokenizer.json", "{\"model\": {");

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains(folder.FileName("tokenizer.json"), error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Load_InvalidTokenizerConfigJson_ThrowsNamingThatFile()
    {
        using var folder = new TokenizerFolder(Llama2()).WithText("tokenizer_config.json", "{ chat_template: }");

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains(folder.FileName("tokenizer_config.json"), error.Message);
    }

    [Theory]
    [InlineData("model", """{"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}""", "model.type 'Unigram'")]
    [InlineData("model", """{"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}""", "model.type 'WordLevel'")]
    [InlineData("normalizer", """{"type": "Precompiled", "precompiled_charsmap": ""}""", "normalizer.type 'Precompiled'")]
    [InlineData("normalizer", """{"type": "Sequence", "normalizers": [{"type": "NFKC"}]}""", "normalizer.normalizers[0].type 'NFKC'")]
    [InlineData("pre_tokenizer", """{"type": "Whitespace"}""", "pre_tokenizer.type 'Whitespace'")]
    [InlineData("decoder", """{"type": "CTC", "pad_token": "<pad>"}""", "decoder.type 'CTC'")]
    [InlineData("decoder", """{"type": "Sequence", "decoders": [{"type": "Fuse"}, {"type": "ByteFallback"}]}""", "decoder.decoders[1]")]
    [InlineData("post_processor", """{"type": "Custom"}""", "post_processor.type 'Custom'")]
    [InlineData("pre_tokenizer", """{"type": "Split", "pattern": {"Regex": "\\p{L}++"}, "behavior": "Isolated", "invert": false}""", "pre_tokenizer.pattern.Regex")]
    public void Load_UnsupportedComponent_ThrowsNamingFileAndComponent(string field, string json, string expected)
    {
        var tokenizer = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Llama2()))!;
        tokenizer[field] = JsonNode.Parse(json);
        using var folder = new TokenizerFolder().WithText("tokenizer.json", tokenizer.ToJsonString());

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains(folder.FileName("tokenizer.json"), error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_MergeOfTokenNotInVocabulary_ThrowsNamingTheMerge()
    {
        var tokenizer = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Llama2()))!;
        tokenizer["model"]!["merges"]!.AsArray().Add("▁ x");
        using var folder = new TokenizerFolder().WithText("tokenizer.json", tokenizer.ToJsonString());

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains("model.merges[8]: token 'x' is not in model.vocab", error.Message);
    }
}
