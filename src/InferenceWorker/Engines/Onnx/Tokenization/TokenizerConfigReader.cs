using System.Text.Json;
using static AiPlatform.InferenceWorker.Engines.Onnx.Tokenization.JsonFields;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>A special token named by a configuration file, with the file, for errors.</summary>
internal sealed record ConfiguredToken(string Content, string File);

/// <summary>What transformers' tokenizer files add to tokenizer.json: the named special tokens and the chat template.</summary>
internal sealed record TokenizerConfig(
    ConfiguredToken? Bos, ConfiguredToken? Eos, ConfiguredToken? Pad, string? ChatTemplate);

/// <summary>
/// Reads tokenizer_config.json, special_tokens_map.json and chat_template.jinja, each optional.
/// </summary>
/// <remarks>
/// A token in tokenizer_config.json wins; special_tokens_map.json (what older exports keep them in) fills the ones it
/// does not name. chat_template.jinja, which transformers 4.47 and later write instead of the config field, wins over
/// it as in transformers.
/// </remarks>
internal static class TokenizerConfigReader
{
    public const string ConfigFile = "tokenizer_config.json";
    public const string SpecialTokensMapFile = "special_tokens_map.json";
    public const string ChatTemplateFile = "chat_template.jinja";

    /// <exception cref="OnnxModelException">A file is present but unreadable, not JSON, or of the wrong shape.</exception>
    public static TokenizerConfig Read(string modelFolder)
    {
        var configPath = Path.Combine(modelFolder, ConfigFile);
        var mapPath = Path.Combine(modelFolder, SpecialTokensMapFile);
        var config = ReadJson(configPath, root => (
            Bos: Token(root, "bos_token", configPath),
            Eos: Token(root, "eos_token", configPath),
            Pad: Token(root, "pad_token", configPath),
            Template: ChatTemplate(root)));
        var map = ReadJson(mapPath, root => (
            Bos: Token(root, "bos_token", mapPath),
            Eos: Token(root, "eos_token", mapPath),
            Pad: Token(root, "pad_token", mapPath),
            Template: (string?)null));

        var templatePath = Path.Combine(modelFolder, ChatTemplateFile);
        var template = File.Exists(templatePath) ? ReadText(templatePath) : config.Template;
        return new TokenizerConfig(config.Bos ?? map.Bos, config.Eos ?? map.Eos, config.Pad ?? map.Pad, template);
    }

    private static T ReadJson<T>(string path, Func<JsonElement, T> read)
        where T : struct
    {
        if (!File.Exists(path))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(ReadText(path));
            return read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new OnnxModelException($"{path}: not valid JSON ({ex.Message}).", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new OnnxModelException($"{path}: {ex.Message}.", ex);
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new OnnxModelException($"{path}: cannot be read ({ex.Message}).", ex);
        }
    }

    // A plain string, or transformers' AddedToken form {"content": "<s>", "lstrip": false, …}.
    private static ConfiguredToken? Token(JsonElement root, string name, string path) =>
        Optional(root, name, "the root") switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => new ConfiguredToken(value.GetString()!, path),
            { ValueKind: JsonValueKind.Object } value => new ConfiguredToken(RequiredString(value, "content", name), path),
            _ => throw new InvalidDataException($"{name} is neither a string nor an object with content"),
        };

    // A string, or a list of {"name", "template"} of which transformers uses "default" unless told another name.
    private static string? ChatTemplate(JsonElement root)
    {
        switch (Optional(root, "chat_template", "the root"))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } template:
                return template.GetString();
            case { ValueKind: JsonValueKind.Array } templates:
                var i = 0;
                foreach (var entry in templates.EnumerateArray())
                {
                    var where = $"chat_template[{i++}]";
                    if (RequiredString(entry, "name", where) == "default")
                    {
                        return RequiredString(entry, "template", where);
                    }
                }

                return null;
            default:
                throw new InvalidDataException("chat_template is neither a string nor a list of named templates");
        }
    }
}
