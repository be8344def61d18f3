using System.Text.Json;
using System.Text.RegularExpressions;
using static AiPlatform.InferenceWorker.Engines.Onnx.Tokenization.JsonFields;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

// The normalizer, pre-tokenizer and decoder: the components that come in many types, each read by its "type".
internal static partial class TokenizerJsonReader
{
    private static Normalizer ReadNormalizer(JsonElement normalizer, string where)
    {
        var type = TypeOf(normalizer, where);
        switch (type)
        {
            case "Sequence":
                return new SequenceNormalizer(RequiredArray(normalizer, "normalizers", where).EnumerateArray()
                    .Select((step, i) => ReadNormalizer(step, $"{where}.normalizers[{i}]")).ToArray());
            case "Prepend":
                return new PrependNormalizer(RequiredString(normalizer, "prepend", where));
            case "Replace":
                return new ReplaceNormalizer(StringPattern(normalizer, where), RequiredString(normalizer, "content", where));
            case "NFC" or "NFD":
                return new CanonicalNormalizer(composed: type == "NFC");
            case "NFKC" or "NFKD":
                // Compatibility decompositions would need tables this implementation does not carry.
                throw new InvalidDataException($"{where}.type '{type}' is not supported (only canonical normalization is)");
            case "Lowercase":
                return new LowercaseNormalizer();
            case "BertNormalizer":
                var lowercase = OptionalBool(normalizer, "lowercase", where, true);
                return new BertNormalizer(
                    OptionalBool(normalizer, "clean_text", where, true),
                    OptionalBool(normalizer, "handle_chinese_chars", where, true),
                    OptionalBool(normalizer, "strip_accents", where, lowercase),
                    lowercase);
            default:
                throw new InvalidDataException($"{where}.type '{type}' is not supported");
        }
    }

    private static PreTokenizer ReadPreTokenizer(JsonElement preTokenizer, string where)
    {
        var type = TypeOf(preTokenizer, where);
        switch (type)
        {
            case "Sequence":
                return new SequencePreTokenizer(RequiredArray(preTokenizer, "pretokenizers", where).EnumerateArray()
                    .Select((step, i) => ReadPreTokenizer(step, $"{where}.pretokenizers[{i}]")).ToArray());
            case "ByteLevel":
                return new ByteLevelPreTokenizer(
                    OptionalBool(preTokenizer, "add_prefix_space", where, true),
                    OptionalBool(preTokenizer, "use_regex", where, true));
            case "Split":
                return new RegexSplitPreTokenizer(
                    SplitRegex(preTokenizer, where),
                    ReadBehavior(preTokenizer, where),
                    OptionalBool(preTokenizer, "invert", where, false));
            case "Metaspace":
                return new MetaspacePreTokenizer(
                    RequiredChar(preTokenizer, "replacement", where),
                    ReadPrependScheme(preTokenizer, where),
                    OptionalBool(preTokenizer, "split", where, true));
            case "Digits":
                return new DigitsPreTokenizer(OptionalBool(preTokenizer, "individual_digits", where, false));
            case "BertPreTokenizer":
                return new BertPreTokenizer();
            default:
                throw new InvalidDataException($"{where}.type '{type}' is not supported");
        }
    }

    private static CodePointRegex SplitRegex(JsonElement split, string where)
    {
        var pattern = Optional(split, "pattern", where)
            ?? throw new InvalidDataException($"{where}.pattern is missing");
        var regex = OptionalString(pattern, "Regex", $"{where}.pattern");
        try
        {
            return new CodePointRegex(regex ?? Regex.Escape(StringPattern(split, where)));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{where}.pattern.Regex is not a pattern .NET can run ({ex.Message})");
        }
    }

    // A Replace's or Split's {"String": "…"} pattern; {"Regex": …} is not supported where this is used.
    private static string StringPattern(JsonElement component, string where)
    {
        var pattern = Optional(component, "pattern", where)
            ?? throw new InvalidDataException($"{where}.pattern is missing");
        var text = OptionalString(pattern, "String", $"{where}.pattern")
            ?? throw new InvalidDataException($"{where}.pattern must be a String pattern");
        return text.Length > 0 ? text : throw new InvalidDataException($"{where}.pattern.String is empty");
    }

    private static SplitBehavior ReadBehavior(JsonElement split, string where) =>
        RequiredString(split, "behavior", where) switch
        {
            "Removed" => SplitBehavior.Removed,
            "Isolated" => SplitBehavior.Isolated,
            "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
            "MergedWithNext" => SplitBehavior.MergedWithNext,
            "Contiguous" => SplitBehavior.Contiguous,
            var other => throw new InvalidDataException($"{where}.behavior '{other}' is not a split behavior"),
        };

    // prepend_scheme when present (default always); older files have add_prefix_space, whose false means never.
    private static PrependScheme ReadPrependScheme(JsonElement metaspace, string where) =>
        OptionalString(metaspace, "prepend_scheme", where) switch
        {
            "always" => PrependScheme.Always,
            "first" => PrependScheme.First,
            "never" => PrependScheme.Never,
            null => OptionalBool(metaspace, "add_prefix_space", where, true) ? PrependScheme.Always : PrependScheme.Never,
            var other => throw new InvalidDataException($"{where}.prepend_scheme '{other}' is not a prepend scheme"),
        };

    /// <summary>
    /// Adds a decoder's stages, a <c>Sequence</c>'s flattened. Steps that need whole tokens (ByteLevel, ByteFallback,
    /// WordPiece, a Replace of several characters) are refused after the list is fused into one string: streamed,
    /// that string arrives in chunks.
    /// </summary>
    private static void AddDecoder(
        JsonElement decoder, string where, List<Func<DecoderStage, DecoderStage>> steps, ref bool fused)
    {
        var type = TypeOf(decoder, where);
        var needsWholeTokens = type is "ByteLevel" or "ByteFallback" or "WordPiece";
        if (fused && needsWholeTokens)
        {
            throw new InvalidDataException($"{where}: a {type} decoder after Fuse or ByteLevel is not supported");
        }

        switch (type)
        {
            case "Sequence":
                var i = 0;
                foreach (var step in RequiredArray(decoder, "decoders", where).EnumerateArray())
                {
                    AddDecoder(step, $"{where}.decoders[{i++}]", steps, ref fused);
                }

                break;
            case "ByteLevel":
                steps.Add(next => new ByteLevelStage(next));
                fused = true;
                break;
            case "ByteFallback":
                steps.Add(next => new ByteFallbackStage(next));
                break;
            case "Fuse":
                steps.Add(next => new FuseStage(next));
                fused = true;
                break;
            case "Strip":
                var content = RequiredChar(decoder, "content", where);
                var start = OptionalInt(decoder, "start", where, 0);
                if (OptionalInt(decoder, "stop", where, 0) != 0)
                {
                    throw new InvalidDataException($"{where}: a Strip decoder with stop is not supported");
                }

                steps.Add(next => new StripStage(next, content, start));
                break;
            case "Replace":
                var pattern = StringPattern(decoder, where);
                var replacement = RequiredString(decoder, "content", where);
                if (fused && pattern.Length > 1)
                {
                    throw new InvalidDataException($"{where}: a Replace of several characters after Fuse is not supported");
                }

                steps.Add(next => new ReplaceStage(next, pattern, replacement));
                break;
            case "Metaspace":
                var metaspace = RequiredChar(decoder, "replacement", where);
                var drop = ReadPrependScheme(decoder, where) != PrependScheme.Never;
                steps.Add(next => new MetaspaceStage(next, metaspace, drop));
                break;
            case "WordPiece":
                var prefix = OptionalString(decoder, "prefix", where) ?? "##";
                var cleanup = OptionalBool(decoder, "cleanup", where, true);
                steps.Add(next => new WordPieceStage(next, prefix, cleanup));
                break;
            default:
                throw new InvalidDataException($"{where}.type '{type}' is not supported");
        }
    }
}
