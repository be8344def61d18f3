namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// Decodes one generated sequence token by token: each <see cref="Append"/> returns the text that became complete with
/// that token, and <see cref="Flush"/> what was still held back at the end. Together they are exactly
/// <see cref="ModelTokenizer.Decode"/> of the whole sequence, because both run the same decoder stages.
/// </summary>
/// <remarks>
/// What is held back: the first bytes of a character that byte-level BPE or byte fallback spreads over several
/// tokens (a byte fallback run is held whole, since Hugging Face turns it into U+FFFD byte by byte unless all of it is
/// valid UTF-8), and SentencePiece's leading space, dropped once at the very start. Not thread-safe: one per sequence,
/// and <see cref="Flush"/> ends it.
/// </remarks>
internal sealed class StreamingDecoder
{
    private readonly ModelTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly DecoderStage _head;
    private readonly TextSink _sink;

    internal StreamingDecoder(ModelTokenizer tokenizer, bool skipSpecialTokens, DecoderStage head, TextSink sink)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _head = head;
        _sink = sink;
    }

    /// <summary>The text completed by <paramref name="id"/>; empty while a character is incomplete.</summary>
    public string Append(int id)
    {
        Push(id);
        return _sink.Take();
    }

    /// <summary>The text held back at the end of the sequence (replacement characters for an incomplete one).</summary>
    public string Flush()
    {
        _head.Flush();
        return _sink.Take();
    }

    /// <summary>Decodes <paramref name="id"/> without taking the text, for a whole decode.</summary>
    internal void Push(int id)
    {
        if (_tokenizer.DecoderForm(id, _skipSpecialTokens) is { } token)
        {
            _head.Write(token, newToken: true);
        }
    }
}
