using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

// Ids below: a byte's own value for a single byte (see TokenizerJsons.ByteLevelVocab), merged tokens from
// ByteLevelMerges, added tokens 270 to 273.
public sealed class ByteLevelBpeTests
{
    private static readonly Lazy<ModelTokenizer> s_gpt2 = new(() => TokenizerFolder.Load(Gpt2()));
    private static readonly Lazy<ModelTokenizer> s_llama3 = new(() => TokenizerFolder.Load(Llama3()));

    [Fact]
    public void Encode_DigitsWithGpt2Regex_OneWordMergedWhole()
    {
        // " ?\p{N}+" keeps 12345 one word: 1+2 (rank 0), 4+5 (1), 12+3 (2), 123+45 (3) = 259.
        Assert.Equal([259], s_gpt2.Value.Encode("12345", addSpecialTokens: false));
    }

    [Fact]
    public void Encode_DigitsWithLlama3Regex_SplitIntoGroupsOfAtMostThree()
    {
        // "\p{N}{1,3}" makes 123 and 45, each whole in the vocabulary.
        Assert.Equal([258, 257], s_llama3.Value.Encode("12345", addSpecialTokens: false));
    }

    [Fact]
    public void Encode_Words_MergedInRankOrder()
    {
        // "Hello": l+l (5) before H+e (6), then He+ll (7), Hell+o (8) = 264. "Ġworld": Ġ+w (4), Ġw+o (9) = 265; r l d stay.
        Assert.Equal([264, 265, 114, 108, 100], s_gpt2.Value.Encode("Hello world", addSpecialTokens: false));
    }

    [Fact]
    public void Encode_WordInVocabularyButNotReachableByMerges_IgnoreMergesTakesIt()
    {
        Assert.Equal([268], s_llama3.Value.Encode(" wor", addSpecialTokens: false));
        Assert.Equal([265, 114], s_gpt2.Value.Encode(" wor", addSpecialTokens: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encode_NonAsciiText_BytesAsTokensAndBack(bool llama3)
    {
        var tokenizer = llama3 ? s_llama3.Value : s_gpt2.Value;
        const string text = "é 日本 🙂";

        var ids = tokenizer.Encode(text, addSpecialTokens: false);

        // é = C3 A9 merged (266); " 日本" = 20 E6 97 A5 E6 9C AC; " 🙂" = 20 F0 9F 99 82.
        Assert.Equal([266, 32, 230, 151, 165, 230, 156, 172, 32, 240, 159, 153, 130], ids);
        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Encode_AstralLetter_StaysInItsWord()
    {
        // 𝐀 (U+1D400) is a letter, so "a𝐀b" is one \p{L}+ word: a+ð merges (267), then 9D 90 80 and b.
        // Matched on UTF-16 units, 𝐀 would be a word of its own and "a" could not merge with its first byte.
        Assert.Equal([267, 157, 144, 128, 98], s_gpt2.Value.Encode("a𝐀b", addSpecialTokens: false));
    }

    [Fact]
    public void Encode_ApostropheLongS_CaseInsensitiveContractionAsOniguruma()
    {
        // Llama 3's (?i:'s) takes "'ſ" (Oniguruma folds ſ to s; .NET alone does not), leaving "x" a word of its own:
        // ' C5 BF x. GPT-2's 's is case-sensitive: "'" then "ſx", where BF+x merges (269).
        Assert.Equal([39, 197, 191, 120], s_llama3.Value.Encode("'ſx", addSpecialTokens: false));
        Assert.Equal([39, 197, 269], s_gpt2.Value.Encode("'ſx", addSpecialTokens: false));
    }

    [Fact]
    public void StreamingDecoder_CharactersSplitOverTokens_HeldBackUntilComplete()
    {
        var decoder = s_gpt2.Value.NewStreamingDecoder(skipSpecialTokens: false);

        string[] texts = [.. new[] { 266, 32, 230, 151, 165, 230, 156, 172, 32, 240, 159, 153, 130 }.Select(decoder.Append)];

        Assert.Equal(["é", " ", "", "", "日", "", "", "本", " ", "", "", "", "🙂"], texts);
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Decode_IncompleteCharacter_OneReplacementCharacterAsRust()
    {
        // from_utf8_lossy: the maximal invalid prefix E6 97 is one U+FFFD.
        Assert.Equal("\uFFFDa", s_gpt2.Value.Decode([230, 151, 97], skipSpecialTokens: false));

        var decoder = s_gpt2.Value.NewStreamingDecoder(skipSpecialTokens: false);
        Assert.Equal("", decoder.Append(230));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Encode_SpecialTokensInsideText_MatchedWhole()
    {
        // user = 117 115 101 114, \n = 10 (Ċ, a word of its own), hi = 104 105.
        Assert.Equal(
            [271, 117, 115, 101, 114, 10, 104, 105, 272],
            s_gpt2.Value.Encode("<|im_start|>user\nhi<|im_end|>", addSpecialTokens: false));
        Assert.Equal([97, 272, 98], s_llama3.Value.Encode("a<|im_end|>b", addSpecialTokens: false));
    }

    [Theory]
    [InlineData(false, "<|im_start|>user\nhi<|im_end|>")]
    [InlineData(true, "user\nhi")]
    public void Decode_SpecialTokens_KeptOrSkipped(bool skip, string expected)
    {
        Assert.Equal(expected, s_gpt2.Value.Decode([271, 117, 115, 101, 114, 10, 104, 105, 272], skip));
    }

    [Fact]
    public void Encode_AddSpecialTokens_TemplateAddsBeginOfTextByteLevelNothing()
    {
        Assert.Equal([273, 258, 257], s_llama3.Value.Encode("12345", addSpecialTokens: true));
        Assert.Equal([259], s_gpt2.Value.Encode("12345", addSpecialTokens: true));
    }

    [Fact]
    public void Properties_ByteLevelTokenizer_SizeAndSpecials()
    {
        var tokenizer = s_gpt2.Value;

        Assert.Equal(274, tokenizer.VocabularySize);
        Assert.True(tokenizer.IsSpecial(271));
        Assert.False(tokenizer.IsSpecial(264));
        Assert.False(tokenizer.IsSpecial(274));
        Assert.False(tokenizer.IsSpecial(-1));
        Assert.Null(tokenizer.ChatTemplate);
        Assert.Null(tokenizer.EosTokenId);
    }

    [Fact]
    public void Load_AddedTokenIdsUnlikeHuggingFaces_NumberedAsHuggingFace()
    {
        // Hugging Face ignores the ids written with added tokens: those not in the vocabulary are numbered from its
        // size (270) in the order listed, and a content listed twice is one token.
        var tokenizer = TokenizerFolder.Load(new
        {
            added_tokens = new[] { Added(500, "<|a|>"), Added(7, "<|b|>"), Added(900, "<|a|>"), Added(1, "é") },
            model = new { type = "BPE", vocab = ByteLevelVocab(), merges = Array.Empty<string>() },
        });

        Assert.Equal([270, 271, 233], tokenizer.Encode("<|a|><|b|>é", addSpecialTokens: false));
        Assert.Equal(272, tokenizer.VocabularySize);
    }

    [Fact]
    public void Encode_EmptyText_NothingButSpecialTokens()
    {
        Assert.Empty(s_gpt2.Value.Encode("", addSpecialTokens: true));
        Assert.Equal([273], s_llama3.Value.Encode("", addSpecialTokens: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StreamingDecoder_RandomIds_SameTextAsDecode(bool skipSpecialTokens)
    {
        // Random ids split characters anywhere and make invalid UTF-8: the pieces must still add up to Decode.
        var random = new Random(20240611);
        for (var round = 0; round < 300; round++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(0, 276)).ToArray();
            var decoder = s_gpt2.Value.NewStreamingDecoder(skipSpecialTokens);

            var streamed = string.Concat(ids.Select(decoder.Append)) + decoder.Flush();

            Assert.Equal(s_gpt2.Value.Decode(ids, skipSpecialTokens), streamed);
        }
    }

    [Fact]
    public void Encode_LongPrompt_RoundTripsAndIsFast()
    {
        var text = string.Concat(Enumerable.Repeat("Hello world, 12345 é 日本 🙂 it's <|im_end|>\n", 100));
        var tokenizer = s_llama3.Value;
        tokenizer.Encode(text, addSpecialTokens: true);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        watch.Stop();

        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.InRange(watch.Elapsed.TotalMilliseconds, 0, 50);
    }
}
