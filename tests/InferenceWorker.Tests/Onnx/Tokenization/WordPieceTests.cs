using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

// Ids (see TokenizerJsons.WordPieceVocab): [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, hello 5, world 6, "," 7, "!" 8, un 9,
// ##aff 10, ##able 11, cafe 12, 日 13, 本 14, 𝐀 15, ##𝐀 16.
public sealed class WordPieceTests
{
    private static readonly Lazy<ModelTokenizer> s_bert = new(() => TokenizerFolder.Load(Bert()));

    [Fact]
    public void Encode_CasedAccentedPunctuatedText_LowercasedStrippedAndSplit()
    {
        // "hello , world ! unaffable cafe 日 本": unaffable is un ##aff ##able, longest match first.
        Assert.Equal(
            [2, 5, 7, 6, 8, 9, 10, 11, 12, 13, 14, 3],
            s_bert.Value.Encode("Hello, WORLD! Unaffable Café 日本", addSpecialTokens: true));
    }

    [Fact]
    public void Encode_BertProcessing_SameSpecialTokensAsTemplate()
    {
        var tokenizer = TokenizerFolder.Load(Bert(new { type = "BertProcessing", sep = new object[] { "[SEP]", 3 }, cls = new object[] { "[CLS]", 2 } }));

        Assert.Equal([2, 5, 6, 3], tokenizer.Encode("hello world", addSpecialTokens: true));
        Assert.Equal([5, 6], tokenizer.Encode("hello world", addSpecialTokens: false));
    }

    [Theory]
    [InlineData("hello xyz", new[] { 5, 1 })] // no piece of "xyz" is in the vocabulary: the whole word is [UNK]
    [InlineData("helloworld", new[] { 1 })] // hello, then no ##world: the whole word is [UNK], not hello [UNK]
    [InlineData("hello\tworld\u0000", new[] { 5, 6 })] // tab is whitespace, NUL is removed
    [InlineData("hello [SEP] world", new[] { 5, 3, 6 })] // an added token in the text
    [InlineData("hello [sep] world", new[] { 5, 1, 1, 1, 6 })] // not an added token: "[" "sep" "]"
    public void Encode_Text_ExpectedIds(string text, int[] expected)
    {
        Assert.Equal(expected, s_bert.Value.Encode(text, addSpecialTokens: false));
    }

    [Fact]
    public void Encode_WordOverLimit_IsOneUnknownCountedInCodePoints()
    {
        var tokenizer = TokenizerFolder.Load(Bert(maxInputCharsPerWord: 3));

        Assert.Equal([1], tokenizer.Encode("unaffable", addSpecialTokens: false));
        // Two code points (four UTF-16 units) are within a limit of three.
        Assert.Equal([15, 16], tokenizer.Encode("𝐀𝐀", addSpecialTokens: false));
    }

    [Theory]
    [InlineData(true, "hello, world! unaffable cafe 日 本")]
    [InlineData(false, "[CLS] hello, world! unaffable cafe 日 本 [SEP]")]
    public void Decode_WordPieces_JoinedWithCleanup(bool skip, string expected)
    {
        Assert.Equal(expected, s_bert.Value.Decode([2, 5, 7, 6, 8, 9, 10, 11, 12, 13, 14, 3], skip));
    }

    [Fact]
    public void StreamingDecoder_WordPieces_EachTokenAtOnce()
    {
        var decoder = s_bert.Value.NewStreamingDecoder(skipSpecialTokens: true);

        string[] texts = [.. new[] { 2, 5, 7, 9, 10, 11, 3 }.Select(decoder.Append)];

        Assert.Equal(["", "hello", ",", " un", "aff", "able", ""], texts);
        Assert.Equal("", decoder.Flush());
    }
}
