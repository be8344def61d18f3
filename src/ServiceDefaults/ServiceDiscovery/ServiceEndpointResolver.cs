using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves a logical service address such as <c>http://usageapi</c> to the endpoints configured for it,
/// reading configuration the way Aspire's <c>ConfigurationServiceEndpointProvider</c> does:
/// <c>services:{name}:{scheme}</c> holds one address or an indexed list (<c>services__usageapi__http__0</c>, …).
/// A scheme of <c>https+http</c> means "https if configured, else http".
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>
    /// The configured endpoints of <paramref name="serviceName"/> for the first scheme in
    /// <paramref name="schemePreference"/> (<c>"http"</c>, <c>"https"</c> or <c>"https+http"</c>) that has any.
    /// Empty when the name is not a configured service.
    /// </summary>
    public IReadOnlyList<Uri> Resolve(string serviceName, string schemePreference)
    {
        var service = configuration.GetSection(KnownConfigNames.ServicesSection).GetSection(serviceName);
        if (!service.Exists())
        {
            return [];
        }

        foreach (var scheme in schemePreference.Split('+', StringSplitOptions.RemoveEmptyEntries))
        {
            var endpoints = ReadEndpoints(service.GetSection(scheme));
            if (endpoints.Count > 0)
            {
                return endpoints;
            }
        }

        // Aspire's "default" endpoint name: used when no scheme-named entry exists.
        return ReadEndpoints(service.GetSection("default"));
    }

    private static List<Uri> ReadEndpoints(IConfigurationSection section)
    {
        var endpoints = new List<Uri>();
        if (section.Value is { Length: > 0 } single)
        {
            AddIfValid(endpoints, single, section.Path);
        }

        foreach (var child in section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
        {
            if (child.Value is { Length: > 0 } value)
            {
                AddIfValid(endpoints, value, child.Path);
            }
        }

        return endpoints;
    }

    private static void AddIfValid(List<Uri> endpoints, string value, string path)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"Configuration '{path}' must be an absolute URI such as http://127.0.0.1:8081, not '{value}'.");
        }

        endpoints.Add(uri);
    }
}
