using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

// Ids below (see TokenizerJsons.SentencePieceVocab): <unk> 0, <s> 1, </s> 2, <0xNN> 3 + NN, ▁ 259, h 260, e 261,
// l 262, o 263, ▁h 267, ll 268, ▁hello 271, ▁w 272, ▁wor 274, 日 275.
public sealed class SentencePieceBpeTests
{
    private static readonly Lazy<ModelTokenizer> s_llama2 = new(() => TokenizerFolder.Load(Llama2()));
    private static readonly Lazy<ModelTokenizer> s_metaspace = new(() => TokenizerFolder.Load(Metaspace(SentencePieceDecoder())));

    [Fact]
    public void Encode_Words_MetaspacePrependedAndMerged()
    {
        // "▁hello▁world": ▁+h, l+l, ▁h+e, ▁he+ll, ▁hell+o = ▁hello; ▁+w, o+r, ▁w+or = ▁wor; l and d stay.
        Assert.Equal([271, 274, 262, 266], s_llama2.Value.Encode("hello world", addSpecialTokens: false));
        Assert.Equal([1, 271, 274, 262, 266], s_llama2.Value.Encode("hello world", addSpecialTokens: true));
        Assert.Equal([271, 274, 262, 266], s_metaspace.Value.Encode("hello world", addSpecialTokens: false));
    }

    [Theory]
    [InlineData("hé", new[] { 267, 198, 172 })] // é = C3 A9 → <0xC3> <0xA9>
    [InlineData("日本", new[] { 259, 275, 233, 159, 175 })] // 日 is a token, 本 = E6 9C AC is not
    [InlineData("🙂", new[] { 259, 243, 162, 156, 133 })] // F0 9F 99 82
    public void Encode_CharacterNotInVocabulary_FallsBackToByteTokens(string text, int[] expected)
    {
        var ids = s_llama2.Value.Encode(text, addSpecialTokens: false);

        Assert.Equal(expected, ids);
        Assert.Equal(text, s_llama2.Value.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Decode_LeadingSpace_StrippedOnceAtTheStart()
    {
        Assert.Equal("hello world", s_llama2.Value.Decode([1, 271, 274, 262, 266], skipSpecialTokens: true));
        Assert.Equal("<s> hello world", s_llama2.Value.Decode([1, 271, 274, 262, 266], skipSpecialTokens: false));
        Assert.Equal("w w", s_llama2.Value.Decode([272, 272], skipSpecialTokens: false));
    }

    [Fact]
    public void Encode_TextWithLeadingSpace_RoundTrips()
    {
        // "▁▁hello": the first ▁ finds no merge with the second.
        var ids = s_llama2.Value.Encode(" hello", addSpecialTokens: false);

        Assert.Equal([259, 271], ids);
        Assert.Equal(" hello", s_llama2.Value.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Decode_IncompleteByteRun_ReplacementCharacterPerByte()
    {
        // Unlike byte-level's from_utf8_lossy, ByteFallback turns an invalid run into one U+FFFD per byte.
        Assert.Equal("\uFFFD\uFFFD\uFFFD", s_llama2.Value.Decode([243, 162, 156], skipSpecialTokens: false));
        Assert.Equal("h\uFFFDl", s_llama2.Value.Decode([267, 198, 262], skipSpecialTokens: false));
    }

    [Fact]
    public void StreamingDecoder_ByteRun_HeldUntilAnotherTokenClosesIt()
    {
        var decoder = s_llama2.Value.NewStreamingDecoder(skipSpecialTokens: false);

        Assert.Equal("h", decoder.Append(267));
        Assert.Equal("", decoder.Append(198));
        Assert.Equal("", decoder.Append(172));
        Assert.Equal("él", decoder.Append(262));
        Assert.Equal(" w", decoder.Append(272));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void StreamingDecoder_ByteRunAtTheEnd_EmittedByFlush()
    {
        var decoder = s_llama2.Value.NewStreamingDecoder(skipSpecialTokens: true);

        Assert.Equal("", decoder.Append(1));
        Assert.Equal("", decoder.Append(259));
        Assert.Equal("", decoder.Append(243));
        Assert.Equal("", decoder.Append(162));
        Assert.Equal("", decoder.Append(156));
        Assert.Equal("", decoder.Append(133));
        Assert.Equal("🙂", decoder.Flush());
    }

    [Fact]
    public void Encode_AddedTokenInsideText_LegacyNormalizerPrependsEveryPieceMetaspaceOnlyTheFirst()
    {
        // Llama 2's Prepend normalizer runs on each piece between added tokens; Metaspace's prepend_scheme "first"
        // only on the piece at the start of the input: h e ll o.
        Assert.Equal([271, 2, 271], s_llama2.Value.Encode("hello</s>hello", addSpecialTokens: false));
        Assert.Equal([271, 2, 260, 261, 268, 263], s_metaspace.Value.Encode("hello</s>hello", addSpecialTokens: false));
    }

    [Fact]
    public void Decode_MetaspaceDecoder_FirstTokenLosesItsMetaspace()
    {
        var tokenizer = TokenizerFolder.Load(
            Metaspace(new { type = "Metaspace", replacement = "▁", prepend_scheme = "first", split = false }));

        Assert.Equal("hello world", tokenizer.Decode([1, 271, 274, 262, 266], skipSpecialTokens: true));
    }

    [Fact]
    public void StreamingDecoder_RandomIds_SameTextAsDecode()
    {
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(0, 277)).ToArray();
            var decoder = s_llama2.Value.NewStreamingDecoder(skipSpecialTokens: false);

            var streamed = string.Concat(ids.Select(decoder.Append)) + decoder.Flush();

            Assert.Equal(s_llama2.Value.Decode(ids, skipSpecialTokens: false), streamed);
        }
    }
}
