using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// A served model: its ONNX Runtime session, its own tokenizer and its configuration, loaded and checked at start. A
/// graph with <c>logits</c> is a <see cref="DecoderModel"/> (chat and completions), one with token or sentence
/// vectors an <see cref="EncoderModel"/> (embeddings).
/// </summary>
internal abstract class OnnxModel(string name, OnnxDevice device, InferenceSession session, ModelTokenizer tokenizer, ModelConfig config) : IDisposable
{
    /// <summary>The file names Optimum gives a model's graph: today's export, then the merged decoder of older ones.</summary>
    private static readonly string[] s_graphFiles = ["model.onnx", "decoder_model_merged.onnx"];

    public string Name { get; } = name;

    public OnnxDevice Device { get; } = device;

    public InferenceSession Session { get; } = session;

    public ModelTokenizer Tokenizer { get; } = tokenizer;

    public ModelConfig Config { get; } = config;

    /// <summary>Token ids the model reads: its logits' width for a decoder, the tokenizer's vocabulary for an encoder.</summary>
    public abstract int Vocabulary { get; }

    /// <summary>
    /// An input's tokens: the ids the client sent, or its text encoded with the tokenizer's special tokens. False, with
    /// the reason naming <paramref name="name"/>, when the model cannot read them: no token, or an id outside its vocabulary.
    /// </summary>
    public bool TryTokens(TextOrTokenIds input, string name, out int[] ids, out string problem)
    {
        ids = input.TokenIds() ?? Tokenizer.Encode(input.Text, addSpecialTokens: true);
        var outside = Array.FindIndex(ids, id => id >= Vocabulary);
        problem = ids.Length == 0 ? $"{name} is empty: it gives the model no token to read."
            : outside >= 0 ? $"{name} holds the token id {ids[outside]}, outside the model's vocabulary of {Vocabulary}."
            : "";
        return problem.Length == 0;
    }

    public static OnnxModel Load(OnnxModelOptions model, OnnxOptions options, ILogger logger)
    {
        var folder = Path.GetFullPath(model.Path);
        if (!Directory.Exists(folder))
        {
            throw new OnnxModelException($"The folder of model '{model.Name}', {folder}, does not exist.");
        }

        var graphPath = s_graphFiles.Select(file => Path.Combine(folder, file)).FirstOrDefault(File.Exists)
            ?? throw new OnnxModelException($"The model folder {folder} has no {string.Join(" or ", s_graphFiles)}.");
        var config = ModelConfig.Read(folder);
        var tokenizer = ModelTokenizer.Load(folder);
        var (session, device) = OnnxSessions.Open(graphPath, options, logger);
        try
        {
            return session.OutputMetadata.ContainsKey("logits")
                ? new DecoderModel(model.Name, device, session, tokenizer, config, DecoderGraph.Inspect(session, graphPath, config, tokenizer.VocabularySize),
                    ParseChatTemplate(tokenizer, folder))
                : new EncoderModel(model.Name, device, session, tokenizer, config, EncoderGraph.Inspect(session, graphPath), EmbeddingPooling.Read(folder));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose() => Session.Dispose();

    private static ChatTemplate? ParseChatTemplate(ModelTokenizer tokenizer, string folder)
    {
        try
        {
            return tokenizer.ChatTemplate is { } template ? ChatTemplate.Parse(template) : null;
        }
        catch (OnnxModelException e)
        {
            throw new OnnxModelException($"The chat template of {folder} (tokenizer_config.json or chat_template.jinja): {e.Message}", e);
        }
    }
}

internal sealed class DecoderModel(
    string name, OnnxDevice device, InferenceSession session, ModelTokenizer tokenizer, ModelConfig config, DecoderGraph graph, ChatTemplate? chatTemplate)
    : OnnxModel(name, device, session, tokenizer, config)
{
    public DecoderGraph Graph { get; } = graph;

    public override int Vocabulary => Graph.Vocabulary;

    /// <summary>The tokenizer's chat template; null when the model has none (completions only).</summary>
    public ChatTemplate? ChatTemplate { get; } = chatTemplate;

    /// <summary>The special tokens a chat template may write (<c>bos_token</c>, <c>eos_token</c>), as the tokenizer's configuration names them.</summary>
    public IReadOnlyDictionary<string, string> TemplateTokens { get; } = new Dictionary<string, string>
    {
        ["bos_token"] = tokenizer.BosToken ?? "",
        ["eos_token"] = tokenizer.EosToken ?? "",
    };

    /// <summary>Tokens that end a sequence: those of config.json and generation_config.json, and the tokenizer's end-of-sequence token.</summary>
    public IReadOnlySet<int> EndOfSequence { get; } =
        tokenizer.EosTokenId is { } eos ? new HashSet<int>(config.EndOfSequence) { eos } : config.EndOfSequence;
}

internal sealed class EncoderModel(
    string name, OnnxDevice device, InferenceSession session, ModelTokenizer tokenizer, ModelConfig config, EncoderGraph graph, EmbeddingPooling pooling)
    : OnnxModel(name, device, session, tokenizer, config)
{
    public EncoderGraph Graph { get; } = graph;

    public override int Vocabulary => Tokenizer.VocabularySize;

    public EmbeddingPooling Pooling { get; } = pooling;
}
