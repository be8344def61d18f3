using AiPlatform.InferenceWorker.Engines.Onnx;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

// The SentencePiece vocabulary: <unk> 0, <s> 1, </s> 2.
public sealed class TokenizerConfigTests
{
    [Fact]
    public void ChatTemplate_String_Exposed()
    {
        using var folder = new TokenizerFolder(Llama2()).WithJson("tokenizer_config.json", new { chat_template = "{{ messages }}" });

        Assert.Equal("{{ messages }}", folder.Load().ChatTemplate);
    }

    [Fact]
    public void ChatTemplate_NamedList_DefaultTaken()
    {
        using var folder = new TokenizerFolder(Llama2()).WithJson("tokenizer_config.json", new
        {
            chat_template = new[]
            {
                new { name = "tool_use", template = "tools" },
                new { name = "default", template = "chat" },
            },
        });

        Assert.Equal("chat", folder.Load().ChatTemplate);
    }

    [Fact]
    public void ChatTemplate_NoneAnywhere_Null()
    {
        using var folder = new TokenizerFolder(Llama2()).WithJson("tokenizer_config.json", new { bos_token = "<s>" });

        Assert.Null(folder.Load().ChatTemplate);
    }

    [Fact]
    public void ChatTemplate_JinjaFile_WinsOverConfig()
    {
        using var folder = new TokenizerFolder(Llama2())
            .WithJson("tokenizer_config.json", new { chat_template = "inline" })
            .WithText("chat_template.jinja", "from file");

        Assert.Equal("from file", folder.Load().ChatTemplate);
    }

    [Fact]
    public void SpecialTokens_StringAndAddedTokenForms_Resolved()
    {
        using var folder = new TokenizerFolder(Llama2()).WithJson("tokenizer_config.json", new
        {
            bos_token = "<s>",
            eos_token = new { __type = "AddedToken", content = "</s>", lstrip = false, normalized = false, rstrip = false, single_word = false },
            pad_token = (string?)null,
        });

        var tokenizer = folder.Load();

        Assert.Equal("<s>", tokenizer.BosToken);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal("</s>", tokenizer.EosToken);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Null(tokenizer.PadTokenId);
    }

    [Fact]
    public void SpecialTokens_OnlyInSpecialTokensMap_FillWhatConfigLacks()
    {
        using var folder = new TokenizerFolder(Llama2())
            .WithJson("tokenizer_config.json", new { bos_token = "<s>" })
            .WithJson("special_tokens_map.json", new
            {
                bos_token = "</s>",
                eos_token = new { content = "</s>", lstrip = false },
                pad_token = "<unk>",
            });

        var tokenizer = folder.Load();

        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Equal(0, tokenizer.PadTokenId);
    }

    [Fact]
    public void SpecialTokens_NoConfigFiles_AllNull()
    {
        var tokenizer = TokenizerFolder.Load(Llama2());

        Assert.Null(tokenizer.BosToken);
        Assert.Null(tokenizer.BosTokenId);
        Assert.Null(tokenizer.EosToken);
        Assert.Null(tokenizer.EosTokenId);
        Assert.Null(tokenizer.PadTokenId);
    }

    [Fact]
    public void SpecialTokens_NotInVocabulary_ThrowsNamingConfigFile()
    {
        using var folder = new TokenizerFolder(Llama2()).WithJson("tokenizer_config.json", new { eos_token = "<|eot|>" });

        var error = Assert.Throws<OnnxModelException>(folder.Load);

        Assert.Contains(folder.FileName("tokenizer_config.json"), error.Message);
        Assert.Contains("<|eot|>", error.Message);
    }
}
