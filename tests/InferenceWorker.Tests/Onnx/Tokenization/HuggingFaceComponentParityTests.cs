using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

/// <summary>
/// Pre-tokenizer and decoder cases ported from huggingface/tokenizers' unit tests (v0.23.1, the file named in each
/// test), their inputs and expected pieces, run on the components directly.
/// </summary>
public sealed class HuggingFaceComponentParityTests
{
    [Theory]
    // pre_tokenizers/byte_level.rs: pre_tokenization, handling_of_newlines, handling_of_multiple_whitespaces,
    // offsets_when_char_split_up.
    [InlineData("Hello my friend, how is your day going?", "Hello|Ġmy|Ġfriend|,|Ġhow|Ġis|Ġyour|Ġday|Ġgoing|?")]
    [InlineData("Hello there\nHello there", "Hello|Ġthere|Ċ|Hello|Ġthere")]
    [InlineData("Hello there       dear", "Hello|Ġthere|ĠĠĠĠĠĠ|Ġdear")]
    [InlineData("i⭢j", "i|âŃ¢|j")]
    public void ByteLevel_PreTokenize_PiecesAsHuggingFace(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Pieces(new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true), text));
    }

    [Theory]
    // byte_level.rs add_prefix_space: with or without a space already there, the first word gets one.
    [InlineData(" Hello my friend, how is your day going?")]
    [InlineData("Hello my friend, how is your day going?")]
    public void ByteLevel_AddPrefixSpace_FirstWordSpaced(string text)
    {
        Assert.Equal(
            ["ĠHello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"],
            Pieces(new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true), text));
    }

    [Theory]
    // byte_level.rs decode_works_on_separated_tokens: byte-level pieces cut into single characters decode back.
    [InlineData("A Nuskhuri abbreviation of იესუ ქრისტე ( iesu kriste ) \" Jesus Christ \"")]
    [InlineData("An equal number have descenders , like p or q in English : გ , დ , ე , ვ , კ , ლ , ჟ , ტ , უ , ფ , ღ , ყ , ც")]
    public void ByteLevel_DecodeSingleCharacterTokens_OriginalText(string text)
    {
        var tokens = Pieces(new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true), text)
            .SelectMany(piece => piece.Select(c => c.ToString()));

        Assert.Equal(text, string.Concat(Decode(next => new ByteLevelStage(next), [.. tokens])));
    }

    [Theory]
    // pre_tokenizers/split.rs basic: the pattern \w+|[^\w\s]+ inverted, so the delimiters are the spaces.
    [InlineData("Removed", "How|are|you|doing|?")]
    [InlineData("Isolated", "How| |are| |you| |doing|?")]
    [InlineData("MergedWithPrevious", "How |are |you |doing|?")]
    [InlineData("MergedWithNext", "How| are| you| doing|?")]
    [InlineData("Contiguous", "How| |are| |you| |doing?")]
    public void Split_Behaviors_PiecesAsHuggingFace(string behavior, string expected)
    {
        var split = new RegexSplitPreTokenizer(
            new CodePointRegex(@"\w+|[^\w\s]+"), Enum.Parse<SplitBehavior>(behavior), invert: true);

        Assert.Equal(expected.Split('|'), Pieces(split, "How are you doing?"));
    }

    [Theory]
    // pre_tokenizers/digits.rs numbers, individual_digits.
    [InlineData(false, "Hey |123| friend!")]
    [InlineData(true, "Hey |1|2|3| friend!")]
    public void Digits_Numbers_SplitOut(bool individual, string expected)
    {
        Assert.Equal(expected.Split('|'), Pieces(new DigitsPreTokenizer(individual), "Hey 123 friend!"));
    }

    [Fact]
    public void Bert_PreTokenize_WhitespaceRemovedPunctuationIsolated()
    {
        // pre_tokenizers/bert.rs basic.
        Assert.Equal(
            ["Hey", "friend", "!", "How", "are", "you", "?", "!", "?"],
            Pieces(new BertPreTokenizer(), "Hey friend!     How are you?!?"));
    }

    [Theory]
    // pre_tokenizers/metaspace.rs basic, multiple_spaces.
    [InlineData("Hey friend!", "▁Hey|▁friend!")]
    [InlineData("Hey   friend!", "▁Hey|▁|▁|▁friend!")]
    public void Metaspace_Always_SpacesReplacedAndSplit(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Always, split: true), text));
    }

    [Theory]
    // metaspace.rs non_legacy_meta_space: after a split on <s>, prepend_scheme first prepends to the first piece only.
    [InlineData("Hey my friend <s>how▁are you", "▁Hey▁my▁friend▁|<s>|how▁are▁you")]
    [InlineData(" Hey <s>how", "▁Hey▁|<s>|how")]
    [InlineData(" Hey <s>how <s>are <s> you", "▁Hey▁|<s>|how▁|<s>|are▁|<s>|▁you")]
    public void Metaspace_PrependFirst_OnlyThePieceAtTheStart(string text, string expected)
    {
        var preTokenizer = new SequencePreTokenizer(
        [
            new RegexSplitPreTokenizer(new CodePointRegex("(<s>)"), SplitBehavior.Isolated, invert: false),
            new MetaspacePreTokenizer('▁', PrependScheme.First, split: false),
        ]);

        Assert.Equal(expected.Split('|'), Pieces(preTokenizer, text));
    }

    [Fact]
    public void Metaspace_AlwaysAfterFirst_EveryPieceSplit()
    {
        // metaspace.rs non_legacy_meta_space, second pass.
        var preTokenizer = new SequencePreTokenizer(
        [
            new RegexSplitPreTokenizer(new CodePointRegex("(<s>)"), SplitBehavior.Isolated, invert: false),
            new MetaspacePreTokenizer('▁', PrependScheme.First, split: false),
            new MetaspacePreTokenizer('▁', PrependScheme.Always, split: true),
        ]);

        Assert.Equal(
            ["▁Hey", "▁my", "▁friend", "▁", "▁<s>", "▁how", "▁are", "▁you"],
            Pieces(preTokenizer, "Hey my friend <s>how▁are you"));
    }

    [Theory]
    // decoders/byte_fallback.rs decode.
    [InlineData("Hey|friend!", "Hey|friend!")]
    [InlineData("<0x61>", "a")]
    [InlineData("<0xE5>", "\uFFFD")]
    [InlineData("<0xE5>|<0x8f>", "\uFFFD|\uFFFD")]
    [InlineData("<0xE5>|<0x8f>|<0xab>", "叫")]
    [InlineData("<0xE5>|<0x8f>|<0xab>|a", "叫|a")]
    [InlineData("<0xE5>|<0x8f>|a", "\uFFFD|\uFFFD|a")]
    public void ByteFallback_Decode_TokensAsHuggingFace(string tokens, string expected)
    {
        Assert.Equal(expected.Split('|'), Decode(next => new ByteFallbackStage(next), tokens.Split('|')));
    }

    [Fact]
    public void Strip_Decode_LeadingCharacterOfEachToken()
    {
        // decoders/strip.rs decode (the start case; stop is refused at load).
        Assert.Equal(["ey", " friend!", "HH"], Decode(next => new StripStage(next, 'H', 1), ["Hey", " friend!", "HHH"]));
    }

    [Fact]
    public void WordPiece_Decode_PiecesJoined()
    {
        // decoders/wordpiece.rs wordpiece_decoder.
        Assert.Equal(
            "##uelo Araújo Noguera",
            string.Concat(Decode(next => new WordPieceStage(next, "##", cleanup: false), ["##uelo", "Ara", "##új", "##o", "No", "##guera"])));
    }

    [Theory]
    // pre_tokenizers/metaspace.rs decode.
    [InlineData(true, "Hey| friend!")]
    [InlineData(false, " Hey| friend!")]
    public void Metaspace_Decode_FirstTokenByScheme(bool dropInFirstToken, string expected)
    {
        Assert.Equal(expected.Split('|'), Decode(next => new MetaspaceStage(next, '▁', dropInFirstToken), ["▁Hey", "▁friend!"]));
    }

    [Fact]
    public void ByteLevel_Decode_TokensJoined()
    {
        // pre_tokenizers/byte_level.rs decoding.
        Assert.Equal(
            ["Hello my friend, how is your day going?"],
            Decode(next => new ByteLevelStage(next), ["Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"]));
    }

    private static string[] Pieces(PreTokenizer preTokenizer, string text)
    {
        var pieces = new List<Piece>();
        preTokenizer.Split(new Piece(text, AtStart: true), pieces);
        return [.. pieces.Select(p => p.Text)];
    }

    // Runs one stage and returns its output as Hugging Face's decode_chain would: a list of token strings.
    private static List<string> Decode(Func<DecoderStage, DecoderStage> stage, string[] tokens)
    {
        var recorder = new TokenRecorder();
        var head = stage(recorder);
        foreach (var token in tokens)
        {
            head.Write(token, newToken: true);
        }

        head.Flush();
        return recorder.Tokens;
    }

    private sealed class TokenRecorder() : DecoderStage(null)
    {
        public List<string> Tokens { get; } = [];

        public override void Write(ReadOnlySpan<char> text, bool newToken)
        {
            if (newToken || Tokens.Count == 0)
            {
                Tokens.Add(text.ToString());
            }
            else
            {
                Tokens[^1] += text.ToString();
            }
        }

        public override void Flush()
        {
        }
    }
}
