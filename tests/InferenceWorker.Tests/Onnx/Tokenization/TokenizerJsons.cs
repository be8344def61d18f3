namespace AiPlatform.InferenceWorker.Tests.Onnx.Tokenization;

/// <summary>
/// Small tokenizer.json files in the shape Hugging Face exports for each family, with vocabularies and merges chosen
/// so that every expected id in the tests can be worked out by hand (the derivations are in the tests' comments).
/// </summary>
internal static class TokenizerJsons
{
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>
    /// Byte-level vocabulary: the character of byte b (GPT-2's bytes_to_unicode, redone here) has id b; then
    /// the merges below, in rank order, make ids 256 to 269, and "Ġwor" (268) is reachable by no merge.
    /// </summary>
    public static readonly (string Left, string Right, string Merged, int Id)[] ByteLevelMerges =
    [
        ("1", "2", "12", 256),
        ("4", "5", "45", 257),
        ("12", "3", "123", 258),
        ("123", "45", "12345", 259),
        ("Ġ", "w", "Ġw", 260),
        ("l", "l", "ll", 261),
        ("H", "e", "He", 262),
        ("He", "ll", "Hell", 263),
        ("Hell", "o", "Hello", 264),
        ("Ġw", "o", "Ġwo", 265),
        ("Ã", "©", "Ã©", 266), // é is C3 A9
        ("a", "ð", "að", 267), // 𝐀 (U+1D400) starts with F0
        ("¿", "x", "¿x", 269), // ſ (U+017F) is C5 BF
    ];

    public static Dictionary<string, int> ByteLevelVocab()
    {
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteChar(b)] = b;
        }

        foreach (var (_, _, merged, id) in ByteLevelMerges)
        {
            vocab[merged] = id;
        }

        vocab["Ġwor"] = 268;
        return vocab;
    }

    /// <summary>openai/gpt-2 encoder.py bytes_to_unicode: printable bytes as themselves, the others from U+0100 on.</summary>
    public static string ByteChar(int b)
    {
        static bool Printable(int x) => x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var shifted = Enumerable.Range(0, b).Count(x => !Printable(x));
        return ((char)(Printable(b) ? b : 256 + shifted)).ToString();
    }

    /// <summary>Numbered from the vocabulary's size (270 entries), as Hugging Face numbers added tokens.</summary>
    public static object[] ChatTokens() =>
    [
        Added(270, "<|endoftext|>"),
        Added(271, "<|im_start|>"),
        Added(272, "<|im_end|>"),
        Added(273, "<|begin_of_text|>"),
    ];

    /// <summary>GPT-2's layout: ByteLevel pre-tokenizer with its built-in regex, merges as "a b" strings.</summary>
    public static object Gpt2() => new
    {
        version = "1.0",
        truncation = (object?)null,
        padding = (object?)null,
        added_tokens = ChatTokens(),
        normalizer = (object?)null,
        pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
        post_processor = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = false, use_regex = true },
        decoder = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
        model = new
        {
            type = "BPE",
            dropout = (object?)null,
            unk_token = (object?)null,
            continuing_subword_prefix = "",
            end_of_word_suffix = "",
            fuse_unk = false,
            byte_fallback = false,
            vocab = ByteLevelVocab(),
            merges = ByteLevelMerges.Select(m => $"{m.Left} {m.Right}").ToArray(),
        },
    };

    /// <summary>Llama 3's layout: its Split regex then ByteLevel without regex, ignore_merges, merges as pairs,
    /// and a post-processor that puts &lt;|begin_of_text|&gt; first.</summary>
    public static object Llama3() => new
    {
        version = "1.0",
        added_tokens = ChatTokens(),
        normalizer = (object?)null,
        pre_tokenizer = new
        {
            type = "Sequence",
            pretokenizers = new object[]
            {
                new { type = "Split", pattern = new { Regex = Llama3Pattern }, behavior = "Isolated", invert = false },
                new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = false },
            },
        },
        post_processor = new
        {
            type = "Sequence",
            processors = new object[]
            {
                new { type = "ByteLevel", add_prefix_space = true, trim_offsets = false, use_regex = true },
                Template(["<|begin_of_text|>", "$A"], ("<|begin_of_text|>", 273)),
            },
        },
        decoder = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
        model = new
        {
            type = "BPE",
            dropout = (object?)null,
            unk_token = (object?)null,
            continuing_subword_prefix = (object?)null,
            end_of_word_suffix = (object?)null,
            fuse_unk = false,
            byte_fallback = false,
            ignore_merges = true,
            vocab = ByteLevelVocab(),
            merges = ByteLevelMerges.Select(m => new[] { m.Left, m.Right }).ToArray(),
        },
    };

    /// <summary>
    /// SentencePiece-style vocabulary: &lt;unk&gt; &lt;s&gt; &lt;/s&gt; are 0 1 2, "&lt;0xNN&gt;" is 3 + NN, then
    /// ▁ 259, h 260, e 261, l 262, o 263, w 264, r 265, d 266, the merged tokens 267 to 274 and 日 275.
    /// </summary>
    public static Dictionary<string, int> SentencePieceVocab()
    {
        var vocab = new Dictionary<string, int> { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (var b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 3 + b;
        }

        string[] tokens = ["▁", "h", "e", "l", "o", "w", "r", "d", "▁h", "ll", "▁he", "▁hell", "▁hello", "▁w", "or", "▁wor", "日"];
        for (var i = 0; i < tokens.Length; i++)
        {
            vocab[tokens[i]] = 259 + i;
        }

        return vocab;
    }

    public static readonly string[] SentencePieceMerges =
        ["▁ h", "l l", "▁h e", "▁he ll", "▁hell o", "▁ w", "o r", "▁w or"];

    public static object[] SentencePieceSpecials() => [Added(0, "<unk>"), Added(1, "<s>"), Added(2, "</s>")];

    public static object SentencePieceDecoder() => new
    {
        type = "Sequence",
        decoders = new object[]
        {
            new { type = "Replace", pattern = new { String = "▁" }, content = " " },
            new { type = "ByteFallback" },
            new { type = "Fuse" },
            new { type = "Strip", content = " ", start = 1, stop = 0 },
        },
    };

    public static object SentencePieceModel() => new
    {
        type = "BPE",
        dropout = (object?)null,
        unk_token = "<unk>",
        continuing_subword_prefix = (object?)null,
        end_of_word_suffix = (object?)null,
        fuse_unk = true,
        byte_fallback = true,
        vocab = SentencePieceVocab(),
        merges = SentencePieceMerges,
    };

    /// <summary>Llama 2's layout: Prepend("▁") and Replace(" ", "▁") normalizers, no pre-tokenizer, "&lt;s&gt; $A".</summary>
    public static object Llama2() => new
    {
        version = "1.0",
        added_tokens = SentencePieceSpecials(),
        normalizer = new
        {
            type = "Sequence",
            normalizers = new object[]
            {
                new { type = "Prepend", prepend = "▁" },
                new { type = "Replace", pattern = new { String = " " }, content = "▁" },
            },
        },
        pre_tokenizer = (object?)null,
        post_processor = Template(["<s>", "$A"], ("<s>", 1)),
        decoder = SentencePieceDecoder(),
        model = SentencePieceModel(),
    };

    /// <summary>Newer SentencePiece exports (Mistral v0.3): no normalizer, a Metaspace pre-tokenizer.</summary>
    public static object Metaspace(object decoder) => new
    {
        version = "1.0",
        added_tokens = SentencePieceSpecials(),
        normalizer = (object?)null,
        pre_tokenizer = new { type = "Metaspace", replacement = "▁", prepend_scheme = "first", split = false },
        post_processor = Template(["<s>", "$A"], ("<s>", 1)),
        decoder,
        model = SentencePieceModel(),
    };

    /// <summary>BERT's vocabulary; [PAD] [UNK] [CLS] [SEP] [MASK] are 0 to 4.</summary>
    public static Dictionary<string, int> WordPieceVocab()
    {
        string[] tokens =
        [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", ",", "!", "un", "##aff", "##able", "cafe",
            "日", "本", "𝐀", "##𝐀",
        ];
        return tokens.Select((token, id) => (token, id)).ToDictionary(t => t.token, t => t.id);
    }

    /// <summary>BERT's layout (bert-base-uncased, MiniLM, BGE, E5).</summary>
    public static object Bert(object? postProcessor = null, int maxInputCharsPerWord = 100) => new
    {
        version = "1.0",
        added_tokens = new[] { Added(0, "[PAD]"), Added(1, "[UNK]"), Added(2, "[CLS]"), Added(3, "[SEP]"), Added(4, "[MASK]") },
        normalizer = new
        {
            type = "BertNormalizer",
            clean_text = true,
            handle_chinese_chars = true,
            strip_accents = (object?)null,
            lowercase = true,
        },
        pre_tokenizer = new { type = "BertPreTokenizer" },
        post_processor = postProcessor ?? Template(["[CLS]", "$A", "[SEP]"], ("[CLS]", 2), ("[SEP]", 3)),
        decoder = new { type = "WordPiece", prefix = "##", cleanup = true },
        model = new
        {
            type = "WordPiece",
            unk_token = "[UNK]",
            continuing_subword_prefix = "##",
            max_input_chars_per_word = maxInputCharsPerWord,
            vocab = WordPieceVocab(),
        },
    };

    /// <summary>An added token as tokenizer.json lists it; special ones are not normalized, others are.</summary>
    public static object Added(
        int id, string content, bool special = true, bool singleWord = false, bool lstrip = false, bool rstrip = false) =>
        new
        {
            id,
            content,
            single_word = singleWord,
            lstrip,
            rstrip,
            normalized = !special,
            special,
        };

    /// <summary>TemplateProcessing: "$A" for the text, any other entry a special token of <paramref name="specials"/>.</summary>
    public static object Template(string[] single, params (string Token, int Id)[] specials) => new
    {
        type = "TemplateProcessing",
        single = single.Select(p => p == "$A"
            ? (object)new { Sequence = new { id = "A", type_id = 0 } }
            : new { SpecialToken = new { id = p, type_id = 0 } }).ToArray(),
        pair = Array.Empty<object>(),
        special_tokens = specials.ToDictionary(s => s.Token, s => new { id = s.Token, ids = new[] { s.Id }, tokens = new[] { s.Token } }),
    };
}
