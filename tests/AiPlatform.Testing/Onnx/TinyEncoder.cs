using static AiPlatform.Testing.Onnx.Schema.TensorProto.Types;

namespace AiPlatform.Testing.Onnx;

/// <summary>
/// An encoder embedding model in Optimum's layout (a BERT-like WordPiece tokenizer, <c>last_hidden_state</c> out) whose
/// token vectors are rows of a known table, so that a test can compute the pooled embedding itself.
/// </summary>
public static class TinyEncoder
{
    public const int Hidden = 8;

    /// <summary>The vocabulary, in id order: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, then words and pieces.</summary>
    public static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "cat", "##s", "the", "a", ",", "!", "dog", "sat", "on", "mat"];

    public const int Cls = 2;
    public const int Sep = 3;

    /// <summary>The vector the graph gives token <paramref name="id"/>.</summary>
    public static float[] TokenVector(int id) => [.. Enumerable.Range(0, Hidden).Select(k => (float)(((id * 7) + (k * 3)) % 11 - 5))];

    /// <summary>Mean of the tokens' vectors, at unit length: what the engine answers without a pooling configuration.</summary>
    public static float[] MeanNormalized(IReadOnlyList<int> ids)
    {
        var mean = new double[Hidden];
        foreach (var id in ids)
        {
            var vector = TokenVector(id);
            for (var k = 0; k < Hidden; k++)
            {
                mean[k] += vector[k] / (double)ids.Count;
            }
        }

        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return [.. mean.Select(v => (float)(v / norm))];
    }

    /// <summary>Writes the model folder; with <paramref name="clsPooling"/>, a sentence-transformers pooling configuration that takes the [CLS] vector.</summary>
    public static void Write(string folder, bool clsPooling = false)
    {
        Directory.CreateDirectory(folder);
        new OnnxGraphBuilder("tiny-encoder")
            .Input("input_ids", DataType.Int64, "batch", "sequence")
            .Input("attention_mask", DataType.Int64, "batch", "sequence")
            .Input("token_type_ids", DataType.Int64, "batch", "sequence")
            .Floats("table", [Vocabulary.Length, Hidden], Enumerable.Range(0, Vocabulary.Length).SelectMany(TokenVector))
            .Node("Gather", ["table", "input_ids"], ["last_hidden_state"], ("axis", 0))
            .Output("last_hidden_state", DataType.Float, "batch", "sequence", Hidden)
            .Save(Path.Combine(folder, "model.onnx"));
        TinyDecoder.WriteJson(folder, "config.json", new Dictionary<string, object?>
        {
            ["model_type"] = "bert", ["vocab_size"] = Vocabulary.Length, ["hidden_size"] = Hidden, ["max_position_embeddings"] = 64,
        });
        TinyDecoder.WriteJson(folder, "tokenizer.json", Tokenizer());
        TinyDecoder.WriteJson(folder, "tokenizer_config.json", new Dictionary<string, object?>
        {
            ["cls_token"] = "[CLS]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["unk_token"] = "[UNK]", ["mask_token"] = "[MASK]", ["do_lower_case"] = true,
        });
        if (clsPooling)
        {
            Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
            TinyDecoder.WriteJson(Path.Combine(folder, "1_Pooling"), "config.json", new Dictionary<string, object?>
            {
                ["word_embedding_dimension"] = Hidden, ["pooling_mode_cls_token"] = true, ["pooling_mode_mean_tokens"] = false,
            });
            TinyDecoder.WriteJson(folder, "modules.json", new[]
            {
                new { idx = 0, name = "0", path = "", type = "sentence_transformers.models.Transformer" },
                new { idx = 1, name = "1", path = "1_Pooling", type = "sentence_transformers.models.Pooling" },
            });
        }
    }

    private static Dictionary<string, object?> Tokenizer()
    {
        object Special(string token, int id) => new { id = token, ids = new[] { id }, tokens = new[] { token } };
        return new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = Vocabulary.Take(5).Select((token, id) => new
            {
                id, content = token, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true,
            }),
            ["normalizer"] = new { type = "BertNormalizer", clean_text = true, handle_chinese_chars = true, strip_accents = (bool?)null, lowercase = true },
            ["pre_tokenizer"] = new { type = "BertPreTokenizer" },
            ["post_processor"] = new Dictionary<string, object?>
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new object[]
                {
                    new { SpecialToken = new { id = "[CLS]", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } },
                    new { SpecialToken = new { id = "[SEP]", type_id = 0 } },
                },
                ["pair"] = new object[]
                {
                    new { SpecialToken = new { id = "[CLS]", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } },
                    new { SpecialToken = new { id = "[SEP]", type_id = 0 } }, new { Sequence = new { id = "B", type_id = 1 } },
                    new { SpecialToken = new { id = "[SEP]", type_id = 1 } },
                },
                ["special_tokens"] = new Dictionary<string, object> { ["[CLS]"] = Special("[CLS]", Cls), ["[SEP]"] = Special("[SEP]", Sep) },
            },
            ["decoder"] = new { type = "WordPiece", prefix = "##", cleanup = true },
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100,
                ["vocab"] = Vocabulary.Select((token, id) => (token, id)).ToDictionary(t => t.token, t => t.id),
            },
        };
    }
}
