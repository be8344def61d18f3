using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Vllm;

/// <summary>The <c>Inference:Vllm</c> section: the OpenAI-compatible server this worker fronts.</summary>
public sealed class VllmOptions
{
    public const string SectionName = "Inference:Vllm";

    /// <summary>The <c>model_name</c> label of the metrics when <see cref="Model"/> is not set.</summary>
    public const string UnnamedModel = "vllm";

    /// <summary>The server's address, with or without the <c>/v1</c> suffix (<c>http://gpu-host:8000/v1</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent upstream as a Bearer token when set. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The served model's name: <c>/v1/models</c> answers with it locally instead of asking the upstream.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// How long the upstream may stay silent: before its response headers (a non-streamed answer comes only when it is
    /// complete) and between two reads of its body. Silence before the headers is a 504; later, the stream is aborted.
    /// </summary>
    [Range(0.01, 86_400, ErrorMessage = "Inference:Vllm:TimeoutSeconds must be between {1} and {2}.")]
    public double TimeoutSeconds { get; set; } = 600;

    /// <summary><see cref="BaseUrl"/> normalised to end in <c>/v1/</c>, so that relative paths resolve under it.</summary>
    public Uri ApiBase()
    {
        var url = (BaseUrl ?? "").Trim().TrimEnd('/');
        if (!url.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            url += "/v1";
        }

        return new Uri(url + "/", UriKind.Absolute);
    }
}

/// <summary>Requires a usable <c>Inference:Vllm:BaseUrl</c>, but only on a worker whose engine is <c>vllm</c>.</summary>
internal sealed class VllmOptionsValidator(IOptions<InferenceOptions> inference) : IValidateOptions<VllmOptions>
{
    public ValidateOptionsResult Validate(string? name, VllmOptions options)
    {
        if (inference.Value.Engine != EngineKind.Vllm)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.BaseUrl?.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Inference:Vllm:BaseUrl must be an absolute http(s) URL when Inference:Engine is vllm.");
    }
}
