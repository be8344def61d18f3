using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Routing;

/// <summary>Checks the model table at start and reports every problem with its configuration key at once.</summary>
public sealed class ModelRoutingOptionsValidator : IValidateOptions<ModelRoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelRoutingOptions options)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var m = 0; m < options.Models.Count; m++)
        {
            var model = options.Models[m];
            var key = $"{ModelRoutingOptions.SectionName}:Models:{m}";
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                errors.Add($"{key}:Name is required.");
            }
            else if (!seen.Add(model.Name))
            {
                errors.Add($"{key}:Name '{model.Name}' is configured twice.");
            }

            ValidateFallbacks(model, model.Fallbacks, $"{key}:Fallbacks", errors);
            ValidateFallbacks(model, model.ContextWindowFallbacks, $"{key}:ContextWindowFallbacks", errors);
            for (var t = 0; t < model.Targets.Count; t++)
            {
                ValidateTarget(model.Targets[t], $"{key}:Targets:{t}", errors);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateFallbacks(ModelOptions model, List<string> fallbacks, string key, List<string> errors)
    {
        for (var f = 0; f < fallbacks.Count; f++)
        {
            if (string.IsNullOrWhiteSpace(fallbacks[f]))
            {
                errors.Add($"{key}:{f} must name a model.");
            }
            else if (string.Equals(fallbacks[f], model.Name, StringComparison.Ordinal))
            {
                errors.Add($"{key}:{f} names the model itself.");
            }
        }
    }

    private static void ValidateTarget(TargetOptions target, string key, List<string> errors)
    {
        if (!string.Equals(target.Provider, TargetOptions.OpenAICompatible, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Provider '{target.Provider}' is not supported; use '{TargetOptions.OpenAICompatible}'.");
        }

        var hasService = !string.IsNullOrWhiteSpace(target.Service);
        var hasBaseUrl = !string.IsNullOrWhiteSpace(target.BaseUrl);
        if (hasService == hasBaseUrl)
        {
            errors.Add($"{key} must set exactly one of Service and BaseUrl.");
        }

        if (hasBaseUrl && (!Uri.TryCreate(target.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{key}:BaseUrl must be an absolute http(s) URL, not '{target.BaseUrl}'.");
        }

        if (target.Weight is < 1 or > 1000)
        {
            errors.Add($"{key}:Weight must be between 1 and 1000, not {target.Weight}.");
        }

        if (target.ApiKeyEnvironmentVariable is { Length: > 0 } variable && Environment.GetEnvironmentVariable(variable) is null)
        {
            errors.Add($"{key}:ApiKeyEnvironmentVariable names '{variable}', which is not set.");
        }
    }
}
