using System.Text;
using System.Text.Json;
using static AiPlatform.Testing.Onnx.Schema.TensorProto.Types;

namespace AiPlatform.Testing.Onnx;

/// <summary>
/// A decoder-only language model in Hugging Face Optimum's layout, small enough to write in a test and whose next token
/// is known: the sum S of every token id of the sequence so far decides it, <c>'a' + S mod 27</c> for remainders below
/// 26 and <c>&lt;|im_end|&gt;</c> (end of sequence) for 26. With a KV cache the sum is read back from the cache, so a
/// cache passed wrongly between steps (or layers, or keys and values swapped) changes the answer. The tokenizer is
/// byte-level BPE without merges: a token per UTF-8 byte, its id the byte's value, plus three special tokens; the chat
/// template is ChatML.
/// </summary>
public static class TinyDecoder
{
    public const int EndOfText = 256;
    public const int ImStart = 257;
    public const int ImEnd = 258;
    public const int Vocabulary = 259;

    public const string ChatTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const int Remainders = 27;
    private const float HighLogit = 10f;

    /// <summary>The token that follows a sequence whose ids sum to <paramref name="sum"/>.</summary>
    public static int NextToken(long sum) => sum % Remainders is var j && j < Remainders - 1 ? 'a' + (int)j : ImEnd;

    /// <summary>The greedy continuation of <paramref name="prompt"/>: up to <paramref name="maxTokens"/> tokens, the end-of-sequence token included when reached.</summary>
    public static List<int> Continue(IEnumerable<int> prompt, int maxTokens)
    {
        long sum = prompt.Sum();
        var tokens = new List<int>();
        while (tokens.Count < maxTokens)
        {
            var next = NextToken(sum);
            tokens.Add(next);
            if (next == ImEnd)
            {
                break;
            }

            sum += next;
        }

        return tokens;
    }

    /// <summary>What the model's tokenizer makes of <paramref name="text"/>: the special tokens' ids, else one id per UTF-8 byte.</summary>
    public static List<int> Encode(string text)
    {
        var ids = new List<int>();
        var specials = new (string Text, int Id)[] { ("<|endoftext|>", EndOfText), ("<|im_start|>", ImStart), ("<|im_end|>", ImEnd) };
        var at = 0;
        while (at < text.Length)
        {
            var special = Array.Find(specials, s => string.CompareOrdinal(text, at, s.Text, 0, s.Text.Length) == 0);
            if (special.Text is not null)
            {
                ids.Add(special.Id);
                at += special.Text.Length;
                continue;
            }

            var next = text.IndexOf("<|", at + 1, StringComparison.Ordinal) is var found and >= 0 ? found : text.Length;
            ids.AddRange(Encoding.UTF8.GetBytes(text[at..next]).Select(b => (int)b));
            at = next;
        }

        return ids;
    }

    /// <summary>The ChatML prompt of a conversation, with the assistant's turn opened.</summary>
    public static string ChatPrompt(params (string Role, string Content)[] messages) =>
        string.Concat(messages.Select(m => $"<|im_start|>{m.Role}\n{m.Content}<|im_end|>\n")) + "<|im_start|>assistant\n";

    /// <summary>
    /// Writes model.onnx, config.json, generation_config.json, tokenizer.json and tokenizer_config.json into
    /// <paramref name="folder"/>; the config says the model's context is <paramref name="context"/> tokens.
    /// </summary>
    public static void Write(string folder, bool kvCache, int layers = 2, int context = 512)
    {
        Directory.CreateDirectory(folder);
        (kvCache ? WithCache(layers) : WithoutCache()).Save(Path.Combine(folder, "model.onnx"));
        WriteJson(folder, "config.json", new Dictionary<string, object?>
        {
            ["model_type"] = "tiny-decoder",
            ["vocab_size"] = Vocabulary,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = 1,
            ["num_key_value_heads"] = 1,
            ["hidden_size"] = 1,
            ["max_position_embeddings"] = context,
            ["eos_token_id"] = ImEnd,
            ["use_cache"] = kvCache,
        });
        WriteJson(folder, "generation_config.json", new Dictionary<string, object?> { ["eos_token_id"] = new[] { ImEnd, EndOfText } });
        WriteTokenizer(folder);
    }

    /// <summary>
    /// Layer l's new key is the ids times l+1 and its value twice that; S = (sum of layer 0's keys + sum of the last
    /// layer's values / 2L) / 2, the plain sum of the ids when every cache went where it belongs.
    /// </summary>
    private static OnnxGraphBuilder WithCache(int layers)
    {
        var graph = new OnnxGraphBuilder("tiny-decoder-kv")
            .Input("input_ids", DataType.Int64, "batch", "sequence")
            .Input("attention_mask", DataType.Int64, "batch", "total_sequence")
            .Input("position_ids", DataType.Int64, "batch", "sequence")
            .Int64s("axes_kv", [2], 1, 3)
            .Int64s("axes_all", [3], 1, 2, 3)
            .Node("Cast", ["input_ids"], ["ids_f"], ("to", (long)DataType.Float));
        for (var l = 0; l < layers; l++)
        {
            graph.Input($"past_key_values.{l}.key", DataType.Float, "batch", 1, "past_sequence", 1)
                .Input($"past_key_values.{l}.value", DataType.Float, "batch", 1, "past_sequence", 1)
                .Floats($"scale_k{l}", [], [l + 1])
                .Floats($"scale_v{l}", [], [2 * (l + 1)])
                .Node("Mul", ["ids_f", $"scale_k{l}"], [$"k{l}"])
                .Node("Mul", ["ids_f", $"scale_v{l}"], [$"v{l}"])
                .Node("Unsqueeze", [$"k{l}", "axes_kv"], [$"k{l}_4d"])
                .Node("Unsqueeze", [$"v{l}", "axes_kv"], [$"v{l}_4d"])
                .Node("Concat", [$"past_key_values.{l}.key", $"k{l}_4d"], [$"present.{l}.key"], ("axis", 2))
                .Node("Concat", [$"past_key_values.{l}.value", $"v{l}_4d"], [$"present.{l}.value"], ("axis", 2))
                .Output($"present.{l}.key", DataType.Float, "batch", 1, "total_sequence", 1)
                .Output($"present.{l}.value", DataType.Float, "batch", 1, "total_sequence", 1);
        }

        graph.Floats("last_value_scale", [], [2f * layers])
            .Floats("half", [], [0.5f])
            .Node("ReduceSum", ["present.0.key", "axes_all"], ["keys_sum"], ("keepdims", 0))
            .Node("ReduceSum", [$"present.{layers - 1}.value", "axes_all"], ["values_sum"], ("keepdims", 0))
            .Node("Div", ["values_sum", "last_value_scale"], ["values_sum_scaled"])
            .Node("Add", ["keys_sum", "values_sum_scaled"], ["twice_sum"])
            .Node("Mul", ["twice_sum", "half"], ["sum_f"]);
        return WithLogits(graph, "sum_f");
    }

    private static OnnxGraphBuilder WithoutCache()
    {
        var graph = new OnnxGraphBuilder("tiny-decoder")
            .Input("input_ids", DataType.Int64, "batch", "sequence")
            .Input("attention_mask", DataType.Int64, "batch", "sequence")
            .Int64s("axes_sequence", [1], 1)
            .Node("Cast", ["input_ids"], ["ids_f"], ("to", (long)DataType.Float))
            .Node("ReduceSum", ["ids_f", "axes_sequence"], ["sum_f"], ("keepdims", 0));
        return WithLogits(graph, "sum_f");
    }

    /// <summary>logits[b, s, :] = row (S mod 27) of a table with one high logit per row, the same at every position.</summary>
    private static OnnxGraphBuilder WithLogits(OnnxGraphBuilder graph, string sumFloat)
    {
        var table = new float[Remainders * Vocabulary];
        for (var j = 0; j < Remainders; j++)
        {
            table[(j * Vocabulary) + NextToken(j)] = HighLogit;
        }

        return graph
            .Floats("table", [Remainders, Vocabulary], table)
            .Int64s("remainders", [], Remainders)
            .Int64s("zero", [], 0)
            .Int64s("axes_last", [1], 1)
            .Node("Cast", [sumFloat], ["sum"], ("to", (long)DataType.Int64))
            .Node("Mod", ["sum", "remainders"], ["row"])
            .Node("Unsqueeze", ["row", "axes_last"], ["row_2d"])
            .Node("Mul", ["input_ids", "zero"], ["zeros"])
            .Node("Add", ["zeros", "row_2d"], ["rows"])
            .Node("Gather", ["table", "rows"], ["logits"], ("axis", 0))
            .Output("logits", DataType.Float, "batch", "sequence", Vocabulary);
    }

    private static void WriteTokenizer(string folder)
    {
        var vocab = new Dictionary<string, int>();
        var byteChars = ByteLevelAlphabet();
        for (var b = 0; b < 256; b++)
        {
            vocab[byteChars[b].ToString()] = b;
        }

        var added = new[] { ("<|endoftext|>", EndOfText), ("<|im_start|>", ImStart), ("<|im_end|>", ImEnd) }
            .Select(t => new Dictionary<string, object>
            {
                ["id"] = t.Item2, ["content"] = t.Item1, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        WriteJson(folder, "tokenizer.json", new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            ["post_processor"] = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = false, use_regex = true },
            ["decoder"] = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = Array.Empty<string>(),
            },
        });
        WriteJson(folder, "tokenizer_config.json", new Dictionary<string, object?>
        {
            ["bos_token"] = null,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["chat_template"] = ChatTemplate,
        });
    }

    /// <summary>GPT-2's map of bytes to printable characters (bytes_to_unicode), which byte-level BPE vocabularies are written in.</summary>
    private static char[] ByteLevelAlphabet()
    {
        var map = new char[256];
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return map;
    }

    internal static void WriteJson(string folder, string file, object value) =>
        File.WriteAllText(Path.Combine(folder, file), JsonSerializer.Serialize(value));
}
