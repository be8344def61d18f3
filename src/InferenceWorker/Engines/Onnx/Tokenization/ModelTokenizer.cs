using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// A model folder's tokenizer, encoding and decoding exactly as Hugging Face's <c>tokenizers</c> (0.23) does with
/// the same tokenizer.json, for byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM), SentencePiece-style BPE with byte
/// fallback (Llama 2, Mistral, TinyLlama, Phi-3.5) and WordPiece (BERT, MiniLM, BGE, E5).
/// </summary>
/// <remarks>
/// Thread-safe: one instance serves every request. Encoding follows Hugging Face's steps: added tokens are cut out of
/// the raw text, the rest is normalized (and searched again for added tokens that match normalized), pre-tokenized
/// into words, and each word tokenized by the model; <c>post_processor</c>'s special tokens go around the result.
/// tokenizer.json's truncation and padding are not applied, and neither are transformers' rewrites of the post
/// processor from tokenizer_config.json (<c>add_bos_token</c>): the engine decides lengths, tokenizer.json decides ids.
/// </remarks>
internal sealed class ModelTokenizer
{
    private readonly TokenizerDefinition _definition;
    private readonly AddedTokenMatcher? _rawMatcher;
    private readonly AddedTokenMatcher? _normalizedMatcher;

    // By id: the string the decoder is given (null where no token has the id), and whether decoding skips it.
    private readonly string?[] _decoderForms;
    private readonly bool[] _special;

    private ModelTokenizer(TokenizerDefinition definition, TokenizerConfig config)
    {
        _definition = definition;
        var normalizer = definition.Normalizer;

        // A normalized added token matches in normalized text, spelled as the normalizer spells it.
        string Spelling(AddedToken token) =>
            token.Normalized && normalizer is not null ? normalizer.Normalize(token.Content) : token.Content;

        var raw = definition.AddedTokens.Where(t => !t.Normalized).ToArray();
        var normalized = definition.AddedTokens.Where(t => t.Normalized).ToArray();
        _rawMatcher = raw.Length > 0 ? new AddedTokenMatcher(raw.Select(t => (t.Content, t))) : null;
        _normalizedMatcher = normalized.Length > 0 ? new AddedTokenMatcher(normalized.Select(t => (Spelling(t), t))) : null;

        var vocabulary = definition.Model.Vocabulary;
        VocabularySize = Math.Max(
            vocabulary.Count > 0 ? vocabulary.Values.Max() : -1,
            definition.AddedTokens.Count > 0 ? definition.AddedTokens.Max(t => t.Id) : -1) + 1;

        // Hugging Face decodes an added token from its normalized spelling (tokenizers 0.23), and skips as special
        // whatever decodes from the content of a special added token.
        _decoderForms = new string?[VocabularySize];
        foreach (var (token, id) in vocabulary)
        {
            _decoderForms[id] = token;
        }

        foreach (var token in definition.AddedTokens)
        {
            _decoderForms[token.Id] = Spelling(token);
        }

        var specialContents = definition.AddedTokens.Where(t => t.Special).Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
        _special = Array.ConvertAll(_decoderForms, form => form is not null && specialContents.Contains(form));

        ChatTemplate = config.ChatTemplate;
        BosToken = config.Bos?.Content;
        EosToken = config.Eos?.Content;
        BosTokenId = IdOf(config.Bos);
        EosTokenId = IdOf(config.Eos);
        PadTokenId = IdOf(config.Pad);
    }

    /// <summary>The highest id, added tokens included, plus one.</summary>
    public int VocabularySize { get; }

    public string? BosToken { get; }

    public int? BosTokenId { get; }

    public string? EosToken { get; }

    public int? EosTokenId { get; }

    public int? PadTokenId { get; }

    /// <summary>The Jinja chat template, or null when the model has none.</summary>
    public string? ChatTemplate { get; }

    /// <summary>
    /// Reads <c>tokenizer.json</c> (required), <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c> and
    /// <c>chat_template.jinja</c> (each optional) from <paramref name="modelFolder"/>.
    /// </summary>
    /// <exception cref="OnnxModelException">A file is missing, invalid, or describes a tokenizer not supported.</exception>
    public static ModelTokenizer Load(string modelFolder) => new(
        TokenizerJsonReader.Read(Path.Combine(modelFolder, "tokenizer.json")),
        TokenizerConfigReader.Read(modelFolder));

    /// <summary>Whether decoding with <c>skipSpecialTokens</c> drops <paramref name="id"/>.</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)_special.Length && _special[id];

    public int[] Encode(string text, bool addSpecialTokens)
    {
        text = WithoutLoneSurrogates(text);
        var ids = new List<int>(text.Length / 3 + 8);
        if (addSpecialTokens)
        {
            ids.AddRange(_definition.Prefix);
        }

        List<(int Start, int End, AddedToken? Token)> splits = [];
        List<(int Start, int End, AddedToken? Token)> normalizedSplits = [];
        List<Piece> words = [];
        Split(_rawMatcher, text, splits);
        foreach (var (start, end, token) in splits)
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                continue;
            }

            var normalized = text[start..end];
            normalized = _definition.Normalizer?.Normalize(normalized) ?? normalized;
            normalizedSplits.Clear();
            Split(_normalizedMatcher, normalized, normalizedSplits);
            foreach (var (innerStart, innerEnd, innerToken) in normalizedSplits)
            {
                if (innerToken is not null)
                {
                    ids.Add(innerToken.Id);
                }
                else if (innerEnd > innerStart)
                {
                    var piece = new Piece(normalized[innerStart..innerEnd], start == 0 && innerStart == 0);
                    TokenizePiece(piece, ids, words);
                }
            }
        }

        if (addSpecialTokens)
        {
            ids.AddRange(_definition.Suffix);
        }

        return ids.ToArray();
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var decoder = NewStreamingDecoder(skipSpecialTokens);
        foreach (var id in ids)
        {
            decoder.Push(id);
        }

        return decoder.Flush();
    }

    public StreamingDecoder NewStreamingDecoder(bool skipSpecialTokens)
    {
        var sink = new TextSink();
        DecoderStage head = sink;
        for (var i = _definition.DecoderSteps.Count - 1; i >= 0; i--)
        {
            head = _definition.DecoderSteps[i](head);
        }

        return new StreamingDecoder(this, skipSpecialTokens, head, sink);
    }

    /// <summary>The string the decoder gets for <paramref name="id"/>; null to leave it out, as Hugging Face leaves out
    /// ids it does not know and, when asked, special tokens.</summary>
    internal string? DecoderForm(int id, bool skipSpecialTokens) =>
        (uint)id < (uint)_decoderForms.Length && !(skipSpecialTokens && _special[id]) ? _decoderForms[id] : null;

    private void TokenizePiece(Piece piece, List<int> ids, List<Piece> words)
    {
        if (_definition.PreTokenizer is null)
        {
            _definition.Model.Tokenize(piece.Text, ids);
            return;
        }

        words.Clear();
        _definition.PreTokenizer.Split(piece, words);
        foreach (var word in words)
        {
            _definition.Model.Tokenize(word.Text, ids);
        }
    }

    private static void Split(AddedTokenMatcher? matcher, string text, List<(int, int, AddedToken?)> splits)
    {
        if (matcher is not null)
        {
            matcher.Split(text, splits);
        }
        else if (text.Length > 0)
        {
            splits.Add((0, text.Length, null));
        }
    }

    private int? IdOf(ConfiguredToken? token)
    {
        if (token is null)
        {
            return null;
        }

        // Hugging Face's token_to_id: the added tokens first, then the model's vocabulary.
        var added = _definition.AddedTokens.LastOrDefault(t => t.Content == token.Content);
        if (added is not null)
        {
            return added.Id;
        }

        return _definition.Model.Vocabulary.TryGetValue(token.Content, out var id)
            ? id
            : throw new OnnxModelException($"{token.File}: '{token.Content}' is not a token of tokenizer.json.");
    }

    // A lone surrogate cannot reach Hugging Face (Rust strings are valid UTF-8); it becomes U+FFFD, as UTF-8 encoding
    // would make it, so that every later step sees well-formed text.
    private static string WithoutLoneSurrogates(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            }
        }

        return text;
    }
}
