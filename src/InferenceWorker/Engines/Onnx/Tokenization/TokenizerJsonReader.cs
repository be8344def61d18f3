using System.Text.Json;
using static AiPlatform.InferenceWorker.Engines.Onnx.Tokenization.JsonFields;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>What tokenizer.json describes, ready to run.</summary>
/// <param name="Model">The <c>model</c>.</param>
/// <param name="Normalizer">The <c>normalizer</c>, if any.</param>
/// <param name="PreTokenizer">The <c>pre_tokenizer</c>, if any.</param>
/// <param name="AddedTokens">The <c>added_tokens</c>.</param>
/// <param name="Prefix">The ids <c>post_processor</c> puts before the text's when special tokens are added.</param>
/// <param name="Suffix">The ids it puts after them.</param>
/// <param name="DecoderSteps">The <c>decoder</c>, as stage factories in order, each given the stage after it.</param>
internal sealed record TokenizerDefinition(
    TokenizerModel Model,
    Normalizer? Normalizer,
    PreTokenizer? PreTokenizer,
    IReadOnlyList<AddedToken> AddedTokens,
    int[] Prefix,
    int[] Suffix,
    IReadOnlyList<Func<DecoderStage, DecoderStage>> DecoderSteps);

/// <summary>
/// Reads a Hugging Face tokenizer.json (the <c>tokenizers</c> library's serialization) into a
/// <see cref="TokenizerDefinition"/>, refusing whatever this implementation would not run exactly as Hugging Face does.
/// </summary>
internal static partial class TokenizerJsonReader
{
    /// <exception cref="OnnxModelException">The file is missing, not JSON, or describes something unsupported.</exception>
    public static TokenizerDefinition Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new OnnxModelException($"{path}: not found; the onnx engine needs the model's tokenizer.json.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new OnnxModelException($"{path}: not valid JSON ({ex.Message}).", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new OnnxModelException($"{path}: {ex.Message}.", ex);
        }
        catch (IOException ex)
        {
            throw new OnnxModelException($"{path}: cannot be read ({ex.Message}).", ex);
        }
    }

    private static TokenizerDefinition Read(JsonElement root)
    {
        var normalizer = Optional(root, "normalizer", "the root") is { } n ? ReadNormalizer(n, "normalizer") : null;
        var preTokenizer = Optional(root, "pre_tokenizer", "the root") is { } p
            ? ReadPreTokenizer(p, "pre_tokenizer")
            : null;
        var model = ReadModel(Optional(root, "model", "the root")
            ?? throw new InvalidDataException("model is missing"));
        var addedTokens = AssignIds(ReadAddedTokens(root), model.Vocabulary);
        var (prefix, suffix) = Optional(root, "post_processor", "the root") is { } pp
            ? ReadPostProcessor(pp, "post_processor")
            : ([], []);
        var decoderSteps = new List<Func<DecoderStage, DecoderStage>>();
        if (Optional(root, "decoder", "the root") is { } decoder)
        {
            var fused = false;
            AddDecoder(decoder, "decoder", decoderSteps, ref fused);
        }
        else
        {
            decoderSteps.Add(next => new SpaceJoinStage(next));
        }

        return new TokenizerDefinition(model, normalizer, preTokenizer, addedTokens, prefix, suffix, decoderSteps);
    }

    private static TokenizerModel ReadModel(JsonElement model)
    {
        // Old files have no model.type; Hugging Face then tries BPE first, which needs merges.
        var type = OptionalString(model, "type", "model") ?? (Optional(model, "merges", "model") is null ? "" : "BPE");
        if (type is not ("BPE" or "WordPiece"))
        {
            throw new InvalidDataException(
                $"model.type '{type}' is not supported (the onnx engine runs BPE and WordPiece tokenizers)");
        }

        var vocabulary = ReadVocabulary(model);
        if (type == "WordPiece")
        {
            return new WordPieceModel(
                vocabulary,
                OptionalString(model, "unk_token", "model") ?? "[UNK]",
                OptionalString(model, "continuing_subword_prefix", "model") ?? "##",
                OptionalInt(model, "max_input_chars_per_word", "model", 100));
        }

        if (Optional(model, "dropout", "model") is { } dropout
            && !(dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() == 0))
        {
            throw new InvalidDataException("model.dropout is set; BPE dropout makes tokenization random");
        }

        return new BpeModel(vocabulary, ReadMerges(model), new BpeOptions(
            OptionalString(model, "unk_token", "model"),
            OptionalString(model, "continuing_subword_prefix", "model"),
            OptionalString(model, "end_of_word_suffix", "model"),
            OptionalBool(model, "fuse_unk", "model", false),
            OptionalBool(model, "byte_fallback", "model", false),
            OptionalBool(model, "ignore_merges", "model", false)));
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement model)
    {
        if (Optional(model, "vocab", "model") is not { ValueKind: JsonValueKind.Object } vocab)
        {
            throw new InvalidDataException("model.vocab is missing or not an object");
        }

        // A token listed twice keeps its later id, as Hugging Face's map does.
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            vocabulary[entry.Name] = TokenId(entry.Value, $"model.vocab['{entry.Name}']");
        }

        return vocabulary;
    }

    // Either pairs (["a", "b"], tokenizers 0.20 on) or "a b" strings, where "#version" lines are skipped.
    private static List<(string, string)> ReadMerges(JsonElement model)
    {
        var merges = new List<(string, string)>();
        foreach (var merge in RequiredArray(model, "merges", "model").EnumerateArray())
        {
            var where = $"model.merges[{merges.Count}]";
            if (merge.ValueKind == JsonValueKind.String)
            {
                var line = merge.GetString()!;
                if (line.StartsWith("#version", StringComparison.Ordinal))
                {
                    continue;
                }

                merges.Add(line.Split(' ') is [var left, var right]
                    ? (left, right)
                    : throw new InvalidDataException($"{where} '{line}' is not two tokens separated by a space"));
            }
            else if (merge is { ValueKind: JsonValueKind.Array } && merge.GetArrayLength() == 2
                     && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
            }
            else
            {
                throw new InvalidDataException($"{where} is neither \"a b\" nor [\"a\", \"b\"]");
            }
        }

        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (Optional(root, "added_tokens", "the root") is not { } array)
        {
            return tokens;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("added_tokens is not an array");
        }

        foreach (var token in array.EnumerateArray())
        {
            var where = $"added_tokens[{tokens.Count}]";
            var special = OptionalBool(token, "special", where, false);
            tokens.Add(new AddedToken(
                TokenId(Optional(token, "id", where) ?? throw new InvalidDataException($"{where}.id is missing"), $"{where}.id"),
                RequiredString(token, "content", where),
                OptionalBool(token, "single_word", where, false),
                OptionalBool(token, "lstrip", where, false),
                OptionalBool(token, "rstrip", where, false),
                OptionalBool(token, "normalized", where, !special),
                special));
        }

        return tokens;
    }

    /// <summary>
    /// The ids Hugging Face gives added tokens, which are not the ids written with them: a token already in the model's
    /// vocabulary keeps its id there, the others are numbered from the vocabulary's size in the order listed, and a
    /// content listed twice is one token with the later options (AddedVocabulary::add_tokens; Hugging Face only warns
    /// when a written id differs). The files Hugging Face writes agree with this.
    /// </summary>
    private static List<AddedToken> AssignIds(List<AddedToken> listed, Dictionary<string, int> vocabulary)
    {
        var idsByContent = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<int, AddedToken>();
        var nextId = vocabulary.Count;
        foreach (var token in listed.Where(t => t.Content.Length > 0))
        {
            if (!idsByContent.TryGetValue(token.Content, out var id) && !vocabulary.TryGetValue(token.Content, out id))
            {
                id = nextId++;
            }

            idsByContent[token.Content] = id;
            byId[id] = token with { Id = id };
        }

        return [.. byId.Values];
    }

    private static (int[] Prefix, int[] Suffix) ReadPostProcessor(JsonElement processor, string where)
    {
        var type = TypeOf(processor, where);
        switch (type)
        {
            case "ByteLevel":
                return ([], []);
            case "BertProcessing" or "RobertaProcessing":
                // Both put cls before the text and sep after it: [CLS] A [SEP], <s> A </s>.
                return ([PairId(processor, "cls", where)], [PairId(processor, "sep", where)]);
            case "TemplateProcessing":
                return ReadTemplate(processor, where);
            case "Sequence":
                // Each processor wraps what the ones before it produced.
                var (prefix, suffix) = (Array.Empty<int>(), Array.Empty<int>());
                var i = 0;
                foreach (var step in RequiredArray(processor, "processors", where).EnumerateArray())
                {
                    var (p, s) = ReadPostProcessor(step, $"{where}.processors[{i++}]");
                    (prefix, suffix) = ([.. p, .. prefix], [.. suffix, .. s]);
                }

                return (prefix, suffix);
            default:
                throw new InvalidDataException($"{where}.type '{type}' is not supported");
        }
    }

    private static int PairId(JsonElement processor, string name, string where) =>
        Optional(processor, name, where) is { ValueKind: JsonValueKind.Array } pair && pair.GetArrayLength() == 2
            ? TokenId(pair[1], $"{where}.{name}[1]")
            : throw new InvalidDataException($"{where}.{name} is not a [token, id] pair");

    // The single-sequence template: special tokens around exactly one $A.
    private static (int[] Prefix, int[] Suffix) ReadTemplate(JsonElement processor, string where)
    {
        var specialTokens = Optional(processor, "special_tokens", where);
        List<int> prefix = [];
        List<int> suffix = [];
        var sawSequence = false;
        var i = 0;
        foreach (var piece in RequiredArray(processor, "single", where).EnumerateArray())
        {
            var pieceWhere = $"{where}.single[{i++}]";
            if (Optional(piece, "Sequence", pieceWhere) is { } sequence)
            {
                if (sawSequence || RequiredString(sequence, "id", pieceWhere + ".Sequence") != "A")
                {
                    throw new InvalidDataException($"{pieceWhere}: a single-sequence template must hold $A once");
                }

                sawSequence = true;
                continue;
            }

            var name = RequiredString(
                Optional(piece, "SpecialToken", pieceWhere)
                    ?? throw new InvalidDataException($"{pieceWhere} is neither a Sequence nor a SpecialToken"),
                "id", pieceWhere + ".SpecialToken");
            if (specialTokens is not { } map || Optional(map, name, $"{where}.special_tokens") is not { } special)
            {
                throw new InvalidDataException($"{where}.special_tokens has no entry '{name}'");
            }

            var ids = RequiredArray(special, "ids", $"{where}.special_tokens['{name}']").EnumerateArray()
                .Select((id, k) => TokenId(id, $"{where}.special_tokens['{name}'].ids[{k}]"));
            (sawSequence ? suffix : prefix).AddRange(ids);
        }

        return sawSequence
            ? (prefix.ToArray(), suffix.ToArray())
            : throw new InvalidDataException($"{where}.single has no $A");
    }
}
