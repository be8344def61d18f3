namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// A tokenizer.json <c>model</c>: turns one pre-tokenized word into ids. Implementations are immutable and
/// thread-safe; they throw <see cref="InvalidDataException"/> from their constructor for a vocabulary they cannot use.
/// </summary>
internal abstract class TokenizerModel(Dictionary<string, int> vocabulary)
{
    /// <summary>The model's <c>vocab</c>, token to id.</summary>
    public Dictionary<string, int> Vocabulary { get; } = vocabulary;

    /// <summary>Looks tokens up by span, without making strings of the slices of a word.</summary>
    protected Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } =
        vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Appends the ids of <paramref name="word"/> (not empty).</summary>
    public abstract void Tokenize(string word, List<int> ids);

    protected int RequiredId(string token, string role) => Vocabulary.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"model.{role} '{token}' is not in model.vocab");
}
