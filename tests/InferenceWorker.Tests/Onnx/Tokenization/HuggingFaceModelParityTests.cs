using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;
using static AiPlatform.InferenceWorker.Tests.Onnx.Tokenization.TokenizerJsons;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

/// <summary>
/// Cases ported from huggingface/tokenizers' own unit tests (v0.23.1): their vocabularies, inputs and expected
/// results, run through tokenizer.json files that hold only what each test configures. models/bpe/model.rs for the
/// BPE cases (the model tokenizes the whole input when there is no pre-tokenizer), tokenizer/added_vocabulary.rs
/// for the added-token cases (the pieces between added tokens are spelled character by character here, so the
/// expected splits show in the ids).
/// </summary>
public sealed class HuggingFaceModelParityTests
{
    [Fact]
    public void Bpe_Unrelated_MergedToOneToken()
    {
        // test_tokenize_with_and_without_dropout, without dropout.
        string[] tokens = ["u", "n", "r", "e", "l", "a", "t", "d", "re", "at", "ed", "un", "ated", "rel", "related", "unrelated"];
        var tokenizer = TokenizerFolder.Load(BpeOnly(
            tokens.Select((t, id) => (t, id)).ToDictionary(x => x.t, x => x.id),
            ["r e", "a t", "e d", "u n", "at ed", "re l", "rel ated", "un related"]));

        Assert.Equal([15], tokenizer.Encode("unrelated", addSpecialTokens: false));
    }

    [Theory]
    [InlineData(false, "c", new[] { 0 })]
    [InlineData(false, "cc", new[] { 0, 0 })]
    [InlineData(false, "accb", new[] { 1, 0, 0, 2 })]
    [InlineData(true, "c", new[] { 0 })]
    [InlineData(true, "cc", new[] { 0 })]
    [InlineData(true, "accb", new[] { 1, 0, 2 })]
    public void Bpe_UnknownCharacters_FusedOrNot(bool fuseUnknown, string text, int[] expected)
    {
        // test_unk_not_fused, test_unk_get_fused.
        var tokenizer = TokenizerFolder.Load(BpeOnly(
            new Dictionary<string, int> { ["<unk>"] = 0, ["a"] = 1, ["b"] = 2 }, [], unk: "<unk>", fuseUnk: fuseUnknown));

        Assert.Equal(expected, tokenizer.Encode(text, addSpecialTokens: false));
    }

    [Theory]
    [InlineData("b", new int[0])]
    [InlineData("bab", new[] { 0 })]
    public void Bpe_CharacterWithNoTokenAndNoUnknown_Dropped(string text, int[] expected)
    {
        // No test of Hugging Face's covers this; its result was checked with the tokenizers package 0.23.2.
        var tokenizer = TokenizerFolder.Load(BpeOnly(new Dictionary<string, int> { ["a"] = 0 }, []));

        Assert.Equal(expected, tokenizer.Encode(text, addSpecialTokens: false));
    }

    [Theory]
    [InlineData("<0x61>", "c", 0)]
    [InlineData("<0x61>", "a", 1)]
    [InlineData("<0x0A>", "\n", 1)]
    public void Bpe_ByteFallback_ByteTokenOrUnknown(string byteToken, string text, int expected)
    {
        // test_bpe_byte_fallback, test_bpe_byte_fallback_newline.
        var tokenizer = TokenizerFolder.Load(BpeOnly(
            new Dictionary<string, int> { ["<unk>"] = 0, [byteToken] = 1 }, [], unk: "<unk>", byteFallback: true));

        Assert.Equal([expected], tokenizer.Encode(text, addSpecialTokens: false));
    }

    [Theory]
    [InlineData(true, ".:.:", new[] { 0 })]
    [InlineData(true, "Ġbelirtilen", new[] { 1 })]
    [InlineData(false, ".:.:", new[] { 7, 7 })]
    [InlineData(false, "Ġbelirtilen", new[] { 6, 4, 15, 14 })]
    public void Bpe_IgnoreMerges_WholeWordFromVocabulary(bool ignoreMerges, string text, int[] expected)
    {
        // test_ignore_merges.
        string[] tokens =
        [
            ".:.:", "Ġbelirtilen", ".", ":", "bel", "irtilen", "Ġ", ".:", "belirtilen", ".:.", "be", "l", "ir", "ti", "en",
            "irtil", "irti", "i", "r", "t", "b", "e", "n",
        ];
        var tokenizer = TokenizerFolder.Load(BpeOnly(
            tokens.Select((t, id) => (t, id)).ToDictionary(x => x.t, x => x.id),
            [". :", "b e", "be l", "i r", "t i", "ir ti", "e n", "irti l"],
            ignoreMerges: ignoreMerges));

        Assert.Equal(expected, tokenizer.Encode(text, addSpecialTokens: false));
    }

    [Theory]
    [InlineData("ab", 3)]
    [InlineData("abc", 4)]
    public void Bpe_ContinuingSubwordPrefix_MergesAcrossPrefixedPieces(string text, int expected)
    {
        // test_bpe_with_continuing_subword_prefix. Its unk_token is not in its vocabulary, which Hugging Face only
        // minds when an unknown character comes; this implementation refuses at load, so [UNK] is added as id 5.
        var tokenizer = TokenizerFolder.Load(BpeOnly(
            new Dictionary<string, int> { ["a"] = 0, ["##b"] = 1, ["##c"] = 2, ["ab"] = 3, ["abc"] = 4, ["[UNK]"] = 5 },
            ["a ##b", "ab ##c"],
            unk: "[UNK]",
            prefix: "##"));

        Assert.Equal([expected], tokenizer.Encode(text, addSpecialTokens: false));
    }

    [Fact]
    public void AddedTokens_OptionsUseCases_SplitAsHuggingFace()
    {
        // options_use_cases: "my" takes the spaces around it (lstrip, rstrip) and matches after lowercasing
        // (normalized); "ony" is not extracted from "anthony" (single_word).
        var (tokenizer, chars, added) = CharacterTokenizer(
            Added(0, "my", special: false, lstrip: true, rstrip: true),
            Added(0, "name", special: false),
            Added(0, "ony", special: false, singleWord: true),
            Added(0, "[CLS]"),
            Added(0, "[SEP]"));

        Assert.Equal(
            [added(3), added(0), added(1), .. chars(" is anthony "), added(4)],
            tokenizer.Encode("[CLS] My name is Anthony [SEP]", addSpecialTokens: false));
    }

    [Fact]
    public void AddedTokens_SingleWord_OnlyOutsideWords()
    {
        // test_single_word_is_correct.
        var (tokenizer, chars, added) = CharacterTokenizer(Added(0, "<mask>", special: false, singleWord: true));

        Assert.Equal(
            [added(0), .. chars(" my name "), added(0), .. chars(" a<mask> <mask>ony "), added(0)],
            tokenizer.Encode("<mask> My name <mask> A<mask> <mask>ony <mask>", addSpecialTokens: false));
    }

    [Fact]
    public void AddedTokens_StripUnicodeSpaces_TakenWithTheToken()
    {
        // test_lstrip_unicode_space: tab and U+2000 are whitespace; a space already taken is not taken twice.
        var (tokenizer, chars, added) = CharacterTokenizer(
            Added(0, "<mask>", special: false, singleWord: true, lstrip: true, rstrip: true));

        Assert.Equal(
            [.. chars("hi"), added(0), .. chars("there"), added(0), added(0)],
            tokenizer.Encode("Hi <mask> there\t<mask>\t<mask>\u2000", addSpecialTokens: false));
    }

    // A lowercasing tokenizer whose model spells text one character per token, with the given added tokens; these
    // take the ids after the vocabulary's, in order (their written ids do not count, as in Hugging Face).
    private static (ModelTokenizer Tokenizer, Func<string, int[]> Chars, Func<int, int> Added)
        CharacterTokenizer(params object[] addedTokens)
    {
        const string alphabet = " \t\u2000abcdefghijklmnopqrstuvwxyz<>[]";
        var vocab = alphabet.Select((c, i) => (c, i)).ToDictionary(x => x.c.ToString(), x => x.i);
        var tokenizer = TokenizerFolder.Load(new
        {
            added_tokens = addedTokens,
            normalizer = new { type = "Lowercase" },
            pre_tokenizer = (object?)null,
            post_processor = (object?)null,
            decoder = (object?)null,
            model = new { type = "BPE", vocab, merges = Array.Empty<string>() },
        });
        return (tokenizer, text => [.. text.Select(c => vocab[c.ToString()])], k => alphabet.Length + k);
    }

    private static object BpeOnly(
        Dictionary<string, int> vocab,
        string[] merges,
        string? unk = null,
        bool fuseUnk = false,
        bool byteFallback = false,
        bool ignoreMerges = false,
        string? prefix = null) => new
        {
            added_tokens = Array.Empty<object>(),
            normalizer = (object?)null,
            pre_tokenizer = (object?)null,
            post_processor = (object?)null,
            decoder = (object?)null,
            model = new
            {
                type = "BPE",
                unk_token = unk,
                continuing_subword_prefix = prefix,
                fuse_unk = fuseUnk,
                byte_fallback = byteFallback,
                ignore_merges = ignoreMerges,
                vocab,
                merges,
            },
        };
}
